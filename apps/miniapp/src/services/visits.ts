// The app's visit queue, wired to storage and the API.
import { uuidFromBytes } from '../lib/uuid';
import type { VisitBody } from '../lib/visit-form';
import { randomBytes } from '../platform/random';
import { getItem, setItem } from '../platform/storage';
import { ApiError, api } from './api';
import { createVisitQueue, type QueuedVisit } from './visit-queue';

const KEY = 'crm.visitQueue';

export const visitQueue = createVisitQueue({
  load: () => getItem<QueuedVisit[]>(KEY) ?? [],
  save: (items) => setItem(KEY, items),
  send: (body: VisitBody) => api('POST', '/api/visits', { body }),
  isTransient: (err) =>
    !(err instanceof ApiError) ||
    err.status === 0 ||
    err.status === 401 ||
    err.status === 408 ||
    err.status === 429 ||
    err.status >= 500,
  errorMessage: (err) => (err instanceof Error ? err.message : String(err)),
});

export async function newClientId(): Promise<string> {
  return uuidFromBytes(await randomBytes(16));
}
