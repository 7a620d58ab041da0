// PostgreSQL text cannot hold U+0000: a NUL anywhere in a stored string fails the
// statement (22021 / 22P05). Incoming JSON is checked for it before it reaches the
// domain, so the caller gets a 422 naming the field instead of a 500.

const NUL = '\u0000';

const join = (base: string, key: string | number) => (base ? `${base}.${key}` : String(key));

/**
 * The dotted path (as in our `field`: `emails.0`, `customer.name`) of the first string
 * in `value` containing U+0000, or of the first object key containing it; `null` if none.
 * A NUL in a top-level string gives `base` (or `''`).
 */
export function findNul(value: unknown, base = ''): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? base : null;
  if (!value || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], join(base, i));
      if (hit !== null) return hit;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const path = join(base, key.replaceAll(NUL, '\\u0000'));
    if (key.includes(NUL)) return path;
    const hit = findNul(v, path);
    if (hit !== null) return hit;
  }
  return null;
}

export const nulMessage = (field: string) =>
  `${field || 'the value'} contains a NUL character (\\u0000), which cannot be stored`;

// A lone UTF-16 surrogate (half of an emoji, cut) cannot be encoded as UTF-8. A text
// parameter quietly arrives as U+FFFD; inside JSON for a jsonb column (phones, cards,
// payloads) PostgreSQL refuses "\ud800" and the statement fails. Made well-formed once, at
// the edge, every column stores the same U+FFFD.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HAS_SURROGATE = /[\ud800-\udfff]/;

const wellFormedString = (s: string) => (HAS_SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\uFFFD') : s);

/** `value` with every lone surrogate in its strings and keys replaced by U+FFFD (objects and arrays in place). */
export function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return wellFormedString(value) as T;
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = wellFormed(value[i]);
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const fixed = wellFormedString(key);
    const v = wellFormed(obj[key]);
    if (fixed !== key) delete obj[key];
    obj[fixed] = v;
  }
  return value;
}
