// One fresh throw-away database per test run on the real PostgreSQL server
// (DATABASE_URL or the default local server), dropped afterwards; PGlite otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPgliteSnapshot,
  createThrowawayDatabase,
  DEFAULT_TEST_SERVER,
  probeServer,
} from '../packages/db/src/testing';

export default async function setup() {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_TEST_SERVER;
  const server = await probeServer(adminUrl);
  if (!server.reachable) {
    delete process.env.TEST_DATABASE_URL;
    console.log(`\n[db] no PostgreSQL server at ${adminUrl}: tests run on embedded PGlite (in memory)\n`);
    const dir = mkdtempSync(join(tmpdir(), 'crm-pglite-'));
    const snapshot = join(dir, 'migrated.tar');
    await createPgliteSnapshot(snapshot);
    process.env.TEST_PGLITE_SNAPSHOT = snapshot;
    return () => rmSync(dir, { recursive: true, force: true });
  }
  const database = await createThrowawayDatabase(adminUrl);
  process.env.TEST_DATABASE_URL = database.url;
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  console.log(`\n[db] tests run on PostgreSQL, fresh database ${database.name}\n`);
  return async () => {
    if (process.env.KEEP_TEST_DB) return;
    await database.drop();
  };
}
