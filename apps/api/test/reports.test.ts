// Worked examples of docs/forecast-and-health.md, reproduced through the API.
import { schema } from '@crm/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributionJob } from '../src/jobs/attribution.job';
import { createTestTenant, injectAs, setupApp, type TestContext, type TestTenant } from './helpers';
import { addCustomer, addOpportunity, addSignalRow } from './signals.fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await setupApp({ now: '2026-06-05T02:00:00Z' });
});
afterAll(async () => ctx.close());

const at = (s: string) => new Date(`${s}+08:00`);
const H = 3_600_000;

async function signal(
  t: TestTenant,
  opp: { id: string; customerId: string },
  level: number,
  status: 'confirmed' | 'candidate' | 'rejected',
  when: string,
  kind?: string,
) {
  const confidence = ({ 1: 0.3, 2: 0.5, 3: 0.8 } as Record<number, number>)[level]!;
  return addSignalRow(ctx, {
    tenantId: t.tenantId,
    opportunityId: opp.id,
    customerId: opp.customerId,
    level,
    kind:
      kind ?? ({ 1: 'business_licence', 2: 'proposal_passed', 3: 'budget_passed' } as Record<number, string>)[level]!,
    confidence,
    status,
    source: 'manual',
    observedAt: at(when),
    confirmedAt: status === 'confirmed' ? at(when) : null,
  });
}

/** O1–O5 open (1 000 000 / 800 000 / 500 000 / 300 000 / 200 000 fen), O6 won. */
async function examplePipeline(t: TestTenant, ownerId: string) {
  const c = await addCustomer(ctx, t.tenantId, ownerId);
  const mk = (amountCents: number, extra = {}) =>
    addOpportunity(ctx, t.tenantId, c.id, ownerId, { amountCents, createdAt: at('2026-04-01T00:00:00'), ...extra });
  const o1 = await mk(1_000_000);
  const o2 = await mk(800_000);
  const o3 = await mk(500_000);
  const o4 = await mk(300_000);
  const o5 = await mk(200_000);
  const o6 = await mk(900_000, { stage: 'won', closedAt: at('2026-05-20T00:00:00') });
  await signal(t, o1, 3, 'confirmed', '2026-05-10T10:00:00');
  await signal(t, o1, 1, 'confirmed', '2026-04-10T10:00:00');
  await signal(t, o2, 2, 'confirmed', '2026-05-11T10:00:00');
  await signal(t, o3, 1, 'confirmed', '2026-05-12T10:00:00');
  await signal(t, o4, 3, 'candidate', '2026-05-13T10:00:00');
  await signal(t, o5, 3, 'rejected', '2026-05-13T10:00:00');
  await signal(t, o6, 3, 'confirmed', '2026-05-01T10:00:00');
  return { o1, o2, o3, o4, o5, o6 };
}

describe('GET /api/reports/forecast', () => {
  it('weights each open opportunity by its best confirmed signal (worked example)', async () => {
    const t = await createTestTenant(ctx);
    const rep2 = await t.addUser('rep', '王五', t.supervisor.id);
    await examplePipeline(t, t.rep.id);
    const c2 = await addCustomer(ctx, t.tenantId, rep2.id);
    const o7 = await addOpportunity(ctx, t.tenantId, c2.id, rep2.id, { amountCents: 600_000 });
    await signal(t, o7, 2, 'confirmed', '2026-05-01T10:00:00');
    await signal(t, o7, 3, 'confirmed', '2026-05-02T10:00:00');

    const sup = (await injectAs(ctx, t.supervisor, { method: 'GET', url: '/api/reports/forecast' })).json();
    expect(sup.total).toEqual({ opportunities: 6, withSignal: 4, pipelineCents: 3_400_000, weightedCents: 1_830_000 });
    expect(sup.teams).toEqual([{ supervisor: { id: t.supervisor.id, name: '王主管' }, ...sup.total }]);
    expect(sup.reps).toEqual(
      expect.arrayContaining([
        {
          rep: { id: t.rep.id, name: '李销售' },
          opportunities: 5,
          withSignal: 3,
          pipelineCents: 2_800_000,
          weightedCents: 1_350_000,
        },
        {
          rep: { id: rep2.id, name: '王五' },
          opportunities: 1,
          withSignal: 1,
          pipelineCents: 600_000,
          weightedCents: 480_000,
        },
      ]),
    );
    const mine = (await injectAs(ctx, t.rep, { method: 'GET', url: '/api/reports/forecast' })).json();
    expect(mine.total).toEqual({ opportunities: 5, withSignal: 3, pipelineCents: 2_800_000, weightedCents: 1_350_000 });
  });
});

