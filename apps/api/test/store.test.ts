import { schema } from '@crm/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeOrderRollups } from '../src/modules/ingest/ingest.repo';
import { runStoreRules } from '../src/modules/signals/store-rules.service';
import { type QueryLog, setupCountingApp } from './customers.fixtures';
import { createTestTenant, type TestContext, type TestTenant } from './helpers';
import { addCustomer } from './signals.fixtures';

let ctx: TestContext & { log: QueryLog };
let t: TestTenant;
beforeAll(async () => {
  ctx = await setupCountingApp('2026-06-05T02:00:00Z');
  t = await createTestTenant(ctx);
});
afterAll(async () => ctx.close());

let n = 0;
type NewOrder = { amountCents: number; at?: string; address?: string; status?: 'paid' | 'cancelled' | 'refunded' };
async function orders(customerId: string, list: NewOrder[], tenantId = t.tenantId) {
  return ordersOf(
    tenantId,
    list.map((x) => ({ ...x, customerId })),
  );
}

/** Orders of many customers in one insert (the 3,000-order cases). */
async function ordersOf(tenantId: string, list: (NewOrder & { customerId: string })[]) {
  const rows = await ctx.deps.db
    .insert(schema.orders)
    .values(
      list.map((x) => ({
        tenantId,
        externalId: `S-${++n}`,
        customerId: x.customerId,
        amountCents: x.amountCents,
        status: x.status ?? 'paid',
        orderedAt: new Date(x.at ?? '2026-06-01T04:00:00Z'),
        shipAddress: x.address ?? null,
      })),
    )
    .returning({ id: schema.orders.id });
  // As ingestion does in the same transaction: the customers' LTV and order count, which the
  // coupon rule reads.
  await recomputeOrderRollups(ctx.deps.db, tenantId, [...new Set(list.map((x) => x.customerId))], new Date());
  return rows.map((r) => r.id);
}

/** Many customers of one rep in one insert. */
async function customersOf(tenant: TestTenant, count: number) {
  const rows = await ctx.deps.db
    .insert(schema.customers)
    .values(
      Array.from({ length: count }, (_, i) => ({
        tenantId: tenant.tenantId,
        ownerId: tenant.rep.id,
        name: `客户${i}`,
      })),
    )
    .returning({ id: schema.customers.id });
  return rows.map((r) => r.id);
}

const cardsOf = (kind: 'coupon' | 'order_review', tenantId = t.tenantId) =>
  ctx.deps.db
    .select()
    .from(schema.tasks)
    .where(and(eq(schema.tasks.tenantId, tenantId), eq(schema.tasks.kind, kind)));

const run = (orderIds: string[], tenantId = t.tenantId) =>
  runStoreRules(ctx.deps.db, { tenantId, orderIds, now: ctx.clock.now() });

