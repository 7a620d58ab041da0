// The set-based ingestion path: one batch = a fixed handful of statements whatever its size;
// inserts, updates, unchanged rows and bad rows side by side; the same externalId twice; LTV
// recomputed from the orders table after cancels, refunds and moves; odd text through the
// array parameters; concurrent batches naming the same new product.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres, schema } from '@crm/db';
import { createThrowawayDatabase } from '@crm/db/testing';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { rowsOf } from '../src/modules/customers/sql-rows';
import { importCsv } from '../src/modules/ingest/csv-import.service';
import { pgArray, planForBatches, recomputeOrderRollups, rollupStatement } from '../src/modules/ingest/ingest.repo';
import { ingestOrders } from '../src/modules/ingest/ingest.service';
import { insertCustomer, type QueryLog, setupCountingApp } from './customers.fixtures';
import { createTestTenant, type TestContext, type TestTenant } from './helpers';

let ctx: TestContext & { log: QueryLog };
let t: TestTenant;
let dir: string;
beforeAll(async () => {
  ctx = await setupCountingApp('2026-06-05T02:00:00Z');
  t = await createTestTenant(ctx);
  dir = mkdtempSync(join(tmpdir(), 'crm-bulk-'));
});
afterAll(async () => ctx.close());

type Rejected = { index: number; code: string; message: string; field?: string };
const ingest = async (kind: string, items: unknown[], key = t.apiKey) => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/ingest/${kind}`,
    headers: { 'x-api-key': key },
    payload: items as object,
  });
  expect(res.statusCode).toBe(200);
  return res.json() as { inserted: number; updated: number; unchanged: number; rejected: Rejected[] };
};
const order = (externalId: string, phone: string, extra: Record<string, unknown> = {}) => ({
  externalId,
  customer: { phone },
  amountCents: 10_000,
  orderedAt: '2026-06-01T10:00:00+08:00',
  status: 'paid',
  ...extra,
});
const orderRow = async (tenantId: string, externalId: string, source = 'default') =>
  (
    await ctx.deps.db
      .select()
      .from(schema.orders)
      .where(
        and(
          eq(schema.orders.tenantId, tenantId),
          eq(schema.orders.source, source),
          eq(schema.orders.externalId, externalId),
        ),
      )
  )[0];
const customerRow = async (tenantId: string, id: string) =>
  (
    await ctx.deps.db
      .select()
      .from(schema.customers)
      .where(and(eq(schema.customers.tenantId, tenantId), eq(schema.customers.id, id)))
  )[0];
/** The cached figures of every customer of the tenant that disagree with its orders. */
const staleRollups = async (tenantId: string) =>
  rowsOf(
    await ctx.deps.db.execute(sql`
      select c.id, c.ltv_cents, c.order_count, x.ltv, x.n from customers c
      cross join lateral (
        select coalesce(sum(o.amount_cents) filter (where o.status not in ('cancelled', 'refunded')), 0)::bigint as ltv,
          (count(*) filter (where o.status not in ('cancelled', 'refunded')))::int as n
        from orders o where o.tenant_id = c.tenant_id and o.customer_id = c.id) x
      where c.tenant_id = ${tenantId} and (c.ltv_cents <> x.ltv or c.order_count <> x.n)`),
  );
/**
 * Batch A — one order of `customerId`, with the customer's figures — written in a transaction
 * held open until `other` (started after A's write) waits on one of A's locks; then A commits.
 * Returns what `other` returned.
 */
async function whileBatchHeld<T>(
  tenantId: string,
  a: { externalId: string; customerId: string; amountCents: number },
  other: () => Promise<T>,
): Promise<T> {
  let release = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  let wrote = () => {};
  const written = new Promise<void>((r) => {
    wrote = r;
  });
  const tx = ctx.deps.db.transaction(async (t) => {
    await t.execute(sql`insert into orders (tenant_id, external_id, customer_id, amount_cents, status, ordered_at)
      values (${tenantId}, ${a.externalId}, ${a.customerId}, ${a.amountCents}, 'paid', '2026-06-01T02:00:00Z')`);
    await recomputeOrderRollups(t, tenantId, [a.customerId], new Date('2026-06-05T02:00:00Z'));
    wrote();
    await held;
  });
  await written;
  const result = other();
  for (let i = 0; i < 200; i++) {
    const waiting = rowsOf<{ n: number }>(
      await ctx.deps.db.execute(sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`),
    )[0]?.n;
    if (waiting) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  release();
  await tx;
  return result;
}
const codes = (r: { rejected: Rejected[] }) => r.rejected.map((x) => [x.index, x.code]);