describe('GET /api/reports/health', () => {
  it('reproduces the worked example: 64.5 / 76.7 / team 66.8', async () => {
    const t = await createTestTenant(ctx);
    const rep2 = await t.addUser('rep', '王五', t.supervisor.id);
    await examplePipeline(t, t.rep.id);
    const visit = async (repId: string, customerId: string, actionType: string, occurred: string, delayMs = 0) => {
      const occurredAt = at(occurred);
      await ctx.deps.db.insert(schema.visits).values({
        tenantId: t.tenantId,
        customerId,
        repId,
        coreNeed: '需求',
        nextContactAt: new Date(occurredAt.getTime() + 7 * 24 * H),
        occurredAt,
        recordedAt: new Date(occurredAt.getTime() + delayMs),
        actionType: actionType as 'needs_diagnosis',
      });
    };
    const [A, B, C, D, E, F] = await Promise.all(
      ['A', 'B', 'C', 'D']
        .map((n) => addCustomer(ctx, t.tenantId, t.rep.id, { name: n }))
        .concat(['E', 'F'].map((n) => addCustomer(ctx, t.tenantId, rep2.id, { name: n }))),
    );
    const r1 = t.rep.id;
    await visit(r1, A!.id, 'needs_diagnosis', '2026-05-02T10:00:00');
    await visit(r1, A!.id, 'solution_demo', '2026-05-06T10:00:00', H);
    await visit(r1, A!.id, 'objection_handling', '2026-05-10T10:00:00', 2 * H);
    await visit(r1, A!.id, 'service_followup', '2026-05-14T10:00:00', H / 2);
    await visit(r1, B!.id, 'needs_diagnosis', '2026-03-20T10:00:00');
    await visit(r1, B!.id, 'solution_demo', '2026-05-03T10:00:00');
    await visit(r1, B!.id, 'objection_handling', '2026-05-07T10:00:00', 2 * H + 1000);
    await visit(r1, B!.id, 'service_followup', '2026-05-11T10:00:00', H / 6);
    await visit(r1, C!.id, 'needs_diagnosis', '2026-05-04T10:00:00');
    await visit(r1, C!.id, 'solution_demo', '2026-05-08T10:00:00', 26 * H);
    await visit(r1, D!.id, 'needs_diagnosis', '2026-02-20T10:00:00');
    await visit(r1, D!.id, 'solution_demo', '2026-04-10T10:00:00');
    await visit(r1, D!.id, 'objection_handling', '2026-04-15T10:00:00');
    await visit(r1, D!.id, 'service_followup', '2026-05-20T10:00:00');
    await visit(rep2.id, E!.id, 'needs_diagnosis', '2026-04-20T10:00:00');
    await visit(rep2.id, E!.id, 'solution_demo', '2026-05-05T10:00:00');
    await visit(rep2.id, E!.id, 'objection_handling', '2026-05-06T10:00:00');
    await visit(rep2.id, E!.id, 'service_followup', '2026-05-07T10:00:00');
    await visit(rep2.id, F!.id, 'needs_diagnosis', '2026-05-08T10:00:00');

    const res = await injectAs(ctx, t.supervisor, {
      method: 'GET',
      url: '/api/reports/health?from=2026-05-01&to=2026-05-31',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.from).toBe('2026-04-30T16:00:00.000Z');
    expect(body.to).toBe('2026-05-31T16:00:00.000Z');
    const li = body.reps.find((r: { rep: { id: string } }) => r.rep.id === r1);
    expect(li).toMatchObject({
      total: 64.5,
      touchpoints: { score: 50, numerator: 2, denominator: 4 },
      timeliness: { score: 80, numerator: 8, denominator: 10 },
      coverage: { score: 60, numerator: 3, denominator: 5 },
    });
    const wang = body.reps.find((r: { rep: { id: string } }) => r.rep.id === rep2.id);
    expect(wang).toMatchObject({
      total: 76.7,
      touchpoints: { score: 50 },
      timeliness: { score: 100 },
      coverage: { score: null },
    });
    expect(body.team).toMatchObject({
      total: 66.8,
      touchpoints: { score: 50, numerator: 3, denominator: 6 },
      timeliness: { score: 85.7, numerator: 12, denominator: 14 },
      coverage: { score: 60, numerator: 3, denominator: 5 },
    });
    expect(body.team.history).toHaveLength(31);
    expect(body.team.history[0].date).toBe('2026-05-01');
    expect(body.team.history[30].date).toBe('2026-05-31');

    // A rep sees only themself; another tenant sees none of it.
    const mine = (
      await injectAs(ctx, t.rep, { method: 'GET', url: '/api/reports/health?from=2026-05-01&to=2026-05-31' })
    ).json();
    expect(mine.reps.map((r: { rep: { id: string } }) => r.rep.id)).toEqual([r1]);
    expect(mine.team.total).toBe(64.5);
  });

  it('names the field of a bad period', async () => {
    const t = await createTestTenant(ctx);
    const res = await injectAs(ctx, t.admin, {
      method: 'GET',
      url: '/api/reports/health?from=2026-06-01&to=2026-05-01',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.field).toBe('from');
  });
});

describe('attribution', () => {
  it('reproduces the worked example and raises one diagnosis card per admin per month', async () => {
    const t = await createTestTenant(ctx);
    const c = await addCustomer(ctx, t.tenantId, t.rep.id);
    const mk = (amountCents: number, extra = {}) =>
      addOpportunity(ctx, t.tenantId, c.id, t.rep.id, { amountCents, createdAt: at('2026-03-01T00:00:00'), ...extra });
    const won = (d: string) => ({ stage: 'won' as const, closedAt: at(`${d}T12:00:00`) });
    // April cohort of "budget passed": 2 of 4 won within 30 days.
    const o1 = await mk(1_000_000, { expectedCloseAt: at('2026-04-20T00:00:00'), ...won('2026-04-20') });
    const o2 = await mk(600_000, { expectedCloseAt: at('2026-04-25T00:00:00'), ...won('2026-05-05') });
    const o3 = await mk(300_000, won('2026-05-20'));
    const o4 = await mk(200_000);
    await signal(t, o1, 2, 'confirmed', '2026-03-15T12:00:00'); // known before April: forecast 500 000
    await signal(t, o1, 3, 'confirmed', '2026-04-02T12:00:00');
    await signal(t, o2, 3, 'confirmed', '2026-04-10T12:00:00');
    await signal(t, o3, 3, 'confirmed', '2026-04-15T12:00:00');
    await signal(t, o4, 3, 'confirmed', '2026-04-28T12:00:00');
    // April cohort of "proposal passed": 1 of 2.
    const o5 = await mk(400_000, { expectedCloseAt: at('2026-05-10T00:00:00'), ...won('2026-04-30') });
    const o6 = await mk(100_000, { stage: 'lost', closedAt: at('2026-04-20T12:00:00') });
    await signal(t, o5, 2, 'confirmed', '2026-04-05T12:00:00');
    await signal(t, o6, 2, 'confirmed', '2026-04-06T12:00:00');
    // March cohort of "budget passed": 1 of 2.
    const o7 = await mk(100_000, { stage: 'lost', closedAt: at('2026-03-25T12:00:00') });
    const o8 = await mk(100_000, won('2026-03-20'));
    await signal(t, o7, 3, 'confirmed', '2026-03-10T12:00:00');
    await signal(t, o8, 3, 'confirmed', '2026-03-12T12:00:00');

    const res = await injectAs(ctx, t.admin, { method: 'GET', url: '/api/reports/attribution?month=2026-04' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      month: '2026-04',
      matured: true,
      signals: [
        { kind: 'budget_passed', level: 3, opportunities: 4, wonWithin30d: 2, share: 0.5 },
        { kind: 'proposal_passed', level: 2, opportunities: 2, wonWithin30d: 1, share: 0.5 },
      ],
      budgetPassed: { share: 0.5, target: 0.76, threshold: 0.65 },
      forecast: {
        pipelineCents: 1_600_000,
        forecastCents: 500_000,
        actualCents: 1_400_000,
        wonOpportunities: 2,
        ratio: 2.8,
      },
    });
    const march = (
      await injectAs(ctx, t.admin, { method: 'GET', url: '/api/reports/attribution?month=2026-03' })
    ).json();
    expect(march.budgetPassed.share).toBe(0.5);

    const admin2 = await t.addUser('admin', '运营');
    const run = () => attributionJob.run({ now: ctx.clock.now(), deps: ctx.deps, tenantIds: [t.tenantId] });
    expect(await run()).toMatchObject({ tenants: 1, diagnosed: 1, cards: 2, failed: 0 });
    expect(await run()).toMatchObject({ diagnosed: 1, cards: 0 });
    const cards = await ctx.deps.db.select().from(schema.tasks).where(eq(schema.tasks.tenantId, t.tenantId));
    expect(cards.map((c) => [c.kind, c.recipientId, c.dedupeKey]).sort()).toEqual(
      [
        ['process_diagnosis', t.admin.id, `process_diagnosis:2026-04:${t.admin.id}`],
        ['process_diagnosis', admin2.id, `process_diagnosis:2026-04:${admin2.id}`],
      ].sort(),
    );
  });

  it('does not flag a tenant whose budget signals convert', async () => {
    const t = await createTestTenant(ctx);
    const c = await addCustomer(ctx, t.tenantId, t.rep.id);
    for (const [sig, close] of [
      ['2026-03-10', '2026-03-20'],
      ['2026-04-10', '2026-04-20'],
    ]) {
      const o = await addOpportunity(ctx, t.tenantId, c.id, t.rep.id, {
        stage: 'won',
        closedAt: at(`${close}T12:00:00`),
      });
      await signal(t, o, 3, 'confirmed', `${sig}T12:00:00`);
    }
    expect(await attributionJob.run({ now: ctx.clock.now(), deps: ctx.deps, tenantIds: [t.tenantId] })).toMatchObject({
      diagnosed: 0,
      cards: 0,
    });
  });
});
