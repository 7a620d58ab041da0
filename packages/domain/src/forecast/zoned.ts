// Calendar arithmetic in a tenant's time zone (days and months start at local midnight).

function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant of local midnight starting y-m-d in the zone. Months and days may overflow (Date.UTC rules). */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  let at = guess - offsetMs(new Date(guess), timeZone);
  // A second pass settles the rare case where the offset changes between guess and answer (DST).
  at = guess - offsetMs(new Date(at), timeZone);
  return new Date(at);
}

/** Local calendar date of an instant: [year, month (1–12), day]. */
export function zonedDate(at: Date, timeZone: string): [number, number, number] {
  const local = new Date(at.getTime() + offsetMs(at, timeZone));
  return [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()];
}

/** "YYYY-MM-DD" of an instant in the zone. */
export function dayKey(at: Date, timeZone: string): string {
  const [y, m, d] = zonedDate(at, timeZone);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "YYYY-MM" of an instant in the zone. */
export function monthKey(at: Date, timeZone: string): string {
  return dayKey(at, timeZone).slice(0, 7);
}

/** Local midnight that starts the day containing `at`. */
export function startOfZonedDay(at: Date, timeZone: string): Date {
  const [y, m, d] = zonedDate(at, timeZone);
  return zonedMidnight(y, m, d, timeZone);
}

/** [start, end) of a "YYYY-MM" month in the zone. */
export function monthRange(month: string, timeZone: string): { start: Date; end: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { start: zonedMidnight(y, m, 1, timeZone), end: zonedMidnight(y, m + 1, 1, timeZone) };
}

/** The "YYYY-MM" `delta` months away from `month`. */
export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
