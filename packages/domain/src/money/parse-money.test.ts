import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseFen, parseYuanToFen } from './parse-money';

describe('parseYuanToFen', () => {
  test.each([
    ['1234.50', 123450],
    ['¥1,234.50', 123450],
    ['￥1,234.5', 123450],
    ['CNY 99', 9900],
    ['RMB1,000,000.01', 100000001],
    ['88.8元', 8880],
    ['０.０１', 1],
    ['0', 0],
    ['0.10', 10],
    ['  12  ', 1200],
    [1234.5, 123450],
    [19.99, 1999],
    [0.07, 7],
    ['100,000,000.00', 10_000_000_000],
  ])('%j → %i fen', (input, fen) => {
    expect(parseYuanToFen(input)).toEqual({ ok: true, fen });
  });

  test.each([
    ['12.345', /3 decimals/],
    ['1,23.45', /not an amount/],
    ['1 234.50', /not an amount/],
    ['-5', /negative/],
    ['', /empty/],
    ['¥', /empty/],
    ['abc', /not an amount/],
    ['12.', /not an amount/],
    ['100,000,000.01', /over 100,000,000 CNY/],
    ['90071992547409.92', /over 100,000,000 CNY/],
    [0.1 + 0.2, /decimals/],
    [Number.NaN, /not a number/],
    [1e21, /out of range/],
  ])('%j is rejected (%s)', (input, why) => {
    const r = parseYuanToFen(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(why);
  });

  test('any whole fen amount round-trips through its yuan text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 10 }), (fen) => {
        const yuan = `${Math.floor(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;
        expect(parseYuanToFen(`¥${yuan}`)).toEqual({ ok: true, fen });
      }),
    );
  });
});

describe('parseFen', () => {
  test.each([
    ['123450', { ok: true, fen: 123450 }],
    [42, { ok: true, fen: 42 }],
  ])('%j', (input, out) => expect(parseFen(input)).toEqual(out));
  test.each([['12.5'], [-1], [1.5], ['1e3'], [10_000_000_001], ['10000000001']])('%j is rejected', (input) =>
    expect(parseFen(input).ok).toBe(false),
  );
});
