import { schema } from '@crm/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { insertCustomer } from './customers.fixtures';
import { createTestTenant, injectAs, setupApp, type TestContext, type TestTenant } from './helpers';

let ctx: TestContext;
let t: TestTenant;
const NOW = '2026-06-05T02:00:00.000Z';
beforeAll(async () => {
  ctx = await setupApp({ now: NOW });
  t = await createTestTenant(ctx);
});
afterAll(async () => ctx.close());

const post = (payload: Record<string, unknown>, user = t.rep) =>
  injectAs(ctx, user, { method: 'POST', url: '/api/visits', payload });
const customer = () => insertCustomer(ctx, t.tenantId, t.rep.id);
const visitRow = async (id: string) =>
  (
    await ctx.deps.db
      .select()
      .from(schema.visits)
      .where(and(eq(schema.visits.tenantId, t.tenantId), eq(schema.visits.id, id)))
  )[0];
const customerRow = async (id: string) =>
  (
    await ctx.deps.db
      .select()
      .from(schema.customers)
      .where(and(eq(schema.customers.tenantId, t.tenantId), eq(schema.customers.id, id)))
  )[0];

describe('POST /api/visits — the three-field record', () => {
  it('records customer, core need and promise; occurredAt defaults to now; recorded_at is kept', async () => {
    const c = await customer();
    const res = await post({
      customerId: c.id,
      coreNeed: '  需要节能改造方案  ',
      nextContactAt: '2026-06-08T02:00:00Z',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      customerId: c.id,
      repId: t.rep.id,
      coreNeed: '需要节能改造方案',
      occurredAt: NOW,
      recordedAt: NOW,
      nextContactAt: '2026-06-08T02:00:00.000Z',
      promiseStatus: 'open',
      closedPromise: null,
    });
    const row = await customerRow(c.id);
    expect(row?.lastInteractionAt?.toISOString()).toBe(NOW);
    expect(row?.lastRepTouchAt?.toISOString()).toBe(NOW);
  });

  it('keeps the recording delay: occurredAt two hours before it was recorded', async () => {
    const c = await customer();
    const res = await post({
      customerId: c.id,
      coreNeed: '异议：价格',
      occurredAt: '2026-06-05T00:00:00Z',
      nextContactAt: '2026-06-06T00:00:00Z',
      actionType: 'objection_handling',
      channel: 'phone',
    });
    expect(res.statusCode).toBe(201);
    const v = await visitRow(res.json().id);
    expect((v?.recordedAt.getTime() ?? 0) - (v?.occurredAt.getTime() ?? 0)).toBe(2 * 3_600_000);
    expect(v).toMatchObject({ actionType: 'objection_handling', channel: 'phone' });
  });

  test.each([
    ['customerId', { coreNeed: 'x', nextContactAt: '2026-06-08T02:00:00Z' }],
    ['coreNeed', { nextContactAt: '2026-06-08T02:00:00Z' }],
    ['nextContactAt', { coreNeed: 'x' }],
  ])('422 naming %s when it is missing', async (field, body) => {
    const c = await customer();
    const res = await post({ customerId: c.id, ...body, ...(field === 'customerId' ? { customerId: undefined } : {}) });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  test.each([
    ['coreNeed', { coreNeed: '   \n ' }],
    ['coreNeed', { coreNeed: '\u200b\u3000\ufeff' }],
    ['nextContactAt', { nextContactAt: '' }],
    ['customerId', { customerId: '' }],
    ['nextContactAt', { nextContactAt: '下周三' }],
    ['nextContactAt', { nextContactAt: NOW }],
    ['nextContactAt', { occurredAt: '2026-06-04T02:00:00Z', nextContactAt: '2026-06-04T01:00:00Z' }],
    ['occurredAt', { occurredAt: '2026-06-05T03:00:00Z', nextContactAt: '2026-06-09T00:00:00Z' }],
    ['coreNeed', { coreNeed: '需'.repeat(2001) }],
    ['actionType', { actionType: 'cold_call' }],
    ['clientId', { clientId: '' }],
  ])('422 naming %s for %j', async (field, override) => {
    const c = await customer();
    const res = await post({ customerId: c.id, coreNeed: '需求', nextContactAt: '2026-06-08T02:00:00Z', ...override });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  it('accepts a core need of exactly 2,000 characters', async () => {
    const c = await customer();
    const res = await post({ customerId: c.id, coreNeed: '需'.repeat(2000), nextContactAt: '2026-06-08T02:00:00Z' });
    expect(res.statusCode).toBe(201);
  });

  it('is 404 for an unknown customer', async () => {
    const res = await post({ customerId: crypto.randomUUID(), coreNeed: 'x', nextContactAt: '2026-06-08T02:00:00Z' });
    expect(res.statusCode).toBe(404);
  });
});

describe('offline retries (clientId)', () => {
  it('returns the first record for the same clientId, without a duplicate', async () => {
    const c = await customer();
    const body = {
      customerId: c.id,
      coreNeed: '离线记录',
      nextContactAt: '2026-06-08T02:00:00Z',
      clientId: 'phone-1:42',
    };
    const first = await post(body);
    const again = await post({ ...body, coreNeed: '离线记录（重发）' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect(again.json().coreNeed).toBe('离线记录');
    const rows = await ctx.deps.db.select().from(schema.visits).where(eq(schema.visits.customerId, c.id));
    expect(rows).toHaveLength(1);
  });

  it('survives concurrent retries', async () => {
    const c = await customer();
    const body = { customerId: c.id, coreNeed: '并发', nextContactAt: '2026-06-08T02:00:00Z', clientId: 'phone-1:43' };
    const results = await Promise.all([post(body), post(body), post(body)]);
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
  });

  it('refuses a clientId reused for another customer with 409', async () => {
    const a = await customer();
    const b = await customer();
    await post({ customerId: a.id, coreNeed: 'a', nextContactAt: '2026-06-08T02:00:00Z', clientId: 'phone-1:44' });
    const res = await post({
      customerId: b.id,
      coreNeed: 'b',
      nextContactAt: '2026-06-08T02:00:00Z',
      clientId: 'phone-1:44',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.field).toBe('clientId');
  });
});

describe('promises', () => {
  const visit = (customerId: string, occurredAt: string, nextContactAt: string) =>
    post({ customerId, coreNeed: '跟进', occurredAt, nextContactAt });

  test.each([
    ['before the promised time', '2026-06-02T00:00:00Z', 'kept'],
    ['within 24 h after it', '2026-06-03T23:59:00Z', 'kept'],
    ['24 h or more after it', '2026-06-04T00:00:00Z', 'late'],
  ])('a visit %s closes the previous promise as %s', async (_what, second, status) => {
    const c = await customer();
    const first = (await visit(c.id, '2026-06-01T00:00:00Z', '2026-06-03T00:00:00Z')).json();
    const res = await visit(c.id, second, '2026-06-10T00:00:00Z');
    expect(res.json().closedPromise).toEqual({ visitId: first.id, status });
    expect((await visitRow(first.id))?.promiseStatus).toBe(status);
    const view = (await injectAs(ctx, t.rep, { method: 'GET', url: `/api/customers/${c.id}` })).json();
    expect(view.openCommitment).toEqual({ dueAt: '2026-06-10T00:00:00.000Z', visitId: res.json().id });
  });

  it('a visit recorded late (offline) closes its own promise against the later visit already on record', async () => {
    const c = await customer();
    const later = (await visit(c.id, '2026-06-04T00:00:00Z', '2026-06-12T00:00:00Z')).json();
    const earlier = (await visit(c.id, '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')).json();
    expect(earlier.promiseStatus).toBe('late');
    expect(earlier.closedPromise).toBeNull();
    expect((await visitRow(later.id))?.promiseStatus).toBe('open');
    const row = await customerRow(c.id);
    expect(row?.lastRepTouchAt?.toISOString()).toBe('2026-06-04T00:00:00.000Z');
  });

  it('settles the customer’s open overdue card', async () => {
    const c = await customer();
    const broken = (await visit(c.id, '2026-05-20T00:00:00Z', '2026-05-25T00:00:00Z')).json();
    const [card] = await ctx.deps.db
      .insert(schema.tasks)
      .values({
        tenantId: t.tenantId,
        kind: 'overdue_followup',
        dedupeKey: `overdue:${broken.id}`,
        recipientId: t.supervisor.id,
        customerId: c.id,
        repId: t.rep.id,
        visitId: broken.id,
        status: 'acked',
      })
      .returning();
    await visit(c.id, '2026-06-05T01:00:00Z', '2026-06-09T00:00:00Z');
    const [after] = await ctx.deps.db
      .select()
      .from(schema.tasks)
      .where(eq(schema.tasks.id, card?.id ?? ''));
    expect(after?.status).toBe('resolved');
    expect(after?.resolution).toBe('销售已于 2026-06-05 09:00 跟进');
  });
});
