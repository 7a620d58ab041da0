// Offline-safe visits. Every record goes into this queue first (persisted, with its
// clientId) and is then sent; what cannot be sent stays as 待同步 and is retried on
// reconnect and on the next app start. "Never doubled" rests on two things: one flush
// at a time here, and the API answering a repeated clientId with the first record
// (so a crash between "sent" and "removed" is harmless).
import type { VisitBody } from '../lib/visit-form';

export type QueuedVisit = {
  clientId: string;
  body: VisitBody;
  customerName: string;
  queuedAt: string;
  status: 'pending' | 'failed';
  error?: string;
};

export type FlushResult = { sent: number; failed: number; pending: number };

export type VisitQueueDeps = {
  load(): QueuedVisit[];
  save(items: QueuedVisit[]): void;
  send(body: VisitBody): Promise<unknown>;
  /** Worth retrying later (no network, 5xx, 401 still unresolved)? Otherwise the item fails for good. */
  isTransient(err: unknown): boolean;
  errorMessage(err: unknown): string;
};

export function createVisitQueue(deps: VisitQueueDeps) {
  let inflight: Promise<FlushResult> | null = null;
  let again = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const fn of listeners) fn();
  };

  const update = (fn: (items: QueuedVisit[]) => QueuedVisit[]) => {
    deps.save(fn(deps.load()));
    notify();
  };

  function enqueue(item: Omit<QueuedVisit, 'status' | 'queuedAt'> & { queuedAt?: string }): void {
    if (deps.load().some((i) => i.clientId === item.clientId)) return;
    update((items) => [...items, { ...item, queuedAt: item.queuedAt ?? new Date().toISOString(), status: 'pending' }]);
  }

  async function runOnce(): Promise<FlushResult> {
    let sent = 0;
    let failed = 0;
    const tried = new Set<string>();
    for (;;) {
      const next = deps.load().find((i) => i.status === 'pending' && !tried.has(i.clientId));
      if (!next) break;
      tried.add(next.clientId);
      try {
        await deps.send(next.body);
        update((items) => items.filter((i) => i.clientId !== next.clientId));
        sent++;
      } catch (err) {
        if (deps.isTransient(err)) break; // keep it and everything after it for the next flush
        update((items) =>
          items.map((i) =>
            i.clientId === next.clientId ? { ...i, status: 'failed', error: deps.errorMessage(err) } : i,
          ),
        );
        failed++;
      }
    }
    return { sent, failed, pending: deps.load().filter((i) => i.status === 'pending').length };
  }

  /** Send what is pending. Concurrent calls share one run; a call during a run schedules one more. */
  function flush(): Promise<FlushResult> {
    if (inflight) {
      again = true;
      return inflight;
    }
    inflight = (async () => {
      let total: FlushResult = { sent: 0, failed: 0, pending: 0 };
      do {
        again = false;
        const r = await runOnce();
        total = { sent: total.sent + r.sent, failed: total.failed + r.failed, pending: r.pending };
        if (r.sent === 0 && r.failed === 0) break; // nothing moved: don't spin while offline
      } while (again);
      return total;
    })().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  return {
    enqueue,
    flush,
    list: () => deps.load(),
    forCustomer: (customerId: string) => deps.load().filter((i) => i.body.customerId === customerId),
    discard: (clientId: string) => update((items) => items.filter((i) => i.clientId !== clientId)),
    subscribe(fn: () => void) {
      listeners.add(fn);
      return () => {
        listeners.delete(fn);
      };
    },
  };
}

export type VisitQueue = ReturnType<typeof createVisitQueue>;
