import type { AppDeps } from '../deps';

/** What a job did, printed by `jobs run` and stored in job_runs.counts. */
export type JobCounts = Record<string, number>;

export type JobContext = {
  now: Date;
  deps: AppDeps;
  /** Limit the run to these tenants (tests, `jobs run --tenant`); all tenants when absent. */
  tenantIds?: string[] | undefined;
  /**
   * A manual run (`jobs run`): the latest slot runs even outside its catch-up window and
   * even if it already ran. Cards stay exactly-once through their dedupe keys.
   */
  force?: boolean | undefined;
};

/** One scheduled job per file (jobs/<name>.job.ts): a name, a schedule, a plain run function. */
export type Job = {
  name: string;
  /** node-cron expression: when this instance wakes up to check for due work. */
  schedule: string;
  /** Zone the cron expression is read in (default UTC: steady intervals, no DST pauses). */
  cronTimeZone?: string;
  /** Also check once when the scheduler starts (node-cron never catches up missed ticks). */
  runOnStart?: boolean;
  run: (ctx: JobContext) => Promise<JobCounts>;
};
