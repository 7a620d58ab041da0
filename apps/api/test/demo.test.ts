// The demo tenant in a real database: loading, cached columns, alert fixtures, reset, first start.
import { openPglite, schema } from '@crm/db';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../src/config';
import { type DemoLoadResult, ensureDemoTenant, resetDemoTenant } from '../src/demo/ensure';
import { fixedClock } from '../src/shared/clock';
import { setupApp, type TestContext } from './helpers';

const SCALE = { customers: 200, seed: 11 };
let ctx: TestContext;
let first: DemoLoadResult;

beforeAll(async () => {
  ctx = await setupApp();
  first = await resetDemoTenant(ctx.deps, SCALE);
}, 120_000);
afterAll(async () => ctx.close());

async function one<T>(query: ReturnType<typeof sql>): Promise<T> {
  const res = (await ctx.deps.db.execute(query)) as unknown as { rows: T[] };
  return res.rows[0]!;
}

describe('demo reset (reduced scale)', () => {
  it('stores every generated row under the demo tenant', async () => {
    const t = first.tenantId;
    const counts = await one<Record<string, string | number>>(sql`select
      (select count(*) from customers where tenant_id = ${t}) as customers,
      (select count(*) from orders where tenant_id = ${t}) as orders,
      (select count(*) from visits where tenant_id = ${t}) as visits,
      (select count(*) from chat_messages where tenant_id = ${t}) as chats,
      (select count(*) from customer_identities where tenant_id = ${t}) as identities`);
    expect(Number(counts.customers)).toBe(first.counts.customers);
    expect(Number(counts.orders)).toBe(first.counts.orders);
    expect(Number(counts.visits)).toBe(first.counts.visits);
    expect(Number(counts.chats)).toBe(first.counts.chatMessages);
    expect(Number(counts.identities)).toBe(first.counts.customerIdentities);
    const [tenant] = await ctx.deps.db.select().from(schema.tenants).where(eq(schema.tenants.tenantId, t));
    expect(tenant).toMatchObject({ slug: 'demo', name: '示例销售团队', timeZone: 'Asia/Shanghai', isDemo: true });
  });

  it('keeps the JSON, array and time columns typed', async () => {
    const [c] = await ctx.deps.db
      .select()
      .from(schema.customers)
      .where(eq(schema.customers.tenantId, first.tenantId))
      .limit(1);
    expect(Array.isArray(c!.phones)).toBe(true);
    expect(c!.phones[0]!.e164).toMatch(/^\+86\d+$/);
    expect(Array.isArray(c!.dept)).toBe(true);
    expect(c!.lastInteractionAt).toBeInstanceOf(Date);
    expect(c!.searchKey.length).toBeGreaterThan(0);
  });

  it('has cached LTV, order count and last interaction equal to the rows', async () => {
    const t = first.tenantId;
    const bad = await one<{ n: string | number }>(sql`
      with o as (
        select customer_id, coalesce(sum(amount_cents) filter (where status not in ('cancelled','refunded')), 0) as ltv,
               count(*) filter (where status not in ('cancelled','refunded')) as n, max(ordered_at) as last
        from orders where tenant_id = ${t} group by customer_id),
      touch as (
        select customer_id, max(at) as last, max(at) filter (where rep) as rep from (
          select customer_id, occurred_at as at, true as rep from visits where tenant_id = ${t}
          union all select customer_id, sent_at, direction = 'out' from chat_messages where tenant_id = ${t}
          union all select customer_id, ordered_at, false from orders where tenant_id = ${t}
          union all select customer_id, opened_at, false from tickets where tenant_id = ${t}) x group by customer_id)
      select count(*) as n from customers c
        left join o on o.customer_id = c.id left join touch on touch.customer_id = c.id
      where c.tenant_id = ${t} and (c.ltv_cents <> coalesce(o.ltv, 0) or c.order_count <> coalesce(o.n, 0)
        or c.last_interaction_at is distinct from touch.last or c.last_rep_touch_at is distinct from touch.rep)`);
    expect(Number(bad.n)).toBe(0);
  });

  it('has open promises > 24 h overdue with no touch since, and dormant high-value customers', async () => {
    const t = first.tenantId;
    const now = ctx.clock.now();
    const overdue = await one<{ n: string | number }>(sql`
      select count(*) as n from visits v join customers c on c.tenant_id = v.tenant_id and c.id = v.customer_id
      where v.tenant_id = ${t} and v.promise_status = 'open' and v.next_contact_at < ${now}::timestamptz - interval '24 hours'
        and c.last_rep_touch_at <= v.occurred_at and c.last_interaction_at <= v.occurred_at`);
    expect(Number(overdue.n)).toBeGreaterThanOrEqual(3);
    const dormant = await one<{ n: string | number }>(sql`
      select count(*) as n from customers where tenant_id = ${t}
        and last_interaction_at <= ${now}::timestamptz - interval '90 days' and ltv_cents > 500000`);
    expect(Number(dormant.n)).toBeGreaterThanOrEqual(3);
    const openNotLatest = await one<{ n: string | number }>(sql`
      select count(*) as n from visits v where v.tenant_id = ${t} and v.promise_status = 'open'
        and exists (select 1 from visits w where w.tenant_id = v.tenant_id and w.customer_id = v.customer_id
                    and w.occurred_at > v.occurred_at)`);
    expect(Number(openNotLatest.n)).toBe(0);
  });

  it('hints log in: the admin from the hint gets a token, and the API key is printed', async () => {
    const adminHint = first.hints.find((h) => h.includes('admin)'));
    const userId = /"userId":"([0-9a-f-]{36})"/.exec(adminHint ?? '')?.[1];
    expect(userId).toBeTruthy();
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/dev', payload: { userId } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ role: 'admin', tenantId: first.tenantId });
    expect(first.hints.some((h) => h.includes(first.apiKey))).toBe(true);
    expect(first.apiKey).toMatch(/^crm_/);
  });

  it('reset deletes the old demo everywhere and loads the same data again', async () => {
    const again = await resetDemoTenant(ctx.deps, SCALE);
    expect(again.tenantId).toBe(first.tenantId);
    expect(again.counts).toEqual(first.counts);
    expect(again.deleted).toMatchObject({
      customers: first.counts.customers,
      orders: first.counts.orders,
      visits: first.counts.visits,
      api_keys: 1,
      tenants: 1,
    });
    const keys = await one<{ n: string | number }>(
      sql`select count(*) as n from api_keys where tenant_id = ${first.tenantId}`,
    );
    expect(Number(keys.n)).toBe(1);
  }, 120_000);
});

describe('ensureDemoTenant', () => {
  it('loads the demo only into an empty database, and gives hints either way', async () => {
    const handle = openPglite(undefined);
    await handle.migrate();
    const deps = {
      db: handle.db,
      config: testConfig(),
      clock: fixedClock('2026-06-05T02:00:00Z'),
      logger: pino({ level: 'silent' }),
    };
    try {
      const loaded = await ensureDemoTenant(deps, { customers: 60 });
      expect(loaded?.hints.filter((h) => h.startsWith('Demo log-in: POST /api/auth/dev'))).toHaveLength(3);
      expect(loaded?.hints.some((h) => /X-Api-Key\): crm_/.test(h))).toBe(true);
      const again = await ensureDemoTenant(deps, { customers: 60 });
      expect(again?.hints.filter((h) => h.startsWith('Demo log-in'))).toHaveLength(3);
      const tenants = await handle.db.select().from(schema.tenants);
      expect(tenants).toHaveLength(1);
      const customers = await handle.db.select({ id: schema.customers.id }).from(schema.customers);
      expect(customers).toHaveLength(60);
    } finally {
      await handle.close();
    }
  }, 120_000);
});
