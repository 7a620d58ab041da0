// Phone numbers as printed on Chinese business cards → E.164 + extension.
// Never guesses: a number that cannot be placed keeps `raw`, gets `e164: null` and a flag.
import { type CountryCode, Metadata, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type PhoneType = 'cell' | 'work' | 'home' | 'fax' | null;

/** Why a number is not (fully) usable. */
export type PhoneFlag =
  | 'invalid' // no valid number in any reading
  | 'no_area_code' // a local landline number printed without its area code
  | 'short_number' // service / short code (10086, 95588 …)
  | 'national_only' // 400/800: valid, but dialable only inside the country and shared by a company
  | 'placeholder' // 00000000, 13800000000, 12345678 … never an identity key
  | 'ext_too_long';

export type NormalizedPhone = {
  e164: string | null;
  ext?: string;
  type?: PhoneType;
  raw: string;
  flags?: PhoneFlag[];
};

/** libphonenumber's line type, reduced to what the identity rules need. */
export type LineKind = 'mobile' | 'fixed' | 'fixed_or_mobile' | 'shared' | 'other';

const EXT_PATTERNS: RegExp[] = [
  // RFC 3966 and its relatives: ;ext=123, ;ext 123
  /^(.*?)\s*;\s*ext\s*=?\s*(\d{1,8})\s*$/i,
  // 转 123, 分机 123, 分机号：123, ext. 123, extension 123, x123, #123
  /^(.*?\d[\d\s)]*?)\s*(?:转分机|转|分机号?|ext(?:ension)?\.?|x|#|\*)\s*[:：.]?\s*(\d{1,8})\s*#?\s*$/i,
  // pause-dial: 0755-80003000,,8023 or ;8023 (Apple, Android)
  /^(.*?\d)\s*(?:,+|;|p+|w+)\s*(\d{1,8})\s*$/i,
  // (分机 8023) in brackets
  /^(.*?\d)\s*[(（]\s*(?:转|分机号?|ext\.?)?\s*(\d{1,8})\s*[)）]\s*$/i,
];

const PLACEHOLDER_SEQUENCES = ['01234567890123456789', '98765432109876543210'];

/** Full-width digits, plus, parentheses and spaces become ASCII; ideographic space too. */
function halfWidth(s: string): string {
  return s.normalize('NFKC').replace(/[\u3000\u00a0]/g, ' ');
}

function splitExtension(s: string): { main: string; ext?: string } {
  // Digits and separators only: no extension marker to look for.
  if (!/[^\d\s+\-().]/.test(s)) return { main: s };
  for (const re of EXT_PATTERNS) {
    const m = re.exec(s);
    if (m?.[1] && m[2] && /\d{5,}/.test(m[1].replace(/\D/g, ''))) return { main: m[1], ext: m[2] };
  }
  return { main: s };
}

/** True for numbers nobody owns: all one digit, or an obvious run, or a mobile prefix followed by zeros. */
export function isPlaceholderNumber(nationalDigits: string): boolean {
  if (nationalDigits.length < 5) return false;
  if (/^(\d)\1+$/.test(nationalDigits)) return true;
  for (const seq of PLACEHOLDER_SEQUENCES) if (seq.includes(nationalDigits)) return true;
  // 13800000000, 13999999999: a mobile prefix and 8 identical digits.
  if (/^1\d{2}(\d)\1{7}$/.test(nationalDigits)) return true;
  return false;
}

/** Rewrites international prefixes (0086, bare 86 before a mobile, +86 (0)10) into a form libphonenumber reads. */
function canonicalPrefix(s: string): string {
  let t = s.trim().replace(/^tel:/i, '');
  // "+86 (0)10 …", "+44 (0)20 …": the (0) is a trunk prefix that is not dialled after the country code.
  if (t.includes('(')) t = t.replace(/^(\+\s*\d{1,3})[\s-]*\(\s*0\s*\)/, '$1 ');
  const digits = t.replace(/[^\d+]/g, '');
  if (/^00[1-9]/.test(digits)) return `+${digits.slice(2)}`;
  // A bare 86 before an 11-digit mobile (8613800138000).
  if (/^861[3-9]\d{9}$/.test(digits)) return `+${digits}`;
  return t;
}

let cnPatterns: { mobile: RegExp; fixed: RegExp } | undefined;

/** CN mobile and fixed-line patterns, taken from the same libphonenumber metadata. */
function cn(): { mobile: RegExp; fixed: RegExp } {
  if (!cnPatterns) {
    const m = new Metadata();
    m.selectNumberingPlan('CN');
    // NumberingPlan.type() exists at runtime (libphonenumber-js uses it for getType) but is not in its .d.ts.
    const plan = m.numberingPlan as unknown as { type(t: string): { pattern(): string } } | undefined;
    if (!plan) throw new Error('libphonenumber metadata has no CN plan');
    cnPatterns = {
      mobile: new RegExp(`^(?:${plan.type('MOBILE').pattern()})$`),
      fixed: new RegExp(`^(?:${plan.type('FIXED_LINE').pattern()})$`),
    };
  }
  return cnPatterns;
}

/**
 * Fast path (a full libphonenumber parse costs ~30 µs; cards carry several numbers):
 * a plainly written CN mobile or landline that matches the metadata's own MOBILE or
 * FIXED_LINE pattern. Anything else takes the full parse. Same answers (tested).
 */
function fastCn(prepared: string): string | null {
  const t = prepared.trim();
  if (!/^\+?[\d\s\-().]+$/.test(t)) return null;
  const d = t.replace(/\D/g, '');
  let nat: string;
  if (t.startsWith('+')) {
    if (!d.startsWith('86')) return null;
    nat = d.slice(2);
  } else nat = d.startsWith('0') ? d.slice(1) : d;
  const p = cn();
  return p.mobile.test(nat) || p.fixed.test(nat) ? nat : null;
}

function nationalDigits(e164: string, countryCallingCode: string): string {
  return e164.slice(1 + countryCallingCode.length);
}

/**
 * Normalises one printed phone number. `defaultRegion` (CN) applies to numbers
 * without a country code. Extensions in any of the usual spellings go to `ext`.
 */
export function normalizePhone(
  input: string,
  opts: { type?: PhoneType; ext?: string | null; defaultRegion?: CountryCode } = {},
): NormalizedPhone {
  const raw = input.trim();
  const region = opts.defaultRegion ?? 'CN';
  const base: NormalizedPhone = { e164: null, raw, ...(opts.type !== undefined ? { type: opts.type } : {}) };
  const half = halfWidth(raw);
  if (!/\d/.test(half) || half.length > 64) return { ...base, flags: ['invalid'] };

  let { main, ext } = splitExtension(half);
  if (opts.ext && !ext) ext = opts.ext.replace(/\D/g, '') || undefined;
  const prepared = canonicalPrefix(main);
  const fast = region === 'CN' ? fastCn(prepared) : null;
  if (fast) {
    const flags: PhoneFlag[] = isPlaceholderNumber(fast) ? ['placeholder'] : [];
    return { ...base, e164: `+86${fast}`, ...(ext ? { ext } : {}), ...(flags.length ? { flags } : {}) };
  }
  let parsed = safeParse(prepared, region);

  // A trailing "-NNN" that makes the number too long is an extension: 010-80001000-8023.
  if (!parsed?.isValid() && !ext) {
    const m = /^(.*\d)\s*[-‐–—/]\s*(\d{1,6})\s*$/.exec(prepared);
    if (m?.[1] && m[2]) {
      const shorter = safeParse(m[1], region);
      if (shorter?.isValid()) {
        parsed = shorter;
        ext = m[2];
      }
    }
  }
  if (!ext && parsed?.ext) ext = parsed.ext;
  const extPart = ext ? { ext } : {};
  if (!parsed) return { ...base, ...extPart, flags: ['invalid'] };

  const digits = prepared.replace(/\D/g, '');
  const nat = nationalDigits(parsed.number, parsed.countryCallingCode);
  if (!parsed.isValid()) {
    // Keep the reason: the rep can fix a local number by adding the area code.
    const local = digits.replace(/^0+/, '');
    if (!prepared.trim().startsWith('+') && digits.length <= 6) return { ...base, ...extPart, flags: ['short_number'] };
    if (!prepared.trim().startsWith('+') && /^[2-9]\d{6,7}$/.test(local) && region === 'CN')
      return { ...base, ...extPart, flags: ['no_area_code'] };
    const flags: PhoneFlag[] = ['invalid'];
    if (isPlaceholderNumber(nat)) flags.push('placeholder');
    return { ...base, ...extPart, flags };
  }
  const flags: PhoneFlag[] = [];
  const lineType = parsed.getType();
  if (lineType === 'SHARED_COST' || lineType === 'TOLL_FREE') flags.push('national_only');
  if (isPlaceholderNumber(nat)) flags.push('placeholder');
  return { ...base, e164: parsed.number, ...extPart, ...(flags.length ? { flags } : {}) };
}

function safeParse(s: string, region: CountryCode) {
  try {
    return parsePhoneNumberFromString(s, { defaultCountry: region, extract: false }) ?? null;
  } catch {
    return null;
  }
}

/** The line type of a normalised E.164 number (pure, from libphonenumber metadata). */
export function lineKindOf(e164: string): LineKind {
  const p = safeParse(e164, 'CN');
  switch (p?.getType()) {
    case 'MOBILE':
    case 'PERSONAL_NUMBER':
      return 'mobile';
    case 'FIXED_LINE':
      return 'fixed';
    case 'FIXED_LINE_OR_MOBILE':
      return 'fixed_or_mobile';
    case 'SHARED_COST':
    case 'TOLL_FREE':
    case 'PREMIUM_RATE':
    case 'UAN':
      return 'shared';
    default:
      return 'other';
  }
}

/** The identity value of a phone: E.164 plus ";ext=NNN" (the team's stored form). */
export function phoneIdentityValue(p: { e164: string | null; ext?: string | null }): string | null {
  if (!p.e164) return null;
  return p.ext ? `${p.e164};ext=${p.ext}` : p.e164;
}
