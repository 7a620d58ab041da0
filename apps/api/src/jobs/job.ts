import type { AppDeps } from '../deps';

/** What a job did, printed by `jobs run` and stored in job_runs.counts. */
export type JobCounts = Record<string, number>;

export type JobContext = { now: Date; deps: AppDeps };

/** One scheduled job per file (jobs/<name>.job.ts): a name, a schedule, a plain run function. */
export type Job = {
  name: string;
  /** node-cron expression, evaluated in each tenant's time zone where the job is per tenant. */
  schedule: string;
  run: (ctx: JobContext) => Promise<JobCounts>;
};