describe('store rules over ingested orders', () => {
  it('coupon: average 80 CNY over 3 orders → one card to the owner per month; 2 orders or 85 CNY → none', async () => {
    const small = await addCustomer(ctx, t.tenantId, t.rep.id, { name: '小单客户' });
    const two = await addCustomer(ctx, t.tenantId, t.rep.id, { name: '两单客户' });
    const exact = await addCustomer(ctx, t.tenantId, t.rep.id, { name: '85元客户' });
    const ids = [
      ...(await orders(small.id, [{ amountCents: 7_000 }, { amountCents: 8_000 }, { amountCents: 9_000 }])),
      ...(await orders(two.id, [{ amountCents: 1_000 }, { amountCents: 1_000 }])),
      ...(await orders(exact.id, [{ amountCents: 8_500 }, { amountCents: 8_500 }, { amountCents: 8_500 }])),
    ];
    expect(await run(ids)).toMatchObject({ coupons: 1 });
    expect(await run(ids)).toMatchObject({ coupons: 0 });
    const cards = await cardsOf('coupon');
    expect(cards).toEqual([
      expect.objectContaining({
        recipientId: t.rep.id,
        customerId: small.id,
        dedupeKey: `coupon:${small.id}:2026-06`,
        payload: expect.objectContaining({
          title: '优惠券推送建议',
          text: expect.stringContaining('客户：小单客户；客单价 80.00 元，共 3 单'),
          averageCents: 8_000,
          orders: 3,
          thresholdCents: 8_500,
        }),
      }),
    ]);
  });

  it('order review: 6 orders to one address on one local day → a card per admin; 5 → none', async () => {
    const c = await addCustomer(ctx, t.tenantId, t.rep.id, { name: '门店客户' });
    const five = await orders(
      c.id,
      Array.from({ length: 5 }, () => ({
        amountCents: 100,
        address: '杭州市西湖区文三路1号',
        at: '2026-06-02T02:00:00Z',
      })),
    );
    expect(await run(five)).toMatchObject({ reviews: 0 });
    // The sixth, spelled differently, at 23:30 local time on the same day (15:30Z).
    const sixth = await orders(c.id, [
      { amountCents: 100, address: '杭州市 西湖区 文三路１号', at: '2026-06-02T15:30:00Z' },
    ]);
    // The next local day does not count towards it.
    await orders(c.id, [{ amountCents: 100, address: '杭州市西湖区文三路1号', at: '2026-06-02T16:30:00Z' }]);
    expect(await run(sixth)).toMatchObject({ reviews: 1 });
    expect(await run(sixth)).toMatchObject({ reviews: 0 });
    const [card] = await cardsOf('order_review');
    expect(card).toMatchObject({
      recipientId: t.admin.id,
      customerId: c.id,
      payload: { day: '2026-06-02', count: 6, title: '异常订单待复核', text: expect.stringContaining('共有 6 笔订单') },
    });
  });
});

