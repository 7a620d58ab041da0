// GET /api/reports/forecast — signal-weighted pipeline per rep, team and the actor's whole scope.
import { schema } from '@crm/db';
import { type ForecastOpportunity, groupForecast, sumForecast } from '@crm/domain';
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { AppDeps } from '../../deps';
import { type Actor, ownedByVisible } from '../../shared/access';

export const FORECAST_FORMULA =
  'Σ over open opportunities of amountCents × the highest confidence among its confirmed signals (0 without one), rounded to whole fen per opportunity';

export async function forecastReport(deps: Pick<AppDeps, 'db' | 'clock'>, actor: Actor) {
  const o = schema.opportunities;
  const u = schema.users;
  const rows = await deps.db
    .select({
      id: o.id,
      ownerId: o.ownerId,
      amountCents: o.amountCents,
      ownerName: u.name,
      supervisorId: u.supervisorId,
      confidences: sql<number[] | null>`(select array_agg(s.confidence) from ${schema.signals} s
        where s.tenant_id = ${o.tenantId} and s.opportunity_id = ${o.id} and s.status = 'confirmed')`,
    })
    .from(o)
    .innerJoin(u, and(eq(u.tenantId, o.tenantId), eq(u.id, o.ownerId)))
    .where(and(eq(o.tenantId, actor.tenantId), notInArray(o.stage, ['won', 'lost']), ownedByVisible(o.ownerId, actor)));
  const opps: (ForecastOpportunity & { supervisorId: string | null; ownerName: string })[] = rows.map((r) => ({
    id: r.id,
    ownerId: r.ownerId,
    amountCents: r.amountCents,
    confidences: (r.confidences ?? []).map(Number),
    supervisorId: r.supervisorId,
    ownerName: r.ownerName,
  }));
  const names = new Map(rows.map((r) => [r.ownerId, r.ownerName]));
  const supervisorIds = [...new Set(rows.map((r) => r.supervisorId).filter((s): s is string => Boolean(s)))];
  const supervisors = supervisorIds.length
    ? await deps.db
        .select({ id: u.id, name: u.name })
        .from(u)
        .where(and(eq(u.tenantId, actor.tenantId), inArray(u.id, supervisorIds)))
    : [];
  const supName = new Map(supervisors.map((s) => [s.id, s.name]));
  const bySupervisor = new Map(opps.map((x) => [x.id, x.supervisorId ?? '']));
  return {
    asOf: deps.clock.now().toISOString(),
    formula: FORECAST_FORMULA,
    total: sumForecast(opps),
    teams: [...groupForecast(opps, (x) => bySupervisor.get(x.id) ?? '')].map(([id, totals]) => ({
      supervisor: id ? { id, name: supName.get(id) ?? '' } : null,
      ...totals,
    })),
    reps: [...groupForecast(opps, (x) => x.ownerId)].map(([id, totals]) => ({
      rep: { id, name: names.get(id) ?? '' },
      ...totals,
    })),
  };
}
