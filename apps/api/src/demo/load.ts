// Bulk loading of the demo dataset: large multi-row inserts in one transaction, so the
// demo is either all there or not there at all, and fast on single-connection PGlite.
import { type DbOrTx, schema } from '@crm/db';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DemoDataset, DemoTable } from './types';

/** Insert order: parents before children (matches the foreign keys). */
export const DEMO_TABLES: Record<DemoTable, PgTable> = {
  tenants: schema.tenants,
  users: schema.users,
  customers: schema.customers,
  customerIdentities: schema.customerIdentities,
  products: schema.products,
  seasonalTips: schema.seasonalTips,
  orders: schema.orders,
  tickets: schema.tickets,
  chatMessages: schema.chatMessages,
  visits: schema.visits,
  opportunities: schema.opportunities,
  contracts: schema.contracts,
  emails: schema.emails,
  signals: schema.signals,
  competitorNews: schema.competitorNews,
  kbArticles: schema.kbArticles,
};

/** PostgreSQL allows 65,535 bind parameters per statement; stay well under it. */
const MAX_PARAMS = 30_000;
const MAX_ROWS = 2_000;

export type ProgressFn = (p: { table: DemoTable; done: number; total: number }) => void;

export function totalRows(data: DemoDataset): number {
  return Object.values(data).reduce((s, rows) => s + rows.length, 0);
}

/** Inserts every row of the dataset into the given transaction (or database). */
export async function insertDemo(db: DbOrTx, data: DemoDataset, onProgress?: ProgressFn): Promise<void> {
  const total = totalRows(data);
  let done = 0;
  for (const [name, table] of Object.entries(DEMO_TABLES) as [DemoTable, PgTable][]) {
    const rows = data[name] as Record<string, unknown>[];
    if (rows.length === 0) continue;
    const columns = Object.keys(rows[0]!).length;
    const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns)));
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size);
      await db.insert(table).values(chunk as never);
      done += chunk.length;
      onProgress?.({ table: name, done, total });
    }
  }
}
