// vCard 2.1 / 3.0 / 4.0 reader, tolerant of what card printers and phones emit.
import type { PhoneType } from '../phone/normalize-phone';
import { CardBuilder, hasHan } from './card-builder';
import type { Card } from './card-types';
import { decodeCharset, isCharsetName, quotedPrintableBytes, reinterpretLatin1 } from './decode-text';

type Prop = { group?: string; name: string; params: Map<string, string[]>; value: string };

const ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);

/** Splits a payload into vCard bodies (lines between BEGIN and END; a missing END reads to the end). */
export function splitVcards(text: string): { lines: string[]; truncated: boolean }[] {
  // "END:VCARDBEGIN:VCARD" on one line: generators that concatenate cards without a line break.
  const src = /END:VCARD[ \t]*[^\s]/i.test(text) ? text.replace(/END:VCARD[ \t]*(?=\S)/gi, 'END:VCARD\n') : text;
  const lines = src.split(/\r\n|\r|\n/);
  const out: { lines: string[]; truncated: boolean }[] = [];
  let cur: string[] | null = null;
  for (const line of lines) {
    const c = line.charCodeAt(0) | 0x20;
    // Only short lines starting with B/E (or whitespace) can be BEGIN/END markers.
    const marker =
      line.length <= 20 && (c === 0x62 || c === 0x65 || c === 0x20 || c === 0x29) ? line.trim().toUpperCase() : '';
    if (marker === 'BEGIN:VCARD') {
      if (cur) out.push({ lines: cur, truncated: true });
      cur = [];
    } else if (marker === 'END:VCARD') {
      if (cur) out.push({ lines: cur, truncated: false });
      cur = null;
    } else if (cur) cur.push(line);
  }
  if (cur) out.push({ lines: cur, truncated: true });
  return out;
}

const isQpLine = (line: string): boolean => {
  const colon = line.indexOf(':');
  return colon > 0 && /QUOTED-PRINTABLE/i.test(line.slice(0, colon));
};

/**
 * Logical lines. 3.0/4.0: CRLF + one space/tab is removed. 2.1: the line break is
 * removed and the whitespace kept. QUOTED-PRINTABLE soft breaks ("=" at the end) join
 * the next line whether or not it is indented; bytes are decoded only after joining,
 * so a break inside a multi-byte character is harmless.
 */
export function unfold(lines: string[], version: string): string[] {
  const out: string[] = [];
  let qpOpen = false;
  for (const line of lines) {
    const last = out.length - 1;
    if (qpOpen && last >= 0) {
      out[last] = (out[last] as string).slice(0, -1) + line.replace(/^[ \t]+/, '');
      qpOpen = (out[last] as string).endsWith('=');
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && last >= 0) {
      out[last] += version === '2.1' ? line : line.slice(1);
    } else if (line.trim() === '') {
      continue;
    } else if (last >= 0 && !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?[;:]/.test(line)) {
      // Not a property: a continuation whose indentation the generator forgot.
      out[last] += line;
    } else {
      out.push(line);
    }
    const cur = out[out.length - 1] as string;
    qpOpen = cur.endsWith('=') && isQpLine(cur);
  }
  return out;
}

/** Splits on `sep` outside double quotes. */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (const ch of s) {
    if (ch === '"') q = !q;
    if (ch === sep && !q) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function addParam(params: Map<string, string[]>, k: string, v: string): void {
  let list = params.get(k);
  if (!list) {
    list = [];
    params.set(k, list);
  }
  for (const x of v.split(',')) {
    const t = x.trim().replace(/^"|"$/g, '');
    if (t) list.push(t);
  }
}

export function parseLine(line: string): Prop | null {
  let colon = line.indexOf(':');
  const quote = line.indexOf('"');
  if (quote >= 0 && quote < colon) {
    // A quoted parameter value may contain ":" (TYPE="a:b"): find the first colon outside quotes.
    let q = false;
    colon = -1;
    for (let i = 0; i < line.length; i++) {
      const ch = line.charCodeAt(i);
      if (ch === 0x22) q = !q;
      else if (ch === 0x3a && !q) {
        colon = i;
        break;
      }
    }
  }
  if (colon <= 0) return null;
  const headAll = line.slice(0, colon);
  const [head = '', ...rawParams] = quote >= 0 && quote < colon ? splitOutsideQuotes(headAll, ';') : headAll.split(';');
  const dot = head.lastIndexOf('.');
  const name = (dot >= 0 ? head.slice(dot + 1) : head).trim().toUpperCase();
  if (!name) return null;
  const params = new Map<string, string[]>();
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    if (eq < 0) {
      const bare = p.trim().replace(/^"|"$/g, '');
      const upper = bare.toUpperCase();
      if (ENCODINGS.has(upper)) addParam(params, 'ENCODING', upper);
      else if (isCharsetName(bare)) addParam(params, 'CHARSET', bare);
      else if (bare) addParam(params, 'TYPE', bare);
    } else addParam(params, p.slice(0, eq).trim().toUpperCase(), p.slice(eq + 1));
  }
  const value = line.slice(colon + 1);
  return dot >= 0 ? { group: head.slice(0, dot).toLowerCase(), name, params, value } : { name, params, value };
}

