// Money arrives as text from ERP exports and spreadsheets ("¥1,234.50", "1234.5 元").
// It becomes integer fen exactly — by string arithmetic, never through a float — or is rejected.

export type MoneyResult = { ok: true; fen: number } | { ok: false; message: string };

/**
 * The largest amount one order or opportunity may carry: 100,000,000 CNY (1 亿元) in fen.
 * A tenant's sums (≤ ~10^5 open items) then stay exact below 2^53 in JavaScript numbers.
 */
export const MAX_AMOUNT_FEN = 10_000_000_000;

const GROUPED = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;

function fail(input: unknown, why: string): MoneyResult {
  return { ok: false, message: `amount "${String(input)}" ${why}` };
}

/** Yuan as text or a JSON number → fen. Accepts ¥/￥/CNY/RMB prefixes, 元 suffix, thousands commas, ≤ 2 decimals. */
export function parseYuanToFen(input: string | number): MoneyResult {
  let s: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return fail(input, 'is not a number');
    // String(0.1 + 0.2) is "0.30000000000000004": such a value is refused, not rounded.
    s = String(input);
    if (/e/i.test(s)) return fail(input, 'is out of range');
  } else {
    s = input;
  }
  s = s.normalize('NFKC').trim();
  s = s.replace(/^(?:CNY|RMB|¥|￥)\s*/i, '').replace(/\s*(?:元|CNY|RMB)$/i, '');
  if (s === '') return fail(input, 'is empty');
  if (s.startsWith('-')) return fail(input, 'is negative');
  const m = GROUPED.exec(s);
  if (!m?.[1]) return fail(input, 'is not an amount like 1234.50 or ¥1,234.50');
  const whole = m[1].replace(/,/g, '');
  const frac = m[2] ?? '';
  if (frac.length > 2) return fail(input, `has ${frac.length} decimals; at most 2 (fen) are allowed`);
  const fenText = `${whole}${frac.padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  const fen = Number(fenText);
  if (!Number.isSafeInteger(fen) || fen > MAX_AMOUNT_FEN) return fail(input, 'is over 100,000,000 CNY');
  return { ok: true, fen };
}

/** Whole fen as text or number ("123450") → fen; anything else is refused. */
export function parseFen(input: string | number): MoneyResult {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input) || input < 0) return fail(input, 'must be a whole, non-negative number of fen');
    return input > MAX_AMOUNT_FEN ? fail(input, 'is over 100,000,000 CNY') : { ok: true, fen: input };
  }
  const s = input.normalize('NFKC').trim();
  if (!/^\d+$/.test(s)) return fail(input, 'must be a whole, non-negative number of fen');
  const fen = Number(s);
  if (!Number.isSafeInteger(fen) || fen > MAX_AMOUNT_FEN) return fail(input, 'is over 100,000,000 CNY');
  return { ok: true, fen };
}
