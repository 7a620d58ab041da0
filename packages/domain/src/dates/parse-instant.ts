// Instants from connectors and spreadsheets. Anything without an explicit offset is a
// wall-clock time in the tenant's time zone; an Excel serial is a wall-clock time too.

export type InstantResult = { ok: true; at: Date } | { ok: false; message: string };

type Wall = { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number };

const ISO_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const LOCAL =
  /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:\.(\d{1,9}))?)?秒?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL = /^\d{1,7}(?:\.\d+)?$/;
/** Excel serials from 1900-03-01 to 9999-12-31 (before that, Excel's 1900 leap-year bug makes them ambiguous). */
const SERIAL_MIN = 61;
const SERIAL_MAX = 2_958_465;
const EXCEL_EPOCH_UTC = Date.UTC(1899, 11, 30);

const fail = (input: unknown, why: string): InstantResult => ({
  ok: false,
  message: `date "${String(input)}" ${why}`,
});

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms (Asia/Shanghai → +8 h). */
const offsetCache = new Map<string, number>();
/** Offsets change on quarter-hour boundaries at most: one Intl call per zone and quarter-hour. */
const BUCKET_MS = 15 * 60_000;

export function zoneOffsetMs(timeZone: string, at: number): number {
  const key = `${timeZone}|${Math.floor(at / BUCKET_MS)}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const offset = computeOffset(timeZone, at);
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

function computeOffset(timeZone: string, at: number): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(at))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** A wall-clock time in a zone → the instant. */
export function wallToInstant(w: Wall, timeZone: string): Date {
  const guess = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms);
  const first = guess - zoneOffsetMs(timeZone, guess);
  const second = guess - zoneOffsetMs(timeZone, first);
  return new Date(second);
}

function validWall(w: Wall): string | null {
  if (w.y < 1900 || w.y > 9999) return 'has a year out of range';
  if (w.mo < 1 || w.mo > 12) return 'has no such month';
  const days = new Date(Date.UTC(w.y, w.mo, 0)).getUTCDate();
  if (w.d < 1 || w.d > days) return 'has no such day';
  if (w.h > 23 || w.mi > 59 || w.s > 59) return 'has no such time of day';
  return null;
}

const msOf = (frac: string | undefined) => (frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0);

/**
 * Reads `2024-06-07T10:00+08:00` (ISO with offset), `2024/6/7 10:00`, `2024-06-07`,
 * `2024年6月7日 10:00`, `20240607` (tenant wall time) and Excel serials (45450.4166…).
 */
export function parseInstant(input: string | number, timeZone: string): InstantResult {
  if (typeof input === 'number') return fromSerial(input, input);
  const s = input.normalize('NFKC').trim();
  if (!s) return fail(input, 'is empty');
  let m = ISO_OFFSET.exec(s);
  if (m) {
    const w = wallOf(m);
    const why = validWall(w);
    if (why) return fail(input, why);
    const off = m[8] as string;
    let offsetMs = 0;
    if (off.toUpperCase() !== 'Z') {
      const sign = off.startsWith('-') ? -1 : 1;
      const digits = off.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = Number(digits.slice(2) || '0');
      if (oh > 14 || om > 59) return fail(input, 'has an impossible UTC offset');
      offsetMs = sign * (oh * 60 + om) * 60_000;
    }
    return { ok: true, at: new Date(Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms) - offsetMs) };
  }
  m = LOCAL.exec(s) ?? null;
  if (m) {
    const w = wallOf(m);
    const why = validWall(w);
    return why ? fail(input, why) : { ok: true, at: wallToInstant(w, timeZone) };
  }
  m = COMPACT.exec(s);
  if (m && Number(s) > SERIAL_MAX) {
    const w = wallOf(m);
    const why = validWall(w);
    return why ? fail(input, why) : { ok: true, at: wallToInstant(w, timeZone) };
  }
  if (SERIAL.test(s)) return fromSerial(Number(s), input);
  return fail(input, 'is not a date like 2024-06-07T10:00+08:00, 2024/6/7 10:00 or an Excel serial number');

  function fromSerial(n: number, original: unknown): InstantResult {
    if (!Number.isFinite(n) || n < SERIAL_MIN || n > SERIAL_MAX)
      return fail(original, `is out of the Excel serial range (${SERIAL_MIN}–${SERIAL_MAX})`);
    // The fraction is the time of day; Excel stores it as a float, so round to the second.
    const wallMs = EXCEL_EPOCH_UTC + Math.round(n * 86_400) * 1000;
    const d = new Date(wallMs);
    const w: Wall = {
      y: d.getUTCFullYear(),
      mo: d.getUTCMonth() + 1,
      d: d.getUTCDate(),
      h: d.getUTCHours(),
      mi: d.getUTCMinutes(),
      s: d.getUTCSeconds(),
      ms: 0,
    };
    return { ok: true, at: wallToInstant(w, timeZone) };
  }
}

function wallOf(m: RegExpExecArray): Wall {
  return {
    y: Number(m[1]),
    mo: Number(m[2]),
    d: Number(m[3]),
    h: Number(m[4] ?? 0),
    mi: Number(m[5] ?? 0),
    s: Number(m[6] ?? 0),
    ms: msOf(m[7]),
  };
}
