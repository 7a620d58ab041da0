// `npm run bench` — not part of `npm test`. Builds a large tenant in a fresh PostgreSQL
// database, measures a bare Fastify JSON endpoint as the baseline in the same run, then
// our endpoints and jobs, prints a table and writes JSON under bench/results/.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openPostgres } from '@crm/db';
import { createThrowawayDatabase, DEFAULT_TEST_SERVER, probeServer } from '@crm/db/testing';
import Fastify from 'fastify';
import pino from 'pino';
import { buildApp } from '../apps/api/src/app';
import { testConfig } from '../apps/api/src/config';
import { createDeps } from '../apps/api/src/deps';
import { signSession } from '../apps/api/src/plugins/auth';
import { systemClock } from '../apps/api/src/shared/clock';
import { buildTenant } from './build-tenant';
import { type BenchRow, loadTest, printTable, recordServerTimes, timeIt } from './lib';
import type { BenchCase, BenchEnv } from './types';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    visits: { type: 'string', default: '1000000' },
    orders: { type: 'string', default: '300000' },
    'open-promises': { type: 'string', default: '100000' },
    reps: { type: 'string', default: '45' },
    duration: { type: 'string', default: '5' },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

async function baseline(duration: number): Promise<BenchRow> {
  const app = Fastify({ logger: false });
  app.get('/json', async () => ({ hello: 'world', n: 42 }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const r = await loadTest({ url: `${address}/json`, durationSeconds: duration });
  await app.close();
  return { name: 'baseline: bare Fastify JSON', ...r, ratio: 1 };
}

async function discoverCases(): Promise<BenchCase[]> {
  const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts'));
  const cases: BenchCase[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { cases?: BenchCase[] };
    if (Array.isArray(mod.cases)) cases.push(...mod.cases);
  }
  return cases;
}

async function main() {
  const duration = Number(args.duration);
  const adminUrl = process.env.DATABASE_URL || DEFAULT_TEST_SERVER;
  if (!(await probeServer(adminUrl)).reachable) {
    console.error(`The benchmarks need a PostgreSQL server (DATABASE_URL or ${DEFAULT_TEST_SERVER}).`);
    process.exit(1);
  }
  const rows: BenchRow[] = [];
  console.log('measuring the baseline …');
  const base = await baseline(duration);
  rows.push(base);

  const database = await createThrowawayDatabase(adminUrl, 'crm_bench');
  const handle = openPostgres(database.url, { poolSize: 20 });
  try {
    const scale = {
      customers: Number(args.customers),
      visits: Number(args.visits),
      orders: Number(args.orders),
      reps: Number(args.reps),
      openPromises: Number(args['open-promises']),
    };
    console.log(`building a tenant: ${JSON.stringify(scale)}`);
    const now = new Date();
    const built = await timeIt(() => buildTenant(handle.db, scale, now));
    rows.push({ name: 'build tenant', value: built.ms / 1000, unit: 's', note: JSON.stringify(scale) });
    const deps = createDeps({
      db: handle.db,
      config: testConfig(),
      clock: systemClock,
      logger: pino({ level: 'silent' }),
    });
    const app = await buildApp(deps, { logger: pino({ level: 'silent' }) });
    const serverTimes = recordServerTimes(app);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const tenant = built.result;
    const token = signSession(app, { id: tenant.repIds[0] as string, tenantId: tenant.tenantId, role: 'rep' });
    const env: BenchEnv = {
      db: handle.db,
      deps,
      app,
      url,
      tenant,
      token,
      now,
      scale,
      duration,
      baselineRps: base.rps ?? 1,
      serverTimes,
    };
    const health = await loadTest({ url: `${url}/api/health`, durationSeconds: duration });
    rows.push({ name: 'GET /api/health (db ping)', ...health, ratio: health.rps / env.baselineRps });
    const me = await loadTest({
      url: `${url}/api/me`,
      headers: { authorization: `Bearer ${token}` },
      durationSeconds: duration,
    });
    rows.push({ name: 'GET /api/me (JWT + user)', ...me, ratio: me.rps / env.baselineRps });
    for (const c of await discoverCases()) {
      if (args.only ? !c.name.includes(args.only) : c.optIn) continue;
      console.log(`running ${c.name} …`);
      try {
        const out = await c.run(env);
        rows.push(...(Array.isArray(out) ? out : [out]));
      } catch (e) {
        rows.push({ name: c.name, note: `failed: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    await app.close();
  } finally {
    await handle.close();
    if (!args.keep) await database.drop();
  }
  rows.push({ name: 'peak RSS', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MiB' });
  console.log('');
  printTable(rows);
  mkdirSync(join(here, 'results'), { recursive: true });
  const file = join(here, 'results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2));
  console.log(`\nwritten ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
