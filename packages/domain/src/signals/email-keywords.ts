// E-mail keyword rules: which signal candidates an e-mail suggests, with the matching excerpt.
// Matching is done on a folded copy of the text — NFKC (full-width → half-width), traditional →
// simplified Chinese, lower case, whitespace removed — mapped back to the original for the excerpt.
import { Converter } from 'opencc-js';
import type { SignalLevel } from './confidence';

export type KeywordRule = { keyword: string; kind: string; level: SignalLevel };

/** The article's three keywords. Levels are a first guess a human can change on confirmation. */
export const DEFAULT_EMAIL_RULES: KeywordRule[] = [
  { keyword: '比价', kind: 'price_comparison', level: 1 },
  { keyword: '招标编号', kind: 'tender_number', level: 2 },
  { keyword: '付款条件', kind: 'payment_terms', level: 3 },
];

export type KeywordHit = KeywordRule & { excerpt: string };

const toSimplified = Converter({ from: 't', to: 'cn' });
const IGNORED = /[\s\u200b-\u200d\u2060\ufeff]/u;

type Folded = { text: string; origin: number[] };

/** Folded text plus, for each folded UTF-16 unit, the index of the original character it came from. */
export function foldForMatching(input: string): Folded {
  const chars = Array.from(input);
  const whole = toSimplified(chars.join(''));
  // opencc is character-for-character on almost all text; when a phrase rule changes the
  // length we fall back to converting one character at a time so positions stay exact.
  const simplified = Array.from(whole).length === chars.length ? Array.from(whole) : chars.map((c) => toSimplified(c));
  let text = '';
  const origin: number[] = [];
  let offset = 0;
  chars.forEach((ch, i) => {
    const folded = (simplified[i] ?? ch).normalize('NFKC').toLowerCase();
    for (const unit of folded) {
      if (IGNORED.test(unit)) continue;
      text += unit;
      for (let k = 0; k < unit.length; k++) origin.push(offset);
    }
    offset += ch.length;
  });
  return { text, origin };
}

export function foldKeyword(keyword: string): string {
  return foldForMatching(keyword).text;
}

/** Rules for a tenant: the defaults plus its own keywords (kind `keyword:<word>`, level 1). */
export function tenantEmailRules(extra: string[] | undefined): KeywordRule[] {
  const rules = [...DEFAULT_EMAIL_RULES];
  const seen = new Set(rules.map((r) => foldKeyword(r.keyword)));
  for (const raw of extra ?? []) {
    const k = raw.trim();
    const folded = foldKeyword(k);
    if (!folded || seen.has(folded)) continue;
    seen.add(folded);
    rules.push({ keyword: k, kind: `keyword:${k.slice(0, 40)}`, level: 1 });
  }
  return rules;
}

/** The excerpt around [from, to) of the original: up to `radius` characters either side, on one line. */
export function excerptAround(original: string, from: number, to: number, radius = 40): string {
  const start = Math.max(0, from - radius);
  const end = Math.min(original.length, to + radius);
  const body = original.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < original.length ? '…' : ''}`;
}

/** One hit per rule (the first occurrence), searching the subject and then the text. */
export function matchEmailKeywords(subject: string, text: string, rules: KeywordRule[]): KeywordHit[] {
  const sources = [subject, text].map((s) => ({ original: s, folded: foldForMatching(s) }));
  const hits: KeywordHit[] = [];
  for (const rule of rules) {
    const needle = foldKeyword(rule.keyword);
    if (!needle) continue;
    for (const { original, folded } of sources) {
      const at = folded.text.indexOf(needle);
      if (at < 0) continue;
      const from = folded.origin[at] ?? 0;
      const lastUnit = folded.origin[at + needle.length - 1] ?? from;
      const to = lastUnit + (original.codePointAt(lastUnit)! > 0xffff ? 2 : 1);
      hits.push({ ...rule, excerpt: excerptAround(original, from, to) });
      break;
    }
  }
  return hits;
}