describe('array parameters', () => {
  test.each([
    [['a', 'b'], '{"a","b"}'],
    [[null, undefined, ''], '{NULL,NULL,""}'],
    [['NULL', 'x,y', '{z}', ' sp '], '{"NULL","x,y","{z}"," sp "}'],
    [['say "hi"', 'back\\slash'], '{"say \\"hi\\"","back\\\\slash"}'],
    [[1, 0, -5, true, false], '{1,0,-5,t,f}'],
    [[new Date('2026-06-01T00:00:00Z')], '{"2026-06-01T00:00:00.000Z"}'],
    [[], '{}'],
  ])('%j → %s', (values, literal) => {
    expect(pgArray(values)).toBe(literal);
  });

  it('refuses a number PostgreSQL would misread', () => {
    expect(() => pgArray([Number.NaN])).toThrow(/finite/);
  });
});

describe('one batch, set-based', () => {
  it('inserts, updates, leaves unchanged and rejects in one batch; a re-send changes nothing', async () => {
    const a = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613710000001' });
    const b = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613710000002' });
    expect(
      await ingest('orders', [
        order('bkU-1', '13710000001'),
        order('bkU-2', '13710000001', { amountCents: 20_000 }),
        order('bkU-3', '13710000002', { amountCents: 30_000 }),
        order('bkU-4', '13710000002', { amountCents: 5_000 }),
      ]),
    ).toMatchObject({ inserted: 4, updated: 0, unchanged: 0, rejected: [] });
    expect(await customerRow(t.tenantId, a.id)).toMatchObject({ ltvCents: 30_000, orderCount: 2 });
    expect(await customerRow(t.tenantId, b.id)).toMatchObject({ ltvCents: 35_000, orderCount: 2 });
    const u1 = await orderRow(t.tenantId, 'bkU-1');
    ctx.clock.advance(60_000);

    const odd = 'Room "7", {B} \\ wing, NULL';
    const mixed = [
      order('bkU-1', '13710000001'), // 0 unchanged
      order('bkU-2', '13710000001', { amountCents: 20_000, status: 'cancelled' }), // 1 updated
      order('bkN-1', '13710000001', { amountCents: 7_000 }), // 2 inserted
      order('bkN-9', '13710000001', { amountCents: undefined, amount: '12.345' }), // 3 bad amount
      order('bkU-3', '13710000002', { amountCents: 30_000, status: 'refunded' }), // 4 updated
      order('bkU-4', '13710000001', { amountCents: 5_000 }), // 5 updated: moved from b to a
      order('bkN-8', '13799999999'), // 6 unknown customer
      order('bkN-2', '13710000002', {
        amountCents: 100,
        shipAddress: odd,
        product: { sku: 'S,"1"', name: 'NULL', category: '{}' },
      }), // 7 inserted
      order('bkN-7', '13710000002', { orderedAt: undefined }), // 8 missing field
      { ...order('bkU-1', '13710000002', { amountCents: 200 }), source: 'shop' }, // 9 inserted: another source
    ];
    const first = await ingest('orders', mixed);
    expect(first).toMatchObject({ inserted: 3, updated: 3, unchanged: 1 });
    expect(codes(first)).toEqual([
      [3, 'INVALID_AMOUNT'],
      [6, 'UNKNOWN_CUSTOMER'],
      [8, 'VALIDATION_FAILED'],
    ]);
    expect(first.rejected[2]).toMatchObject({ field: 'orderedAt' });

    // The unchanged row was not touched; the changed ones were, in place.
    expect((await orderRow(t.tenantId, 'bkU-1'))?.updatedAt).toEqual(u1?.updatedAt);
    expect(await orderRow(t.tenantId, 'bkU-2')).toMatchObject({ status: 'cancelled' });
    expect((await orderRow(t.tenantId, 'bkU-4'))?.customerId).toBe(a.id);
    expect(await orderRow(t.tenantId, 'bkU-1', 'shop')).toMatchObject({ customerId: b.id, amountCents: 200 });
    // Text with quotes, braces, backslashes, commas and the word NULL arrives as sent.
    const n2 = await orderRow(t.tenantId, 'bkN-2');
    expect(n2?.shipAddress).toBe(odd);
    const [product] = await ctx.deps.db
      .select()
      .from(schema.products)
      .where(and(eq(schema.products.tenantId, t.tenantId), eq(schema.products.id, n2?.productId ?? '')));
    expect(product).toMatchObject({ sku: 'S,"1"', name: 'NULL', category: '{}' });

    // a: bkU-1 10,000 + bkN-1 7,000 + bkU-4 5,000 (bkU-2 cancelled); b: bkN-2 100 + shop bkU-1 200 (bkU-3 refunded).
    expect(await customerRow(t.tenantId, a.id)).toMatchObject({ ltvCents: 22_000, orderCount: 3 });
    expect(await customerRow(t.tenantId, b.id)).toMatchObject({ ltvCents: 300, orderCount: 2 });
    expect(await staleRollups(t.tenantId)).toEqual([]);

    const again = await ingest('orders', mixed);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 7 });
    expect(codes(again)).toEqual(codes(first));
    const count = await ctx.deps.db.execute(sql`select count(*)::int as n from orders where tenant_id = ${t.tenantId}`);
    expect(rowsOf(count)).toEqual([{ n: 7 }]);
  });

  it('the same externalId twice in one batch: the last one wins, the earlier is reported', async () => {
    const s = await createTestTenant(ctx);
    const c = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613720000001' });
    const r = await ingest(
      'orders',
      [
        order('bkD-1', '13720000001', { amountCents: 100 }), // 0 superseded by 1
        order('bkD-1', '13720000001', { amountCents: 200 }), // 1 kept
        order('bkD-2', '13720000001', { amountCents: 300 }), // 2 kept: the later bkD-2 is invalid
        order('bkD-2', '13720000001', { amountCents: 'abc' }), // 3 rejected on its own
        order('bkD-3', '13720000001', { amountCents: 400 }), // 4 superseded by 5 (identical)
        order('bkD-3', '13720000001', { amountCents: 400 }), // 5 kept
        { ...order('bkD-1', '13720000001', { amountCents: 500 }), source: 'pos' }, // 6 another source: its own order
      ],
      s.apiKey,
    );
    expect(r).toMatchObject({ inserted: 4, updated: 0, unchanged: 0 });
    expect(codes(r)).toEqual([
      [0, 'DUPLICATE_IN_BATCH'],
      [3, 'INVALID_AMOUNT'],
      [4, 'DUPLICATE_IN_BATCH'],
    ]);
    expect(r.rejected[0]?.message).toMatch(/index 1/);
    expect(r.rejected[0]).not.toHaveProperty('supersededBy');
    expect((await orderRow(s.tenantId, 'bkD-1'))?.amountCents).toBe(200);
    expect((await orderRow(s.tenantId, 'bkD-2'))?.amountCents).toBe(300);
    expect((await orderRow(s.tenantId, 'bkD-1', 'pos'))?.amountCents).toBe(500);
    expect(await customerRow(s.tenantId, c.id)).toMatchObject({ ltvCents: 1_400, orderCount: 4 });
    // Re-sent with the stored version last: nothing changes.
    const again = await ingest(
      'orders',
      [order('bkD-1', '13720000001', { amountCents: 999 }), order('bkD-1', '13720000001', { amountCents: 200 })],
      s.apiKey,
    );
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1, rejected: [{ index: 0 }] });
    expect((await orderRow(s.tenantId, 'bkD-1'))?.amountCents).toBe(200);
  });

  it('LTV and order count follow cancels, refunds, reinstatements and moves; last interaction never goes back', async () => {
    const s = await createTestTenant(ctx);
    const a = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613730000001' });
    const b = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613730000002' });
    const at = (day: number) => `2026-05-${String(day).padStart(2, '0')}T10:00:00+08:00`;
    const send = (items: unknown[]) => ingest('orders', items, s.apiKey);
    await send([
      order('bkL-1', '13730000001', { amountCents: 1_000, orderedAt: at(1) }),
      order('bkL-2', '13730000001', { amountCents: 2_000, orderedAt: at(2) }),
      order('bkL-3', '13730000001', { amountCents: 4_000, orderedAt: at(3), status: 'fulfilled' }),
    ]);
    const check = async (ltvA: number, nA: number, ltvB: number, nB: number) => {
      expect(await customerRow(s.tenantId, a.id)).toMatchObject({ ltvCents: ltvA, orderCount: nA });
      expect(await customerRow(s.tenantId, b.id)).toMatchObject({ ltvCents: ltvB, orderCount: nB });
      expect(await staleRollups(s.tenantId)).toEqual([]);
    };
    await check(7_000, 3, 0, 0);
    const lastA = (await customerRow(s.tenantId, a.id))?.lastInteractionAt;
    expect(lastA?.toISOString()).toBe('2026-05-03T02:00:00.000Z');
    // Cancel the latest and refund another in one batch.
    expect(
      await send([
        order('bkL-3', '13730000001', { amountCents: 4_000, orderedAt: at(3), status: 'cancelled' }),
        order('bkL-1', '13730000001', { amountCents: 1_000, orderedAt: at(1), status: 'refunded' }),
      ]),
    ).toMatchObject({ updated: 2 });
    await check(2_000, 1, 0, 0);
    expect((await customerRow(s.tenantId, a.id))?.lastInteractionAt).toEqual(lastA);
    // Reinstate the cancelled one, move bkL-2 to b with a new amount, refund nothing else.
    await send([
      order('bkL-3', '13730000001', { amountCents: 4_000, orderedAt: at(3), status: 'fulfilled' }),
      order('bkL-2', '13730000002', { amountCents: 2_500, orderedAt: at(2) }),
    ]);
    await check(4_000, 1, 2_500, 1);
    // Every order of a cancelled: LTV 0, count 0, the interaction stays.
    await send([
      order('bkL-3', '13730000001', { amountCents: 4_000, orderedAt: at(3), status: 'cancelled' }),
      order('bkL-1', '13730000001', { amountCents: 1_000, orderedAt: at(1), status: 'cancelled' }),
    ]);
    await check(0, 0, 2_500, 1);
    expect((await customerRow(s.tenantId, a.id))?.lastInteractionAt).toEqual(lastA);
    // A move alone in its batch: the customer it leaves is recomputed too.
    expect(await send([order('bkL-2', '13730000001', { amountCents: 2_500, orderedAt: at(2) })])).toMatchObject({
      updated: 1,
    });
    await check(2_500, 1, 0, 0);
  });

  it('takes a fixed number of statements whatever the batch size', async () => {
    const s = await createTestTenant(ctx);
    const phones = Array.from({ length: 40 }, (_, i) => `1374000${String(i).padStart(4, '0')}`);
    for (const p of phones) await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: `+86${p}` });
    const batch = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        order(`bk${prefix}-${i}`, phones[i % phones.length] as string, {
          amountCents: 10_000 + i,
          product: { sku: `SKU-${i % 30}`, name: `商品 ${i % 30}`, category: 'hvac' },
        }),
      );
    const statements = async (items: unknown[]) => {
      // Store rules run after the commit and are counted apart: they are their own module.
      const after: (() => Promise<void>)[] = [];
      ctx.log.reset();
      const r = await ingestOrders(ctx.deps, s.tenantId, items, { afterCommit: (w) => after.push(w) });
      const n = ctx.log.count;
      for (const w of after) await w();
      return { n, r };
    };
    const small = await statements(batch('S', 10));
    const large = await statements(batch('L', 3_000));
    expect(small.r).toMatchObject({ inserted: 10, rejected: [] });
    expect(large.r).toMatchObject({ inserted: 3_000, rejected: [] });
    expect(large.n).toBe(small.n);
    // begin, planner setting, resolve, upsert, lock customers, rollups, commit (+ the tenant).
    expect(small.n).toBeLessThanOrEqual(9);
    // Re-sending 3,000 unchanged orders: still the same statements, nothing written.
    const resent = await statements(batch('L', 3_000));
    expect(resent.r).toMatchObject({ inserted: 0, updated: 0, unchanged: 3_000 });
    expect(resent.n).toBeLessThanOrEqual(small.n);
    expect(await staleRollups(s.tenantId)).toEqual([]);
  });

  it('concurrent batches naming the same new product share one product row', async () => {
    const s = await createTestTenant(ctx);
    await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613750000001' });
    const product = { sku: 'NEW-1', name: '新品', category: 'hvac' };
    const results = await Promise.all(
      [0, 1, 2].map((k) =>
        ingest(
          'orders',
          Array.from({ length: 20 }, (_, i) => order(`bkP-${k}-${i}`, '13750000001', { product })),
          s.apiKey,
        ),
      ),
    );
    for (const r of results) expect(r).toMatchObject({ inserted: 20, rejected: [] });
    const rows = await ctx.deps.db.execute(sql`
      select count(distinct o.product_id)::int as products, count(*)::int as orders, count(o.product_id)::int as linked
      from orders o where o.tenant_id = ${s.tenantId}`);
    expect(rowsOf(rows)).toEqual([{ products: 1, orders: 60, linked: 60 }]);
  });

  it('concurrent batches sharing customers in different orders all commit (no deadlock)', async () => {
    const s = await createTestTenant(ctx);
    const phones = Array.from({ length: 60 }, (_, i) => `1378000${String(i).padStart(4, '0')}`);
    const customers = [];
    for (const p of phones) customers.push(await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: `+86${p}` }));
    const rotated = (k: number) => [...phones.slice(k * 15), ...phones.slice(0, k * 15)];
    const batches = [0, 1, 2, 3].map((k) =>
      (k % 2 ? rotated(k).reverse() : rotated(k)).map((p, i) => order(`bkX-${k}-${i}`, p, { amountCents: 100 })),
    );
    const results = await Promise.all(batches.map((b) => ingest('orders', b, s.apiKey)));
    for (const r of results) expect(r).toMatchObject({ inserted: 60, rejected: [] });
    for (const c of customers.slice(0, 3))
      expect(await customerRow(s.tenantId, c.id)).toMatchObject({ ltvCents: 400, orderCount: 4 });
    expect(await staleRollups(s.tenantId)).toEqual([]);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'a batch that waits for another on the same customer counts that batch’s orders in the LTV',
    async () => {
      const s = await createTestTenant(ctx);
      const c = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613760000001' });
      // Batch B for the same customer starts while A is open, and must wait for it.
      const b = await whileBatchHeld(s.tenantId, { externalId: 'bkR-A', customerId: c.id, amountCents: 100 }, () =>
        ingest('orders', [order('bkR-B', '13760000001', { amountCents: 300 })], s.apiKey),
      );
      expect(b).toMatchObject({ inserted: 1, rejected: [] });
      expect(await customerRow(s.tenantId, c.id)).toMatchObject({ ltvCents: 400, orderCount: 2 });
      expect(await staleRollups(s.tenantId)).toEqual([]);
    },
  );

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'an order moved by a batch that waited for another batch’s write leaves no LTV at the customer it left',
    async () => {
      const s = await createTestTenant(ctx);
      const left = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613760000011' });
      const took = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613760000012' });
      // Batch B moves bkV-1 (written by A for the first customer) to the second; its upsert
      // waits for A's row, and its snapshot predates A's commit: it never saw the first owner.
      const b = await whileBatchHeld(s.tenantId, { externalId: 'bkV-1', customerId: left.id, amountCents: 700 }, () =>
        ingest('orders', [order('bkV-1', '13760000012', { amountCents: 700 })], s.apiKey),
      );
      expect(b).toMatchObject({ updated: 1, rejected: [] });
      expect(await customerRow(s.tenantId, left.id)).toMatchObject({ ltvCents: 0, orderCount: 0 });
      expect(await customerRow(s.tenantId, took.id)).toMatchObject({ ltvCents: 700, orderCount: 1 });
      expect(await staleRollups(s.tenantId)).toEqual([]);
    },
  );

  it('CSV with one row per batch, each order moved in the next batch: every customer’s figures exact', async () => {
    const s = await createTestTenant(ctx);
    const phones = ['13922220001', '13922220002', '13922220003', '13922220004', '13922220005'];
    for (const p of phones) await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: `+86${p}` });
    const lines = ['externalId,phone,amount,orderedAt,status'];
    for (let k = 1; k <= 4; k++)
      lines.push(
        `MV${k},${phones[k - 1]},100.00,2026/5/2 10:00,paid`,
        `MV${k},${phones[4]},200.00,2026/5/2 10:00,paid`,
      );
    const file = join(dir, 'moves.csv');
    writeFileSync(file, lines.join('\n'));
    const r = await importCsv(ctx.deps, { kind: 'orders', file, tenantId: s.tenantId, batchSize: 1 });
    expect(r).toMatchObject({ rows: 8, inserted: 4, updated: 4, rejected: 0 });
    expect(await staleRollups(s.tenantId)).toEqual([]);
  });

  it('an ingested batch raises the store cards: a coupon for a small repeat buyer (also after a move), a review for 6 orders to one address in a day', async () => {
    const s = await createTestTenant(ctx);
    const small = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613770000001' });
    const burst = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613770000002' });
    const left = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613770000003' });
    const cards = async () =>
      rowsOf<{ kind: string; customer_id: string | null; recipient_id: string }>(
        await ctx.deps.db.execute(sql`select kind, customer_id, recipient_id from tasks
          where tenant_id = ${s.tenantId} and kind in ('coupon', 'order_review') order by kind, customer_id`),
      );
    await ingest(
      'orders',
      [
        ...[0, 1, 2].map((i) => order(`bkS-${i}`, '13770000001', { amountCents: 8_000 })),
        ...[0, 1, 2, 3, 4, 5].map((i) =>
          order(`bkA-${i}`, '13770000002', {
            amountCents: 50_000,
            shipAddress: '上海市徐汇区 漕溪北路 1号',
            orderedAt: `2026-06-01T1${i}:00:00+08:00`,
          }),
        ),
        // Three small orders and one large one: averages 85+ CNY, no coupon yet.
        ...[0, 1, 2].map((i) => order(`bkM-${i}`, '13770000003', { amountCents: 8_000 })),
        order('bkM-big', '13770000003', { amountCents: 90_000 }),
      ],
      s.apiKey,
    );
    expect(await cards()).toEqual([
      { kind: 'coupon', customer_id: small.id, recipient_id: s.rep.id },
      { kind: 'order_review', customer_id: burst.id, recipient_id: s.admin.id },
    ]);
    // The large order moves to another customer: the one it left is now a small repeat buyer.
    await ingest('orders', [order('bkM-big', '13770000002', { amountCents: 90_000 })], s.apiKey);
    expect((await cards()).filter((c) => c.kind === 'coupon').map((c) => c.customer_id)).toEqual(
      [small.id, left.id].sort(),
    );
  });

  it('tickets and chats for several customers in one batch keep each customer’s instants', async () => {
    const s = await createTestTenant(ctx);
    const a = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613760000001' });
    const b = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613760000002' });
    const chat = (id: string, phone: string, direction: string, sentAt: string) => ({
      externalId: id,
      customer: { phone },
      direction,
      content: `"引号" {括号} \\ ${id}`,
      sentAt,
    });
    expect(
      await ingest(
        'chats',
        [
          chat('bkC-1', '13760000001', 'in', '2026-06-01T01:00:00Z'),
          chat('bkC-2', '13760000001', 'out', '2026-06-01T02:00:00Z'),
          chat('bkC-3', '13760000002', 'in', '2026-06-02T03:00:00Z'),
          chat('bkC-2', '13760000001', 'out', '2026-06-01T00:30:00Z'),
        ],
        s.apiKey,
      ),
    ).toMatchObject({ inserted: 3, rejected: [{ index: 1, code: 'DUPLICATE_IN_BATCH' }] });
    const ra = await customerRow(s.tenantId, a.id);
    const rb = await customerRow(s.tenantId, b.id);
    expect(ra?.lastInteractionAt?.toISOString()).toBe('2026-06-01T01:00:00.000Z');
    expect(ra?.lastRepTouchAt?.toISOString()).toBe('2026-06-01T00:30:00.000Z');
    expect(rb?.lastInteractionAt?.toISOString()).toBe('2026-06-02T03:00:00.000Z');
    expect(rb?.lastRepTouchAt).toBeNull();
    const [m] = await ctx.deps.db
      .select()
      .from(schema.chatMessages)
      .where(and(eq(schema.chatMessages.tenantId, s.tenantId), eq(schema.chatMessages.externalId, 'bkC-1')));
    expect(m?.content).toBe('"引号" {括号} \\ bkC-1');
    expect(
      await ingest(
        'tickets',
        [
          { externalId: 'bkK-1', customer: { phone: '13760000002' }, subject: 'a', openedAt: '2026-06-03T00:00:00Z' },
          { externalId: 'bkK-2', customer: { phone: '13760000001' }, subject: 'b', openedAt: '2026-06-04T00:00:00Z' },
        ],
        s.apiKey,
      ),
    ).toMatchObject({ inserted: 2 });
    expect((await customerRow(s.tenantId, a.id))?.lastInteractionAt?.toISOString()).toBe('2026-06-04T00:00:00.000Z');
    expect((await customerRow(s.tenantId, b.id))?.lastInteractionAt?.toISOString()).toBe('2026-06-03T00:00:00.000Z');
  });
});

