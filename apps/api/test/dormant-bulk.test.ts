// The set-based dormant sweep and the bulk card path under it: keyset chunks, one INSERT of
// cards + deliveries per chunk, several chunks written at once. Small chunks here so every
// test crosses chunk boundaries.
import { randomBytes } from 'node:crypto';
import { schema } from '@crm/db';
import { alertSettings, wakeupPack } from '@crm/domain';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wecomTaskId } from '../src/integrations/wecom/wecom.cards';
import { dormantJob } from '../src/jobs/dormant.job';
import { sweepDormant } from '../src/jobs/dormant.sweep';
import type { TenantInfo } from '../src/jobs/runner';
import { createCard, createCards, type NewCard } from '../src/modules/tasks/cards.repo';
import { addCustomer, addOrder, addProduct, addVisit, DAY, deliveriesOf, setTenant, tasksOf } from './alerts.fixtures';
import { createTestTenant, setupApp, type TestContext, type TestTenant } from './helpers';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await setupApp();
});
afterAll(async () => ctx.close());

// Friday 2036-06-06 15:00 Asia/Shanghai: ISO week 2036-W23, summer. Ten years ahead on purpose:
// the cards here have pending WeCom deliveries, and in the shared test database another file's
// outbox run would send every due one through its own stand-in (one app sends for all tenants).
const friday = new Date('2036-06-06T07:00:00Z');
const daysAgo = (d: number) => new Date(friday.getTime() - d * DAY);
const WEEK = '2036-W23';

const info = (t: TestTenant): TenantInfo => ({
  tenantId: t.tenantId,
  timeZone: 'Asia/Shanghai',
  settings: alertSettings({}),
  createdAt: new Date('2025-01-01T00:00:00Z'),
});

const sweep = (t: TestTenant, opts: { chunk?: number; writers?: number; now?: Date } = {}) =>
  sweepDormant({ tenant: info(t), slot: friday, now: opts.now ?? friday, deps: ctx.deps, ...opts });

/**
 * A tenant on WeCom (corp + the rep's userid) with `active` dormant customers of the rep,
 * `inactive` dormant customers of a deactivated rep, and customers that are not dormant.
 */
async function bulkTenant(active: number, inactive: number) {
  const t = await createTestTenant(ctx);
  await setTenant(ctx, t, { createdAt: new Date('2025-01-01T00:00:00Z') });
  const db = ctx.deps.db;
  await db
    .update(schema.tenants)
    .set({ wecomCorpId: `ww${randomBytes(4).toString('hex')}` })
    .where(eq(schema.tenants.tenantId, t.tenantId));
  await db.update(schema.users).set({ wecomUserId: 'wx-rep' }).where(eq(schema.users.id, t.rep.id));
  const gone = await t.addUser('rep', '离职销售', t.supervisor.id);
  await db.update(schema.users).set({ active: false }).where(eq(schema.users.id, gone.id));
  const add = (n: number, owner: string, name: string, ltv: number, lastDays: number) =>
    db.execute(sql`
      insert into customers (tenant_id, owner_id, name, org, ltv_cents, last_interaction_at, created_at)
      select ${t.tenantId}::uuid, ${owner}::uuid, ${name} || g, '公司' || g, ${ltv},
             ${daysAgo(lastDays).toISOString()}::timestamptz, '2025-01-01T00:00:00Z'::timestamptz
      from generate_series(1, ${n}) g`);
  await add(active, t.rep.id, '沉睡', 900_000, 200);
  await add(inactive, gone.id, '无主', 900_000, 200);
  await add(3, t.rep.id, '活跃', 900_000, 10); // seen recently
  await add(3, t.rep.id, '小客户', 400_000, 200); // LTV too low
  return { ...t, goneId: gone.id };
}

async function dormantCards(t: TestTenant) {
  return (await tasksOf(ctx, t, 'dormant_wakeup')).filter((k) => k.dedupeKey.endsWith(`:${WEEK}`));
}

