// Customers / ingestion benchmarks: the unified view of a customer with a long history,
// HTTP ingestion throughput (batches of 1,000) and CSV import throughput.
// Each measurement is a reusable async function; `cases` lets bench/run.ts find them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@crm/db';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../apps/api/src/deps';
import { importCsv } from '../apps/api/src/modules/ingest/csv-import.service';
import type { BuiltTenant } from './build-tenant';
import { type BenchRow, loadTest } from './lib';
import type { BenchCase, BenchEnv } from './types';

/** The id build-tenant gives customer number g (owned by rep g % reps). */
export const benchCustomerId = (g: number) => `00000000-0000-4000-8000-${g.toString(16).padStart(12, '0')}`;
const benchPhone = (g: number) => `138${String(g).padStart(8, '0')}`;

/** Adds `n` timeline items (visits, orders, tickets, chats, payments, signals) to one customer, set-based. */
export async function seedLongHistory(
  db: Db,
  tenant: BuiltTenant,
  customerId: string,
  repId: string,
  n: number,
  now: Date,
) {
  const per = Math.ceil(n / 6);
  const at = (k: number) => sql.raw(`'${now.toISOString()}'::timestamptz - ((g * 6 + ${k}) * interval '7 minutes')`);
  const t = tenant.tenantId;
  await db.execute(sql`insert into visits (tenant_id, customer_id, rep_id, core_need, next_contact_at, occurred_at, recorded_at, promise_status)
    select ${t}, ${customerId}, ${repId}, '长历史需求 ' || g, ${at(0)} + interval '2 days', ${at(0)}, ${at(0)}, 'kept' from generate_series(1, ${per}) g`);
  await db.execute(sql`insert into orders (tenant_id, source, external_id, customer_id, amount_cents, status, fulfilment_score, ordered_at)
    select ${t}, 'bench-long', ${customerId}::text || '-' || g, ${customerId}, 1000 + g, 'fulfilled', g % 101, ${at(1)} from generate_series(1, ${per}) g`);
  await db.execute(sql`insert into tickets (tenant_id, source, external_id, customer_id, subject, opened_at)
    select ${t}, 'bench-long', ${customerId}::text || '-' || g, ${customerId}, '工单 ' || g, ${at(2)} from generate_series(1, ${per}) g`);
  await db.execute(sql`insert into chat_messages (tenant_id, source, external_id, customer_id, direction, content, sent_at)
    select ${t}, 'bench-long', ${customerId}::text || '-' || g, ${customerId}, case when g % 2 = 0 then 'in'::chat_direction else 'out'::chat_direction end, '消息 ' || g, ${at(3)} from generate_series(1, ${per}) g`);
  await db.execute(sql`insert into payments (tenant_id, provider, transaction_id, out_trade_no, customer_id, amount_cents, paid_at)
    select ${t}, 'erp', 'bench-long-' || ${customerId}::text || '-' || g, 'bench-' || g, ${customerId}, 1000, ${at(4)} from generate_series(1, ${per}) g`);
  await db.execute(sql`insert into signals (tenant_id, customer_id, level, kind, confidence, status, source, observed_at)
    select ${t}, ${customerId}, 1, 'business_licence', 0.3, 'confirmed', 'manual', ${at(5)} from generate_series(1, ${per}) g`);
  await db.execute(
    sql`analyze visits; analyze orders; analyze tickets; analyze chat_messages; analyze payments; analyze signals`,
  );
  return per * 6;
}

/** Latency of GET /api/customers/:id on a customer with `items` timeline items (first page and a deep page). */
export async function unifiedViewLatency(env: BenchEnv, items = 10_000): Promise<BenchRow[]> {
  const g = env.tenant.repIds.length * 2; // owned by repIds[0], whose token env.token is
  const id = benchCustomerId(g);
  const total = await seedLongHistory(env.db, env.tenant, id, env.tenant.repIds[0] as string, items, env.now);
  const headers = { authorization: `Bearer ${env.token}` };
  const deep = new Date(env.now.getTime() - 5_000 * 7 * 60_000).toISOString();
  const rows: BenchRow[] = [];
  for (const [name, path, connections] of [
    [`GET /api/customers/:id (${total} timeline items), 10 conns`, `/api/customers/${id}`, 10],
    [`GET /api/customers/:id (${total} items), 1 conn`, `/api/customers/${id}`, 1],
    [
      `GET /api/customers/:id?before=…&limit=50 (deep page)`,
      `/api/customers/${id}?before=${encodeURIComponent(deep)}&limit=50`,
      10,
    ],
  ] as const) {
    const r = await loadTest({ url: `${env.url}${path}`, headers, connections, durationSeconds: env.duration });
    rows.push({
      name,
      ...r,
      ratio: r.rps / env.baselineRps,
      note: r.non2xx ? `${r.non2xx} non-2xx` : 'target p99 ≤ 20 ms',
    });
  }
  return rows;
}

