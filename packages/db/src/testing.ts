import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { type DatabaseHandle, type OpenOptions, openPglite, openPostgres } from './client';

export const DEFAULT_TEST_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestServer = { adminUrl: string; reachable: boolean };

/** Is a PostgreSQL server reachable at the given (or default) admin URL? */
export async function probeServer(adminUrl = DEFAULT_TEST_SERVER): Promise<TestServer> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('select 1');
    return { adminUrl, reachable: true };
  } catch {
    return { adminUrl, reachable: false };
  } finally {
    await client.end().catch(() => {});
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates a throw-away database on the server, migrated; returns its URL and a drop function. */
export async function createThrowawayDatabase(
  adminUrl: string,
  prefix = 'crm_test',
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const handle = openPostgres(url, { poolSize: 1 });
  await handle.migrate();
  await handle.close();
  return {
    url,
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

/**
 * The database a test file works on: the run's throw-away server database when the
 * global setup made one (TEST_DATABASE_URL), otherwise a fresh in-memory PGlite.
 */
export async function openTestDatabase(opts: OpenOptions = {}): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return openPostgres(url, { poolSize: 5, ...opts });
  const snapshot = process.env.TEST_PGLITE_SNAPSHOT;
  if (snapshot) {
    // Starting from a migrated snapshot saves each test file the migration (seconds on PGlite).
    const buf = await readFile(snapshot);
    return openPglite(undefined, { ...opts, snapshot: new Blob([buf]) });
  }
  const handle = openPglite(undefined, opts);
  await handle.migrate();
  return handle;
}

/** Migrates an in-memory PGlite once and saves its data folder as a tarball for openTestDatabase. */
export async function createPgliteSnapshot(file: string): Promise<void> {
  const handle = openPglite(undefined);
  await handle.migrate();
  const dump = await handle.client.dumpDataDir('none');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
}
