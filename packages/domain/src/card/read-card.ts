// The card reader: any business-card QR payload → the contract's `card`, or a reason it is not one.
// Pure: no I/O, no clock; the URL kinds are recognised, never fetched.
import type { Card, ReadResult } from './card-types';
import { decodeRawData, repairMojibake } from './decode-text';
import { readBizcard, readMecard } from './read-mecard';
import { readText } from './read-text';
import { readUrl } from './read-url';
import { readVcards } from './read-vcard';

export type ReadInput = { payload: string; rawData?: string | undefined };

const fail = (reason: Extract<ReadResult, { ok: false }>['reason'], message: string): ReadResult => ({
  ok: false,
  reason,
  message,
});

/** Control characters other than tab/CR/LF, or the replacement character: a binary payload. */
function looksBinary(s: string): boolean {
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f || c === 0xfffd) bad++;
  }
  return bad > Math.max(2, s.length / 20);
}

// C0 controls and DEL. The card is shown and may be saved (PostgreSQL text cannot hold NUL).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;
/** Fields whose text may run over several lines. */
const MULTILINE = new Set(['note', 'address', 'addressParts']);

function scrubText(s: string, multiline: boolean): string {
  const lines = s.replace(/\r\n?/g, '\n');
  const cleaned = multiline
    ? lines
        .split('\n')
        .map((l) => l.replace(/\t/g, ' ').replace(CONTROL, ''))
        .join('\n')
    : lines.replace(/[\t\n]/g, ' ').replace(CONTROL, '');
  return cleaned === s ? s : cleaned.trim();
}

function scrub(value: unknown, multiline = false): unknown {
  if (typeof value === 'string') return scrubText(value, multiline);
  // A string that only held control characters goes; one that was already empty stays as it was.
  if (Array.isArray(value))
    return value.filter((v) => scrub(v, multiline) !== '' || v === '').map((v) => scrub(v, multiline));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const clean = scrub(v, multiline || MULTILINE.has(k));
      if (clean !== '' || v === '') out[k] = clean;
    }
    return out;
  }
  return value;
}

/** The card without NUL or other control characters (a newline survives in note and address only). */
export function scrubCard(card: Card): Card {
  return scrub(card) as Card;
}

/** Has something a rep can act on: a person's name, a usable number, an address, a chat id or a contact link. */
function identifiable(card: Card): boolean {
  if (card.link) return card.link.kind !== 'website';
  return Boolean(
    card.name || card.phones.some((p) => p.e164) || card.emails.length || card.wechat || card.im?.length || card.org,
  );
}

/**
 * Picks the text to read: strict-UTF-8/GB18030 `rawData` when given and decodable,
 * else the payload; a leading BOM removed; UTF-8-read-as-Latin-1 mojibake repaired.
 */
function chooseText(input: ReadInput): { text: string; flags: Card['flags'] } {
  const flags: NonNullable<Card['flags']> = [];
  let text = input.payload;
  if (input.rawData) {
    const raw = decodeRawData(input.rawData);
    if (raw?.text.trim()) {
      text = raw.text;
      if (raw.charset === 'gb18030') flags.push('decoded_raw_gb18030');
    }
  }
  text = text.replace(/^\uFEFF/, '');
  const repaired = repairMojibake(text);
  if (repaired !== null) {
    text = repaired.replace(/^\uFEFF/, '');
    flags.push('mojibake_repaired');
  }
  return { text, flags };
}

export function readCard(input: ReadInput | string): ReadResult {
  const { text, flags } = chooseText(typeof input === 'string' ? { payload: input } : input);
  const trimmed = text.trim();
  if (!trimmed) return fail('empty', 'The QR code is empty: no card was read. Scan the code again.');
  if (looksBinary(trimmed))
    return fail('binary', 'This QR code holds binary data, not a business card. Scan the card again or type it in.');

  let card: Card | null = null;
  const head = trimmed.slice(0, 16).toUpperCase();
  if (/BEGIN:VCARD/i.test(trimmed)) card = readVcards(trimmed);
  else if (head.startsWith('MECARD:')) card = readMecard(trimmed.slice(7));
  else if (head.startsWith('BIZCARD:')) card = readBizcard(trimmed.slice(8));
  else {
    const link = readUrl(trimmed);
    if (link) {
      if (link.kind === 'website')
        return fail(
          'website',
          `This QR code is a web link (${link.url.slice(0, 80)}), not a business card. Open it in the browser, or scan the card's own code.`,
        );
      card = { format: 'url', phones: [], emails: [], urls: [link.url], link };
    } else card = readText(trimmed);
  }
  if (card) card = scrubCard(card);
  if (!card || !identifiable(card))
    return fail(
      card ? 'no_contact_fields' : 'not_a_card',
      card
        ? 'The card was read but has no name, phone, e-mail or chat id. Add the customer by hand.'
        : 'This QR code is not a business card (no vCard, MECARD, contact link or labelled contact lines). Scan the card again or type it in.',
    );
  for (const f of flags ?? []) {
    card.flags ??= [];
    if (!card.flags.includes(f)) card.flags.push(f);
  }
  return { ok: true, card };
}