describe('planning a batch', () => {
  it.skipIf(!process.env.TEST_ADMIN_DATABASE_URL)(
    'the rollup finds a batch’s customers by primary key, not by scanning the tenant (planForBatches)',
    async () => {
      // Its own database: 50,000 customers and fresh statistics would change the plans other
      // test files see in the run's shared one.
      const own = await createThrowawayDatabase(process.env.TEST_ADMIN_DATABASE_URL as string, 'crm_test_plan');
      const handle = openPostgres(own.url, { poolSize: 1 });
      try {
        const db = handle.db;
        const [tenant] = rowsOf<{ tenant_id: string }>(
          await db.execute(sql`insert into tenants (slug, name) values ('plan', '计划') returning tenant_id`),
        );
        const tenantId = tenant?.tenant_id as string;
        const [owner] = rowsOf<{ id: string }>(
          await db.execute(
            sql`insert into users (tenant_id, name, role) values (${tenantId}, '代表', 'rep') returning id`,
          ),
        );
        await db.execute(sql`
          insert into customers (tenant_id, owner_id, name, search_key, phones, emails)
          select ${tenantId}, ${owner?.id}, '客户' || g, 'kh' || g, '[]'::jsonb, '{}'::text[] from generate_series(1, 50000) g`);
        await db.execute(sql`analyze customers`);
        const ids = rowsOf<{ id: string }>(
          await db.execute(sql`select id from customers where tenant_id = ${tenantId} order by id limit 1000`),
        ).map((r) => r.id);
        // EXPLAIN only plans the UPDATE; nothing is written.
        const probe = async (batchPlanning: boolean) =>
          db.transaction(async (tx) => {
            if (batchPlanning) await planForBatches(tx);
            const res = await tx.execute(
              sql`explain ${rollupStatement(tenantId, sql`${`{${ids.join(',')}}`}::uuid[]`, new Date())}`,
            );
            return rowsOf<{ 'QUERY PLAN': string }>(res)
              .map((r) => r['QUERY PLAN'])
              .join('\n');
          });
        const withSetting = await probe(true);
        expect(withSetting).toContain('Index Scan using customers_tenant_id_id_pk');
        expect(withSetting).not.toContain('Seq Scan on customers');
        // What it guards against: PostgreSQL's default cost model scans and hashes the tenant.
        expect(await probe(false)).toContain('Seq Scan on customers');
      } finally {
        await handle.close();
        await own.drop();
      }
    },
  );
});

