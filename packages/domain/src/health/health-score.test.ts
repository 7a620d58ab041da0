import { describe, expect, test } from 'vitest';
import { type HealthOpportunity, type HealthVisit, healthCounts, healthScore, round1 } from './health-score';

const H = 3_600_000;
const D = 24 * H;
const to = new Date('2026-06-01T00:00:00+08:00');
const from = new Date('2026-05-01T00:00:00+08:00');
const at = (iso: string) => new Date(`${iso}+08:00`);

function visit(
  customerId: string,
  actionType: string | null,
  occurred: string,
  delayMs = 0,
  repId = 'r1',
): HealthVisit {
  const occurredAt = at(occurred);
  return { repId, customerId, actionType, occurredAt, recordedAt: new Date(occurredAt.getTime() + delayMs) };
}

function opp(id: string, amountCents: number, signals: Date[] = [], extra: Partial<HealthOpportunity> = {}) {
  return {
    id,
    ownerId: 'r1',
    amountCents,
    stage: 'proposal',
    createdAt: at('2026-01-01T00:00:00'),
    closedAt: null,
    signalConfirmedAt: signals,
    ...extra,
  };
}

describe('healthScore', () => {
  test.each([
    ['all perfect', [2, 2, 10, 10, 5, 5], 100],
    ['the worked example', [2, 4, 8, 10, 3, 5], 64.5],
    ['nothing timely', [4, 4, 0, 10, 5, 5], 60],
    ['no opportunities: re-weighted over 0.75', [1, 2, 4, 4, 0, 0], 76.7],
    ['nothing to measure', [0, 0, 0, 0, 0, 0], null],
  ])('%s', (_n, [complete, touched, timely, records, covered, top], expected) => {
    const s = healthScore({
      completeCustomers: complete!,
      touchedCustomers: touched!,
      timelyRecords: timely!,
      records: records!,
      coveredOpportunities: covered!,
      topOpportunities: top!,
    });
    expect(s.total).toBe(expected);
  });

  test.each([
    [64.45, 64.5],
    [66.7857, 66.8],
    [76.6666, 76.7],
    [0.04, 0],
  ])('round1(%s) = %s', (x, y) => expect(round1(x)).toBe(y));
});

describe('healthCounts', () => {
  test('touchpoints need all four action types inside the 90 days before `to`', () => {
    const visits = [
      // A: all four, in the window and in March
      visit('A', 'needs_diagnosis', '2026-03-10T10:00:00'),
      visit('A', 'solution_demo', '2026-05-02T10:00:00'),
      visit('A', 'objection_handling', '2026-05-03T10:00:00'),
      visit('A', 'service_followup', '2026-05-04T10:00:00'),
      // B: one type is 2026-02-20, more than 90 days before June 1
      visit('B', 'needs_diagnosis', '2026-02-20T10:00:00'),
      visit('B', 'solution_demo', '2026-05-05T10:00:00'),
      visit('B', 'objection_handling', '2026-05-06T10:00:00'),
      visit('B', 'service_followup', '2026-05-07T10:00:00'),
      // C: complete, but never touched in the window
      visit('C', 'needs_diagnosis', '2026-04-01T10:00:00'),
      visit('C', 'solution_demo', '2026-04-02T10:00:00'),
      visit('C', 'objection_handling', '2026-04-03T10:00:00'),
      visit('C', 'service_followup', '2026-04-04T10:00:00'),
      // another rep's visit does not count
      visit('B', 'needs_diagnosis', '2026-05-08T10:00:00', 0, 'r2'),
    ];
    const c = healthCounts('r1', visits, [], { from, to });
    expect(c).toMatchObject({ touchedCustomers: 2, completeCustomers: 1, records: 6 });
  });

  test.each([
    [0, true],
    [2 * H, true],
    [2 * H + 1000, false],
    [D, false],
  ])('a record %s ms late is timely: %s', (delay, timely) => {
    const c = healthCounts('r1', [visit('A', null, '2026-05-10T10:00:00', delay)], [], { from, to });
    expect(c.timelyRecords).toBe(timely ? 1 : 0);
  });

  test('coverage looks at the top 50 open opportunities by amount only', () => {
    const opps = Array.from({ length: 50 }, (_, i) => opp(`o${String(i).padStart(2, '0')}`, 100_000 + i));
    opps.push(opp('small', 1, [at('2026-05-01T00:00:00')]));
    opps.push(
      opp('won', 9_999_999, [at('2026-05-01T00:00:00')], { stage: 'won', closedAt: at('2026-05-20T00:00:00') }),
    );
    const c = healthCounts('r1', [], opps, { from, to });
    expect(c).toMatchObject({ topOpportunities: 50, coveredOpportunities: 0 });
  });

  test('a signal confirmed after `to` does not cover yet; an opportunity closed after `to` was still open', () => {
    const opps = [
      opp('late', 500, [at('2026-06-02T00:00:00')]),
      opp('closedLater', 400, [at('2026-05-02T00:00:00')], { stage: 'won', closedAt: at('2026-06-03T00:00:00') }),
    ];
    expect(healthCounts('r1', [], opps, { from, to })).toMatchObject({
      topOpportunities: 2,
      coveredOpportunities: 1,
    });
  });
});
