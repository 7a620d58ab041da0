// Monthly attribution check (BRIEF §6): when the "budget passed" signal's 30-day win share is
// below 65% in the two latest matured months, every admin gets a "sales process needs
// diagnosis" card — once per month (dedupe key on the month checked).
import { schema } from '@crm/db';
import { needsDiagnosis, processDiagnosisPayload, shiftMonth } from '@crm/domain';
import { and, eq, inArray } from 'drizzle-orm';
import { attributionForMonth, latestMaturedMonth } from '../modules/reports/attribution.service';
import { createCard } from '../modules/tasks/cards.repo';
import type { Job } from './job';

export const ATTRIBUTION_SCHEDULE = '0 2 1 * *';

export const attributionJob: Job = {
  name: 'attribution',
  schedule: ATTRIBUTION_SCHEDULE,
  run: async ({ now, deps, tenantIds }) => {
    const counts = { tenants: 0, diagnosed: 0, cards: 0, failed: 0 };
    const t = schema.tenants;
    const tenants = await deps.db
      .select({ tenantId: t.tenantId, timeZone: t.timeZone })
      .from(t)
      .where(tenantIds?.length ? inArray(t.tenantId, tenantIds) : undefined);
    for (const tenant of tenants) {
      try {
        counts.tenants += 1;
        const latest = latestMaturedMonth(now, tenant.timeZone);
        const scope = { tenantId: tenant.tenantId, timeZone: tenant.timeZone };
        const [a, b] = await Promise.all([
          attributionForMonth(deps.db, scope, latest, now),
          attributionForMonth(deps.db, scope, shiftMonth(latest, -1), now),
        ]);
        if (!needsDiagnosis([a.budgetPassed.share, b.budgetPassed.share])) continue;
        counts.diagnosed += 1;
        const admins = await deps.db
          .select({ id: schema.users.id })
          .from(schema.users)
          .where(
            and(
              eq(schema.users.tenantId, tenant.tenantId),
              eq(schema.users.role, 'admin'),
              eq(schema.users.active, true),
            ),
          );
        await deps.db.transaction(async (tx) => {
          for (const admin of admins) {
            const id = await createCard(tx, {
              tenantId: tenant.tenantId,
              kind: 'process_diagnosis',
              dedupeKey: `process_diagnosis:${latest}:${admin.id}`,
              recipientId: admin.id,
              payload: processDiagnosisPayload({
                months: [b.month, a.month],
                budgetPassedShares: [b.budgetPassed.share, a.budgetPassed.share],
                threshold: a.budgetPassed.threshold,
                target: a.budgetPassed.target,
              }),
              now,
            });
            if (id) counts.cards += 1;
          }
        });
      } catch (err) {
        counts.failed += 1;
        deps.logger.error({ err, tenantId: tenant.tenantId }, 'attribution job failed for a tenant');
      }
    }
    return counts;
  },
};
