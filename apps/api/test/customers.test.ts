import { schema } from '@crm/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomer, type QueryLog, seedHistory, setupCountingApp } from './customers.fixtures';
import { createTestTenant, injectAs, type TestContext, type TestTenant } from './helpers';

let ctx: TestContext & { log: QueryLog };
let t: TestTenant;
beforeAll(async () => {
  ctx = await setupCountingApp();
  t = await createTestTenant(ctx);
});
afterAll(async () => ctx.close());

const view = (id: string, query = '') => injectAs(ctx, t.rep, { method: 'GET', url: `/api/customers/${id}${query}` });

describe('GET /api/customers/:id — the unified view', () => {
  it('returns profile, LTV, open commitment, last three orders, merged timeline and opportunities', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id, {
      name: '张伟',
      org: '示例科技',
      email: 'zw@example.com',
      tags: ['节能', '大客户'],
    });
    const db = ctx.deps.db;
    await db
      .update(schema.customers)
      .set({ ltvCents: 300_000, orderCount: 2, lastInteractionAt: new Date('2026-06-01T00:00:00Z') })
      .where(eq(schema.customers.id, c.id));
    const [visit] = await db
      .insert(schema.visits)
      .values({
        tenantId: t.tenantId,
        customerId: c.id,
        repId: t.rep.id,
        coreNeed: '想了解节能方案',
        occurredAt: new Date('2026-05-30T02:00:00Z'),
        nextContactAt: new Date('2026-06-08T02:00:00Z'),
      })
      .returning();
    await db.insert(schema.orders).values(
      [1, 2, 3, 4].map((i) => ({
        tenantId: t.tenantId,
        externalId: `O-${i}`,
        customerId: c.id,
        amountCents: i * 100_00,
        fulfilmentScore: 80 + i,
        status: 'fulfilled' as const,
        orderedAt: new Date(`2026-05-0${i}T02:00:00Z`),
      })),
    );
    await db.insert(schema.tickets).values({
      tenantId: t.tenantId,
      externalId: 'T-1',
      customerId: c.id,
      subject: '安装问题',
      openedAt: new Date('2026-05-20T02:00:00Z'),
    });
    await db.insert(schema.chatMessages).values({
      tenantId: t.tenantId,
      externalId: 'C-1',
      customerId: c.id,
      direction: 'in',
      content: '你好，报价收到了',
      sentAt: new Date('2026-05-25T02:00:00Z'),
    });
    const [opp] = await db
      .insert(schema.opportunities)
      .values({ tenantId: t.tenantId, customerId: c.id, ownerId: t.rep.id, title: '二期改造', amountCents: 5_000_000 })
      .returning();
    await db.insert(schema.signals).values({
      tenantId: t.tenantId,
      customerId: c.id,
      opportunityId: opp?.id,
      level: 2,
      kind: 'tech_review_passed',
      confidence: 0.5,
      status: 'confirmed',
      source: 'manual',
      observedAt: new Date('2026-05-28T02:00:00Z'),
    });

    const res = await view(c.id);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      id: c.id,
      access: 'full',
      name: '张伟',
      org: '示例科技',
      owner: { id: t.rep.id, name: '李销售' },
      emails: ['zw@example.com'],
      tags: ['节能', '大客户'],
      ltv: { amountCents: 300_000, orders: 2 },
      lastInteractionAt: '2026-06-01T00:00:00.000Z',
      openCommitment: { dueAt: '2026-06-08T02:00:00.000Z', visitId: visit?.id },
      opportunities: [{ id: opp?.id, title: '二期改造', amountCents: 5_000_000, stage: 'lead', topSignalLevel: 2 }],
      timelineNext: null,
    });
    expect(body.phones[0].e164).toMatch(/^\+86/);
    expect(body.recentOrders.map((o: { externalId: string }) => o.externalId)).toEqual(['O-4', 'O-3', 'O-2']);
    expect(body.recentOrders[0]).toMatchObject({
      amountCents: 40_000,
      fulfilmentScore: 84,
      orderedAt: '2026-05-04T02:00:00.000Z',
    });
    expect(body.timeline.map((i: { kind: string }) => i.kind)).toEqual([
      'visit',
      'signal',
      'chat',
      'ticket',
      'order',
      'order',
      'order',
      'order',
    ]);
    expect(body.timeline[0]).toMatchObject({
      summary: '想了解节能方案',
      at: '2026-05-30T02:00:00.000Z',
      status: 'open',
    });
    expect(body.timeline[4]).toMatchObject({ kind: 'order', amountCents: 40_000, summary: '订单 O-4' });
  });

  it('is 404 for an unknown id and 422 for a malformed one', async () => {
    expect((await view(crypto.randomUUID())).statusCode).toBe(404);
    const bad = await view('not-a-uuid');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.field).toBe('id');
  });

  it('pages the timeline newest first with ?before=&limit=, without gaps or repeats, ties included', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id);
    const total = await seedHistory(ctx, t.tenantId, c.id, t.rep.id, 45);
    // Three more items at exactly the same instant as one already there: the cursor must not lose them.
    await ctx.deps.db.insert(schema.visits).values(
      [1, 2, 3].map((i) => ({
        tenantId: t.tenantId,
        customerId: c.id,
        repId: t.rep.id,
        coreNeed: `同一时刻 ${i}`,
        occurredAt: new Date('2026-05-31T23:40:00Z'),
        nextContactAt: new Date('2026-06-30T00:00:00Z'),
        promiseStatus: 'kept' as const,
      })),
    );
    const seen: { id: string; at: string }[] = [];
    let query = '?limit=7';
    for (let pages = 0; pages < 20; pages++) {
      const body = (await view(c.id, query)).json();
      expect(body.timeline.length).toBeLessThanOrEqual(7);
      seen.push(...body.timeline);
      if (!body.timelineNext) break;
      query = `?limit=7&before=${encodeURIComponent(body.timelineNext.before)}&beforeId=${body.timelineNext.beforeId}`;
    }
    expect(seen).toHaveLength(total + 3);
    expect(new Set(seen.map((s) => s.id)).size).toBe(total + 3);
    const times = seen.map((s) => Date.parse(s.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // The plain contract form: ?before=<ISO> alone returns strictly older items.
    const older = (await view(c.id, `?before=${encodeURIComponent('2026-05-31T23:00:00Z')}&limit=100`)).json();
    expect(older.timeline.every((i: { at: string }) => i.at < '2026-05-31T23:00:00.000Z')).toBe(true);
    expect((await view(c.id, '?limit=101')).statusCode).toBe(422);
    expect((await view(c.id, '?before=yesterday')).statusCode).toBe(422);
  });

  it('uses the same small number of queries for 10 and for 10,000 timeline items', async () => {
    const small = await insertCustomer(ctx, t.tenantId, t.rep.id);
    const large = await insertCustomer(ctx, t.tenantId, t.rep.id);
    await seedHistory(ctx, t.tenantId, small.id, t.rep.id, 10);
    await seedHistory(ctx, t.tenantId, large.id, t.rep.id, 10_000);
    await ctx.deps.db.execute(sql`analyze`);
    const count = async (id: string, query = '') => {
      ctx.log.reset();
      const res = await view(id, query);
      expect(res.statusCode).toBe(200);
      return { n: ctx.log.count, body: res.json() };
    };
    const a = await count(small.id);
    const b = await count(large.id);
    const c = await count(large.id, '?limit=100&before=2026-05-28T00:00:00Z');
    expect(a.body.timeline.length).toBeGreaterThanOrEqual(10);
    expect(b.body.timeline).toHaveLength(20);
    expect(c.body.timeline).toHaveLength(100);
    // One for the session user (auth), one for the whole view.
    expect(a.n).toBe(2);
    expect(b.n).toBe(a.n);
    expect(c.n).toBe(a.n);
  });
});

