import { randomBytes } from 'node:crypto';
import { schema } from '@crm/db';
import { NO_COMPETITOR_NEWS, NO_ORDERS } from '@crm/domain';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dormantJob } from '../src/jobs/dormant.job';
import type { JobContext } from '../src/jobs/job';
import { overdueJob } from '../src/jobs/overdue.job';
import {
  addCustomer,
  addOrder,
  addProduct,
  addVisit,
  DAY,
  deliveriesOf,
  HOUR,
  jobRunsOf,
  MIN,
  setTenant,
  tasksOf,
  touch,
} from './alerts.fixtures';
import { createTestTenant, setupApp, type TestContext, type TestTenant } from './helpers';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await setupApp();
});
afterAll(async () => ctx.close());

const run = (job: typeof overdueJob, t: TestTenant, now: Date, extra: Partial<JobContext> = {}) =>
  job.run({ now, deps: ctx.deps, tenantIds: [t.tenantId], ...extra });

describe('overdue promise → one card for the supervisor', () => {
  const visitAt = new Date('2026-06-01T02:00:00Z');
  const promised = new Date('2026-06-03T02:00:00Z');

  it('no card at +23 h 59 m; one at +24 h 00 m 01 s; still one on every re-run', async () => {
    const t = await createTestTenant(ctx);
    const c = await addCustomer(ctx, t, { name: '张伟', org: '华东制造' });
    const p = await addProduct(ctx, t, { sku: 'X1', name: '空压机 X1', category: 'compressor' });
    for (const [i, score] of [70, 80, 90, 100].entries())
      await addOrder(ctx, t, {
        customerId: c.id,
        orderedAt: new Date(Date.UTC(2026, 0, 10 + i)),
        fulfilmentScore: score,
        productId: p.id,
      });
    const v = await addVisit(ctx, t, {
      customerId: c.id,
      occurredAt: visitAt,
      nextContactAt: promised,
      coreNeed: '降低能耗',
    });

    expect(await run(overdueJob, t, new Date(promised.getTime() + 23 * HOUR + 59 * MIN))).toMatchObject({ created: 0 });
    expect(await tasksOf(ctx, t)).toHaveLength(0);

    const at = new Date(promised.getTime() + 24 * HOUR + 1000);
    expect(await run(overdueJob, t, at)).toMatchObject({ created: 1, broken: 1 });
    expect(await run(overdueJob, t, at)).toMatchObject({ alreadyDone: 1, ran: 0 }); // same 5-min slot: ledger says done
    expect(await run(overdueJob, t, at, { force: true })).toMatchObject({ created: 0, ran: 1 }); // forced: dedupe key
    expect(await run(overdueJob, t, new Date(at.getTime() + 3 * HOUR))).toMatchObject({ created: 0 });

    const cards = await tasksOf(ctx, t, 'overdue_followup');
    expect(cards).toHaveLength(1);
    const card = cards[0];
    expect(card).toMatchObject({
      recipientId: t.supervisor.id,
      customerId: c.id,
      repId: t.rep.id,
      visitId: v.id,
      dedupeKey: `overdue:${v.id}`,
      status: 'open',
      dueAt: promised,
      createdAt: at,
    });
    expect(card?.payload).toMatchObject({
      customer: { id: c.id, name: '张伟', org: '华东制造' },
      rep: { id: t.rep.id, name: '李销售' },
      coreNeed: '降低能耗',
      promisedAt: promised.toISOString(),
      hoursOverdue: 24,
      ordersSummary: '100, 90, 80',
      recentOrders: [
        { orderedAt: '2026-01-13T00:00:00.000Z', fulfilmentScore: 100, amountCents: 100_000 },
        { orderedAt: '2026-01-12T00:00:00.000Z', fulfilmentScore: 90 },
        { orderedAt: '2026-01-11T00:00:00.000Z', fulfilmentScore: 80 },
      ],
    });
    expect(card?.payload.recentOrders).toHaveLength(3);
    // Handed to the outbox in the same transaction, once.
    expect(await deliveriesOf(ctx, t)).toHaveLength(1);
  });

  it('says "no orders", and goes to the admin when the rep has no supervisor', async () => {
    const t = await createTestTenant(ctx);
    const lone = await t.addUser('rep', '赵独行', null);
    const c = await addCustomer(ctx, t, { ownerId: lone.id });
    await addVisit(ctx, t, { customerId: c.id, repId: lone.id, occurredAt: visitAt, nextContactAt: promised });
    await run(overdueJob, t, new Date(promised.getTime() + 30 * HOUR));
    const [card] = await tasksOf(ctx, t);
    expect(card).toMatchObject({ recipientId: t.admin.id, repId: lone.id });
    expect(card?.payload).toMatchObject({ recentOrders: [], ordersSummary: NO_ORDERS, hoursOverdue: 30 });
  });

  it('ignores kept promises and promises the rep followed up in any way', async () => {
    const t = await createTestTenant(ctx);
    const kept = await addCustomer(ctx, t);
    await addVisit(ctx, t, { customerId: kept.id, occurredAt: visitAt, nextContactAt: promised, status: 'kept' });
    const chatted = await addCustomer(ctx, t);
    await addVisit(ctx, t, { customerId: chatted.id, occurredAt: visitAt, nextContactAt: promised });
    await touch(ctx, t, chatted.id, new Date(visitAt.getTime() + DAY), true); // outgoing chat
    const customerOnly = await addCustomer(ctx, t);
    await addVisit(ctx, t, { customerId: customerOnly.id, occurredAt: visitAt, nextContactAt: promised });
    await touch(ctx, t, customerOnly.id, new Date(visitAt.getTime() + DAY), false); // the customer wrote: not a rep touch
    const counts = await run(overdueJob, t, new Date(promised.getTime() + 48 * HOUR));
    expect(counts).toMatchObject({ created: 1 });
    expect((await tasksOf(ctx, t)).map((k) => k.customerId)).toEqual([customerOnly.id]);
  });

  it('resolves the open card when the rep later touches the customer, and says so', async () => {
    const t = await createTestTenant(ctx);
    const c = await addCustomer(ctx, t);
    await addVisit(ctx, t, { customerId: c.id, occurredAt: visitAt, nextContactAt: promised });
    await run(overdueJob, t, new Date(promised.getTime() + 25 * HOUR));
    const touchedAt = new Date(promised.getTime() + 26 * HOUR);
    await touch(ctx, t, c.id, touchedAt, true);
    expect(await run(overdueJob, t, new Date(promised.getTime() + 27 * HOUR))).toMatchObject({
      resolved: 1,
      created: 0,
    });
    const [card] = await tasksOf(ctx, t);
    expect(card?.status).toBe('resolved');
    expect(card?.resolution).toMatch(/^销售已于 2026-06-04 12:00 跟进$/); // 04:00Z in Asia/Shanghai
    expect(await run(overdueJob, t, new Date(promised.getTime() + 28 * HOUR))).toMatchObject({
      resolved: 0,
      created: 0,
    });
  });

  it('scans only the new window between runs, and everything at the first slot of a UTC day', async () => {
    const t = await createTestTenant(ctx);
    const u = schema.users;
    const setActive = (active: boolean) =>
      ctx.deps.db
        .update(u)
        .set({ active })
        .where(and(eq(u.tenantId, t.tenantId), inArray(u.id, [t.admin.id, t.supervisor.id])));
    await setActive(false);
    const c = await addCustomer(ctx, t);
    await addVisit(ctx, t, { customerId: c.id, occurredAt: visitAt, nextContactAt: promised });
    const first = new Date(promised.getTime() + 30 * HOUR);
    expect(await run(overdueJob, t, first)).toMatchObject({ noRecipient: 1, created: 0, fullScan: 1 });
    await setActive(true);
    expect(await run(overdueJob, t, new Date(first.getTime() + 5 * MIN))).toMatchObject({ created: 0, fullScan: 0 });
    expect(await run(overdueJob, t, new Date('2026-06-05T00:00:00Z'))).toMatchObject({ created: 1, fullScan: 1 });
    expect((await tasksOf(ctx, t))[0]?.recipientId).toBe(t.supervisor.id);
  });

  it('a visit recorded after its promise was already overdue gets its card on the next incremental run, once', async () => {
    const t = await createTestTenant(ctx);
    const c = await addCustomer(ctx, t, { name: '王芳' });
    const first = new Date('2026-11-27T06:31:00Z');
    expect(await run(overdueJob, t, first)).toMatchObject({ created: 0, fullScan: 1 });
    // Synced late: occurred 5 days ago, promised 3 days ago, recorded just now.
    const now = new Date(first.getTime() + 5 * MIN);
    const v = await addVisit(ctx, t, {
      customerId: c.id,
      occurredAt: new Date(now.getTime() - 5 * DAY),
      nextContactAt: new Date('2026-11-24T06:33:21.227Z'),
      recordedAt: new Date(now.getTime() - MIN),
      coreNeed: '补发样品',
    });
    expect(await run(overdueJob, t, now)).toMatchObject({ created: 1, broken: 1, fullScan: 0 });
    expect(await run(overdueJob, t, new Date(now.getTime() + 5 * MIN))).toMatchObject({ created: 0, fullScan: 0 });
    expect(await run(overdueJob, t, new Date(now.getTime() + 10 * MIN))).toMatchObject({ created: 0, fullScan: 0 });
    const cards = await tasksOf(ctx, t, 'overdue_followup');
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ visitId: v.id, recipientId: t.supervisor.id });
    // The text reads the promise on the tenant's wall clock (Asia/Shanghai), not as a UTC ISO instant.
    const text = String((cards[0]?.payload as { text?: string } | undefined)?.text);
    expect(text).toContain('承诺于 11月24日 14:33 联系');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('records one ledger row per tenant and 5-minute slot', async () => {
    const t = await createTestTenant(ctx);
    await run(overdueJob, t, new Date('2026-06-05T02:01:00Z'));
    await run(overdueJob, t, new Date('2026-06-05T02:04:59Z'));
    await run(overdueJob, t, new Date('2026-06-05T02:05:00Z'));
    const runs = await jobRunsOf(ctx, t, 'overdue');
    expect(runs.map((r) => [r.slot.toISOString(), r.status])).toEqual([
      ['2026-06-05T02:00:00.000Z', 'done'],
      ['2026-06-05T02:05:00.000Z', 'done'],
    ]);
    expect(runs[0]?.counts).toMatchObject({ created: 0 });
  });
});

