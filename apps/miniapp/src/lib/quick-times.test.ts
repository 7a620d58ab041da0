import { atLocal, fromLocalInput, quickTimes } from './quick-times';

// All instants are written in Beijing time (+08:00) to read like the rep's clock.
const bj = (s: string) => new Date(`${s}+08:00`);
const pick = (now: Date, key: string, offset = 480) =>
  quickTimes(now, offset)
    .find((q) => q.key === key)
    ?.at.toISOString();

describe('quickTimes', () => {
  test('labels, in order', () => {
    expect(quickTimes(bj('2025-06-11T15:00:00')).map((q) => q.label)).toEqual(['明天10:00', '3天后', '下周一10:00']);
  });

  test.each([
    // now (Beijing)              明天10:00
    ['2025-06-11T15:00:00', '2025-06-12T10:00:00'],
    ['2025-06-11T00:30:00', '2025-06-12T10:00:00'], // just after midnight: still the next calendar day
    ['2025-06-11T23:59:00', '2025-06-12T10:00:00'],
    ['2025-06-30T09:00:00', '2025-07-01T10:00:00'], // month end
    ['2025-12-31T20:00:00', '2026-01-01T10:00:00'], // year end
    ['2024-02-28T12:00:00', '2024-02-29T10:00:00'], // leap day
    // 01:00 Beijing is still the previous day in UTC: the day must come from the local clock
    ['2025-06-11T01:00:00', '2025-06-12T10:00:00'],
  ])('明天10:00 from %s → %s', (now, expected) => {
    expect(pick(bj(now), 'tomorrow10')).toBe(bj(expected).toISOString());
  });

  test.each([
    ['2025-06-11T15:00:00', '2025-06-14T15:00:00'], // on the half hour already
    ['2025-06-11T15:17:00', '2025-06-14T15:30:00'], // rounded up
    ['2025-06-11T15:31:10', '2025-06-14T16:00:00'],
    ['2025-06-29T23:45:00', '2025-07-03T00:00:00'],
  ])('3天后 from %s → %s', (now, expected) => {
    expect(pick(bj(now), 'in3days')).toBe(bj(expected).toISOString());
  });

  test.each([
    // 2025-06-09 is a Monday
    ['2025-06-09T09:00:00', '2025-06-16T10:00:00', 'Monday morning → the Monday after, not today'],
    ['2025-06-09T11:00:00', '2025-06-16T10:00:00', 'Monday after 10:00'],
    ['2025-06-10T15:00:00', '2025-06-16T10:00:00', 'Tuesday'],
    ['2025-06-13T15:00:00', '2025-06-16T10:00:00', 'Friday'],
    ['2025-06-14T15:00:00', '2025-06-16T10:00:00', 'Saturday'],
    ['2025-06-15T15:00:00', '2025-06-16T10:00:00', 'Sunday: weeks start on Monday, so 下周一 is tomorrow'],
    ['2025-12-29T08:00:00', '2026-01-05T10:00:00', 'across the year'],
  ])('下周一10:00 from %s → %s (%s)', (now, expected) => {
    expect(pick(bj(now), 'nextMonday10')).toBe(bj(expected).toISOString());
  });

  test('every quick time is after now', () => {
    for (let h = 0; h < 24 * 7; h += 5) {
      const now = new Date(bj('2025-06-09T00:00:00').getTime() + h * 3_600_000);
      for (const q of quickTimes(now)) expect(q.at.getTime()).toBeGreaterThan(now.getTime());
    }
  });

  test('another offset: UTC clock', () => {
    expect(pick(new Date('2025-06-11T23:30:00Z'), 'tomorrow10', 0)).toBe('2025-06-12T10:00:00.000Z');
  });
});

describe('fromLocalInput', () => {
  test.each([
    ['2025-06-12', '14:30', bj('2025-06-12T14:30:00').toISOString()],
    ['2025-06-12', '00:00', bj('2025-06-12T00:00:00').toISOString()],
    ['2025-6-12', '14:30', null],
    ['2025-06-12', '2:30', null],
    ['', '', null],
  ])('%s %s → %s', (date, time, expected) => {
    expect(fromLocalInput(date, time)?.toISOString() ?? null).toBe(expected);
  });

  test('atLocal lets days overflow into the next month', () => {
    expect(atLocal(2025, 0, 32, 10, 0, 480).toISOString()).toBe(bj('2025-02-01T10:00:00').toISOString());
  });
});
