import type { Job } from './job';

// Filled in by its issue; the schedule is the contract's.
export const outboxJob: Job = {
  name: 'outbox',
  schedule: '*/5 * * * * *',
  run: async () => ({}),
};
