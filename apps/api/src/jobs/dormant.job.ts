import type { Job } from './job';

// Filled in by its issue; the schedule is the contract's.
export const dormantJob: Job = {
  name: 'dormant',
  schedule: '0 15 * * 5',
  run: async () => ({}),
};
