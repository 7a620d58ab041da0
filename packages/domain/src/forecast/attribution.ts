// Signal → outcome attribution (BRIEF §6): of the opportunities that got a signal kind in a month,
// how many closed-won within 30 days of it; two matured months of "budget passed" below 65% flag
// the sales process for diagnosis.
import { weightedCents } from './forecast';

export const WON_WITHIN_MS = 30 * 86_400_000;
export const DIAGNOSIS_THRESHOLD = 0.65;
export const BUDGET_TARGET = 0.76;
export const BUDGET_KIND = 'budget_passed';

export type AttributionSignal = { opportunityId: string; kind: string; level: number; observedAt: Date };
export type AttributionOutcome = { id: string; stage: string; closedAt: Date | null };
export type KindAttribution = {
  kind: string;
  level: number;
  opportunities: number;
  wonWithin30d: number;
  share: number | null;
};

/** A cohort is final once every member has had its full 30 days. */
export function cohortMatured(monthEnd: Date, now: Date): boolean {
  return now.getTime() >= monthEnd.getTime() + WON_WITHIN_MS;
}

export function attributeSignals(
  signals: AttributionSignal[],
  outcomes: AttributionOutcome[],
  { start, end }: { start: Date; end: Date },
): KindAttribution[] {
  // An opportunity belongs to the cohort of the first time it got the kind.
  const first = new Map<string, AttributionSignal>();
  for (const s of signals) {
    const key = `${s.kind}\u0000${s.opportunityId}`;
    const seen = first.get(key);
    if (!seen || s.observedAt < seen.observedAt) first.set(key, s);
  }
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const kinds = new Map<string, KindAttribution>();
  for (const s of first.values()) {
    if (s.observedAt < start || s.observedAt >= end) continue;
    const row = kinds.get(s.kind) ?? { kind: s.kind, level: s.level, opportunities: 0, wonWithin30d: 0, share: null };
    row.opportunities += 1;
    const o = byId.get(s.opportunityId);
    const lag = o?.closedAt ? o.closedAt.getTime() - s.observedAt.getTime() : Number.NaN;
    if (o?.stage === 'won' && lag >= 0 && lag <= WON_WITHIN_MS) row.wonWithin30d += 1;
    kinds.set(s.kind, row);
  }
  return [...kinds.values()]
    .map((r) => ({ ...r, share: r.opportunities === 0 ? null : r.wonWithin30d / r.opportunities }))
    .sort((a, b) => b.level - a.level || a.kind.localeCompare(b.kind));
}

/** Both of the last two matured months measured and below the threshold. */
export function needsDiagnosis(budgetShares: [number | null, number | null]): boolean {
  return budgetShares.every((s) => s !== null && s < DIAGNOSIS_THRESHOLD);
}

export type MonthOpportunity = {
  amountCents: number;
  stage: string;
  createdAt: Date;
  expectedCloseAt: Date | null;
  closedAt: Date | null;
  /** Confirmed signals: confidence and when confirmed. */
  signals: { confidence: number; confirmedAt: Date }[];
};

/**
 * Forecast made at the start of the month (open opportunities expected to close in it, weighted by
 * the signals confirmed before the month began) against what was won in the month.
 */
export function forecastVsActual(opps: MonthOpportunity[], { start, end }: { start: Date; end: Date }) {
  let forecastCents = 0;
  let pipelineCents = 0;
  let actualCents = 0;
  let wonCount = 0;
  for (const o of opps) {
    const openAtStart = o.createdAt < start && (!o.closedAt || o.closedAt >= start);
    const expected = o.expectedCloseAt && o.expectedCloseAt >= start && o.expectedCloseAt < end;
    if (openAtStart && expected) {
      pipelineCents += o.amountCents;
      const known = o.signals.filter((s) => s.confirmedAt < start).map((s) => s.confidence);
      forecastCents += weightedCents(o.amountCents, known);
    }
    if (o.stage === 'won' && o.closedAt && o.closedAt >= start && o.closedAt < end) {
      actualCents += o.amountCents;
      wonCount += 1;
    }
  }
  return {
    pipelineCents,
    forecastCents,
    actualCents,
    wonOpportunities: wonCount,
    /** actual ÷ forecast; null without a forecast. */
    ratio: forecastCents === 0 ? null : Math.round((actualCents / forecastCents) * 1000) / 1000,
  };
}

const pct = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

/** The process_diagnosis card: the two matured months' "budget passed" shares, older first. */
export function processDiagnosisPayload(i: {
  months: [string, string];
  budgetPassedShares: [number | null, number | null];
  threshold?: number;
  target?: number;
}) {
  const threshold = i.threshold ?? DIAGNOSIS_THRESHOLD;
  const target = i.target ?? BUDGET_TARGET;
  const shares = i.months.map((m, k) => `${m} ${pct(i.budgetPassedShares[k] ?? null)}`).join('，');
  return {
    title: '销售流程需要诊断',
    text:
      `「预算已通过」信号后 30 天内成交的占比：${shares}，连续两个月低于 ${pct(threshold)}` +
      `（目标 ${pct(target)}）。请复盘销售流程。`,
    months: i.months,
    budgetPassedShares: i.budgetPassedShares,
    threshold,
    target,
  };
}