/** The value as text: QP and BASE64 decoded in the card's charset, a mis-read CHARSET repaired. */
function decodedValue(p: Prop): string {
  const enc = p.params.get('ENCODING')?.[0]?.toUpperCase();
  const charset = p.params.get('CHARSET')?.[0];
  if (enc === 'QUOTED-PRINTABLE') return decodeCharset(quotedPrintableBytes(p.value), charset);
  if ((enc === 'B' || enc === 'BASE64') && p.name !== 'PHOTO' && p.name !== 'LOGO' && p.name !== 'KEY')
    return decodeCharset(Buffer.from(p.value.replace(/\s+/g, ''), 'base64'), charset);
  if (charset && !/^utf-?8$/i.test(charset)) return reinterpretLatin1(p.value, charset);
  return p.value;
}

/** Splits a structured value on unescaped `sep`; escapes are NOT applied here. */
export function splitUnescaped(s: string, sep: string): string[] {
  if (!s.includes('\\')) return s.split(sep);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === '\\' && i + 1 < s.length) {
      cur += ch + s[i + 1];
      i++;
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** vCard text escapes: \n \N → newline, \, \; \: \\ → the character itself. */
export function unescapeText(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\([\s\S])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

const components = (value: string): string[] => splitUnescaped(value, ';').map(unescapeText);

function phoneType(types: string[], label: string | undefined): PhoneType {
  const t = types.map((x) => x.toLowerCase());
  const l = (label ?? '').toLowerCase();
  if (t.includes('fax') || /传真|fax/.test(l)) return 'fax';
  if (t.some((x) => x === 'cell' || x === 'mobile' || x === 'iphone') || /手机|移动|mobile|cell|iphone/.test(l))
    return 'cell';
  if (t.includes('home') || /住宅|家|home/.test(l)) return 'home';
  if (t.includes('work') || /工作|公司|办公|总机|前台|分机|work/.test(l)) return 'work';
  return null;
}

const isPref = (p: Prop) =>
  (p.params.get('TYPE') ?? []).some((x) => x.toLowerCase() === 'pref') || p.params.has('PREF');

/** `tel:+86-22-8000-7000;ext=8024` → number and extension. */
function telUri(value: string): { number: string; ext?: string } {
  const v = value.trim();
  if (!/^tel:/i.test(v)) return { number: v };
  const [num = '', ...params] = v.slice(4).split(';');
  const ext = params.find((x) => /^ext=/i.test(x))?.slice(4);
  return { number: num, ...(ext ? { ext } : {}) };
}

const IM_PROPS: Record<string, string> = {
  'X-QQ': 'qq',
  'X-WECHAT': 'wechat',
  'X-WEIXIN': 'wechat',
  'X-WX': 'wechat',
  'X-DINGTALK': 'dingtalk',
  'X-SKYPE': 'skype',
  'X-SKYPE-USERNAME': 'skype',
  'X-LINE': 'line',
  'X-WHATSAPP': 'whatsapp',
  'X-TELEGRAM': 'telegram',
};

/** Reads the logical lines of one vCard into the builder. */
function readProps(props: Prop[], b: CardBuilder): void {
  const labels = new Map<string, string>();
  for (const p of props) if (p.group && p.name === 'X-ABLABEL') labels.set(p.group, unescapeText(decodedValue(p)));

  let firstOrg: string | undefined;
  for (const p of props) {
    const label = p.group ? labels.get(p.group)?.replace(/^_\$!<(.*)>!\$_$/, '$1') : undefined;
    const types = p.params.get('TYPE') ?? [];
    const v = decodedValue(p);
    switch (p.name) {
      case 'FN': {
        const fn = unescapeText(v).trim();
        if (!b.setFirst('name', fn)) b.addAltName(fn);
        break;
      }
      case 'N': {
        const [family = '', given = '', , , suffix = ''] = components(v);
        if (!family.trim() && !given.trim()) break;
        if (b.current.family === undefined && b.current.given === undefined) {
          b.setFirst('family', family);
          b.setFirst('given', given);
          b.setSuffixes(splitUnescaped(suffix, ','));
        } else {
          const f = family.trim();
          const g = given.trim();
          b.addAltName(hasHan(f + g) ? f + g : [g, f].filter(Boolean).join(' '));
        }
        break;
      }
      case 'NICKNAME':
        b.setFirst('nickname', unescapeText(v));
        break;
      case 'ORG': {
        const [org = '', ...dept] = components(v);
        if (!org.trim()) break;
        if (firstOrg === undefined) {
          firstOrg = org.trim();
          b.setFirst('org', org);
        }
        if (org.trim() === firstOrg) b.setDept(dept);
        break;
      }
      case 'TITLE':
        if (!b.setFirst('title', unescapeText(v))) b.addAltTitle(unescapeText(v));
        break;
      case 'TEL': {
        const { number, ext } = telUri(unescapeText(v));
        b.addPhone(number, {
          type: phoneType(types, label),
          ...(ext ? { ext } : {}),
          ...(label ? { label } : {}),
          pref: isPref(p),
        });
        break;
      }
      case 'EMAIL':
        b.addEmail(unescapeText(v));
        break;
      case 'URL':
      case 'X-SOCIALPROFILE':
        b.addUrl(unescapeText(v));
        break;
      case 'ADR': {
        const [poBox, ext, street, locality, region, postalCode, country] = components(v);
        b.setAddress({ poBox, ext, street, locality, region, postalCode, country });
        break;
      }
      case 'NOTE':
        b.addNote(unescapeText(v));
        break;
      case 'IMPP': {
        const m = /^([a-z0-9+.-]+):(.+)$/i.exec(unescapeText(v).trim());
        if (m?.[1] && m[2]) b.addIm(m[1] === 'weixin' ? 'wechat' : m[1], m[2]);
        break;
      }
      case 'X-ANDROID-CUSTOM': {
        const parts = components(v);
        if (parts[0] === 'vnd.android.cursor.item/nickname') b.setFirst('nickname', parts[1]);
        break;
      }
      default: {
        const im = IM_PROPS[p.name];
        if (im) b.addIm(im, unescapeText(v));
      }
    }
  }
}

/** Reads the vCards of a payload; several vCards of the same person become one card. */
export function readVcards(text: string): Card | null {
  const blocks = splitVcards(text);
  if (blocks.length === 0) return null;
  const cards = blocks.map((block) => {
    const version =
      block.lines
        .find((l) => /^VERSION:/i.test(l.trim()))
        ?.trim()
        .slice(8)
        .trim() ?? '3.0';
    const props = unfold(block.lines, version)
      .map(parseLine)
      .filter((p): p is Prop => p !== null);
    const b = new CardBuilder('vcard');
    readProps(props, b);
    if (block.truncated) b.flag('truncated');
    return { builder: b, props };
  });
  const first = cards[0];
  if (!first) return null;
  if (cards.length === 1) return first.builder.build();
  return mergeCards(cards.map((c) => c.builder.build()));
}

/** The first card, with the others' names as alternatives when they share a key (or have none). */
function mergeCards(cards: Card[]): Card {
  const [head, ...rest] = cards as [Card, ...Card[]];
  const keys = (c: Card) =>
    new Set([...c.phones.map((p) => p.e164 ?? '').filter(Boolean), ...c.emails.map((e) => e.toLowerCase())]);
  const headKeys = keys(head);
  let ignored = false;
  let merged = false;
  for (const c of rest) {
    const k = keys(c);
    const same = k.size === 0 || headKeys.size === 0 || [...k].some((x) => headKeys.has(x));
    if (!same) {
      ignored = true;
      continue;
    }
    merged = true;
    for (const n of [c.name, ...(c.altNames ?? [])])
      if (n && n !== head.name && !head.altNames?.includes(n)) head.altNames = [...(head.altNames ?? []), n];
    for (const e of c.emails) if (!head.emails.some((x) => x.toLowerCase() === e.toLowerCase())) head.emails.push(e);
    for (const p of c.phones)
      if (!head.phones.some((x) => (x.e164 ?? x.raw) === (p.e164 ?? p.raw) && x.ext === p.ext)) head.phones.push(p);
    for (const u of c.urls) if (!head.urls.includes(u)) head.urls.push(u);
    if (c.title && head.title && c.title !== head.title && !head.altTitles?.includes(c.title))
      head.altTitles = [...(head.altTitles ?? []), c.title];
    head.name ??= c.name;
    head.org ??= c.org;
    head.title ??= c.title;
    head.wechat ??= c.wechat;
  }
  const flags = new Set(head.flags ?? []);
  if (merged) flags.add('merged_cards');
  if (ignored) flags.add('extra_cards_ignored');
  head.flags = [...flags];
  return head;
}
