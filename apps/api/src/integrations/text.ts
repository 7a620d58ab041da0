// Safe truncation of user-visible text: never cuts inside a character (grapheme cluster),
// so no broken surrogate pair, combining mark or emoji sequence reaches a phone.

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });
const ELLIPSIS = '…';

function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (g) => g.segment);
}

/** At most `max` characters (grapheme clusters); an ellipsis marks a cut. */
export function truncateChars(s: string, max: number): string {
  if (s.length <= max) return s; // UTF-16 units ≥ characters: nothing to cut
  const g = graphemes(s);
  if (g.length <= max) return s;
  return g.slice(0, Math.max(0, max - 1)).join('') + ELLIPSIS;
}

/** At most `maxBytes` bytes of UTF-8; an ellipsis marks a cut and is counted. */
export function truncateBytes(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  const budget = maxBytes - Buffer.byteLength(ELLIPSIS);
  let out = '';
  let used = 0;
  for (const g of graphemes(s)) {
    const b = Buffer.byteLength(g);
    if (used + b > budget) break;
    out += g;
    used += b;
  }
  return budget >= 0 ? out + ELLIPSIS : '';
}

export const byteLength = (s: string) => Buffer.byteLength(s);
