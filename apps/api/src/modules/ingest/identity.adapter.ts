// The one place ingestion turns a connector's phone / e-mail into the identity values the
// scan issue stores in customer_identities (E.164 plus ";ext=NNN", lower-cased e-mail).
import { lineKindOf, normalizePhone, phoneIdentityValue } from '@crm/domain';

const phoneMemo = new Map<string, string | null>();

/** Memoised: bulk imports repeat the same customers' numbers many times. */
export function phoneKey(raw: string): string | null {
  const hit = phoneMemo.get(raw);
  if (hit !== undefined) return hit;
  const key = phoneIdentityValue(normalizePhone(raw));
  if (phoneMemo.size > 50_000) phoneMemo.clear();
  phoneMemo.set(raw, key);
  return key;
}

export function emailKey(raw: string): string | null {
  const e = raw.normalize('NFKC').trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : null;
}

/**
 * Only identities unique to one person become identity rows (the scan issue's strength rule):
 * mobiles and desk lines with an extension; a switchboard or 400 number is not a key.
 */
export function isStrongPhoneKey(key: string): boolean {
  if (key.includes(';ext=')) return true;
  const kind = lineKindOf(key);
  return kind === 'mobile';
}