describe('Friday dormant wake-up', () => {
  // Friday 2026-06-05 15:00 Asia/Shanghai
  const friday1500 = new Date('2026-06-05T07:00:00Z');
  const daysAgo = (d: number) => new Date(friday1500.getTime() - d * DAY);

  async function dormantTenant() {
    const t = await createTestTenant(ctx);
    await setTenant(ctx, t, { createdAt: new Date('2025-01-01T00:00:00Z') });
    return t;
  }

  it('picks ≥ 90 days and LTV > 5,000.00 only, once per customer per ISO week', async () => {
    const t = await dormantTenant();
    const yes = await addCustomer(ctx, t, { name: '恰好九十天', ltvCents: 500_001, lastInteractionAt: daysAgo(90) });
    await addCustomer(ctx, t, { name: '正好五千', ltvCents: 500_000, lastInteractionAt: daysAgo(90) });
    await addCustomer(ctx, t, { name: '八十九天', ltvCents: 9_000_000, lastInteractionAt: daysAgo(89) });
    const old = await addCustomer(ctx, t, { name: '一年没联系', ltvCents: 9_000_000, lastInteractionAt: daysAgo(365) });

    expect(await run(dormantJob, t, new Date(friday1500.getTime() - MIN))).toMatchObject({ ran: 0, skipped: 1 }); // last Friday: long missed
    expect(await tasksOf(ctx, t)).toHaveLength(0);
    expect(await run(dormantJob, t, friday1500)).toMatchObject({ ran: 1, created: 2, dormant: 2 });
    expect(await run(dormantJob, t, new Date(friday1500.getTime() + MIN))).toMatchObject({ ran: 0, alreadyDone: 1 });
    expect(await run(dormantJob, t, new Date(friday1500.getTime() + HOUR), { force: true })).toMatchObject({
      created: 0,
    });

    const cards = await tasksOf(ctx, t, 'dormant_wakeup');
    expect(cards.map((c) => c.customerId).sort()).toEqual([yes.id, old.id].sort());
    expect(cards.every((c) => c.recipientId === t.rep.id && c.dedupeKey.endsWith(':2026-W23'))).toBe(true);
    expect(await deliveriesOf(ctx, t)).toHaveLength(2);

    // Next Friday is another ISO week: a new card for each dormant customer (the 89-day one is now 96).
    expect(await run(dormantJob, t, new Date(friday1500.getTime() + 7 * DAY))).toMatchObject({ created: 3 });
    const runs = await jobRunsOf(ctx, t, 'dormant');
    expect(runs.map((r) => [r.slot.toISOString(), r.status])).toEqual([
      ['2026-05-29T07:00:00.000Z', 'skipped'],
      ['2026-06-05T07:00:00.000Z', 'done'],
      ['2026-06-12T07:00:00.000Z', 'done'],
    ]);
  });

  it('builds the wake-up pack: talk track, seasonal tip of the last category, relevant negative news', async () => {
    const t = await dormantTenant();
    const c = await addCustomer(ctx, t, {
      name: '张伟',
      title: '总监',
      tags: ['节能', '售后'],
      industry: 'manufacturing',
      ltvCents: 2_000_000,
      lastInteractionAt: daysAgo(120),
    });
    const none = await addCustomer(ctx, t, {
      name: '钱多多',
      industry: 'retail',
      ltvCents: 2_000_000,
      lastInteractionAt: daysAgo(200),
    });
    const old = await addProduct(ctx, t, { sku: 'F1', name: '过滤器 F1', category: 'filter' });
    const comp = await addProduct(ctx, t, { sku: 'X1', name: '空压机 X1', category: 'compressor' });
    await addOrder(ctx, t, { customerId: c.id, orderedAt: daysAgo(300), productId: old.id });
    await addOrder(ctx, t, { customerId: c.id, orderedAt: daysAgo(150), productId: comp.id });
    await addVisit(ctx, t, {
      customerId: c.id,
      occurredAt: daysAgo(120),
      nextContactAt: daysAgo(110),
      coreNeed: '车间能耗太高',
    });
    const db = ctx.deps.db;
    await db.insert(schema.seasonalTips).values([
      { tenantId: t.tenantId, category: 'compressor', season: 'summer', tip: '高温季节每周清洁散热器' },
      { tenantId: t.tenantId, category: 'compressor', season: 'winter', tip: '冬季注意排水防冻' },
      { tenantId: t.tenantId, category: 'filter', season: 'summer', tip: '不该出现' },
    ]);
    const news = (title: string, o: Partial<typeof schema.competitorNews.$inferInsert>) => ({
      tenantId: t.tenantId,
      competitor: '对手甲',
      title,
      summary: `${title} 摘要`,
      publishedAt: daysAgo(5),
      ...o,
    });
    await db
      .insert(schema.competitorNews)
      .values([
        news('行业召回', { industries: ['manufacturing'] }),
        news('空压机质量投诉', { categories: ['compressor'], publishedAt: daysAgo(29) }),
        news('太旧了', { industries: ['manufacturing'], publishedAt: daysAgo(31) }),
        news('好消息', { industries: ['manufacturing'], sentiment: 'positive' }),
        news('别的行业', { industries: ['finance'] }),
      ]);
    // The customer's last visit moved last_interaction_at: put it back to 120 days.
    await db
      .update(schema.customers)
      .set({ lastInteractionAt: daysAgo(120) })
      .where(eq(schema.customers.id, c.id));

    expect(await run(dormantJob, t, friday1500)).toMatchObject({ created: 2 });
    const cards = await tasksOf(ctx, t, 'dormant_wakeup');
    const card = cards.find((k) => k.customerId === c.id);
    const pack = card?.payload.pack as Record<string, unknown>;
    expect(pack.talkTrack).toContain('张伟总监您好');
    expect(pack.talkTrack).toContain('空压机 X1');
    expect(pack.talkTrack).toContain('车间能耗太高');
    expect(pack.talkTrack).toContain('节能、售后');
    expect(pack).toMatchObject({
      seasonalTip: '高温季节每周清洁散热器',
      hasSeasonalTip: true,
      season: 'summer',
      category: 'compressor',
    });
    expect((pack.competitorNews as { title: string }[]).map((n) => n.title)).toEqual(['行业召回', '空压机质量投诉']);

    const other = cards.find((k) => k.customerId === none.id)?.payload.pack as Record<string, unknown>;
    expect(other).toMatchObject({
      competitorNews: [],
      competitorSummary: NO_COMPETITOR_NEWS,
      hasSeasonalTip: false,
      category: null,
    });
  });

  it('follows the tenant zone and configured weekday/hour', async () => {
    const t = await dormantTenant();
    await setTenant(ctx, t, {
      timeZone: 'America/New_York',
      settings: { dormantWeekday: 1, dormantHour: 9, dormantMinute: 30, dormantDays: 30, dormantLtvCents: 100 },
    });
    await addCustomer(ctx, t, { ltvCents: 101, lastInteractionAt: new Date('2026-05-01T00:00:00Z') });
    // Monday 2026-06-08 09:30 New York = 13:30Z
    expect(await run(dormantJob, t, new Date('2026-06-08T13:29:00Z'))).toMatchObject({ ran: 0 });
    expect(await run(dormantJob, t, new Date('2026-06-08T13:30:00Z'))).toMatchObject({ ran: 1, created: 1 });
    const runs = await jobRunsOf(ctx, t, 'dormant');
    expect(runs.filter((r) => r.status === 'done').map((r) => r.slot.toISOString())).toEqual([
      '2026-06-08T13:30:00.000Z',
    ]);
  });
});

