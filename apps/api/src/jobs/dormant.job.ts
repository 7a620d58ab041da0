import { decideWeeklySlot } from '@crm/domain';
import { sweepDormant } from './dormant.sweep';
import type { Job } from './job';
import { runPerTenant, type TenantJob } from './runner';

/**
 * The wake-up run is weekly in each tenant's zone (default Friday 15:00, tenants.settings
 * dormantWeekday/Hour/Minute). node-cron cannot hold one expression per zone, so this
 * instance checks every minute and each tenant's slot is decided in its own zone.
 */
export const DORMANT_CHECK_SCHEDULE = '* * * * *';

const dormantTenantJob: TenantJob = {
  name: 'dormant',
  // The latest weekly slot is at most 7 days old; look a day further for safety.
  lookbackMs: 8 * 86_400_000,
  plan: (tenant, now, { force }) => {
    const s = tenant.settings;
    const d = decideWeeklySlot({
      now,
      zone: tenant.timeZone,
      spec: { weekday: s.dormantWeekday, hour: s.dormantHour, minute: s.dormantMinute },
      catchUpHours: s.catchUpHours,
    });
    if (d.action === 'run' || force) return { action: 'run', slot: d.slot };
    // A tenant created after the slot never missed it: nothing to skip, nothing to log.
    if (tenant.createdAt.getTime() > d.slot.getTime()) return null;
    return { action: 'skip', slot: d.slot, reason: d.reason };
  },
  sweep: sweepDormant,
};

export const dormantJob: Job = {
  name: 'dormant',
  schedule: DORMANT_CHECK_SCHEDULE,
  cronTimeZone: 'UTC',
  runOnStart: true,
  run: (ctx) => runPerTenant(dormantTenantJob, ctx),
};