describe('GET /api/customers?q= — a landline typed as printed', () => {
  it('finds every customer holding it, whatever form it was saved in', async () => {
    const u = await createTestTenant(ctx);
    // Saved through the API as people type them: a switchboard is not an identity, so two may share it.
    const save = async (name: string, phone: string) =>
      (
        await injectAs(ctx, u.rep, { method: 'POST', url: '/api/customers', payload: { name, phones: [phone] } })
      ).json();
    const desk = await save('吕晨', '0532-55132279');
    const colleague = await save('孙悦', '+86 (532) 5513 2279');
    const other = await save('周航', '0532-5513 0000');
    for (const q of ['0532-5513 2279', '(0532) 5513 2279', '+86 532 5513 2279', '55132279']) {
      const res = await injectAs(ctx, u.rep, { method: 'GET', url: `/api/customers?q=${encodeURIComponent(q)}` });
      const found = res.json().items.map((i: { id: string }) => i.id);
      expect(found, q).toContain(desk.id);
      expect(found, q).toContain(colleague.id);
      expect(found, q).not.toContain(other.id);
    }
  });
});

describe('GET /api/customers?q= — search', () => {
  let mine: { id: string };
  let theirs: { id: string };
  let s: TestTenant;
  beforeAll(async () => {
    s = await createTestTenant(ctx);
    const other = await s.addUser('rep', '赵销售', s.supervisor.id);
    mine = await insertCustomer(ctx, s.tenantId, s.rep.id, {
      name: '张伟',
      org: '华东精密机械',
      phone: '+8613812345678',
      email: 'Zhang.Wei@Example.com',
    });
    theirs = await insertCustomer(ctx, s.tenantId, other.id, {
      name: '张伟明',
      org: '北方重工',
      phone: '+8613987654321',
    });
    await insertCustomer(ctx, s.tenantId, s.rep.id, { name: '王芳', org: '南方电气', phone: '+8613700001111' });
  });
  const search = (q: string, extra = '') =>
    injectAs(ctx, s.rep, { method: 'GET', url: `/api/customers?q=${encodeURIComponent(q)}${extra}` });
  const ids = async (q: string) => (await search(q)).json().items.map((i: { id: string }) => i.id);

  it.each([
    ['name', '张伟'],
    ['org', '精密'],
    ['pinyin initials', 'zw'],
    ['full pinyin', 'zhangwei'],
    ['org initials', 'hdjm'],
    ['phone fragment', '2345'],
    ['phone with spaces', '138 1234'],
    ['e-mail', 'zhang.wei@example'],
  ])('finds by %s (%s)', async (_what, q) => {
    expect(await ids(q)).toContain(mine.id);
  });

  it('does not match 3-digit fragments as phones', async () => {
    expect(await ids('234')).toEqual([]);
  });

  it('returns another rep’s customer as limited, own customers first', async () => {
    const body = (await search('张伟')).json();
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([mine.id, theirs.id]);
    expect(body.items[0]).toMatchObject({ access: 'full', name: '张伟' });
    expect(body.items[1]).toEqual({
      id: theirs.id,
      access: 'limited',
      name: '张伟明',
      org: '北方重工',
      owner: { id: expect.any(String), name: '赵销售' },
    });
  });

  it('lists the own book without q, paged', async () => {
    const p1 = (await search('', '&limit=1')).json();
    expect(p1.items).toHaveLength(1);
    expect(p1.nextOffset).toBe(1);
    const p2 = (await search('', '&limit=1&offset=1')).json();
    expect(p2.items).toHaveLength(1);
    expect(p2.nextOffset).toBeNull();
    expect(p2.items[0].id).not.toBe(p1.items[0].id);
    expect([p1.items[0].access, p2.items[0].access]).toEqual(['full', 'full']);
  });

  it('treats LIKE wildcards literally and rejects an over-long q', async () => {
    expect(await ids('%')).toEqual([]);
    expect((await search('x'.repeat(101))).statusCode).toBe(422);
  });
});

