// Search keys for Chinese names: "zw" and "zhangwei" both find 张伟.
import { pinyin } from 'pinyin-pro';

type Syllables = { initials: string; full: string };

/** Splits text into pinyin syllables (Han) and lower-case ASCII words; drops punctuation and spaces. */
function syllables(text: string, asName: boolean): Syllables {
  const parts = pinyin(text, {
    toneType: 'none',
    type: 'all',
    nonZh: 'consecutive',
    v: true,
    // Surnames have their own readings: 曾 zeng, 单 shan, 仇 qiu.
    surname: asName ? 'head' : 'off',
  });
  let initials = '';
  let full = '';
  for (const part of parts) {
    const words = (part.isZh ? part.pinyin : part.origin).toLowerCase().match(/[a-z0-9]+/g);
    if (!words) continue;
    for (const w of words) {
      full += w;
      // A syllable contributes its first letter; a Latin word or number stays whole.
      initials += part.isZh ? w[0] : w;
    }
  }
  return { initials, full };
}

/** Full pinyin without tones or spaces (张伟 → "zhangwei"); Latin letters and digits kept, lower-cased. */
export function pinyinOf(text: string, asName = false): string {
  return syllables(text, asName).full;
}

/**
 * The customers.search_key value: pinyin initials and full pinyin of the name and
 * the organisation, space-separated, duplicates removed (张伟, 示例科技 →
 * "zw zhangwei slkj shilikeji").
 */
export function searchKey(name: string, org?: string | null): string {
  const tokens: string[] = [];
  for (const [text, asName] of [
    [name, true],
    [org ?? '', false],
  ] as const) {
    if (!text.trim()) continue;
    const { initials, full } = syllables(text, asName);
    for (const t of [initials, full]) if (t && !tokens.includes(t)) tokens.push(t);
  }
  return tokens.join(' ');
}
