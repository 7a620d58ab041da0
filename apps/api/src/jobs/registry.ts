import { attributionJob } from './attribution.job';
import { dormantJob } from './dormant.job';
import type { Job } from './job';
import { outboxJob } from './outbox.job';
import { overdueJob } from './overdue.job';

export const jobs: Record<string, Job> = {
  overdue: overdueJob,
  dormant: dormantJob,
  outbox: outboxJob,
  attribution: attributionJob,
};
