import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema/index';

export type Schema = typeof schema;
/** One type for both drivers: node-postgres (production, tests) and PGlite (zero-setup default). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;
/** Repos take this so a caller can pass its transaction through. */
export type DbOrTx = Db | Tx;

export type DatabaseHandle = {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Human-readable location (never includes a password). */
  describe: string;
  close: () => Promise<void>;
  migrate: () => Promise<void>;
};

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

// Returned instants must be Dates; parse timestamptz explicitly in raw SQL too.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint ${v} exceeds the safe integer range`);
  return n;
});

export type OpenOptions = {
  url?: string | undefined;
  dataDir?: string | undefined;
  poolSize?: number;
  logger?: Logger;
  applicationName?: string;
};

const MIGRATION_LOCK = 8_318_001;

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export function openPostgres(url: string, opts: OpenOptions = {}): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    application_name: opts.applicationName ?? 'signal-crm',
  });
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzleNodePg(pool, { schema, logger: opts.logger }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    describe: redactUrl(url),
    close: () => pool.end(),
    migrate: async () => {
      // Several instances may start at once: one migrates, the others wait for it.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migrateNodePg(drizzleNodePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    },
  };
}

/**
 * Whether this handle can run transactions side by side (a PostgreSQL server through a pool).
 * PGlite is one session: a second open transaction would queue behind the first.
 */
export const runsConcurrentTransactions = (db: Db): boolean =>
  (db as unknown as { $client?: unknown }).$client instanceof pg.Pool;

export function openPglite(
  dataDir: string | undefined,
  opts: OpenOptions & { snapshot?: Blob } = {},
): DatabaseHandle & { client: PGlite } {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = opts.snapshot ? new PGlite({ loadDataDir: opts.snapshot }) : new PGlite(dataDir);
  const db = drizzlePglite(client, { schema, logger: opts.logger }) as unknown as Db;
  return {
    client,
    db,
    kind: 'pglite',
    describe: dataDir ? `embedded PGlite at ${dataDir}` : 'embedded PGlite in memory',
    close: () => client.close(),
    migrate: async () => {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
  };
}

export function openDatabase(opts: OpenOptions): DatabaseHandle {
  return opts.url ? openPostgres(opts.url, opts) : openPglite(opts.dataDir, opts);
}
