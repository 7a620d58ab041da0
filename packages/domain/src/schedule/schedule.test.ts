import { describe, expect, test } from 'vitest';
import { isoWeekKey, seasonAt } from './calendar';
import { decideWeeklySlot, intervalSlot, latestWeeklySlot } from './weekly';
import { fromLocal, toLocal } from './zoned';

const FRI_15 = { weekday: 5, hour: 15, minute: 0 };

describe('zoned wall clock', () => {
  test.each([
    ['2026-06-05T07:00:00Z', 'Asia/Shanghai', { year: 2026, month: 6, day: 5, hour: 15, minute: 0, weekday: 5 }],
    ['2026-06-05T07:00:00Z', 'America/New_York', { year: 2026, month: 6, day: 5, hour: 3, minute: 0, weekday: 5 }],
    ['2026-01-01T15:59:00Z', 'Asia/Shanghai', { year: 2026, month: 1, day: 1, hour: 23, minute: 59, weekday: 4 }],
    ['2026-01-01T16:00:00Z', 'Asia/Shanghai', { year: 2026, month: 1, day: 2, hour: 0, minute: 0, weekday: 5 }],
  ])('%s in %s', (iso, zone, expected) => {
    expect(toLocal(new Date(iso), zone)).toMatchObject(expected);
  });

  test.each([
    [{ year: 2026, month: 6, day: 5, hour: 15, minute: 0 }, 'Asia/Shanghai', '2026-06-05T07:00:00.000Z'],
    [{ year: 2026, month: 6, day: 5, hour: 15, minute: 0 }, 'America/New_York', '2026-06-05T19:00:00.000Z'],
    [{ year: 2026, month: 1, day: 9, hour: 15, minute: 0 }, 'America/New_York', '2026-01-09T20:00:00.000Z'],
    // spring forward: 02:30 does not exist, moved forward by the jump
    [{ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York', '2026-03-08T07:30:00.000Z'],
    // fall back: 01:30 happens twice, the first one counts
    [{ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York', '2026-11-01T05:30:00.000Z'],
    [{ year: 2026, month: 6, day: 5, hour: 15, minute: 0 }, 'UTC', '2026-06-05T15:00:00.000Z'],
  ])('%o in %s is %s', (local, zone, iso) => {
    expect(fromLocal(local, zone).toISOString()).toBe(iso);
  });
});

describe('latest weekly slot (Friday 15:00)', () => {
  test.each([
    // Asia/Shanghai: 15:00 local = 07:00Z
    ['2026-06-05T06:59:59Z', 'Asia/Shanghai', '2026-05-29T07:00:00.000Z'], // Friday 14:59:59 → last week's
    ['2026-06-05T07:00:00Z', 'Asia/Shanghai', '2026-06-05T07:00:00.000Z'], // Friday 15:00 → this one
    ['2026-06-06T01:00:00Z', 'Asia/Shanghai', '2026-06-05T07:00:00.000Z'], // Saturday 09:00
    ['2026-06-04T23:00:00Z', 'Asia/Shanghai', '2026-05-29T07:00:00.000Z'], // Friday 07:00 local
    ['2026-06-05T19:00:00Z', 'America/New_York', '2026-06-05T19:00:00.000Z'],
    ['2026-06-05T18:59:00Z', 'America/New_York', '2026-05-29T19:00:00.000Z'],
  ])('at %s in %s → %s', (now, zone, slot) => {
    expect(latestWeeklySlot(new Date(now), zone, FRI_15).toISOString()).toBe(slot);
  });

  test.each([
    ['2026-06-05T07:03:00Z', 'run'], // down 14:58 → 15:03: runs once on start
    ['2026-06-05T13:00:00Z', 'run'], // exactly 6 h late: still inside the window
    ['2026-06-05T13:00:01Z', 'skip'],
    ['2026-06-06T01:00:00Z', 'skip'], // Saturday 09:00
  ])('catch-up window of 6 h at %s → %s', (now, action) => {
    const d = decideWeeklySlot({ now: new Date(now), zone: 'Asia/Shanghai', spec: FRI_15, catchUpHours: 6 });
    expect(d.action).toBe(action);
    expect(d.slot.toISOString()).toBe('2026-06-05T07:00:00.000Z');
    if (d.action === 'skip') expect(d.reason).toMatch(/catch-up window/);
  });

  test('the process TZ plays no part (computed from the instant and the zone only)', () => {
    const before = process.env.TZ;
    const results: string[] = [];
    for (const tz of ['UTC', 'America/New_York', 'Asia/Shanghai']) {
      process.env.TZ = tz;
      results.push(latestWeeklySlot(new Date('2026-06-05T07:00:00Z'), 'Asia/Shanghai', FRI_15).toISOString());
    }
    process.env.TZ = before;
    expect(new Set(results).size).toBe(1);
  });
});

describe('calendar', () => {
  test.each([
    ['2026-06-05T07:00:00Z', 'Asia/Shanghai', '2026-W23'],
    ['2026-01-01T00:00:00Z', 'UTC', '2026-W01'],
    ['2027-01-01T00:00:00Z', 'UTC', '2026-W53'],
    ['2026-12-31T16:00:00Z', 'Asia/Shanghai', '2026-W53'], // local Jan 1 2027 (Friday)
    ['2024-12-30T00:00:00Z', 'UTC', '2025-W01'],
  ])('ISO week of %s in %s is %s', (iso, zone, week) => {
    expect(isoWeekKey(new Date(iso), zone)).toBe(week);
  });

  test.each([
    ['2026-02-28T15:59:59Z', 'Asia/Shanghai', 'winter'],
    ['2026-02-28T16:00:00Z', 'Asia/Shanghai', 'spring'], // March 1st local
    ['2026-06-05T07:00:00Z', 'Asia/Shanghai', 'summer'],
    ['2026-09-15T00:00:00Z', 'UTC', 'autumn'],
    ['2026-12-01T00:00:00Z', 'UTC', 'winter'],
  ])('season at %s in %s is %s', (iso, zone, season) => {
    expect(seasonAt(new Date(iso), zone)).toBe(season);
  });

  test.each([
    ['2026-06-05T07:04:59Z', '2026-06-05T07:00:00.000Z'],
    ['2026-06-05T07:05:00Z', '2026-06-05T07:05:00.000Z'],
  ])('5-minute slot of %s is %s', (iso, slot) => {
    expect(intervalSlot(new Date(iso), 300_000).toISOString()).toBe(slot);
  });
});
