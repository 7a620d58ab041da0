import { schema } from '@crm/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { insertCustomer } from './customers.fixtures';
import { createTestTenant, injectAs, setupApp, type TestContext, type TestTenant } from './helpers';

let ctx: TestContext;
let t: TestTenant;
beforeAll(async () => {
  ctx = await setupApp({ now: '2026-06-05T02:00:00Z' });
  t = await createTestTenant(ctx);
});
afterAll(async () => ctx.close());

const ingest = (kind: string, payload: unknown, key: string | null = t.apiKey) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/ingest/${kind}`,
    headers: key ? { 'x-api-key': key } : {},
    payload: payload as object,
  });
const customerRow = async (tenantId: string, id: string) =>
  (
    await ctx.deps.db
      .select()
      .from(schema.customers)
      .where(and(eq(schema.customers.tenantId, tenantId), eq(schema.customers.id, id)))
  )[0];

const order = (externalId: string, phone: string, extra: Record<string, unknown> = {}) => ({
  externalId,
  customer: { phone },
  amountCents: 10_000,
  orderedAt: '2026-06-01T10:00:00+08:00',
  status: 'paid',
  fulfilmentScore: 90,
  ...extra,
});

describe('authentication and batch limits', () => {
  it('needs a valid X-Api-Key', async () => {
    expect((await ingest('orders', [], null)).statusCode).toBe(401);
    expect((await ingest('orders', [], 'crm_not-a-real-key-at-all')).statusCode).toBe(401);
    const viaJwt = await injectAs(ctx, t.admin, { method: 'POST', url: '/api/ingest/orders', payload: [] });
    expect(viaJwt.statusCode).toBe(401);
  });

  it('takes at most 1,000 items per call', async () => {
    const res = await ingest(
      'orders',
      Array.from({ length: 1001 }, (_, i) => order(`big-${i}`, '13800000000')),
    );
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toMatch(/1000/);
  });

  it('refuses a body that is not an array', async () => {
    expect((await ingest('orders', { externalId: 'x' })).statusCode).toBe(422);
  });
});

describe('POST /api/ingest/orders', () => {
  it('saves good items, rejects bad ones by index, and keeps LTV and last interaction current', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613911112222', email: 'buyer@acme.cn' });
    const res = await ingest('orders', [
      order('A-1', '139 1111 2222', { product: { sku: 'AC-01', name: '空调 1.5 匹', category: 'hvac' } }),
      order('A-2', '+86 139-1111-2222', {
        amountCents: undefined,
        amount: '¥1,234.50',
        orderedAt: '2026-05-31T10:00:00+08:00',
      }),
      order('A-3', '13911112222', { amountCents: undefined, amount: '12.345' }),
      order('A-4', '13911112222', { orderedAt: '2026/6/3 10:00', status: 'cancelled', amountCents: 99_999 }),
      { externalId: 'A-5', customer: { email: 'BUYER@acme.cn' }, amountCents: 500, orderedAt: 46175 },
      order('A-6', '13700000001'),
      order('A-7', '13911112222', { orderedAt: '2026/2/30 10:00' }),
      order('A-8', '13911112222', { fulfilmentScore: 101 }),
      'not an object',
      order('A-9', '13911112222', { currency: 'USD' }),
      {
        externalId: 'A-10',
        customer: { customerId: c.id },
        amountCents: 1,
        orderedAt: '2026-06-04T00:00:00Z',
        extra: 1,
      },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ inserted: 4, updated: 0, unchanged: 0 });
    expect(body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [2, 'INVALID_AMOUNT'],
      [5, 'UNKNOWN_CUSTOMER'],
      [6, 'INVALID_DATE'],
      [7, 'VALIDATION_FAILED'],
      [8, 'VALIDATION_FAILED'],
      [9, 'VALIDATION_FAILED'],
      [10, 'VALIDATION_FAILED'],
    ]);
    expect(body.rejected[0]).toMatchObject({
      externalId: 'A-3',
      field: 'amount',
      message: expect.stringMatching(/3 decimals/),
    });
    expect(body.rejected[1].message).toMatch(/13700000001/);
    expect(body.rejected[3].field).toBe('fulfilmentScore');
    expect(body.rejected[6].field).toBe('extra');

    // LTV: 10000 + 123450 + 500 (A-4 is cancelled, not counted); 3 orders.
    const row = await customerRow(t.tenantId, c.id);
    expect(row).toMatchObject({ ltvCents: 133_950, orderCount: 3 });
    // Excel serial 46175 is 2026-06-03 00:00 in Shanghai; A-4 at 2026/6/3 10:00 Shanghai is the latest.
    expect(row?.lastInteractionAt?.toISOString()).toBe('2026-06-03T02:00:00.000Z');
    const view = (await injectAs(ctx, t.rep, { method: 'GET', url: `/api/customers/${c.id}` })).json();
    expect(view.ltv).toEqual({ amountCents: 133_950, orders: 3 });
    expect(view.recentOrders.map((o: { externalId: string }) => o.externalId)).toEqual(['A-4', 'A-5', 'A-1']);
  });

  it('is idempotent by externalId: re-sending updates in place, identical items change nothing', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613922223333' });
    const batch = [order('B-1', '13922223333'), order('B-2', '13922223333', { amountCents: 5_000 })];
    expect((await ingest('orders', batch)).json()).toMatchObject({
      inserted: 2,
      updated: 0,
      unchanged: 0,
      rejected: [],
    });
    const [before] = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.externalId, 'B-1'));
    ctx.clock.advance(60_000);
    expect((await ingest('orders', batch)).json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    const [same] = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.externalId, 'B-1'));
    expect(same?.updatedAt).toEqual(before?.updatedAt);
    // Refunded: updated in place, LTV drops.
    const res = await ingest('orders', [order('B-2', '13922223333', { amountCents: 5_000, status: 'refunded' })]);
    expect(res.json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    expect(await customerRow(t.tenantId, c.id)).toMatchObject({ ltvCents: 10_000, orderCount: 1 });
    const count = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.customerId, c.id));
    expect(count).toHaveLength(2);
  });

  it('moves LTV with an order re-sent for another customer', async () => {
    const a = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613933334444' });
    const b = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613933335555' });
    await ingest('orders', [order('M-1', '13933334444')]);
    await ingest('orders', [order('M-1', '13933335555')]);
    expect(await customerRow(t.tenantId, a.id)).toMatchObject({ ltvCents: 0, orderCount: 0 });
    expect(await customerRow(t.tenantId, b.id)).toMatchObject({ ltvCents: 10_000, orderCount: 1 });
  });

  it('keeps the last of two items with the same externalId in one batch', async () => {
    await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613944445555' });
    const res = await ingest('orders', [order('D-1', '13944445555'), order('D-1', '13944445555', { amountCents: 7 })]);
    expect(res.json()).toMatchObject({ inserted: 1, rejected: [{ index: 0, code: 'DUPLICATE_IN_BATCH' }] });
    const [row] = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.externalId, 'D-1'));
    expect(row?.amountCents).toBe(7);
  });

  it('never resolves another tenant’s customer', async () => {
    const other = await createTestTenant(ctx);
    const theirs = await insertCustomer(ctx, other.tenantId, other.rep.id, { phone: '+8613955556666' });
    const res = await ingest('orders', [
      order('X-1', '13955556666'),
      { ...order('X-2', '1'), customer: { customerId: theirs.id } },
    ]);
    expect(res.json().rejected.map((r: { code: string }) => r.code)).toEqual(['UNKNOWN_CUSTOMER', 'UNKNOWN_CUSTOMER']);
  });

  it('creates customers from orders when the tenant says so', async () => {
    const s = await createTestTenant(ctx);
    await ctx.deps.db
      .update(schema.tenants)
      .set({ settings: { createCustomersFromOrders: true } })
      .where(eq(schema.tenants.tenantId, s.tenantId));
    const res = await ingest(
      'orders',
      [
        { ...order('N-1', '13866667777'), customer: { phone: '138 6666 7777', name: '陈静', org: '新客户贸易' } },
        order('N-2', '+86 138-6666-7777'),
        { ...order('N-3', '1'), customer: { customerId: crypto.randomUUID() } },
      ],
      s.apiKey,
    );
    expect(res.json()).toMatchObject({ inserted: 2, rejected: [{ index: 2, code: 'UNKNOWN_CUSTOMER' }] });
    const customers = await ctx.deps.db
      .select()
      .from(schema.customers)
      .where(eq(schema.customers.tenantId, s.tenantId));
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({
      name: '陈静',
      org: '新客户贸易',
      ownerId: s.admin.id,
      ltvCents: 20_000,
      orderCount: 2,
    });
    expect(customers[0]?.searchKey).toContain('cj');
    const found = await injectAs(ctx, s.admin, { method: 'GET', url: '/api/customers?q=6677' });
    expect(found.json().items).toHaveLength(1);
    // The next batch finds it by its identity instead of creating another.
    await ingest('orders', [order('N-4', '13866667777')], s.apiKey);
    expect(
      await ctx.deps.db.select().from(schema.customers).where(eq(schema.customers.tenantId, s.tenantId)),
    ).toHaveLength(1);
  });
});

describe('tickets and chats', () => {
  it('stores tickets and moves last interaction (dormancy) but not the rep touch', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613977778888' });
    const res = await ingest('tickets', [
      {
        externalId: 'T-1',
        customer: { phone: '13977778888' },
        subject: '漏水报修',
        openedAt: '2026-06-02 09:00',
        priority: 'high',
      },
      { externalId: 'T-2', customer: { phone: '13977778888' }, subject: '', openedAt: '2026-06-02 09:00' },
      {
        externalId: 'T-3',
        customer: { phone: '13977778888' },
        subject: 'x',
        openedAt: '2026-06-03',
        closedAt: '2026-06-02',
      },
    ]);
    expect(res.json()).toMatchObject({
      inserted: 1,
      rejected: [
        { index: 1, field: 'subject' },
        { index: 2, code: 'INVALID_DATE' },
      ],
    });
    const row = await customerRow(t.tenantId, c.id);
    expect(row?.lastInteractionAt?.toISOString()).toBe('2026-06-02T01:00:00.000Z');
    expect(row?.lastRepTouchAt).toBeNull();
    expect(
      (
        await ingest('tickets', [
          {
            externalId: 'T-1',
            customer: { phone: '13977778888' },
            subject: '漏水报修',
            openedAt: '2026-06-02 09:00',
            priority: 'high',
            status: 'closed',
          },
        ])
      ).json(),
    ).toMatchObject({ updated: 1 });
  });

  test.each([
    ['in', false],
    ['out', true],
  ])('a chat %s moves last interaction; rep touch only when outgoing (%s)', async (direction, repTouch) => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id);
    const phone = (c.phones[0]?.e164 ?? '').replace('+86', '');
    const res = await ingest('chats', [
      {
        externalId: `chat-${direction}-${c.id}`,
        customer: { phone },
        direction,
        content: '在吗？',
        sentAt: '2026-06-04T08:00:00Z',
        userId: t.rep.id,
      },
    ]);
    expect(res.json()).toMatchObject({ inserted: 1, rejected: [] });
    const row = await customerRow(t.tenantId, c.id);
    expect(row?.lastInteractionAt?.toISOString()).toBe('2026-06-04T08:00:00.000Z');
    expect(row?.lastRepTouchAt?.toISOString() ?? null).toBe(repTouch ? '2026-06-04T08:00:00.000Z' : null);
  });

  it('an outgoing chat closes the open promise and settles the overdue card; unknown users are rejected', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613988889999' });
    const v = await injectAs(ctx, t.rep, {
      method: 'POST',
      url: '/api/visits',
      payload: {
        customerId: c.id,
        coreNeed: '报价',
        occurredAt: '2026-05-20T00:00:00Z',
        nextContactAt: '2026-05-22T00:00:00Z',
      },
    });
    await ctx.deps.db.insert(schema.tasks).values({
      tenantId: t.tenantId,
      kind: 'overdue_followup',
      dedupeKey: `overdue:${v.json().id}`,
      recipientId: t.supervisor.id,
      customerId: c.id,
      repId: t.rep.id,
      visitId: v.json().id,
    });
    const res = await ingest('chats', [
      {
        externalId: 'W-1',
        customer: { phone: '13988889999' },
        direction: 'in',
        content: '价格再优惠点？',
        sentAt: '2026-05-23T00:00:00Z',
      },
      {
        externalId: 'W-2',
        customer: { phone: '13988889999' },
        direction: 'out',
        content: '好的，我申请一下',
        sentAt: '2026-05-24T00:00:00Z',
        userId: t.rep.id,
      },
      {
        externalId: 'W-3',
        customer: { phone: '13988889999' },
        direction: 'out',
        content: '?',
        sentAt: '2026-05-24T00:00:00Z',
        wecomUserId: 'nobody',
      },
    ]);
    expect(res.json()).toMatchObject({
      inserted: 2,
      rejected: [{ index: 2, code: 'UNKNOWN_USER', field: 'wecomUserId' }],
    });
    const [visit] = await ctx.deps.db.select().from(schema.visits).where(eq(schema.visits.id, v.json().id));
    expect(visit?.promiseStatus).toBe('late');
    const [card] = await ctx.deps.db.select().from(schema.tasks).where(eq(schema.tasks.customerId, c.id));
    expect(card).toMatchObject({ status: 'resolved', resolution: '销售已于 2026-05-24 08:00 跟进' });
  });
});
