import { schema } from '@crm/db';
import { intervalSlot } from '@crm/domain';
import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Job } from './job';
import { sweepOverdue } from './overdue.sweep';
import { runPerTenant, type TenantJob } from './runner';

export const OVERDUE_SCHEDULE = '*/5 * * * *';
export const OVERDUE_EVERY_MS = 5 * 60_000;
/** The ledger keeps two days of 5-minute overdue runs; older rows are pruned. */
export const OVERDUE_LEDGER_KEEP_MS = 2 * 24 * 3_600_000;

const overdueTenantJob: TenantJob = {
  name: 'overdue',
  lookbackMs: OVERDUE_EVERY_MS,
  // The sweep reads state, not events: any tick catches up everything missed.
  plan: (_tenant, now) => ({ action: 'run', slot: intervalSlot(now, OVERDUE_EVERY_MS) }),
  sweep: sweepOverdue,
};

export const overdueJob: Job = {
  name: 'overdue',
  schedule: OVERDUE_SCHEDULE,
  cronTimeZone: 'UTC',
  runOnStart: true,
  run: async (ctx) => {
    const counts = await runPerTenant(overdueTenantJob, ctx);
    const j = schema.jobRuns;
    await ctx.deps.db
      .delete(j)
      .where(
        and(
          eq(j.job, 'overdue'),
          lt(j.slot, new Date(ctx.now.getTime() - OVERDUE_LEDGER_KEEP_MS)),
          ctx.tenantIds ? inArray(j.tenantId, ctx.tenantIds) : undefined,
        ),
      );
    return counts;
  },
};
