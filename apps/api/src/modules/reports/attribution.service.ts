// GET /api/reports/attribution?month=YYYY-MM and the monthly diagnosis check.
import { type DbOrTx, schema } from '@crm/db';
import {
  attributeSignals,
  BUDGET_KIND,
  BUDGET_TARGET,
  cohortMatured,
  DIAGNOSIS_THRESHOLD,
  forecastVsActual,
  type MonthOpportunity,
  monthKey,
  monthRange,
  shiftMonth,
} from '@crm/domain';
import { and, eq, gte, inArray, isNotNull, lt, or, type SQL } from 'drizzle-orm';

/** Scope: the whole tenant (job, admin) or an extra condition on opportunities.owner_id. */
export type AttributionScope = { tenantId: string; timeZone: string; ownerFilter?: SQL | undefined };

export async function attributionForMonth(db: DbOrTx, scope: AttributionScope, month: string, now: Date) {
  const { start, end } = monthRange(month, scope.timeZone);
  const o = schema.opportunities;
  const s = schema.signals;
  const inScope = (extra: SQL) => and(eq(o.tenantId, scope.tenantId), extra, scope.ownerFilter);

  // Cohort: opportunities with a confirmed signal observed in the month, and all their earlier signals.
  const cohort = await db
    .selectDistinct({ id: s.opportunityId })
    .from(s)
    .innerJoin(o, and(eq(o.tenantId, s.tenantId), eq(o.id, s.opportunityId)))
    .where(and(inScope(eq(s.status, 'confirmed')), gte(s.observedAt, start), lt(s.observedAt, end)));
  const ids = cohort.map((c) => c.id).filter((x): x is string => Boolean(x));
  const signals = ids.length
    ? await db
        .select({ opportunityId: s.opportunityId, kind: s.kind, level: s.level, observedAt: s.observedAt })
        .from(s)
        .where(
          and(
            eq(s.tenantId, scope.tenantId),
            eq(s.status, 'confirmed'),
            inArray(s.opportunityId, ids),
            lt(s.observedAt, end),
          ),
        )
    : [];
  const outcomes = ids.length
    ? await db
        .select({ id: o.id, stage: o.stage, closedAt: o.closedAt })
        .from(o)
        .where(and(eq(o.tenantId, scope.tenantId), inArray(o.id, ids)))
    : [];
  const rows = attributeSignals(
    signals.map((x) => ({ ...x, opportunityId: x.opportunityId! })),
    outcomes,
    { start, end },
  );

  // Forecast vs actual: expected to close in the month, or closed in it.
  const monthOpps = await db
    .select({
      id: o.id,
      amountCents: o.amountCents,
      stage: o.stage,
      createdAt: o.createdAt,
      expectedCloseAt: o.expectedCloseAt,
      closedAt: o.closedAt,
    })
    .from(o)
    .where(
      inScope(
        or(
          and(gte(o.expectedCloseAt, start), lt(o.expectedCloseAt, end)),
          and(isNotNull(o.closedAt), gte(o.closedAt, start), lt(o.closedAt, end)),
        ) as SQL,
      ),
    );
  const monthSignals = monthOpps.length
    ? await db
        .select({ opportunityId: s.opportunityId, confidence: s.confidence, confirmedAt: s.confirmedAt })
        .from(s)
        .where(
          and(
            eq(s.tenantId, scope.tenantId),
            eq(s.status, 'confirmed'),
            inArray(
              s.opportunityId,
              monthOpps.map((m) => m.id),
            ),
          ),
        )
    : [];
  const opps: MonthOpportunity[] = monthOpps.map((m) => ({
    ...m,
    signals: monthSignals
      .filter((x) => x.opportunityId === m.id && x.confirmedAt)
      .map((x) => ({ confidence: x.confidence, confirmedAt: x.confirmedAt! })),
  }));

  return {
    month,
    matured: cohortMatured(end, now),
    signals: rows,
    budgetPassed: {
      share: rows.find((r) => r.kind === BUDGET_KIND)?.share ?? null,
      target: BUDGET_TARGET,
      threshold: DIAGNOSIS_THRESHOLD,
    },
    forecast: forecastVsActual(opps, { start, end }),
  };
}

/** The latest month whose cohort has had its full 30 days at `now`. */
export function latestMaturedMonth(now: Date, timeZone: string): string {
  let m = shiftMonth(monthKey(now, timeZone), -1);
  while (!cohortMatured(monthRange(m, timeZone).end, now)) m = shiftMonth(m, -1);
  return m;
}