describe('CSV import in batches', () => {
  it('the later row of an externalId wins, within a batch and across batches; rejects come out in line order', async () => {
    const s = await createTestTenant(ctx);
    const c = await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: '+8613770000001' });
    const csv = [
      'externalId,phone,amount,orderedAt',
      'bkC-1,13770000001,1.00,2026/5/1 10:00', // line 2  ┐
      'bkC-2,13770000001,2.00,2026/5/1 10:00', // line 3  │ batch 1
      'bkC-3,13770000001,3.00,2026/5/1 10:00', // line 4  ┘
      'bkC-1,13770000001,4.00,2026/5/2 10:00', // line 5  ┐ superseded by line 7 (same batch)
      'bkC-4,13770000001,x,2026/5/2 10:00', //    line 6  │ batch 2: bad amount
      'bkC-1,13770000001,5.00,2026/5/2 10:00', // line 7  ┘
      'bkC-2,13770000001,6.00,2026/5/3 10:00', // line 8  ┐ updates line 3's row (an earlier batch)
      'bkC-3,13770000001,3.00,2026/5/1 10:00', // line 9  │ batch 3: same as line 4
      'bkC-5,"13770000001,7.00,2026/5/3 10:00', //line 10 ┘ an unclosed quote
    ].join('\n');
    const file = join(dir, 'batches.csv');
    writeFileSync(file, csv);
    const r = await importCsv(ctx.deps, { kind: 'orders', file, tenantId: s.tenantId, batchSize: 3 });
    expect(r).toMatchObject({ rows: 9, inserted: 3, updated: 2, unchanged: 1, rejected: 3 });
    const state = async () => ({
      c1: (await orderRow(s.tenantId, 'bkC-1'))?.amountCents,
      c2: (await orderRow(s.tenantId, 'bkC-2'))?.amountCents,
      c3: (await orderRow(s.tenantId, 'bkC-3'))?.amountCents,
      customer: await customerRow(s.tenantId, c.id),
    });
    const after = await state();
    expect(after).toMatchObject({ c1: 500, c2: 600, c3: 300, customer: { ltvCents: 1_400, orderCount: 3 } });
    const lines = readFileSync(r.rejectsFile ?? '', 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^bkC-1,.*,5,"DUPLICATE_IN_BATCH: externalId ""bkC-1"" appears again on line 7; the later row is kept"$/,
    );
    expect(lines[1]).toMatch(/^bkC-4,.*,6,"INVALID_AMOUNT/);
    expect(lines[2]).toMatch(/,10,MALFORMED_ROW: Quote Not Closed/);

    // Batches commit in file order, so a key repeated in a later batch is written twice on a
    // re-import (then back to the same final state); keys that appear once stay unchanged.
    const again = await importCsv(ctx.deps, { kind: 'orders', file, tenantId: s.tenantId, batchSize: 3 });
    expect(again).toMatchObject({ rows: 9, inserted: 0, updated: 4, unchanged: 2, rejected: 3 });
    expect(await state()).toMatchObject({ c1: 500, c2: 600, c3: 300, customer: { ltvCents: 1_400, orderCount: 3 } });
    // One batch for the whole file: a re-import changes nothing at all.
    const whole = await importCsv(ctx.deps, { kind: 'orders', file, tenantId: s.tenantId });
    expect(whole).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, rejected: 6 });
  });
});

