// Bulk loading of the demo dataset: large multi-row inserts in one transaction, so the
// demo is either all there or not there at all, and fast on single-connection PGlite.
import { type DbOrTx, schema } from '@crm/db';
import { getTableColumns, sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
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

/**
 * Rows per statement. Each statement carries its rows as one JSON parameter
 * (json_populate_recordset), so the 65,535 bind-parameter limit never applies, and
 * PGlite parses one value instead of tens of thousands: about twice as fast as
 * `values ($1, …), (…)` with the same rows.
 */
const ROWS_PER_STATEMENT = 4_000;

export type ProgressFn = (p: { table: DemoTable; done: number; total: number }) => void;

export function totalRows(data: DemoDataset): number {
  return Object.values(data).reduce((s, rows) => s + rows.length, 0);
}

/** Inserts rows (drizzle property names) into a table with multi-row statements. */
export async function bulkInsert(
  db: DbOrTx,
  table: PgTable,
  rows: readonly Record<string, unknown>[],
  onChunk?: (inserted: number) => void,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table);
  const name = getTableConfig(table).name;
  // Columns any row sets; the rest take their defaults.
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => r[k] !== undefined)))];
  const names = keys.map((k) => {
    const column = columns[k];
    if (!column) throw new Error(`${name} has no column for "${k}"`);
    return column.name;
  });
  const list = sql.raw(names.map((n) => `"${n}"`).join(', '));
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => {
      const out: Record<string, unknown> = {};
      keys.forEach((k, j) => {
        out[names[j]!] = r[k] ?? null;
      });
      return out;
    });
    await db.execute(
      sql`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ${JSON.stringify(chunk)}::json)`,
    );
    onChunk?.(chunk.length);
  }
}

/** Inserts every row of the dataset into the given transaction (or database). */
export async function insertDemo(db: DbOrTx, data: DemoDataset, onProgress?: ProgressFn): Promise<void> {
  const total = totalRows(data);
  let done = 0;
  for (const [name, table] of Object.entries(DEMO_TABLES) as [DemoTable, PgTable][]) {
    await bulkInsert(db, table, data[name] as Record<string, unknown>[], (n) => {
      done += n;
      onProgress?.({ table: name, done, total });
    });
  }
}
