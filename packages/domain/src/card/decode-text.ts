// Bytes and charsets: raw scanner bytes, QUOTED-PRINTABLE, CHARSET parameters and mojibake.
import iconv from 'iconv-lite';

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Strict UTF-8; null when the bytes are not UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | null {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return null;
  }
}

const CHARSET_ALIASES: Record<string, string> = {
  'utf-8': 'utf8',
  utf8: 'utf8',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  'gb-2312': 'gb18030',
  gb18030: 'gb18030',
  cp936: 'gb18030',
  'x-gbk': 'gb18030',
  big5: 'big5',
  'big5-hkscs': 'big5hkscs',
  'iso-8859-1': 'latin1',
  latin1: 'latin1',
  'us-ascii': 'utf8',
  'windows-1252': 'cp1252',
  shift_jis: 'shiftjis',
};

/** True for a charset name we know (used to classify bare vCard 2.1 parameters). */
export function isCharsetName(name: string): boolean {
  return name.toLowerCase() in CHARSET_ALIASES;
}

/**
 * Decodes bytes in the named charset. UTF-8 is read strictly and falls back to
 * GB18030 (cards that say UTF-8 and are not); GBK/GB2312 are read as their superset GB18030.
 */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const enc = CHARSET_ALIASES[(charset ?? 'utf-8').toLowerCase()] ?? 'utf8';
  if (enc === 'utf8') return decodeUtf8Strict(bytes) ?? iconv.decode(Buffer.from(bytes), 'gb18030');
  if (!iconv.encodingExists(enc)) return decodeUtf8Strict(bytes) ?? iconv.decode(Buffer.from(bytes), 'gb18030');
  return iconv.decode(Buffer.from(bytes), enc);
}

/** Raw scanner bytes (wx.scanCode rawData, base64): strict UTF-8 first, then GB18030. */
export function decodeRawData(base64: string): { text: string; charset: 'utf8' | 'gb18030' } | null {
  const clean = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean) || clean.length === 0) return null;
  const bytes = Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length === 0) return null;
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  const utf8 = decodeUtf8Strict(body);
  if (utf8 !== null) return { text: utf8, charset: 'utf8' };
  return { text: iconv.decode(Buffer.from(body), 'gb18030'), charset: 'gb18030' };
}

/** The bytes of a QUOTED-PRINTABLE value (soft breaks already joined; stray "=" kept literally). */
export function quotedPrintableBytes(value: string): Uint8Array {
  const src = Buffer.from(value.replace(/=\r?\n/g, ''), 'utf8');
  const out = new Uint8Array(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as number;
    if (c === 0x3d && i + 2 < src.length + 0 && isHex(src[i + 1]) && isHex(src[i + 2])) {
      out[n++] = Number.parseInt(String.fromCharCode(src[i + 1] as number, src[i + 2] as number), 16);
      i += 2;
    } else {
      out[n++] = c;
    }
  }
  return out.subarray(0, n);
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

// Windows-1252 puts printable characters in 0x80–0x9F; a UTF-8 text read as cp1252 contains them.
const CP1252_REVERSE: Record<number, number> = {
  8364: 0x80,
  8218: 0x82,
  402: 0x83,
  8222: 0x84,
  8230: 0x85,
  8224: 0x86,
  8225: 0x87,
  710: 0x88,
  8240: 0x89,
  352: 0x8a,
  8249: 0x8b,
  338: 0x8c,
  381: 0x8e,
  8216: 0x91,
  8217: 0x92,
  8220: 0x93,
  8221: 0x94,
  8226: 0x95,
  8211: 0x96,
  8212: 0x97,
  732: 0x98,
  8482: 0x99,
  353: 0x9a,
  8250: 0x9b,
  339: 0x9c,
  382: 0x9e,
  376: 0x9f,
};

/**
 * Mojibake repair: text whose every character maps back to one byte of
 * Latin-1/Windows-1252 and whose bytes then form valid UTF-8 with at least one
 * multi-byte sequence was UTF-8 read as a single-byte charset. Returns the
 * repaired text, or null when the text is not that kind of mojibake. A real
 * Latin-1 text ("Café") almost never forms valid multi-byte UTF-8, so it is left alone.
 */
export function repairMojibake(text: string): string | null {
  let high = false;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes[i] = c;
      continue;
    }
    const b = c <= 0xff ? c : CP1252_REVERSE[c];
    if (b === undefined) return null;
    bytes[i] = b;
    high = true;
  }
  if (!high) return null;
  const repaired = decodeUtf8Strict(bytes);
  if (repaired === null || repaired === text) return null;
  return repaired;
}

/** A non-UTF-8 CHARSET value that reached us as Latin-1 characters: re-read the bytes in that charset. */
export function reinterpretLatin1(value: string, charset: string): string {
  let high = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) return value;
    if (c >= 0x80) high = true;
  }
  if (!high) return value;
  return decodeCharset(Buffer.from(value, 'latin1'), charset);
}
