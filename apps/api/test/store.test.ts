import { schema } from '@crm/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStoreRules } from '../src/modules/signals/store-rules.service';
import { createTestTenant, setupApp, type TestContext, type TestTenant } from './helpers';
import { addCustomer } from './signals.fixtures';

let ctx: TestContext;
let t: TestTenant;
beforeAll(async () => {
  ctx = await setupApp({ now: '2026-06-05T02:00:00Z' });
  t = await createTestTenant(ctx);
});
afterAll(async () => ctx.close());

let n = 0;
async function orders(
  customerId: string,
  list: { amountCents: number; at?: string; address?: string; status?: 'paid' | 'cancelled' }[],
) {
  const rows = await ctx.deps.db
    .insert(schema.orders)
    .values(
      list.map((x) => ({
        tenantId: t.tenantId,
        externalId: `S-${++n}`,
        customerId,
        amountCents: x.amountCents,
        status: x.status ?? 'paid',
        orderedAt: new Date(x.at ?? '2026-06-01T04:00:00Z'),
        shipAddress: x.address ?? null,
      })),
    )
    .returning({ id: schema.orders.id });
  return rows.map((r) => r.id);
}

const cardsOf = (kind: 'coupon' | 'order_review') =>
  ctx.deps.db
    .select()
    .from(schema.tasks)
    .where(and(eq(schema.tasks.tenantId, t.tenantId), eq(schema.tasks.kind, kind)));

const run = (orderIds: string[]) =>
  runStoreRules(ctx.deps.db, { tenantId: t.tenantId, orderIds, now: ctx.clock.now() });

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