describe('store rules over a whole batch', () => {
  it('takes the same few statements for 10 orders as for 3,000 over 1,000 customers', async () => {
    const s = await createTestTenant(ctx);
    const statements = async (ids: string[]) => {
      ctx.log.reset();
      const r = await run(ids, s.tenantId);
      return { n: ctx.log.count, r };
    };
    // Both calls raise coupons and a review, so every step runs in both.
    const [a, b] = await customersOf(s, 2);
    const small = await statements([
      ...(await orders(
        a as string,
        Array.from({ length: 6 }, () => ({
          amountCents: 1_000,
          address: '苏州市姑苏区1号',
          at: '2026-06-01T02:00:00Z',
        })),
        s.tenantId,
      )),
      ...(await orders(
        b as string,
        [9_000, 9_000, 9_000, 9_000].map((amountCents) => ({ amountCents })),
        s.tenantId,
      )),
    ]);
    const many = await customersOf(s, 1_000);
    const large = await statements(
      await ordersOf(
        s.tenantId,
        many.flatMap((customerId, i) =>
          [0, 1, 2].map((k) => ({
            customerId,
            amountCents: 1_000,
            // The first two customers' six orders go to one address on one day.
            address: i < 2 ? '苏州市姑苏区2号' : undefined,
            at: i < 2 ? '2026-06-02T03:00:00Z' : `2026-06-0${1 + ((i + k) % 4)}T03:00:00Z`,
          })),
        ),
      ),
    );
    expect(small.r).toEqual({ coupons: 1, reviews: 1 });
    expect(large.r).toEqual({ coupons: 1_000, reviews: 1 });
    expect(large.n).toBe(small.n);
    // begin + planner setting; tenant + admins, coupon totals, channel facts + insert per card
    // kind, their days (the addressed rows come from ingestion or one read); commit.
    expect(small.n).toBeLessThanOrEqual(11);
  });

  it('3,000 orders: coupons for exactly the eligible customers, cancelled and refunded left out; none the second time', async () => {
    const s = await createTestTenant(ctx);
    const ids = await customersOf(s, 1_000);
    const paid = (amountCents: number): NewOrder => ({ amountCents });
    // Five shapes, 15 orders per five customers: 3,000 orders.
    const shapes: { list: NewOrder[]; eligible: boolean }[] = [
      { list: [paid(8_000), paid(8_000), paid(8_000)], eligible: true },
      { list: [paid(8_500), paid(8_500), paid(8_500)], eligible: false },
      // Counted, the cancelled 1 CNY order would make it 3 orders averaging 60 CNY.
      { list: [paid(9_000), paid(9_000), { amountCents: 100, status: 'cancelled' }], eligible: false },
      // Counted, the refunded 900 CNY order would lift the average over 85 CNY.
      { list: [paid(8_000), paid(8_000), paid(8_000), { amountCents: 90_000, status: 'refunded' }], eligible: true },
      { list: [paid(1_000), paid(1_000)], eligible: false },
    ];
    const orderIds = await ordersOf(
      s.tenantId,
      ids.flatMap((customerId, i) => (shapes[i % 5]?.list ?? []).map((o) => ({ ...o, customerId }))),
    );
    expect(orderIds).toHaveLength(3_000);
    const eligible = ids.filter((_, i) => shapes[i % 5]?.eligible);
    expect(await run(orderIds, s.tenantId)).toEqual({ coupons: 400, reviews: 0 });
    const cards = await cardsOf('coupon', s.tenantId);
    expect(cards.map((c) => c.customerId).sort()).toEqual([...eligible].sort());
    expect(cards.every((c) => c.recipientId === s.rep.id && c.dedupeKey === `coupon:${c.customerId}:2026-06`)).toBe(
      true,
    );
    expect(cards.find((c) => c.customerId === ids[3])?.payload).toMatchObject({ orders: 3, averageCents: 8_000 });
    expect(await run(orderIds, s.tenantId)).toEqual({ coupons: 0, reviews: 0 });
    expect(await cardsOf('coupon', s.tenantId)).toHaveLength(400);
  });

  it('order review: one call over two local days (23:59 and 00:01 in Shanghai) → a card per day and admin', async () => {
    const s = await createTestTenant(ctx, { timeZone: 'Asia/Shanghai' });
    const admin2 = await s.addUser('admin');
    const [c, d] = await customersOf(s, 2);
    const burst = (count: number, address: string, at: string) =>
      Array.from({ length: count }, () => ({ amountCents: 20_000, address, at }));
    const late = '2026-06-03T15:59:00Z'; // 23:59 on 3 June, local
    const early = '2026-06-03T16:01:00Z'; // 00:01 on 4 June, local
    const ids = [
      ...(await orders(
        c as string,
        [...burst(6, '南京市鼓楼区3号', late), ...burst(6, '南京市鼓楼区3号', early)],
        s.tenantId,
      )),
      // Six to another address, but three on each side of midnight: no day has more than 5.
      ...(await orders(
        d as string,
        [...burst(3, '南京市鼓楼区4号', late), ...burst(3, '南京市鼓楼区4号', early)],
        s.tenantId,
      )),
    ];
    expect(await run(ids, s.tenantId)).toEqual({ coupons: 0, reviews: 4 });
    const cards = await cardsOf('order_review', s.tenantId);
    const seen = cards.map((k) => `${k.recipientId} ${(k.payload as { day: string }).day}`).sort();
    expect(seen).toEqual(
      [
        `${s.admin.id} 2026-06-03`,
        `${s.admin.id} 2026-06-04`,
        `${admin2.id} 2026-06-03`,
        `${admin2.id} 2026-06-04`,
      ].sort(),
    );
    for (const k of cards) {
      expect(k).toMatchObject({ customerId: c, payload: { count: 6, address: '南京市鼓楼区3号' } });
      expect(k.dedupeKey).toMatch(
        new RegExp(`^order_review:${(k.payload as { day: string }).day}:[0-9a-f]{16}:${k.recipientId}$`),
      );
    }
    expect(await run(ids, s.tenantId)).toEqual({ coupons: 0, reviews: 0 });
  });
});

describe('store rules run after order ingestion', () => {
  it('raises the coupon card from orders that arrive through POST /api/ingest/orders', async () => {
    const c = await addCustomer(ctx, t.tenantId, t.rep.id);
    const payload = [4_000, 5_000, 6_000].map((amountCents, i) => ({
      externalId: `ING-${c.id}-${i}`,
      customer: { customerId: c.id },
      amountCents,
      orderedAt: `2026-06-0${i + 1}T10:00:00+08:00`,
      status: 'paid',
    }));
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/ingest/orders',
      headers: { 'x-api-key': t.apiKey },
      payload,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 3, rejected: [] });
    const coupons = (await cardsOf('coupon')).filter((k) => k.customerId === c.id);
    expect(coupons).toHaveLength(1);
    expect(coupons[0]?.recipientId).toBe(t.rep.id);
  });
});
