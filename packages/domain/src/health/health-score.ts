// Sales activity health score (销售动作健康度, BRIEF §8). Pure: the caller loads the rows.
// Definitions and a worked example: docs/forecast-and-health.md.

export const HEALTH_WEIGHTS = { touchpoints: 0.35, timeliness: 0.4, coverage: 0.25 } as const;
export const ACTION_TYPES = ['needs_diagnosis', 'solution_demo', 'objection_handling', 'service_followup'] as const;
export const TOUCHPOINT_LOOKBACK_MS = 90 * 86_400_000;
export const TIMELY_MS = 2 * 3_600_000;
export const TOP_OPPORTUNITIES = 50;

export type HealthVisit = {
  repId: string;
  customerId: string;
  actionType: string | null;
  occurredAt: Date;
  recordedAt: Date;
};
export type HealthOpportunity = {
  id: string;
  ownerId: string;
  amountCents: number;
  stage: string;
  createdAt: Date;
  closedAt: Date | null;
  /** When each of its signals was confirmed (confirmed signals only). */
  signalConfirmedAt: Date[];
};
export type HealthWindow = { from: Date; to: Date };

export type HealthCounts = {
  touchedCustomers: number;
  completeCustomers: number;
  records: number;
  timelyRecords: number;
  topOpportunities: number;
  coveredOpportunities: number;
};

export type HealthComponent = { score: number | null; numerator: number; denominator: number };
export type HealthScore = {
  total: number | null;
  touchpoints: HealthComponent;
  timeliness: HealthComponent;
  coverage: HealthComponent;
};

const inWindow = (at: Date, from: Date, to: Date) => at >= from && at < to;

/** Raw counts for one rep over a window; `to` is also the "as of" instant for the 90 days and open opportunities. */
export function healthCounts(
  repId: string,
  visits: HealthVisit[],
  opportunities: HealthOpportunity[],
  { from, to }: HealthWindow,
): HealthCounts {
  const mine = visits.filter((v) => v.repId === repId);
  const windowVisits = mine.filter((v) => inWindow(v.occurredAt, from, to));
  const touched = new Set(windowVisits.map((v) => v.customerId));
  const lookbackFrom = new Date(to.getTime() - TOUCHPOINT_LOOKBACK_MS);
  const actions = new Map<string, Set<string>>();
  for (const v of mine) {
    if (!v.actionType || !touched.has(v.customerId) || !inWindow(v.occurredAt, lookbackFrom, to)) continue;
    const set = actions.get(v.customerId) ?? new Set<string>();
    set.add(v.actionType);
    actions.set(v.customerId, set);
  }
  const complete = [...touched].filter((c) => ACTION_TYPES.every((a) => actions.get(c)?.has(a))).length;
  const timely = windowVisits.filter((v) => v.recordedAt.getTime() - v.occurredAt.getTime() <= TIMELY_MS).length;

  const open = opportunities
    .filter((o) => o.ownerId === repId && o.createdAt < to)
    .filter((o) => (o.closedAt ? o.closedAt >= to : o.stage !== 'won' && o.stage !== 'lost'))
    .sort((a, b) => b.amountCents - a.amountCents || a.id.localeCompare(b.id))
    .slice(0, TOP_OPPORTUNITIES);
  const covered = open.filter((o) => o.signalConfirmedAt.some((at) => at < to)).length;

  return {
    touchedCustomers: touched.size,
    completeCustomers: complete,
    records: windowVisits.length,
    timelyRecords: timely,
    topOpportunities: open.length,
    coveredOpportunities: covered,
  };
}

export function addCounts(list: HealthCounts[]): HealthCounts {
  const sum: HealthCounts = {
    touchedCustomers: 0,
    completeCustomers: 0,
    records: 0,
    timelyRecords: 0,
    topOpportunities: 0,
    coveredOpportunities: 0,
  };
  for (const c of list) for (const k of Object.keys(sum) as (keyof HealthCounts)[]) sum[k] += c[k];
  return sum;
}

/** One decimal, half up, without binary-fraction surprises (64.45 → 64.5). */
export function round1(x: number): number {
  return Math.round(x * 10 + 1e-9) / 10;
}

function component(numerator: number, denominator: number): HealthComponent {
  return { score: denominator === 0 ? null : round1((100 * numerator) / denominator), numerator, denominator };
}

/**
 * 0–100, one decimal. A component with nothing to measure (no touched customer, no record,
 * no open opportunity) is null and the total is re-weighted over the others; null when all are.
 */
export function healthScore(c: HealthCounts): HealthScore {
  const parts = [
    [HEALTH_WEIGHTS.touchpoints, c.completeCustomers, c.touchedCustomers],
    [HEALTH_WEIGHTS.timeliness, c.timelyRecords, c.records],
    [HEALTH_WEIGHTS.coverage, c.coveredOpportunities, c.topOpportunities],
  ] as const;
  let weighted = 0;
  let weights = 0;
  for (const [w, n, d] of parts) {
    if (d === 0) continue;
    weighted += (w * n) / d;
    weights += w;
  }
  return {
    total: weights === 0 ? null : round1((100 * weighted) / weights),
    touchpoints: component(c.completeCustomers, c.touchedCustomers),
    timeliness: component(c.timelyRecords, c.records),
    coverage: component(c.coveredOpportunities, c.topOpportunities),
  };
}
