// Signal-weighted forecast: each open opportunity counts amount × the highest confidence
// among its confirmed signals (0 without one). See docs/forecast-and-health.md.

export type ForecastOpportunity = {
  id: string;
  ownerId: string;
  amountCents: number;
  /** Confidences of the opportunity's confirmed signals. */
  confidences: number[];
};

export type ForecastTotals = {
  opportunities: number;
  withSignal: number;
  pipelineCents: number;
  weightedCents: number;
};

/** Weighted value of one opportunity in whole fen (rounded half up). */
export function weightedCents(amountCents: number, confidences: number[]): number {
  const best = Math.max(0, ...confidences);
  return Math.round(amountCents * best);
}

export function sumForecast(opps: ForecastOpportunity[]): ForecastTotals {
  const totals: ForecastTotals = { opportunities: 0, withSignal: 0, pipelineCents: 0, weightedCents: 0 };
  for (const o of opps) {
    totals.opportunities += 1;
    if (o.confidences.length > 0) totals.withSignal += 1;
    totals.pipelineCents += o.amountCents;
    totals.weightedCents += weightedCents(o.amountCents, o.confidences);
  }
  return totals;
}

/** Totals grouped by a key (owner, team …), in first-seen order. */
export function groupForecast(
  opps: ForecastOpportunity[],
  keyOf: (o: ForecastOpportunity) => string,
): Map<string, ForecastTotals> {
  const groups = new Map<string, ForecastOpportunity[]>();
  for (const o of opps) {
    const k = keyOf(o);
    const list = groups.get(k) ?? [];
    list.push(o);
    groups.set(k, list);
  }
  return new Map([...groups].map(([k, list]) => [k, sumForecast(list)]));
}
