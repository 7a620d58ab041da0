// A small seeded PRNG (mulberry32): the same seed gives the same demo, byte for byte.

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
// China has one zone and no daylight saving: local time is UTC+8 all year.
const CHINA_OFFSET = 8 * HOUR;

export type Rng = {
  /** Uniform in [0, 1). */
  next: () => number;
  /** Integer in [min, max], both inclusive. */
  int: (min: number, max: number) => number;
  /** Uniform real in [min, max). */
  between: (min: number, max: number) => number;
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
  /** Picks by weight: [[value, weight], …]. */
  weighted: <T>(items: readonly (readonly [T, number])[]) => T;
  /** k distinct items (fewer if the list is shorter). */
  sample: <T>(items: readonly T[], k: number) => T[];
  /** A whole count ≥ 0 whose mean is `mean` (a geometric distribution: many small, a few large). */
  count: (mean: number) => number;
  /** A random version-4 UUID drawn from this generator. */
  uuid: () => string;
  /** A random digit string of the given length. */
  digits: (n: number) => string;
};

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = () =>
    Math.floor(next() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  const rng: Rng = {
    next,
    int,
    between: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (items) => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [value, w] of items) {
        r -= w;
        if (r < 0) return value;
      }
      const last = items[items.length - 1];
      if (!last) throw new Error('weighted pick from an empty list');
      return last[0];
    },
    sample: (items, k) => {
      const copy = [...items];
      const out: (typeof items)[number][] = [];
      while (out.length < k && copy.length > 0) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]!);
      return out;
    },
    count: (mean) => {
      if (mean <= 0) return 0;
      const p = 1 / (1 + mean);
      return Math.floor(Math.log(1 - next()) / Math.log(1 - p));
    },
    uuid: () => {
      const h = hex() + hex() + hex() + hex();
      const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    digits: (n) => {
      let s = '';
      for (let i = 0; i < n; i++) s += Math.floor(next() * 10);
      return s;
    },
  };
  return rng;
}

/** Moves an instant to a random minute between `fromHour` and `toHour` (China local time) on the same local day. */
export function atLocalHours(rng: Rng, t: number, fromHour = 9, toHour = 18): number {
  const localDay = Math.floor((t + CHINA_OFFSET) / DAY) * DAY;
  const minute = rng.int(fromHour * 60, toHour * 60 - 1);
  return localDay - CHINA_OFFSET + minute * 60_000;
}

/** Weekend in China local time? */
export function isLocalWeekend(t: number): boolean {
  const dow = new Date(t + CHINA_OFFSET).getUTCDay();
  return dow === 0 || dow === 6;
}

export const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
