// Per-tenant job runner: plan a slot per tenant, take the (job, tenant) lock, claim the
// slot in job_runs, sweep, record the outcome. Exactly-once comes from three layers:
// the lock (no two instances sweep a tenant at once), the ledger (a done slot is not
// run again) and the cards' dedupe keys (a re-run after a crash adds only what is missing).
import { schema, type TenantSettings } from '@crm/db';
import { type AlertSettings, alertSettings } from '@crm/domain';
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { AppDeps } from '../deps';
import type { JobContext, JobCounts } from './job';
import { openLockSession } from './lock';

export type TenantInfo = {
  tenantId: string;
  timeZone: string;
  settings: AlertSettings;
  createdAt: Date;
};

export type SlotPlan = { action: 'run'; slot: Date } | { action: 'skip'; slot: Date; reason: string } | null;

export type TenantJob = {
  name: string;
  /** Which slot is due for this tenant now; null when nothing is. */
  plan: (tenant: TenantInfo, now: Date, opts: { force: boolean }) => SlotPlan;
  /** How far back the ledger is read for finished slots. */
  lookbackMs: number;
  sweep: (ctx: { tenant: TenantInfo; slot: Date; now: Date; deps: AppDeps }) => Promise<JobCounts>;
};

function add(into: JobCounts, from: JobCounts) {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

async function loadTenants(deps: AppDeps, tenantIds?: string[]): Promise<TenantInfo[]> {
  const t = schema.tenants;
  const rows = await deps.db
    .select({ tenantId: t.tenantId, timeZone: t.timeZone, settings: t.settings, createdAt: t.createdAt })
    .from(t)
    .where(tenantIds ? inArray(t.tenantId, tenantIds) : undefined)
    .orderBy(t.tenantId);
  return rows.map((r) => ({ ...r, settings: alertSettings(r.settings as TenantSettings) }));
}

/** Slots already finished (done or skipped), as "tenant|slotISO". */
async function finishedSlots(deps: AppDeps, job: string, since: Date, tenantIds?: string[]): Promise<Set<string>> {
  const j = schema.jobRuns;
  const rows = await deps.db
    .select({ tenantId: j.tenantId, slot: j.slot })
    .from(j)
    .where(
      and(
        eq(j.job, job),
        gte(j.slot, since),
        inArray(j.status, ['done', 'skipped']),
        tenantIds ? inArray(j.tenantId, tenantIds) : undefined,
      ),
    );
  return new Set(rows.map((r) => `${r.tenantId}|${r.slot.toISOString()}`));
}

export async function runPerTenant(job: TenantJob, ctx: JobContext): Promise<JobCounts> {
  const { deps, now } = ctx;
  const j = schema.jobRuns;
  const instance = deps.config.instanceId;
  const log = deps.logger.child({ job: job.name });
  const counts: JobCounts = { tenants: 0, ran: 0, alreadyDone: 0, busy: 0, skipped: 0, failed: 0 };
  const tenants = await loadTenants(deps, ctx.tenantIds);
  const finished = ctx.force
    ? new Set<string>()
    : await finishedSlots(deps, job.name, new Date(now.getTime() - job.lookbackMs), ctx.tenantIds);
  const locks = await openLockSession(deps.db);
  try {
    for (const tenant of tenants) {
      counts.tenants = (counts.tenants ?? 0) + 1;
      let plan = job.plan(tenant, now, { force: ctx.force === true });
      if (plan && ctx.force && plan.action === 'skip') plan = { action: 'run', slot: plan.slot };
      if (!plan || finished.has(`${tenant.tenantId}|${plan.slot.toISOString()}`)) {
        if (plan) counts.alreadyDone = (counts.alreadyDone ?? 0) + 1;
        continue;
      }
      const base = { tenantId: tenant.tenantId, job: job.name, slot: plan.slot, instance };
      if (plan.action === 'skip') {
        const [recorded] = await deps.db
          .insert(j)
          .values({ ...base, status: 'skipped', startedAt: now, finishedAt: now, error: plan.reason })
          .onConflictDoNothing()
          .returning({ id: j.id });
        if (recorded) {
          counts.skipped = (counts.skipped ?? 0) + 1;
          log.warn(
            { tenantId: tenant.tenantId, slot: plan.slot.toISOString(), reason: plan.reason },
            'missed run skipped',
          );
        }
        continue;
      }
      const lockName = `${job.name}:${tenant.tenantId}`;
      if (!(await locks.tryLock(lockName))) {
        counts.busy = (counts.busy ?? 0) + 1; // another instance is on it right now
        continue;
      }
      try {
        // Claim: a fresh slot, or one left running/failed by a crashed or failed run.
        const reclaimable = ctx.force ? sql`true` : sql`${j.status} in ('running', 'failed')`;
        const [claimed] = await deps.db
          .insert(j)
          .values({ ...base, status: 'running', startedAt: now })
          .onConflictDoUpdate({
            target: [j.tenantId, j.job, j.slot],
            set: { status: 'running', instance, startedAt: now, finishedAt: null, error: null },
            setWhere: reclaimable,
          })
          .returning({ id: j.id });
        if (!claimed) {
          counts.alreadyDone = (counts.alreadyDone ?? 0) + 1;
          continue;
        }
        try {
          const result = await job.sweep({ tenant, slot: plan.slot, now, deps });
          await deps.db
            .update(j)
            .set({ status: 'done', finishedAt: deps.clock.now(), counts: result })
            .where(and(eq(j.tenantId, tenant.tenantId), eq(j.id, claimed.id)));
          add(counts, result);
          counts.ran = (counts.ran ?? 0) + 1;
        } catch (e) {
          counts.failed = (counts.failed ?? 0) + 1;
          const message = e instanceof Error ? e.message : String(e);
          log.error({ err: e, tenantId: tenant.tenantId, slot: plan.slot.toISOString() }, 'job run failed');
          await deps.db
            .update(j)
            .set({ status: 'failed', finishedAt: deps.clock.now(), error: message.slice(0, 2000) })
            .where(and(eq(j.tenantId, tenant.tenantId), eq(j.id, claimed.id)))
            .catch(() => {});
        }
      } finally {
        await locks.unlock(lockName);
      }
    }
  } finally {
    await locks.close();
  }
  return counts;
}
