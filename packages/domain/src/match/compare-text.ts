// Tolerant comparison of names and organisations: 陳靜 = 陈静, "Ｚｈａｎｇ Wei" = "zhang wei",
// 张 伟 = 张伟, "示例科技有限公司" = "示例科技".
import { Converter } from 'opencc-js/t2cn';

let toSimplified: ((s: string) => string) | undefined;

function simplified(s: string): string {
  // Built on first use (~50 ms): most requests never compare names.
  toSimplified ??= Converter({ from: 't', to: 'cn' });
  return toSimplified(s);
}

/** Full-width → half-width, traditional → simplified, lower-case, no spaces or name punctuation. */
export function foldText(s: string): string {
  return simplified(s.normalize('NFKC'))
    .toLowerCase()
    .replace(/[\s·•・.,，、'"’‘“”()（）[\]【】\-_/]+/g, '');
}

const ORG_SUFFIX =
  /(股份有限公司|有限责任公司|有限公司|集团|公司|companylimited|colimited|coltd|limited|ltd|incorporated|inc|corporation|corp|llc|gmbh)+$/;

/** An organisation folded and stripped of its legal-form suffix. */
export function foldOrg(s: string): string {
  return foldText(s).replace(ORG_SUFFIX, '');
}

/** Same person name; "Wei Zhang" also equals "Zhang Wei" (order on Latin cards varies). */
export function sameName(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const fa = foldText(a);
  const fb = foldText(b);
  if (!fa || !fb) return false;
  if (fa === fb) return true;
  const wa = latinWords(a);
  const wb = latinWords(b);
  return wa.length > 1 && wa.join(' ') === wb.join(' ');
}

function latinWords(s: string): string[] {
  return (
    s
      .normalize('NFKC')
      .toLowerCase()
      .match(/[a-z]+/g) ?? []
  ).sort();
}

export function sameOrg(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const fa = foldOrg(a);
  const fb = foldOrg(b);
  return fa.length > 0 && fa === fb;
}
