import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dormantJob } from '../src/jobs/dormant.job';
import { overdueJob } from '../src/jobs/overdue.job';
import { addCustomer, addOrder, addVisit, DAY, HOUR, setTenant } from './alerts.fixtures';
import { createTestTenant, injectAs, setupApp, type TestContext, type TestTenant } from './helpers';

let ctx: TestContext;
// The app's clock: Friday 2026-06-05 15:00 Asia/Shanghai.
const now = new Date('2026-06-05T07:00:00Z');
beforeAll(async () => {
  ctx = await setupApp({ now: now.toISOString() });
});
afterAll(async () => ctx.close());

async function tenantWithCards(): Promise<TestTenant & { overdueId: string; dormantId: string; customerId: string }> {
  const t = await createTestTenant(ctx);
  await setTenant(ctx, t, { createdAt: new Date('2025-01-01T00:00:00Z') });
  const c = await addCustomer(ctx, t, { name: '张伟', org: '华东制造' });
  await addOrder(ctx, t, {
    customerId: c.id,
    orderedAt: new Date('2026-05-01T00:00:00Z'),
    fulfilmentScore: 88,
    amountCents: 123_400,
  });
  await addVisit(ctx, t, {
    customerId: c.id,
    occurredAt: new Date(now.getTime() - 5 * DAY),
    nextContactAt: new Date(now.getTime() - 2 * DAY),
    coreNeed: '要一份报价',
  });
  const sleeper = await addCustomer(ctx, t, {
    name: '钱多多',
    org: null,
    ltvCents: 900_000,
    lastInteractionAt: new Date(now.getTime() - 200 * DAY),
  });
  const deps = ctx.deps;
  await overdueJob.run({ now: new Date(now.getTime() - HOUR), deps, tenantIds: [t.tenantId] });
  await dormantJob.run({ now, deps, tenantIds: [t.tenantId] });
  const sup = await injectAs(ctx, t.supervisor, { method: 'GET', url: '/api/tasks' });
  const rep = await injectAs(ctx, t.rep, { method: 'GET', url: '/api/tasks' });
  const overdueId = sup.json()[0]?.id as string;
  const dormantId = rep.json().find((x: { customer: { id: string } }) => x.customer.id === sleeper.id)?.id as string;
  return { ...t, overdueId, dormantId, customerId: c.id };
}

describe('GET /api/tasks', () => {
  it("returns the current user's cards in the contract shape", async () => {
    const t = await tenantWithCards();
    const sup = await injectAs(ctx, t.supervisor, { method: 'GET', url: '/api/tasks' });
    expect(sup.statusCode).toBe(200);
    expect(sup.json()).toEqual([
      expect.objectContaining({
        id: t.overdueId,
        kind: 'overdue_followup',
        status: 'open',
        createdAt: '2026-06-05T06:00:00.000Z',
        customer: { id: t.customerId, name: '张伟', org: '华东制造' },
        rep: { id: t.rep.id, name: '李销售' },
        dueAt: '2026-06-03T07:00:00.000Z',
        overdueHours: 48, // live: the app clock says 48 h past the promise
        coreNeed: '要一份报价',
        recentOrders: [{ orderedAt: '2026-05-01T00:00:00.000Z', amountCents: 123_400, fulfilmentScore: 88 }],
        ordersSummary: '88',
        resolution: null,
      }),
    ]);

    const rep = await injectAs(ctx, t.rep, { method: 'GET', url: '/api/tasks' });
    const cards = rep.json();
    expect(cards.map((c: { kind: string }) => c.kind)).toEqual(['dormant_wakeup']);
    expect(cards[0]).toMatchObject({
      customer: { name: '钱多多', org: null },
      rep: { id: t.rep.id },
      pack: { talkTrack: expect.stringContaining('钱多多您好'), competitorNews: [], seasonalTip: expect.any(String) },
    });
    // The admin has none of these.
    expect((await injectAs(ctx, t.admin, { method: 'GET', url: '/api/tasks' })).json()).toEqual([]);
  });

  it('filters by status open|done|all', async () => {
    const t = await tenantWithCards();
    const ack = await injectAs(ctx, t.supervisor, { method: 'POST', url: `/api/tasks/${t.overdueId}/ack` });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acked', ackedAt: now.toISOString(), doneAt: null });
    const list = async (status: string) =>
      (await injectAs(ctx, t.supervisor, { method: 'GET', url: `/api/tasks?status=${status}` })).json().length;
    expect([await list('open'), await list('done'), await list('all')]).toEqual([1, 0, 1]);

    const done = await injectAs(ctx, t.supervisor, { method: 'POST', url: `/api/tasks/${t.overdueId}/done` });
    expect(done.json()).toMatchObject({ status: 'done', doneAt: now.toISOString(), overdueHours: 48 });
    expect([await list('open'), await list('done'), await list('all')]).toEqual([0, 1, 1]);

    // Idempotent: acking a done card leaves it done.
    const again = await injectAs(ctx, t.supervisor, { method: 'POST', url: `/api/tasks/${t.overdueId}/ack` });
    expect(again.json()).toMatchObject({ status: 'done' });

    const bad = await injectAs(ctx, t.supervisor, { method: 'GET', url: '/api/tasks?status=later' });
    expect(bad.statusCode).toBe(422);
  });

  it('needs a session', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/tasks' })).statusCode).toBe(401);
  });
});

describe('POST /api/tasks/:id/ack|done', () => {
  it("is 404 for another user's, another tenant's or an unknown task", async () => {
    const t = await tenantWithCards();
    const other = await tenantWithCards();
    for (const action of ['ack', 'done']) {
      const cases = [
        [t.rep, t.overdueId], // same tenant, the supervisor's card
        [t.admin, t.overdueId], // even the admin: cards are personal
        [other.supervisor, t.overdueId], // another tenant
        [t.supervisor, crypto.randomUUID()],
      ] as const;
      for (const [user, id] of cases) {
        const res = await injectAs(ctx, user, { method: 'POST', url: `/api/tasks/${id}/${action}` });
        expect(res.statusCode).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      }
    }
    const card = await injectAs(ctx, t.supervisor, { method: 'GET', url: '/api/tasks' });
    expect(card.json()[0].status).toBe('open'); // untouched
    const malformed = await injectAs(ctx, t.supervisor, { method: 'POST', url: '/api/tasks/not-a-uuid/ack' });
    expect(malformed.statusCode).toBe(422);
  });

  it('lets the rep finish a wake-up card', async () => {
    const t = await tenantWithCards();
    const res = await injectAs(ctx, t.rep, { method: 'POST', url: `/api/tasks/${t.dormantId}/done` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: t.dormantId, kind: 'dormant_wakeup', status: 'done' });
  });
});
