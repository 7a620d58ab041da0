// Collects fields from any format into one `Card`: first non-empty value wins,
// duplicates merged, empties never become "" entries.
import { normalizePhone, type PhoneType } from '../phone/normalize-phone';
import type { AddressParts, Card, CardFlag, CardFormat, CardIm, CardLink, CardPhone } from './card-types';

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
export const hasHan = (s: string) => HAN.test(s);

/** "张" + "伟" → 张伟; "John" + "Doe" → "John Doe". */
export function composeName(family: string | undefined, given: string | undefined): string | undefined {
  const f = family?.trim() ?? '';
  const g = given?.trim() ?? '';
  if (!f && !g) return undefined;
  if (!f || !g) return f || g;
  return hasHan(f) || hasHan(g) ? `${f}${g}` : `${g} ${f}`;
}

const clean = (s: string | undefined | null): string | undefined => {
  const t = s?.replace(/\s+$/u, '').replace(/^\s+/u, '');
  return t ? t : undefined;
};

const WECHAT_ID = /^[a-zA-Z][-_a-zA-Z0-9]{5,19}$/;
const WECHAT_IN_TEXT =
  /(?:微信号?|weixin|wechat|wx)\s*(?:id|号)?\s*[:：]?\s*([a-zA-Z][-_a-zA-Z0-9]{5,19})(?![-_a-zA-Z0-9])/i;

export function wechatFromText(text: string): string | undefined {
  return WECHAT_IN_TEXT.exec(text)?.[1];
}

export function isWechatId(s: string): boolean {
  return WECHAT_ID.test(s);
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** Trimmed, mailto: removed, domain lower-cased; null when it is not an address. */
export function cleanEmail(raw: string): string | null {
  const t = raw
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/^<|>$/g, '');
  if (t.length > 254 || !EMAIL.test(t)) return null;
  const at = t.lastIndexOf('@');
  return `${t.slice(0, at)}@${t.slice(at + 1).toLowerCase()}`;
}

/** Scheme added when missing; null for something that is not a link. */
export function cleanUrl(raw: string): string | null {
  const t = raw.trim().replace(/\\:/g, ':');
  if (!t || /\s/.test(t) || t.length > 2048) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return t;
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(\/.*)?$/i.test(t)) return `http://${t}`;
  return null;
}

export function addressLine(p: AddressParts): string | undefined {
  const street = p.street?.replace(/\r?\n|\r/g, ' ');
  const parts = [p.region, p.locality, street, p.ext].filter((x): x is string => Boolean(x));
  if (parts.length === 0) return clean(p.poBox);
  if (parts.some(hasHan)) {
    // 江苏省 + 苏州市 + 苏州市工业园区…: big to small, no separators, an overlap written once.
    let acc = '';
    for (const x of parts) {
      if (acc.includes(x)) continue;
      let k = Math.min(acc.length, x.length);
      while (k >= 2 && !acc.endsWith(x.slice(0, k))) k--;
      acc += k >= 2 ? x.slice(k) : x;
    }
    return acc;
  }
  return [p.ext, street, p.locality, p.region, p.postalCode, p.country].filter(Boolean).join(', ');
}

export class CardBuilder {
  private readonly card: Card;
  private readonly phoneKeys = new Map<string, CardPhone>();
  private readonly emailKeys = new Set<string>();

  constructor(format: CardFormat) {
    this.card = { format, phones: [], emails: [], urls: [] };
  }

  get current(): Readonly<Card> {
    return this.card;
  }

  setFirst<K extends 'name' | 'family' | 'given' | 'nickname' | 'org' | 'title' | 'wechat'>(
    key: K,
    value: string | undefined | null,
  ): boolean {
    const v = clean(value);
    if (!v) return false;
    if (this.card[key] === undefined) {
      this.card[key] = v;
      return true;
    }
    return false;
  }

  addAltName(value: string | undefined): void {
    const v = clean(value);
    if (!v || v === this.card.name) return;
    this.card.altNames ??= [];
    const alts = this.card.altNames;
    if (!alts.includes(v)) alts.push(v);
  }

  addAltTitle(value: string | undefined): void {
    const v = clean(value);
    if (!v || v === this.card.title) return;
    this.card.altTitles ??= [];
    const alts = this.card.altTitles;
    if (!alts.includes(v)) alts.push(v);
  }

