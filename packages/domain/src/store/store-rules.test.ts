import { describe, expect, test } from 'vitest';
import { anomalousOrderGroups, couponEligible, normaliseAddress } from './store-rules';

const o = (amountCents: number, status = 'paid') => ({ amountCents, status });

describe('couponEligible', () => {
  test.each([
    ['3 orders averaging 80 CNY', [o(7000), o(8000), o(9000)], true, 8000],
    ['3 orders averaging exactly 85 CNY', [o(8500), o(8500), o(8500)], false, 8500],
    ['3 orders averaging 84.99 CNY', [o(8499), o(8499), o(8499)], true, 8499],
    ['2 small orders only', [o(1000), o(2000)], false, 1500],
    ['a cancelled order does not count', [o(1000), o(2000), o(3000, 'cancelled')], false, 1500],
    ['4 orders, one big', [o(5000), o(5000), o(5000), o(20000)], false, 8750],
  ])('%s', (_n, orders, eligible, avg) => {
    expect(couponEligible(orders)).toMatchObject({ eligible, averageCents: avg });
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
