import { describe, expect, test } from 'vitest';
import {
  anomalousOrderGroups,
  COUPON_UNCOUNTED_STATUSES,
  countsForCoupon,
  couponEligible,
  couponFromTotals,
  localDayRanges,
  normaliseAddress,
} from './store-rules';

const o = (amountCents: number, status = 'paid') => ({ amountCents, status });

describe('couponEligible', () => {
  test.each([
    ['3 orders averaging 80 CNY', [o(7000), o(8000), o(9000)], true, 8000],
    ['3 orders averaging exactly 85 CNY', [o(8500), o(8500), o(8500)], false, 8500],
    ['3 orders averaging 84.99 CNY', [o(8499), o(8499), o(8499)], true, 8499],
    ['2 small orders only', [o(1000), o(2000)], false, 1500],
    ['a cancelled order does not count', [o(1000), o(2000), o(3000, 'cancelled')], false, 1500],
    ['a refunded order does not count', [o(1000), o(2000), o(3000, 'refunded'), o(3000)], true, 2000],
    ['4 orders, one big', [o(5000), o(5000), o(5000), o(20000)], false, 8750],
  ])('%s', (_n, orders, eligible, avg) => {
    expect(couponEligible(orders)).toMatchObject({ eligible, averageCents: avg });
  });
});

describe('couponFromTotals', () => {
  test.each([
    ['no orders', 0, 0, false, 0],
    ['2 orders, tiny', 2, 200, false, 100],
    ['3 orders, 80 CNY average', 3, 24_000, true, 8_000],
    ['3 orders, exactly 85 CNY average', 3, 25_500, false, 8_500],
    ['3 orders, one fen under 85 CNY average', 3, 25_499, true, 8_500],
    ['4 orders, 87.50 CNY average', 4, 35_000, false, 8_750],
    ['1,000 orders of 1 fen', 1_000, 1_000, true, 1],
  ])('%s', (_n, orders, totalCents, eligible, averageCents) => {
    expect(couponFromTotals({ orders, totalCents })).toEqual({ eligible, orders, averageCents });
  });

  test('couponEligible is couponFromTotals over the counting orders', () => {
    const list = [o(7000), o(9000, 'refunded'), o(8000), o(100, 'cancelled'), o(9000, 'pending')];
    expect(couponEligible(list)).toEqual(couponFromTotals({ orders: 3, totalCents: 24_000 }));
  });

  test.each([
    ['paid', true],
    ['pending', true],
    ['cancelled', false],
    ['refunded', false],
  ])('status %s counts: %s', (status, counts) => {
    expect(countsForCoupon(status)).toBe(counts);
    expect(COUPON_UNCOUNTED_STATUSES.includes(status)).toBe(!counts);
  });
});

describe('anomalousOrderGroups', () => {
  const burst = (n: number, address: string, day = '2026-06-01') =>
    Array.from({ length: n }, (_, i) => ({ id: `${address}-${day}-${i}`, address, day, status: 'paid' }));

  test.each([
    ['5 orders is normal', burst(5, '上海市徐汇区1号'), 0],
    ['6 orders is anomalous', burst(6, '上海市徐汇区1号'), 1],
    ['6 orders over two days is normal', [...burst(3, 'x路1号'), ...burst(3, 'x路1号', '2026-06-02')], 0],
    [
      'spelling variants of one address are one address',
      [...burst(3, '上海市 徐汇区 1号'), ...burst(3, '上海市徐汇区１号')],
      1,
    ],
  ])('%s', (_n, orders, groups) => {
    expect(anomalousOrderGroups(orders)).toHaveLength(groups);
  });

  test('normaliseAddress', () => expect(normaliseAddress('上海市，徐汇区 １号')).toBe('上海市徐汇区1号'));
});

describe('localDayRanges', () => {
  const at = (iso: string) => new Date(iso);
  const range = (day: string, start: string, end: string) => ({ day, start: at(start), end: at(end) });

  test.each([
    ['nothing', 'Asia/Shanghai', [], []],
    [
      'Shanghai: 23:59 and 00:01 local are two days',
      'Asia/Shanghai',
      ['2026-06-02T15:59:00Z', '2026-06-02T16:01:00Z'],
      [
        range('2026-06-02', '2026-06-01T16:00:00Z', '2026-06-02T16:00:00Z'),
        range('2026-06-03', '2026-06-02T16:00:00Z', '2026-06-03T16:00:00Z'),
      ],
    ],
    [
      'many instants of one day, unsorted, are one day',
      'Asia/Shanghai',
      ['2026-06-02T10:00:00Z', '2026-06-01T16:00:00Z', '2026-06-02T15:59:59.999Z', '2026-06-02T10:00:00Z'],
      [range('2026-06-02', '2026-06-01T16:00:00Z', '2026-06-02T16:00:00Z')],
    ],
    [
      'days with a gap between them',
      'Asia/Shanghai',
      ['2026-06-09T01:00:00Z', '2026-06-01T01:00:00Z'],
      [
        range('2026-06-01', '2026-05-31T16:00:00Z', '2026-06-01T16:00:00Z'),
        range('2026-06-09', '2026-06-08T16:00:00Z', '2026-06-09T16:00:00Z'),
      ],
    ],
    [
      'a 23-hour day where the clocks go forward',
      'America/New_York',
      ['2026-03-08T12:00:00Z'],
      [range('2026-03-08', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z')],
    ],
    [
      'a 25-hour day where the clocks go back',
      'America/New_York',
      ['2026-11-01T23:00:00Z', '2026-11-02T04:59:00Z'],
      [range('2026-11-01', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z')],
    ],
  ])('%s', (_n, zone, instants, days) => {
    expect(localDayRanges(instants.map(at), zone)).toEqual(days);
  });
});