/** Every card has its two deliveries (in-app sent, WeCom pending with its fixed task_id) and no more. */
async function expectDeliveries(t: TestTenant) {
  const cards = await tasksOf(ctx, t);
  const deliveries = await deliveriesOf(ctx, t);
  expect(deliveries).toHaveLength(cards.length * 2);
  const byTask = new Map<string, typeof deliveries>();
  for (const d of deliveries) byTask.set(d.taskId, [...(byTask.get(d.taskId) ?? []), d]);
  for (const k of cards) {
    const mine = (byTask.get(k.id) ?? []).sort((a, b) => a.channel.localeCompare(b.channel));
    expect(mine.map((d) => [d.channel, d.state, d.providerTaskId, d.recipientId])).toEqual([
      ['inapp', 'sent', null, k.recipientId],
      ['wecom', 'pending', wecomTaskId(k.id), k.recipientId],
    ]);
    expect(mine.every((d) => d.nextAttemptAt.getTime() === k.createdAt.getTime())).toBe(true);
    expect(mine[0]?.sentAt?.getTime()).toBe(k.createdAt.getTime());
  }
}

describe('dormant sweep in chunks', () => {
  it('one card per dormant customer across chunks; owner inactive counted and skipped; re-runs add nothing', async () => {
    const t = await bulkTenant(23, 4);
    expect(await sweep(t, { chunk: 5, writers: 2 })).toEqual({ dormant: 27, created: 23, ownerInactive: 4 });
    const cards = await dormantCards(t);
    expect(cards).toHaveLength(23);
    expect(new Set(cards.map((k) => k.customerId)).size).toBe(23);
    expect(cards.every((k) => k.recipientId === t.rep.id && k.repId === t.rep.id)).toBe(true);
    expect(cards.every((k) => k.dedupeKey === `dormant:${k.customerId}:${WEEK}`)).toBe(true);
    expect(cards.every((k) => k.createdAt.getTime() === friday.getTime())).toBe(true);
    await expectDeliveries(t);

    // Same week again, directly and through the job (forced): nothing new; the inactive owner's
    // customers are still candidates, still skipped.
    expect(await sweep(t, { chunk: 5, writers: 2 })).toEqual({ dormant: 4, created: 0, ownerInactive: 4 });
    const forced = await dormantJob.run({ now: friday, deps: ctx.deps, tenantIds: [t.tenantId], force: true });
    expect(forced).toMatchObject({ ran: 1, dormant: 4, created: 0, ownerInactive: 4 });
    expect(await dormantCards(t)).toHaveLength(23);
    await expectDeliveries(t);

    // The owner comes back: the rest of the week's cards, once.
    await ctx.deps.db.update(schema.users).set({ active: true }).where(eq(schema.users.id, t.goneId));
    expect(await sweep(t, { chunk: 3 })).toEqual({ dormant: 4, created: 4, ownerInactive: 0 });
    expect(await dormantCards(t)).toHaveLength(27);
  });

  it('the same cards whatever the chunking', async () => {
    const a = await bulkTenant(12, 2);
    const b = await bulkTenant(12, 2);
    expect(await sweep(a, { chunk: 5000, writers: 1 })).toEqual({ dormant: 14, created: 12, ownerInactive: 2 });
    expect(await sweep(b, { chunk: 2, writers: 3 })).toEqual({ dormant: 14, created: 12, ownerInactive: 2 });
    const shape = async (t: TestTenant) =>
      (await dormantCards(t))
        .map((k) => {
          const p = k.payload as { title: string; customer: { name: string } };
          return { ...p, customer: { ...p.customer, id: '-' } };
        })
        .sort((x, y) => x.title.localeCompare(y.title));
    expect(await shape(b)).toEqual(await shape(a));
  });

  it('carries the exact wake-up pack: last order + product, last core need, seasonal tip, relevant news', async () => {
    const t = await bulkTenant(6, 0);
    const c = await addCustomer(ctx, t, {
      name: '张伟',
      title: '总监',
      org: '华东制造',
      tags: ['节能', '售后'],
      industry: 'manufacturing',
      ltvCents: 2_000_000,
    });
    const old = await addProduct(ctx, t, { sku: `F-${c.id}`, name: '过滤器 F1', category: 'filter' });
    const comp = await addProduct(ctx, t, { sku: `X-${c.id}`, name: '空压机 X1', category: 'compressor' });
    await addOrder(ctx, t, { customerId: c.id, orderedAt: daysAgo(300), productId: old.id });
    await addOrder(ctx, t, { customerId: c.id, orderedAt: daysAgo(150), productId: comp.id });
    await addOrder(ctx, t, { customerId: c.id, orderedAt: daysAgo(140) }); // no product: not "last bought"
    await addVisit(ctx, t, {
      customerId: c.id,
      occurredAt: daysAgo(200),
      nextContactAt: daysAgo(190),
      coreNeed: '旧需求',
    });
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
    ]);
    const news = { tenantId: t.tenantId, competitor: '对手甲', summary: '摘要', sentiment: 'negative' };
    await db.insert(schema.competitorNews).values([
      { ...news, title: '行业召回', industries: ['manufacturing'], publishedAt: daysAgo(5) },
      { ...news, title: '质量投诉', categories: ['compressor'], publishedAt: daysAgo(20), url: 'https://n.example/1' },
      { ...news, title: '别的行业', industries: ['finance'], publishedAt: daysAgo(3) },
      { ...news, title: '太旧了', industries: ['manufacturing'], publishedAt: daysAgo(31) },
    ]);

    expect(await sweep(t, { chunk: 4 })).toEqual({ dormant: 7, created: 7, ownerInactive: 0 });
    const cards = await dormantCards(t);
    const card = cards.find((k) => k.customerId === c.id);
    const pack = wakeupPack({
      zone: 'Asia/Shanghai',
      now: friday,
      customer: { name: '张伟', title: '总监', org: '华东制造', tags: ['节能', '售后'] },
      lastOrder: { orderedAt: daysAgo(150), productName: '空压机 X1', category: 'compressor' },
      lastCoreNeed: '车间能耗太高',
      season: 'summer',
      seasonalTip: '高温季节每周清洁散热器',
      news: [
        { competitor: '对手甲', title: '行业召回', summary: '摘要', publishedAt: daysAgo(5), url: null },
        {
          competitor: '对手甲',
          title: '质量投诉',
          summary: '摘要',
          publishedAt: daysAgo(20),
          url: 'https://n.example/1',
        },
      ],
      lastInteractionAt: daysAgo(120),
    });
    expect(card?.payload).toEqual({
      title: '沉默客户唤醒：张伟（华东制造）',
      text: pack.talkTrack,
      customer: { id: c.id, name: '张伟', org: '华东制造' },
      week: WEEK,
      pack,
    });
    expect(pack.talkTrack).toContain('空压机 X1');

    // A bare customer: no order, no visit, no tip, no news.
    const bare = cards.find((k) => (k.payload.customer as { name: string }).name === '沉睡1');
    expect(bare?.payload).toEqual({
      title: '沉默客户唤醒：沉睡1（公司1）',
      text: expect.any(String),
      customer: { id: bare?.customerId, name: '沉睡1', org: '公司1' },
      week: WEEK,
      pack: wakeupPack({
        zone: 'Asia/Shanghai',
        now: friday,
        customer: { name: '沉睡1', title: null, org: '公司1', tags: [] },
        lastOrder: null,
        lastCoreNeed: null,
        season: 'summer',
        seasonalTip: null,
        news: [],
        lastInteractionAt: daysAgo(200),
      }),
    });
  });

  it('two sweeps at once: exactly one card each, no errors', async () => {
    const t = await bulkTenant(40, 3);
    const [a, b] = await Promise.all([sweep(t, { chunk: 4, writers: 2 }), sweep(t, { chunk: 7, writers: 3 })]);
    expect((a?.created ?? 0) + (b?.created ?? 0)).toBe(40);
    expect(a?.ownerInactive).toBe(3);
    expect(b?.ownerInactive).toBe(3);
    const cards = await dormantCards(t);
    expect(cards).toHaveLength(40);
    expect(new Set(cards.map((k) => k.customerId)).size).toBe(40);
    await expectDeliveries(t);
  });

  it('a chunk that fails stops the sweep only after the chunks in flight are written; the next run completes it', async () => {
    const t = await bulkTenant(30, 0);
    const ids = (
      (await ctx.deps.db.execute(
        sql`select id from customers where tenant_id = ${t.tenantId}::uuid and name like '沉睡%' order by id`,
      )) as unknown as { rows: { id: string }[] }
    ).rows.map((r) => r.id);
    const poisoned = `dormant:${ids[17]}:${WEEK}`;
    const fn = `dormant_bulk_fail_${randomBytes(4).toString('hex')}`;
    const db = ctx.deps.db;
    await db.execute(
      sql.raw(`create function ${fn}() returns trigger language plpgsql as $$
      begin raise exception 'poisoned card %', new.dedupe_key; end $$`),
    );
    await db.execute(
      sql.raw(`create trigger ${fn} before insert on tasks for each row
        when (new.dedupe_key = '${poisoned}') execute function ${fn}()`),
    );
    let partial = 0;
    try {
      const failure = await sweep(t, { chunk: 5, writers: 2 }).then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
      expect(String(failure?.cause?.message ?? failure?.message)).toMatch(/poisoned card/);
      partial = (await dormantCards(t)).length;
      // The chunks before the poisoned one (customers 0–14) are written, its own (15–19) is not.
      expect(partial).toBeGreaterThanOrEqual(15);
      expect(partial).toBeLessThanOrEqual(25);
      expect((await dormantCards(t)).some((k) => k.dedupeKey === poisoned)).toBe(false);
      await new Promise((r) => setTimeout(r, 100));
      expect((await dormantCards(t)).length).toBe(partial); // nothing was still being written
      await expectDeliveries(t);
    } finally {
      await db.execute(sql.raw(`drop trigger if exists ${fn} on tasks`));
      await db.execute(sql.raw(`drop function if exists ${fn}()`));
    }
    expect(await sweep(t, { chunk: 5, writers: 2 })).toEqual({
      dormant: 30 - partial,
      created: 30 - partial,
      ownerInactive: 0,
    });
    expect(await dormantCards(t)).toHaveLength(30);
    await expectDeliveries(t);
  });
});

