// The quick choices for "next contact" on the visit form. Pure: takes `now` and the
// UTC offset of the clock the rep reads (China: +480 min, no DST), returns instants.

export type QuickTimeKey = 'tomorrow10' | 'in3days' | 'nextMonday10';
export type QuickTime = { key: QuickTimeKey; label: string; at: Date };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

type LocalDay = { y: number; m: number; d: number; dow: number };

function localDay(now: Date, offsetMin: number): LocalDay {
  const shifted = new Date(now.getTime() + offsetMin * MINUTE);
  return { y: shifted.getUTCFullYear(), m: shifted.getUTCMonth(), d: shifted.getUTCDate(), dow: shifted.getUTCDay() };
}

/** The instant of a wall-clock time (y, m 0-based, d may overflow) at the given offset. */
export function atLocal(y: number, m: number, d: number, h: number, min: number, offsetMin: number): Date {
  return new Date(Date.UTC(y, m, d, h, min) - offsetMin * MINUTE);
}

/** Days from `dow` (0 = Sunday) to the Monday of next week; weeks start on Monday. */
function daysToNextMonday(dow: number): number {
  return dow === 0 ? 1 : 8 - dow;
}

/** now + 3 days, rounded up to the next half hour (a promise reads better as 15:30 than 15:17). */
function inThreeDays(now: Date): Date {
  const t = now.getTime() + 3 * DAY;
  const half = 30 * MINUTE;
  return new Date(Math.ceil(t / half) * half);
}

export function quickTimes(now: Date, offsetMin = 480): QuickTime[] {
  const { y, m, d, dow } = localDay(now, offsetMin);
  return [
    { key: 'tomorrow10', label: '明天10:00', at: atLocal(y, m, d + 1, 10, 0, offsetMin) },
    { key: 'in3days', label: '3天后', at: inThreeDays(now) },
    { key: 'nextMonday10', label: '下周一10:00', at: atLocal(y, m, d + daysToNextMonday(dow), 10, 0, offsetMin) },
  ];
}

/** "2025-06-12" + "14:30" read on a clock at `offsetMin` → instant; null when malformed. */
export function fromLocalInput(date: string, time: string, offsetMin = 480): Date | null {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{2}):(\d{2})$/.exec(time);
  if (!dm || !tm) return null;
  return atLocal(Number(dm[1]), Number(dm[2]) - 1, Number(dm[3]), Number(tm[1]), Number(tm[2]), offsetMin);
}

/** The device clock's offset in minutes east of UTC (what the rep reads on the phone). */
export function deviceOffset(now: Date = new Date()): number {
  return -now.getTimezoneOffset();
}