  setDept(parts: string[]): void {
    const d = parts.map((x) => clean(x)).filter((x): x is string => Boolean(x));
    if (d.length && !this.card.dept) this.card.dept = d;
  }

  setSuffixes(parts: string[]): void {
    const d = parts.map((x) => clean(x)).filter((x): x is string => Boolean(x));
    if (d.length && !this.card.suffixes) this.card.suffixes = d;
  }

  addPhone(raw: string, opts: { type?: PhoneType; ext?: string; label?: string; pref?: boolean } = {}): void {
    const r = raw.trim();
    if (!r) return;
    const p: CardPhone = normalizePhone(r, { type: opts.type ?? null, ...(opts.ext ? { ext: opts.ext } : {}) });
    if (opts.label) p.label = opts.label;
    if (opts.pref) p.pref = true;
    // Same E.164 and same extension is one number; unnormalisable ones merge on their raw digits.
    const key = p.e164 ? `${p.e164};${p.ext ?? ''}` : `raw:${r.replace(/\D/g, '')};${p.ext ?? ''}`;
    const seen = this.phoneKeys.get(key);
    if (seen) {
      if (!seen.type && p.type) seen.type = p.type;
      if (!seen.label && p.label) seen.label = p.label;
      if (p.pref) seen.pref = true;
      return;
    }
    this.phoneKeys.set(key, p);
    this.card.phones.push(p);
  }

  addEmail(raw: string): void {
    const e = cleanEmail(raw);
    if (!e) return;
    const key = e.toLowerCase();
    if (this.emailKeys.has(key)) return;
    this.emailKeys.add(key);
    this.card.emails.push(e);
  }

  addUrl(raw: string): void {
    const u = cleanUrl(raw);
    if (u && !this.card.urls.includes(u)) this.card.urls.push(u);
  }

  setAddress(parts: AddressParts | string): void {
    if (this.card.address !== undefined) return;
    if (typeof parts === 'string') {
      const v = clean(parts);
      if (v) this.card.address = v;
      return;
    }
    const p: AddressParts = {};
    for (const [k, v] of Object.entries(parts) as [keyof AddressParts, string | undefined][]) {
      const c = clean(v?.replace(/\r\n|\r/g, '\n'));
      if (c) p[k] = c;
    }
    const line = addressLine(p);
    if (!line) return;
    this.card.address = line;
    this.card.addressParts = p;
  }

  addNote(raw: string): void {
    const v = clean(raw);
    if (!v) return;
    if (this.card.note === undefined) this.card.note = v;
    else if (!this.card.note.split('\n').includes(v)) this.card.note = `${this.card.note}\n${v}`;
  }

  addIm(service: string, id: string): void {
    const v = clean(id);
    if (!v) return;
    const s = service.toLowerCase();
    this.card.im ??= [];
    const list = this.card.im;
    if (!list.some((x) => x.service === s && x.id === v)) list.push({ service: s, id: v } satisfies CardIm);
    if ((s === 'wechat' || s === 'weixin') && isWechatId(v)) this.setFirst('wechat', v);
  }

  setLink(link: CardLink): void {
    if (!this.card.link) this.card.link = link;
  }

  flag(f: CardFlag): void {
    this.card.flags ??= [];
    const flags = this.card.flags;
    if (!flags.includes(f)) flags.push(f);
  }

  /** Display name: family+given for Chinese (no space) unless a better full name was given. */
  build(): Card {
    const c = this.card;
    const composed = composeName(c.family, c.given);
    if (composed) {
      const fnCompact = c.name?.replace(/\s+/g, '');
      // "伟 张" / "张 伟" from generators that know only Western order.
      if (!c.name || (hasHan(composed) && (fnCompact === composed || fnCompact === `${c.given}${c.family}`)))
        c.name = composed;
    }
    if (c.altNames) {
      c.altNames = c.altNames.filter((n) => n !== c.name);
      if (!c.altNames.length) delete c.altNames;
    }
    if (!c.wechat && c.note) {
      const w = wechatFromText(c.note);
      if (w) c.wechat = w;
    }
    return c;
  }
}