describe('CSV import, two batches in flight', () => {
  it('keys repeated across many small batches end as their last row; every customer’s LTV and count are exact', async () => {
    const s = await createTestTenant(ctx);
    const phones = Array.from({ length: 40 }, (_, i) => `1377100${String(i).padStart(4, '0')}`);
    for (const p of phones) await insertCustomer(ctx, s.tenantId, s.rep.id, { phone: `+86${p}` });
    // A fixed pseudo-random walk: 2,000 rows over 300 keys, each key moving between customers
    // and amounts, so consecutive batches keep sharing keys and customers.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return (seed >>> 8) % n;
    };
    const last = new Map<string, { phone: string; fen: number; status: string }>();
    const lines = ['externalId,phone,amountCents,orderedAt,status'];
    for (let i = 0; i < 2_000; i++) {
      const key = `bkW-${next(300)}`;
      const phone = phones[next(phones.length)] as string;
      const fen = 100 + next(10_000);
      const status = next(10) === 0 ? 'cancelled' : 'paid';
      last.set(key, { phone, fen, status });
      lines.push(`${key},${phone},${fen},2026/5/${1 + next(28)} 10:00,${status}`);
    }
    const file = join(dir, 'overlap.csv');
    writeFileSync(file, lines.join('\n'));
    const r = await importCsv(ctx.deps, { kind: 'orders', file, tenantId: s.tenantId, batchSize: 100 });
    // Rejections are only the earlier copies of a key inside one batch (the later row is kept).
    expect(r).toMatchObject({ rows: 2_000, inserted: last.size });
    expect(r.inserted + r.updated + r.unchanged + r.rejected).toBe(2_000);
    const stored = rowsOf<{ external_id: string; phone: string; amount_cents: number; status: string }>(
      await ctx.deps.db.execute(sql`
        select o.external_id, i.value as phone, o.amount_cents, o.status from orders o
        join customer_identities i on i.tenant_id = o.tenant_id and i.customer_id = o.customer_id and i.kind = 'phone'
        where o.tenant_id = ${s.tenantId}`),
    );
    expect(
      new Map(
        stored.map((o) => [
          o.external_id,
          { phone: o.phone.replace('+86', ''), fen: o.amount_cents, status: o.status },
        ]),
      ),
    ).toEqual(last);
    expect(await staleRollups(s.tenantId)).toEqual([]);
  });
});