function orderBatch(prefix: string, from: number, size: number, customers: number) {
  return Array.from({ length: size }, (_, i) => {
    const n = from + i;
    return {
      externalId: `${prefix}-${n}`,
      customer: { phone: benchPhone(1 + (n % customers)) },
      amountCents: 1000 + (n % 50_000),
      orderedAt: '2026-05-01T10:00:00+08:00',
      status: 'paid',
      fulfilmentScore: n % 101,
      product: { sku: `SKU-${n % 200}`, name: `商品 ${n % 200}`, category: 'hvac' },
    };
  });
}

async function apiKeyFor(app: FastifyInstance, deps: AppDeps, tenantId: string): Promise<string> {
  const { issueApiKey } = await import('../apps/api/src/modules/tenants/tenants.service');
  void app;
  return issueApiKey(deps.db, tenantId, 'bench');
}

/** POST /api/ingest/orders in batches of 1,000 (`concurrency` connectors at once); items per second. */
export async function httpIngestThroughput(env: BenchEnv, batches = 20, concurrency = 1): Promise<BenchRow> {
  const key = await apiKeyFor(env.app, env.deps, env.tenant.tenantId);
  const customers = Math.min(env.scale.customers, 50_000);
  const prefix = `http-${concurrency}-${Date.now().toString(36)}`;
  const bodies = Array.from({ length: batches }, (_, b) =>
    JSON.stringify(orderBatch(prefix, b * 1000, 1000, customers)),
  );
  let next = 0;
  let rejected = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        const res = await fetch(`${env.url}/api/ingest/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body,
        });
        const json = (await res.json()) as { rejected?: unknown[] };
        if (!res.ok) throw new Error(`ingest answered ${res.status}`);
        rejected += json.rejected?.length ?? 0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    name: `POST /api/ingest/orders ×${batches} batches of 1000, ${concurrency} conn`,
    value: Math.round((batches * 1000) / seconds),
    unit: 'orders/s',
    note: `target ≥ 5000/s; ${rejected} rejected`,
  };
}

/** iconv-lite from the API's dependencies (the importer decodes with it), to write a GBK file as Chinese Excel does. */
const gbk = (text: string): Buffer =>
  (
    createRequire(new URL('../apps/api/package.json', import.meta.url))('iconv-lite') as {
      encode: (s: string, enc: string) => Buffer;
    }
  ).encode(text, 'gbk');

/**
 * `import orders` of a generated CSV of `rows` rows (Chinese headers, yuan amounts with
 * thousands separators, Chinese statuses), as UTF-8 with a BOM or as GBK; rows per second of
 * the first import (all inserts), and of a re-import of the same file (all unchanged).
 */
export async function csvImportThroughput(
  env: BenchEnv,
  rows = 100_000,
  encoding: 'utf8' | 'gbk' = 'utf8',
): Promise<BenchRow> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-bench-'));
  try {
    const customers = Math.min(env.scale.customers, 50_000);
    const prefix = encoding === 'gbk' ? 'CSVG' : 'CSV';
    const lines = ['订单号,手机,金额,下单时间,状态,履约评分'];
    for (let n = 0; n < rows; n++)
      lines.push(
        `${prefix}-${n},${benchPhone(1 + (n % customers))},"${(1000 + (n % 50_000)).toLocaleString('en-US')}.50",2026/5/1 10:00,已付款,${n % 101}`,
      );
    const file = join(dir, 'orders.csv');
    const text = lines.join('\r\n');
    writeFileSync(file, encoding === 'gbk' ? gbk(text) : `\uFEFF${text}`);
    const r = await importCsv(env.deps, { kind: 'orders', file, tenantId: env.tenant.tenantId });
    const again = await importCsv(env.deps, { kind: 'orders', file, tenantId: env.tenant.tenantId });
    return {
      name: `import orders CSV, ${encoding === 'gbk' ? 'GBK' : 'UTF-8'} (${rows} rows)`,
      value: r.rowsPerSecond,
      unit: 'rows/s',
      note: `target ≥ 20000/s; inserted ${r.inserted}, rejected ${r.rejected}; re-import ${again.rowsPerSecond}/s, unchanged ${again.unchanged}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const cases: BenchCase[] = [
  { name: 'customers: unified view', run: (env) => unifiedViewLatency(env) },
  {
    name: 'customers: HTTP ingestion',
    run: async (env) => [await httpIngestThroughput(env, 20, 1), await httpIngestThroughput(env, 20, 4)],
  },
  {
    name: 'customers: CSV import',
    run: async (env) => [
      await csvImportThroughput(env, 100_000, 'utf8'),
      await csvImportThroughput(env, 100_000, 'gbk'),
    ],
  },
];
