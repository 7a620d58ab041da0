import { describe, expect, test } from 'vitest';
import { parseInstant, wallToInstant } from './parse-instant';

const SH = 'Asia/Shanghai';

describe('parseInstant', () => {
  test.each([
    ['2024-06-07T10:00+08:00', SH, '2024-06-07T02:00:00.000Z'],
    ['2024-06-07T10:00:30.250Z', SH, '2024-06-07T10:00:30.250Z'],
    ['2024-06-07 10:00:00+0800', SH, '2024-06-07T02:00:00.000Z'],
    ['2024-06-07T10:00-05:00', SH, '2024-06-07T15:00:00.000Z'],
    ['2024/6/7 10:00', SH, '2024-06-07T02:00:00.000Z'],
    ['2024/6/7', SH, '2024-06-06T16:00:00.000Z'],
    ['2024-06-07 10:00:05', SH, '2024-06-07T02:00:05.000Z'],
    ['2024-06-07T10:00', SH, '2024-06-07T02:00:00.000Z'],
    ['2024年6月7日 10:00', SH, '2024-06-07T02:00:00.000Z'],
    ['2024.6.7', SH, '2024-06-06T16:00:00.000Z'],
    ['20240607', SH, '2024-06-06T16:00:00.000Z'],
    ['2024/6/7 10:00', 'UTC', '2024-06-07T10:00:00.000Z'],
    ['2024/1/15 10:00', 'America/New_York', '2024-01-15T15:00:00.000Z'],
    ['2024/7/15 10:00', 'America/New_York', '2024-07-15T14:00:00.000Z'],
    // Excel serials: 45450 is 2024-06-07; .416666… is 10:00.
    ['45450', SH, '2024-06-06T16:00:00.000Z'],
    ['45450.416666666664', SH, '2024-06-07T02:00:00.000Z'],
    [45450.41666666667, SH, '2024-06-07T02:00:00.000Z'],
    [61, 'UTC', '1900-03-01T00:00:00.000Z'],
  ])('%j in %s → %s', (input, tz, iso) => {
    const r = parseInstant(input, tz);
    expect(r.ok && r.at.toISOString()).toBe(iso);
  });

  test.each([
    ['', /empty/],
    ['2024/2/30 10:00', /no such day/],
    ['2023-02-29', /no such day/],
    ['2024/13/1', /no such month/],
    ['2024/6/7 25:00', /time of day/],
    ['2024-06-07T10:00+15:00', /offset/],
    ['yesterday', /not a date/],
    ['6/7/2024', /not a date/],
    ['1717725600000', /not a date/],
    ['3000000', /serial range/],
    [0, /serial range/],
    [-3, /serial range/],
    ['12', /serial range/],
  ])('%j is rejected (%s)', (input, why) => {
    const r = parseInstant(input, SH);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(why);
  });

  test('wall time round trip across a DST change', () => {
    expect(wallToInstant({ y: 2024, mo: 3, d: 10, h: 12, mi: 0, s: 0, ms: 0 }, 'America/New_York').toISOString()).toBe(
      '2024-03-10T16:00:00.000Z',
    );
  });
});
