import type { AppDeps } from '../deps';

/** Registers the jobs with node-cron (server only). Filled in by the alert engine. */
export function startScheduler(_deps: AppDeps): { stop: () => Promise<void> } {
  return { stop: async () => {} };
}
