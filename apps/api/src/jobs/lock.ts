// Mutual exclusion between instances: PostgreSQL session advisory locks on one dedicated
// connection per run. A crashed instance's connection closes and its locks go with it.
// PGlite is single-connection (its locks are re-entrant for us), so an in-process set
// guards it — and equally guards several runners sharing one pool inside a process.
import type { Db } from '@crm/db';

const NAMESPACE = 0x43524d4a; // "CRMJ"

/** FNV-1a, as a signed 32-bit integer (the second key of pg_try_advisory_lock(int, int)). */
export function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

type Queryable = { query: (text: string, params: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> };
type PoolLike = { connect: () => Promise<Queryable & { release: (err?: boolean) => void }>; totalCount: number };

const heldInProcess = new WeakMap<object, Set<string>>();

export type LockSession = {
  tryLock: (name: string) => Promise<boolean>;
  unlock: (name: string) => Promise<void>;
  close: () => Promise<void>;
};

function isPool(client: unknown): client is PoolLike {
  return typeof client === 'object' && client !== null && 'totalCount' in client && 'connect' in client;
}

export async function openLockSession(db: Db): Promise<LockSession> {
  const client = (db as unknown as { $client: object }).$client;
  let held = heldInProcess.get(client);
  if (!held) {
    held = new Set();
    heldInProcess.set(client, held);
  }
  const mine = new Set<string>();
  const conn: Queryable & { release?: (err?: boolean) => void } = isPool(client)
    ? await client.connect()
    : (client as unknown as Queryable);

  const session: LockSession = {
    async tryLock(name) {
      if (held.has(name)) return false;
      held.add(name);
      try {
        const res = await conn.query('select pg_try_advisory_lock($1, $2) as ok', [NAMESPACE, lockKey(name)]);
        if (res.rows[0]?.ok === true) {
          mine.add(name);
          return true;
        }
      } catch (e) {
        held.delete(name);
        throw e;
      }
      held.delete(name);
      return false;
    },
    async unlock(name) {
      if (!mine.delete(name)) return;
      try {
        await conn.query('select pg_advisory_unlock($1, $2)', [NAMESPACE, lockKey(name)]);
      } finally {
        held.delete(name);
      }
    },
    async close() {
      for (const name of [...mine]) await session.unlock(name).catch(() => {});
      conn.release?.();
    },
  };
  return session;
}
