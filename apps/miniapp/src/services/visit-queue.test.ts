import type { VisitBody } from '../lib/visit-form';
import { createVisitQueue, type QueuedVisit } from './visit-queue';

// A fake API with the contract's rule: the same clientId again returns the first record.
function fakeServer() {
  const records = new Map<string, { id: string; body: VisitBody }>();
  let online = true;
  let calls = 0;
  const gate: { hold?: Promise<void> } = {};
  return {
    records,
    get calls() {
      return calls;
    },
    setOnline: (v: boolean) => {
      online = v;
    },
    gate,
    async send(body: VisitBody) {
      calls++;
      if (gate.hold) await gate.hold;
      if (!online) throw Object.assign(new Error('网络不可用'), { status: 0 });
      if (!body.coreNeed) throw Object.assign(new Error('coreNeed is required'), { status: 422 });
      const first = records.get(body.clientId);
      if (first) return first;
      const rec = { id: `v-${records.size + 1}`, body };
      records.set(body.clientId, rec);
      return rec;
    },
  };
}

function memoryStorage() {
  let items: QueuedVisit[] = [];
  return { load: () => items, save: (next: QueuedVisit[]) => (items = next) };
}

function makeQueue(server = fakeServer(), storage = memoryStorage()) {
  const queue = createVisitQueue({
    ...storage,
    send: (b) => server.send(b),
    isTransient: (e) => {
      const s = (e as { status?: number }).status ?? 0;
      return s === 0 || s >= 500;
    },
    errorMessage: (e) => (e as Error).message,
  });
  return { queue, server, storage };
}

const body = (clientId: string, coreNeed = '返利'): VisitBody => ({
  customerId: 'c-1',
  coreNeed,
  nextContactAt: '2025-06-12T02:00:00.000Z',
  occurredAt: '2025-06-11T07:00:00.000Z',
  clientId,
});
const add = (q: ReturnType<typeof makeQueue>['queue'], clientId: string, coreNeed?: string) =>
  q.enqueue({ clientId, body: body(clientId, coreNeed), customerName: '张伟' });

describe('visit queue', () => {
  test('online: sent once and removed', async () => {
    const { queue, server } = makeQueue();
    add(queue, 'a');
    expect(await queue.flush()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(server.records.size).toBe(1);
    expect(queue.list()).toEqual([]);
  });

  test('offline: kept as pending (待同步), nothing lost; sent when the network returns', async () => {
    const { queue, server } = makeQueue();
    server.setOnline(false);
    add(queue, 'a');
    add(queue, 'b');
    expect(await queue.flush()).toEqual({ sent: 0, failed: 0, pending: 2 });
    expect(queue.list().map((i) => [i.clientId, i.status])).toEqual([
      ['a', 'pending'],
      ['b', 'pending'],
    ]);
    expect(server.calls).toBe(1); // stops at the first network error instead of hammering
    server.setOnline(true);
    expect(await queue.flush()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect([...server.records.keys()]).toEqual(['a', 'b']);
  });

  test('flushes started together (reconnect + app start) send each record once', async () => {
    const { queue, server } = makeQueue();
    add(queue, 'a');
    add(queue, 'b');
    let release = () => {};
    server.gate.hold = new Promise<void>((r) => {
      release = r;
    });
    const runs = [queue.flush(), queue.flush(), queue.flush()];
    release();
    server.gate.hold = undefined;
    await Promise.all(runs);
    expect(server.calls).toBe(2);
    expect(server.records.size).toBe(2);
    expect(queue.list()).toEqual([]);
  });

  test('a record added during a flush goes out in the same flush call', async () => {
    const { queue, server } = makeQueue();
    add(queue, 'a');
    let release = () => {};
    server.gate.hold = new Promise<void>((r) => {
      release = r;
    });
    const first = queue.flush();
    add(queue, 'b');
    const second = queue.flush();
    server.gate.hold = undefined;
    release();
    await Promise.all([first, second]);
    expect([...server.records.keys()]).toEqual(['a', 'b']);
    expect(server.calls).toBe(2);
  });

  test('enqueueing the same clientId twice keeps one entry', () => {
    const { queue } = makeQueue();
    add(queue, 'a');
    add(queue, 'a');
    expect(queue.list()).toHaveLength(1);
  });

  test('survives an app restart: a new queue over the same storage sends what is left', async () => {
    const storage = memoryStorage();
    const server = fakeServer();
    server.setOnline(false);
    const before = makeQueue(server, storage).queue;
    add(before, 'a');
    await before.flush();
    server.setOnline(true);
    const after = makeQueue(server, storage).queue; // app start
    await after.flush();
    expect(server.records.size).toBe(1);
    expect(after.list()).toEqual([]);
  });

  test('killed after sending but before removing: the retry returns the first record, no duplicate', async () => {
    const storage = memoryStorage();
    const server = fakeServer();
    add(makeQueue(server, storage).queue, 'a');
    // The app dies right after the request: none of its storage writes land.
    await makeQueue(server, { load: storage.load, save: () => [] }).queue.flush();
    expect(storage.load()).toHaveLength(1);
    await makeQueue(server, storage).queue.flush(); // next start
    expect(server.calls).toBe(2);
    expect(server.records.size).toBe(1);
    expect(storage.load()).toEqual([]);
  });

  test('a record the API refuses is marked failed (not retried forever) and does not block the others', async () => {
    const { queue, server } = makeQueue();
    add(queue, 'bad', '');
    add(queue, 'good');
    expect(await queue.flush()).toEqual({ sent: 1, failed: 1, pending: 0 });
    expect(queue.list()).toMatchObject([{ clientId: 'bad', status: 'failed', error: 'coreNeed is required' }]);
    await queue.flush();
    expect(server.calls).toBe(2);
  });

  test('listeners hear about changes; forCustomer filters', async () => {
    const { queue } = makeQueue();
    const heard = jest.fn();
    const off = queue.subscribe(heard);
    add(queue, 'a');
    expect(queue.forCustomer('c-1')).toHaveLength(1);
    expect(queue.forCustomer('c-2')).toHaveLength(0);
    await queue.flush();
    off();
    add(queue, 'b');
    expect(heard).toHaveBeenCalledTimes(2);
  });
});
