import { createHash } from 'node:crypto';
import type { DbOrTx } from '@crm/db';
import type { Query, SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

// Raw statements return { rows } on both drivers (node-postgres and PGlite).
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Instants come back as Date from columns and as text from json_*; both leave as ISO-8601 UTC. */
export function iso(v: Date | string): string;
export function iso(v: Date | string | null | undefined): string | null;
export function iso(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return (v instanceof Date ? v : new Date(v)).toISOString();
}

const dialect = new PgDialect();

/**
 * Runs a raw statement as a named (server-side prepared) statement: a large read such as
 * the unified view is planned once per connection instead of on every request (planning
 * was ~85% of its cost). The name follows the SQL text, so every shape gets its own.
 * Goes through drizzle's session, so its logger still sees every statement.
 */
export async function executeNamed<T>(db: DbOrTx, query: SQL, prefix: string): Promise<T[]> {
  const q = dialect.sqlToQuery(query);
  const name = `${prefix}_${createHash('sha1').update(q.sql).digest('hex').slice(0, 16)}`;
  const result = await db._.session.prepareQuery(q, undefined, name, false).execute();
  return rowsOf<T>(result);
}

/** A statement built once (its parameters may be `sql.placeholder`s) with its statement name. */
export type PreparedSql = { query: Query; name: string };

export function prepareSql(query: SQL, prefix: string): PreparedSql {
  const q = dialect.sqlToQuery(query);
  return { query: q, name: `${prefix}_${createHash('sha1').update(q.sql).digest('hex').slice(0, 16)}` };
}

/** Runs a `prepareSql` statement as a named statement, filling its placeholders from `values`. */
export async function executePrepared<T>(db: DbOrTx, stmt: PreparedSql, values: Record<string, unknown>): Promise<T[]> {
  const result = await db._.session.prepareQuery(stmt.query, undefined, stmt.name, false).execute(values);
  return rowsOf<T>(result);
}