describe('createCards bulk path', () => {
  const now = new Date('2036-06-06T02:00:00Z'); // never due for other files' outbox runs (see above)
  const card = (t: TestTenant, key: string, extra: Partial<NewCard> = {}): NewCard => ({
    tenantId: t.tenantId,
    kind: 'coupon',
    dedupeKey: `coupon:${key}`,
    recipientId: t.rep.id,
    payload: { title: key },
    now,
    ...extra,
  });

  it('duplicates within a chunk, across chunks and with existing cards: first one wins, deliveries only for new cards', async () => {
    const t = await bulkTenant(0, 0);
    const existing = await ctx.deps.db.transaction((tx) =>
      createCard(tx, card(t, 'old', { payload: { title: 'v1' } })),
    );
    expect(existing).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const batch = [
      card(t, 'a', { payload: { title: 'a-first' } }),
      card(t, 'a', { payload: { title: 'a-second' } }), // same chunk
      card(t, 'old', { payload: { title: 'v2' } }), // exists
      ...Array.from({ length: 20 }, (_, i) => card(t, `n${i}`)),
      card(t, 'a', { payload: { title: 'a-third' } }), // another chunk
      card(t, 'b', { dueAt: new Date('2036-06-07T00:00:00Z'), customerId: null }),
    ];
    expect(await ctx.deps.db.transaction((tx) => createCards(tx, batch, 4))).toBe(22);
    expect(await ctx.deps.db.transaction((tx) => createCards(tx, batch))).toBe(0);
    const tasks = await tasksOf(ctx, t);
    expect(tasks).toHaveLength(23);
    const byKey = new Map(tasks.map((k) => [k.dedupeKey, k]));
    expect(byKey.get('coupon:a')?.payload).toEqual({ title: 'a-first' });
    expect(byKey.get('coupon:old')).toMatchObject({ id: existing, payload: { title: 'v1' } });
    expect(byKey.get('coupon:b')).toMatchObject({ dueAt: new Date('2036-06-07T00:00:00Z'), status: 'open' });
    await expectDeliveries(t);
  });

  it('two batches over the same keys in opposite orders, at once: no deadlock, each card once', async () => {
    const t = await bulkTenant(0, 0);
    const keys = Array.from({ length: 300 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    const forward = keys.map((k) => card(t, k));
    const backward = [...forward].reverse();
    const [x, y] = await Promise.all([
      ctx.deps.db.transaction((tx) => createCards(tx, forward, 100)),
      ctx.deps.db.transaction((tx) => createCards(tx, backward, 100)),
    ]);
    expect(x + y).toBe(300);
    expect(await tasksOf(ctx, t)).toHaveLength(300);
    await expectDeliveries(t);
  });

  it('createCard returns the id once, then null', async () => {
    const t = await bulkTenant(0, 0);
    const first = await createCard(ctx.deps.db, card(t, 'one'));
    expect(await createCard(ctx.deps.db, card(t, 'one'))).toBeNull();
    const [row] = await ctx.deps.db
      .select()
      .from(schema.tasks)
      .where(and(eq(schema.tasks.tenantId, t.tenantId), eq(schema.tasks.dedupeKey, 'coupon:one')));
    expect(row?.id).toBe(first);
    await expectDeliveries(t);
  });
});