describe('PATCH /api/customers/:id', () => {
  it('updates profile fields, cleans tags and keeps search_key current', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id, { name: '李雷', org: '旧公司' });
    const res = await injectAs(ctx, t.rep, {
      method: 'PATCH',
      url: `/api/customers/${c.id}`,
      payload: { org: '韩梅梅贸易', title: '采购经理', tags: [' 节能 ', '节能', '复购'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ org: '韩梅梅贸易', title: '采购经理', tags: ['节能', '复购'], access: 'full' });
    const [row] = await ctx.deps.db
      .select({ searchKey: schema.customers.searchKey })
      .from(schema.customers)
      .where(and(eq(schema.customers.tenantId, t.tenantId), eq(schema.customers.id, c.id)));
    expect(row?.searchKey).toBe('ll lilei hmmmy hanmeimeimaoyi');
    const found = await injectAs(ctx, t.rep, { method: 'GET', url: '/api/customers?q=hmmmy' });
    expect(found.json().items.map((i: { id: string }) => i.id)).toContain(c.id);
  });

  it('rejects unknown fields, an empty body and a blank name', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id);
    const patch = (payload: unknown) =>
      injectAs(ctx, t.rep, { method: 'PATCH', url: `/api/customers/${c.id}`, payload: payload as object });
    expect((await patch({ ownerId: t.admin.id })).json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'ownerId',
    });
    expect((await patch({})).statusCode).toBe(422);
    expect((await patch({ name: '   ' })).json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'name' });
  });
});