describe('blank keys', () => {
  it('an externalId (or source) of only spaces is rejected, never stored as "" over another order', async () => {
    const a = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613900000701' });
    const b = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613900000702' });
    const res = await ingest('orders', [
      { ...order('   ', '+8613900000701'), customer: { customerId: a.id } },
      { ...order('\u3000 ', '+8613900000702'), customer: { customerId: b.id } },
      { ...order('bk-blank-src', '+8613900000702'), customer: { customerId: b.id }, source: '  ' },
      { ...order('bk-not-blank', '+8613900000702'), customer: { customerId: b.id } },
    ]);
    expect(res.inserted).toBe(1);
    expect(res.rejected.map((r) => [r.index, r.code, r.field])).toEqual([
      [0, 'VALIDATION_FAILED', 'externalId'],
      [1, 'VALIDATION_FAILED', 'externalId'],
      [2, 'VALIDATION_FAILED', 'source'],
    ]);
    expect(await orderRow(t.tenantId, '')).toBeUndefined();
  });
});

describe('messages a connector author can act on', () => {
  it('a value outside a fixed list names the allowed values', async () => {
    const res = await ingest('orders', [order('bk-bogus-status', '+8613900000801', { status: 'bogus' })]);
    expect(res.rejected[0]).toMatchObject({ index: 0, field: 'status', code: 'VALIDATION_FAILED' });
    expect(res.rejected[0]?.message).toBe(
      'status must be one of "pending", "paid", "fulfilled", "cancelled", "refunded"',
    );
  });
});
