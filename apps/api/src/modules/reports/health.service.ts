// GET /api/reports/health — the three components per rep and pooled for the team, plus a
// daily history (each point: the trailing window ending that day). Rules: @crm/domain health.
import { schema } from '@crm/db';
import {
  addCounts,
  dayKey,
  HEALTH_WEIGHTS,
  type HealthOpportunity,
  type HealthVisit,
  healthCounts,
  healthScore,
  startOfZonedDay,
  TOUCHPOINT_LOOKBACK_MS,
} from '@crm/domain';
import { and, eq, gte, inArray, lt } from 'drizzle-orm';
import type { AppDeps } from '../../deps';
import type { Actor } from '../../shared/access';
import { tenantSettings } from '../signals/signals.repo';
import { reportWindow } from './report-window';

const DAY = 86_400_000;

/** The reps a report covers: a rep themself, a supervisor their reps, an admin every active rep. */
async function repsInScope(deps: Pick<AppDeps, 'db'>, actor: Actor) {
  const u = schema.users;
  const conds = [eq(u.tenantId, actor.tenantId), eq(u.active, true), eq(u.role, 'rep')];
  if (actor.role === 'rep') conds.push(eq(u.id, actor.id));
  if (actor.role === 'supervisor') conds.push(eq(u.supervisorId, actor.id));
  return deps.db
    .select({ id: u.id, name: u.name })
    .from(u)
    .where(and(...conds))
    .orderBy(u.name, u.id);
}

export async function healthReport(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  q: { from?: string | undefined; to?: string | undefined; historyWindowDays?: number | undefined },
) {
  const { timeZone } = await tenantSettings(deps.db, actor.tenantId);
  const { from, to } = reportWindow(q, deps.clock.now(), timeZone);
  const historyMs = (q.historyWindowDays ?? 7) * DAY;
  const reps = await repsInScope(deps, actor);
  const repIds = reps.map((r) => r.id);
  const firstDayEnd = new Date(startOfZonedDay(from, timeZone).getTime() + DAY + 3_600_000);
  const earliest = new Date(Math.min(from.getTime(), firstDayEnd.getTime() - historyMs) - TOUCHPOINT_LOOKBACK_MS);
  const v = schema.visits;
  const o = schema.opportunities;
  const s = schema.signals;
  const visits: HealthVisit[] = repIds.length
    ? await deps.db
        .select({
          repId: v.repId,
          customerId: v.customerId,
          actionType: v.actionType,
          occurredAt: v.occurredAt,
          recordedAt: v.recordedAt,
        })
        .from(v)
        .where(
          and(
            eq(v.tenantId, actor.tenantId),
            inArray(v.repId, repIds),
            gte(v.occurredAt, earliest),
            lt(v.occurredAt, to),
          ),
        )
    : [];
  const oppRows = repIds.length
    ? await deps.db
        .select({
          id: o.id,
          ownerId: o.ownerId,
          amountCents: o.amountCents,
          stage: o.stage,
          createdAt: o.createdAt,
          closedAt: o.closedAt,
        })
        .from(o)
        .where(and(eq(o.tenantId, actor.tenantId), inArray(o.ownerId, repIds), lt(o.createdAt, to)))
    : [];
  const sigRows = oppRows.length
    ? await deps.db
        .select({ opportunityId: s.opportunityId, confirmedAt: s.confirmedAt })
        .from(s)
        .where(
          and(
            eq(s.tenantId, actor.tenantId),
            eq(s.status, 'confirmed'),
            inArray(
              s.opportunityId,
              oppRows.map((r) => r.id),
            ),
          ),
        )
    : [];
  const confirmed = new Map<string, Date[]>();
  for (const r of sigRows) {
    if (!r.opportunityId || !r.confirmedAt) continue;
    confirmed.set(r.opportunityId, [...(confirmed.get(r.opportunityId) ?? []), r.confirmedAt]);
  }
  const opps: HealthOpportunity[] = oppRows.map((r) => ({ ...r, signalConfirmedAt: confirmed.get(r.id) ?? [] }));

  // History: one point per local day of the period, each over the trailing window ending that day.
  const dayEnds: Date[] = [];
  for (let d = startOfZonedDay(from, timeZone); d < to; ) {
    const next = startOfZonedDay(new Date(d.getTime() + DAY + 3_600_000), timeZone);
    dayEnds.push(new Date(Math.min(next.getTime(), to.getTime())));
    d = next;
  }
  const history = (repList: string[]) =>
    dayEnds.map((end) => ({
      date: dayKey(new Date(end.getTime() - 1), timeZone),
      total: healthScore(
        addCounts(
          repList.map((id) => healthCounts(id, visits, opps, { from: new Date(end.getTime() - historyMs), to: end })),
        ),
      ).total,
    }));

  const perRep = reps.map((rep) => ({ rep, counts: healthCounts(rep.id, visits, opps, { from, to }) }));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    weights: { ...HEALTH_WEIGHTS },
    team: { ...healthScore(addCounts(perRep.map((r) => r.counts))), history: history(repIds) },
    reps: perRep.map(({ rep, counts }) => ({ rep, ...healthScore(counts), history: history([rep.id]) })),
  };
}
