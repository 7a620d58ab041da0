import { describe, expect, test } from 'vitest';
import { attributeSignals, cohortMatured, forecastVsActual, needsDiagnosis } from './attribution';
import { sumForecast, weightedCents } from './forecast';
import { monthRange, shiftMonth, zonedMidnight } from './zoned';

describe('weightedCents', () => {
  test.each([
    [1_000_000, [], 0],
    [1_000_000, [0.3], 300_000],
    [1_000_000, [0.3, 0.8, 0.5], 800_000],
    [333, [0.5], 167], // 166.5 rounds half up
  ])('%s fen with %j → %s', (amount, conf, expected) => expect(weightedCents(amount, conf)).toBe(expected));

  test('totals', () => {
    expect(
      sumForecast([
        { id: 'a', ownerId: 'r', amountCents: 500_000, confidences: [0.8] },
        { id: 'b', ownerId: 'r', amountCents: 200_000, confidences: [] },
      ]),
    ).toEqual({ opportunities: 2, withSignal: 1, pipelineCents: 700_000, weightedCents: 400_000 });
  });
});

describe('attribution', () => {
  const t = (iso: string) => new Date(`${iso}T12:00:00+08:00`);
  const april = monthRange('2026-04', 'Asia/Shanghai');
  const sig = (opportunityId: string, kind: string, day: string) => ({
    opportunityId,
    kind,
    level: 3,
    observedAt: t(day),
  });

  test('won within 30 days of the signal, first signal of a kind decides the cohort', () => {
    const rows = attributeSignals(
      [
        sig('o1', 'budget_passed', '2026-04-02'),
        sig('o2', 'budget_passed', '2026-04-10'),
        sig('o3', 'budget_passed', '2026-04-15'),
        sig('o4', 'budget_passed', '2026-04-28'),
        sig('o5', 'budget_passed', '2026-03-30'), // March cohort
        sig('o5', 'budget_passed', '2026-04-03'),
      ],
      [
        { id: 'o1', stage: 'won', closedAt: t('2026-04-20') }, // 18 days
        { id: 'o2', stage: 'won', closedAt: t('2026-05-05') }, // 25 days
        { id: 'o3', stage: 'won', closedAt: t('2026-05-20') }, // 35 days
        { id: 'o4', stage: 'proposal', closedAt: null },
        { id: 'o5', stage: 'won', closedAt: t('2026-04-05') },
      ],
      april,
    );
    expect(rows).toEqual([{ kind: 'budget_passed', level: 3, opportunities: 4, wonWithin30d: 2, share: 0.5 }]);
  });

  test.each([
    [[0.6, 0.5], true],
    [[0.6, 0.7], false],
    [[0.64, null], false],
    [[0.65, 0.1], false],
  ] as [[number | null, number | null], boolean][])('diagnosis for %j: %s', (shares, flag) =>
    expect(needsDiagnosis(shares)).toBe(flag),
  );

  test('a cohort matures 30 days after its month ends', () => {
    expect(cohortMatured(april.end, new Date(april.end.getTime() + 29 * 86_400_000))).toBe(false);
    expect(cohortMatured(april.end, new Date(april.end.getTime() + 30 * 86_400_000))).toBe(true);
  });

  test('forecast at the start of the month against what was won in it', () => {
    const base = { createdAt: t('2026-03-01'), closedAt: null as Date | null, stage: 'proposal' };
    const r = forecastVsActual(
      [
        {
          ...base,
          amountCents: 1_000_000,
          expectedCloseAt: t('2026-04-15'),
          signals: [{ confidence: 0.8, confirmedAt: t('2026-03-20') }],
          stage: 'won',
          closedAt: t('2026-04-18'),
        },
        {
          ...base,
          amountCents: 500_000,
          expectedCloseAt: t('2026-04-20'),
          signals: [{ confidence: 0.5, confirmedAt: t('2026-04-02') }],
        },
        {
          ...base,
          amountCents: 300_000,
          expectedCloseAt: t('2026-05-20'),
          signals: [],
          stage: 'won',
          closedAt: t('2026-04-25'),
        },
      ],
      april,
    );
    expect(r).toEqual({
      pipelineCents: 1_500_000,
      forecastCents: 800_000,
      actualCents: 1_300_000,
      wonOpportunities: 2,
      ratio: 1.625,
    });
  });
});

describe('zoned calendar', () => {
  test.each([
    ['Asia/Shanghai', 2026, 6, 1, '2026-05-31T16:00:00.000Z'],
    ['UTC', 2026, 13, 1, '2027-01-01T00:00:00.000Z'],
    ['America/New_York', 2026, 3, 8, '2026-03-08T05:00:00.000Z'],
    ['America/New_York', 2026, 3, 9, '2026-03-09T04:00:00.000Z'],
  ])('%s midnight %s-%s-%s', (tz, y, m, d, iso) => expect(zonedMidnight(y, m, d, tz).toISOString()).toBe(iso));
  test('shiftMonth', () => {
    expect(shiftMonth('2026-01', -2)).toBe('2025-11');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
  });
});
