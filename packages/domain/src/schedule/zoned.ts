// Wall-clock arithmetic in an IANA time zone, independent of the process TZ.

export type LocalDateTime = {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall-clock reading of an instant in a zone. */
export function toLocal(instant: Date, zone: string): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
  };
}

/** Offset of the zone from UTC at an instant, in milliseconds (Shanghai: +8 h). */
export function offsetInZoneMs(instant: Date, zone: string): number {
  const l = toLocal(instant, zone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in a zone. A time skipped by a DST jump is
 * moved forward by the jump; a repeated time takes its first occurrence.
 */
export function fromLocal(
  local: { year: number; month: number; day: number; hour?: number; minute?: number },
  zone: string,
): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour ?? 0, local.minute ?? 0);
  const first = wall - offsetInZoneMs(new Date(wall), zone);
  const second = wall - offsetInZoneMs(new Date(first), zone);
  if (first === second) return new Date(first);
  // Offsets disagree around a transition: take the earlier instant that reads as `wall`, else the later one.
  const candidates = [Math.min(first, second), Math.max(first, second)];
  for (const c of candidates) {
    const l = toLocal(new Date(c), zone);
    if (Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) === wall) return new Date(c);
  }
  return new Date(Math.max(first, second));
}

/** Calendar arithmetic on a local date (no time zone involved). */
export function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Start of the local day (00:00 in the zone) `days` days after the day of `instant`. */
export function startOfLocalDay(instant: Date, zone: string, days = 0): Date {
  return fromLocal(addDays(toLocal(instant, zone), days), zone);
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
