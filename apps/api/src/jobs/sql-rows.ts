import type { DbOrTx } from '@crm/db';
import type { SQL } from 'drizzle-orm';

/** Raw set-based queries: both drivers (node-postgres, PGlite) answer with `{ rows }`. */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

export const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
export const toDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : toDate(v));

/** A uuid list as one text parameter: the same on both drivers. */
export const uuidList = (ids: string[]) => ids.join(',');
