// ISO weeks and seasons, read on the tenant's wall clock.
import { toLocal } from './zoned';

/** ISO-8601 week of the local date of `instant` in `zone`, e.g. "2026-W23". */
export function isoWeekKey(instant: Date, zone: string): string {
  const l = toLocal(instant, zone);
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day));
  // Thursday of this week decides the week-year.
  d.setUTCDate(d.getUTCDate() + 4 - l.weekday);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export type Season = 'spring' | 'summer' | 'autumn' | 'winter';

/** Meteorological seasons of the northern hemisphere (Mar–May spring …), by local month. */
export function seasonAt(instant: Date, zone: string): Season {
  const m = toLocal(instant, zone).month;
  if (m >= 3 && m <= 5) return 'spring';
  if (m >= 6 && m <= 8) return 'summer';
  if (m >= 9 && m <= 11) return 'autumn';
  return 'winter';
}

/** Local calendar date "YYYY-MM-DD" of an instant in a zone. */
export function localDate(instant: Date, zone: string): string {
  const l = toLocal(instant, zone);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}

/** "11月27日 14:33": an instant on the tenant's wall clock, for card texts. */
export function zhMonthDayTime(instant: Date, zone: string): string {
  const l = toLocal(instant, zone);
  return `${l.month}月${l.day}日 ${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
}
