// Registers the jobs with node-cron (server only). node-cron only wakes this instance up;
// what is due, and who runs it, is decided in PostgreSQL (ledger + advisory locks), so any
// number of instances can run this. Its own distributed mode is not used (PLATFORMS §6).
import cron, { type ScheduledTask } from 'node-cron';
import type { AppDeps } from '../deps';
import type { Job } from './job';
import { jobs as registry } from './registry';

export type Scheduler = {
  /** Runs a job's tick now (what a cron fire does) and waits for it; serialised per job. */
  tick: (name: string) => Promise<void>;
  /** The start-up checks (missed Friday runs, overdue promises) have finished. */
  ready: Promise<void>;
  stop: () => Promise<void>;
};

export function startScheduler(
  deps: AppDeps,
  opts: { tenantIds?: string[]; jobs?: Job[]; cron?: boolean } = {},
): Scheduler {
  const log = deps.logger.child({ component: 'scheduler' });
  const list = opts.jobs ?? Object.values(registry);
  const running = new Map<string, Promise<void>>();
  const tasks: ScheduledTask[] = [];
  let stopped = false;

  const runOnce = async (job: Job) => {
    const now = deps.clock.now(); // read once, passed down
    try {
      const counts = await job.run({ now, deps, tenantIds: opts.tenantIds });
      log.debug({ job: job.name, counts }, 'job tick');
    } catch (err) {
      log.error({ err, job: job.name }, 'job tick failed');
    }
  };

  /** A cron fire while the previous tick still runs is dropped (like noOverlap); tick() waits its turn. */
  const fire = (job: Job, wait: boolean): Promise<void> => {
    const current = running.get(job.name);
    if (current && !wait) return current;
    const next = (current ?? Promise.resolve()).then(() => (stopped ? undefined : runOnce(job)));
    const tracked = next.finally(() => {
      if (running.get(job.name) === tracked) running.delete(job.name);
    });
    running.set(job.name, tracked);
    return tracked;
  };

  for (const job of list) {
    if (opts.cron === false) break;
    const task = cron.schedule(job.schedule, () => fire(job, false), {
      name: `crm:${job.name}`,
      timezone: job.cronTimeZone ?? 'UTC',
      noOverlap: true,
    });
    tasks.push(task);
  }
  const ready = Promise.all(list.filter((j) => j.runOnStart).map((j) => fire(j, true))).then(() => {});

  return {
    tick: async (name) => {
      const job = list.find((j) => j.name === name);
      if (!job) throw new Error(`unknown job "${name}"`);
      await fire(job, true);
    },
    ready,
    stop: async () => {
      stopped = true;
      for (const t of tasks) await t.destroy();
      await Promise.allSettled([...running.values()]);
    },
  };
}
