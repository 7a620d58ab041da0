import type { Job } from './job';

// Filled in by its issue; the schedule is the contract's.
export const overdueJob: Job = {
  name: 'overdue',
  schedule: '*/5 * * * *',
  run: async () => ({}),
};