describe('createCard seam', () => {
  it('inserts once per dedupe key and enqueues only when inserted', async () => {
    const { createCard } = await import('../src/modules/tasks/cards.repo');
    const t = await createTestTenant(ctx);
    const c = await addCustomer(ctx, t);
    const card = {
      tenantId: t.tenantId,
      kind: 'coupon' as const,
      dedupeKey: `coupon:${c.id}`,
      recipientId: t.rep.id,
      customerId: c.id,
      payload: { title: '发券', couponCents: 500 },
      now: new Date('2026-06-05T02:00:00Z'),
    };
    const first = await ctx.deps.db.transaction((tx) => createCard(tx, card));
    const second = await ctx.deps.db.transaction((tx) => createCard(tx, card));
    expect(first).toMatch(/[0-9a-f-]{36}/);
    expect(second).toBeNull();
    expect(await deliveriesOf(ctx, t)).toHaveLength(1);
    const [row] = await ctx.deps.db
      .select()
      .from(schema.tasks)
      .where(and(eq(schema.tasks.tenantId, t.tenantId), eq(schema.tasks.dedupeKey, card.dedupeKey)));
    expect(row).toMatchObject({ kind: 'coupon', status: 'open', createdAt: card.now });
  });
});

describe('createCards batch', () => {
  it('a batch with duplicates creates each card and its deliveries once', async () => {
    const { createCard, createCards } = await import('../src/modules/tasks/cards.repo');
    const { wecomTaskId } = await import('../src/integrations/wecom/wecom.cards');
    const t = await createTestTenant(ctx);
    const suffix = randomBytes(4).toString('hex');
    const db = ctx.deps.db;
    await db
      .update(schema.tenants)
      .set({ wecomCorpId: `ww${suffix}`, dingtalkCorpId: `ding${suffix}` })
      .where(eq(schema.tenants.tenantId, t.tenantId));
    // The supervisor is on WeCom and DingTalk, the rep on WeCom only, the admin on neither.
    await db
      .update(schema.users)
      .set({ wecomUserId: 'wx-sup', dingtalkUserId: 'dd-sup' })
      .where(eq(schema.users.id, t.supervisor.id));
    await db.update(schema.users).set({ wecomUserId: 'wx-rep' }).where(eq(schema.users.id, t.rep.id));
    const c = await addCustomer(ctx, t);
    const now = new Date('2026-06-05T02:00:00Z');
    const card = (key: string, recipientId: string) => ({
      tenantId: t.tenantId,
      kind: 'coupon' as const,
      dedupeKey: `coupon:${key}`,
      recipientId,
      customerId: c.id,
      payload: { title: key },
      now,
    });
    // One card exists before the batch.
    expect(await db.transaction((tx) => createCard(tx, card('old', t.rep.id)))).toMatch(/[0-9a-f-]{36}/);
    const batch = [
      card('a', t.supervisor.id),
      card('b', t.rep.id),
      card('a', t.supervisor.id), // same chunk
      card('old', t.rep.id), // exists already
      card('c', t.admin.id),
      card('b', t.rep.id), // next chunk
      card('d', t.supervisor.id),
    ];
    expect(await db.transaction((tx) => createCards(tx, batch, 3))).toBe(4);
    expect(await db.transaction((tx) => createCards(tx, batch, 3))).toBe(0);

    const tasks = await tasksOf(ctx, t);
    expect(tasks.map((k) => k.dedupeKey).sort()).toEqual([
      'coupon:a',
      'coupon:b',
      'coupon:c',
      'coupon:d',
      'coupon:old',
    ]);
    const byKey = new Map(tasks.map((k) => [k.dedupeKey, k]));
    const deliveries = await deliveriesOf(ctx, t);
    const channels = (key: string) =>
      deliveries
        .filter((d) => d.taskId === byKey.get(`coupon:${key}`)?.id)
        .map((d) => d.channel)
        .sort();
    expect(channels('a')).toEqual(['dingtalk', 'inapp', 'wecom']);
    expect(channels('d')).toEqual(['dingtalk', 'inapp', 'wecom']);
    expect(channels('b')).toEqual(['inapp', 'wecom']);
    expect(channels('old')).toEqual(['inapp', 'wecom']);
    expect(channels('c')).toEqual(['inapp']);
    expect(deliveries).toHaveLength(3 + 3 + 2 + 2 + 1);
    for (const d of deliveries) {
      const task = tasks.find((k) => k.id === d.taskId);
      expect(d.recipientId).toBe(task?.recipientId);
      expect(d.nextAttemptAt).toEqual(now);
      if (d.channel === 'inapp') expect(d).toMatchObject({ state: 'sent', sentAt: now, providerTaskId: null });
      if (d.channel === 'wecom')
        expect(d).toMatchObject({ state: 'pending', sentAt: null, providerTaskId: wecomTaskId(d.taskId) });
      if (d.channel === 'dingtalk') expect(d).toMatchObject({ state: 'pending', sentAt: null, providerTaskId: null });
    }
  });
});
