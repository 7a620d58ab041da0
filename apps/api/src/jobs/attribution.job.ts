import type { Job } from './job';

// Filled in by its issue; the schedule is the contract's.
export const attributionJob: Job = {
  name: 'attribution',
  schedule: '0 2 1 * *',
  run: async () => ({}),
};
