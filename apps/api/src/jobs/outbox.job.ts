import { createOutboxService } from '../modules/delivery/outbox.service';
import type { Job } from './job';

/** Every 5 s: send what the outbox holds (the contract's schedule). */
export const OUTBOX_SCHEDULE = '*/5 * * * * *';

export const outboxJob: Job = {
  name: 'outbox',
  schedule: OUTBOX_SCHEDULE,
  run: async ({ now, deps }) => {
    const service = createOutboxService({ ...deps, publicBaseUrl: deps.config.publicBaseUrl });
    const counts = await service.dispatch(now);
    return { ...counts };
  },
};
