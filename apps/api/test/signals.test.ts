import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, injectAs, setupApp, type TestContext, type TestTenant } from './helpers';
import { addCustomer, addSignalRow, setTenantSettings } from './signals.fixtures';

let ctx: TestContext;
let t: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  ctx = await setupApp({ now: '2026-06-05T02:00:00Z' });
  t = await createTestTenant(ctx);
  other = await createTestTenant(ctx);
});
afterAll(async () => ctx.close());

async function newOpportunity(amountCents = 1_000_000) {
  const c = await addCustomer(ctx, t.tenantId, t.rep.id);
  const res = await injectAs(ctx, t.rep, {
    method: 'POST',
    url: '/api/opportunities',
    payload: { customerId: c.id, title: '机房改造', amountCents, expectedCloseAt: '2026-06-30T00:00:00+08:00' },
  });
  expect(res.statusCode).toBe(201);
  return { customer: c, opp: res.json() };
}

describe('opportunities and signals', () => {
  it('creates an opportunity owned by the customer owner; a signal entered by a user is confirmed by them', async () => {
    const { opp } = await newOpportunity();
    expect(opp).toMatchObject({ stage: 'lead', amountCents: 1_000_000, confidence: 0, weightedCents: 0 });
    const res = await injectAs(ctx, t.rep, {
      method: 'POST',
      url: `/api/opportunities/${opp.id}/signals`,
      payload: { level: 2, evidence: '技术方案初审通过的会议纪要' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      level: 2,
      kind: 'proposal_passed',
      confidence: 0.5,
      status: 'confirmed',
      source: 'manual',
      confirmedById: t.rep.id,
      confirmedAt: '2026-06-05T02:00:00.000Z',
    });
    const view = await injectAs(ctx, t.supervisor, { method: 'GET', url: `/api/opportunities/${opp.id}` });
    expect(view.json()).toMatchObject({ confidence: 0.5, weightedCents: 500_000 });
    expect(view.json().signals).toHaveLength(1);
  });

  it('uses the tenant confidence override', async () => {
    const t2 = await createTestTenant(ctx);
    await setTenantSettings(ctx, t2.tenantId, { signalConfidence: { '3': 0.9 } });
    const c = await addCustomer(ctx, t2.tenantId, t2.rep.id);
    const opp = (
      await injectAs(ctx, t2.rep, {
        method: 'POST',
        url: '/api/opportunities',
        payload: { customerId: c.id, title: 'x', amountCents: 100 },
      })
    ).json();
    const res = await injectAs(ctx, t2.rep, {
      method: 'POST',
      url: `/api/opportunities/${opp.id}/signals`,
      payload: { level: 3 },
    });
    expect(res.json()).toMatchObject({ kind: 'budget_passed', confidence: 0.9 });
  });

  it("hides another tenant's opportunity and another rep's (404)", async () => {
    const { opp } = await newOpportunity();
    for (const user of [other.admin, await t.addUser('rep')]) {
      const res = await injectAs(ctx, user, { method: 'GET', url: `/api/opportunities/${opp.id}` });
      expect(res.statusCode).toBe(404);
      const add = await injectAs(ctx, user, {
        method: 'POST',
        url: `/api/opportunities/${opp.id}/signals`,
        payload: { level: 1 },
      });
      expect(add.statusCode).toBe(404);
    }
  });

  it('rejects a bad level with 422 naming the field', async () => {
    const { opp } = await newOpportunity();
    const res = await injectAs(ctx, t.rep, {
      method: 'POST',
      url: `/api/opportunities/${opp.id}/signals`,
      payload: { level: 4 },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.field).toBe('level');
  });

  it('candidates are listed, confirmed (with a corrected level) or rejected once', async () => {
    const { customer, opp } = await newOpportunity();
    const mk = (ref: string) =>
      addSignalRow(ctx, {
        tenantId: t.tenantId,
        customerId: customer.id,
        opportunityId: opp.id,
        level: 1,
        kind: 'price_comparison',
        confidence: 0.3,
        status: 'candidate',
        source: 'email',
        sourceRef: ref,
        evidence: '…比价…',
        observedAt: new Date('2026-06-04T00:00:00Z'),
      });
    const a = await mk('<a@x>');
    const b = await mk('<b@x>');
    const list = await injectAs(ctx, t.rep, { method: 'GET', url: '/api/signals?status=candidate' });
    expect(list.json().map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await injectAs(ctx, other.admin, { method: 'GET', url: '/api/signals?status=candidate' })).json()).toEqual(
      [],
    );

    const ok = await injectAs(ctx, t.supervisor, {
      method: 'POST',
      url: `/api/signals/${a.id}/confirm`,
      payload: { level: 2 },
    });
    expect(ok.json()).toMatchObject({ status: 'confirmed', level: 2, confidence: 0.5, confirmedById: t.supervisor.id });
    const no = await injectAs(ctx, t.rep, { method: 'POST', url: `/api/signals/${b.id}/reject` });
    expect(no.json()).toMatchObject({ status: 'rejected', confirmedById: t.rep.id });
    const again = await injectAs(ctx, t.rep, { method: 'POST', url: `/api/signals/${b.id}/confirm` });
    expect(again.statusCode).toBe(409);
    expect((await injectAs(ctx, other.admin, { method: 'POST', url: `/api/signals/${a.id}/reject` })).statusCode).toBe(
      404,
    );
    const view = await injectAs(ctx, t.rep, { method: 'GET', url: `/api/opportunities/${opp.id}` });
    expect(view.json()).toMatchObject({ confidence: 0.5, weightedCents: 500_000 });
  });

  it('morning scan: one per rep per day and kind, the supervisor sees the day and places it in the funnel', async () => {
    const { customer, opp } = await newOpportunity();
    const post = () =>
      injectAs(ctx, t.rep, {
        method: 'POST',
        url: '/api/signals/morning-scan',
        payload: { customerId: customer.id, level: 1, evidence: '客户发来营业执照扫描件' },
      });
    const first = await post();
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      source: 'morning_scan',
      opportunityId: null,
      observedAt: '2026-06-04T02:00:00.000Z',
    });
    expect((await post()).statusCode).toBe(409);

    const day = await injectAs(ctx, t.supervisor, { method: 'GET', url: '/api/signals/day' });
    expect(day.json().date).toBe('2026-06-05');
    expect(day.json().signals).toEqual([
      expect.objectContaining({
        id: first.json().id,
        rep: { id: t.rep.id, name: '李销售' },
        customer: { id: customer.id, name: '张伟' },
      }),
    ]);
    expect(
      (
        await injectAs(ctx, t.rep, {
          method: 'POST',
          url: `/api/signals/${first.json().id}/place`,
          payload: { opportunityId: opp.id },
        })
      ).statusCode,
    ).toBe(403);
    const placed = await injectAs(ctx, t.supervisor, {
      method: 'POST',
      url: `/api/signals/${first.json().id}/place`,
      payload: { opportunityId: opp.id },
    });
    expect(placed.json()).toMatchObject({ opportunityId: opp.id, placedAt: '2026-06-05T02:00:00.000Z' });
  });

  it('syncs customer-confirmed success criteria from the contract', async () => {
    const { opp } = await newOpportunity();
    const draft = await injectAs(ctx, t.rep, {
      method: 'PUT',
      url: `/api/opportunities/${opp.id}/contract`,
      payload: { externalId: 'HT-1', successCriteria: '草稿' },
    });
    expect(draft.json().successCriteria).toBeNull();
    const res = await injectAs(ctx, t.rep, {
      method: 'PUT',
      url: `/api/opportunities/${opp.id}/contract`,
      payload: {
        externalId: 'HT-1',
        successCriteria: '上线后故障率 < 1%',
        confirmedByCustomerAt: '2026-06-01T00:00:00Z',
      },
    });
    expect(res.json()).toMatchObject({
      successCriteria: '上线后故障率 < 1%',
      successCriteriaConfirmedAt: '2026-06-01T00:00:00.000Z',
    });
  });
});
