import { schema } from '@crm/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestContext } from './helpers';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await setupApp();
});
afterAll(async () => ctx.close());

type Row = Record<string, unknown>;
const rows = async (q: ReturnType<typeof sql>) => ((await ctx.deps.db.execute(q)) as unknown as { rows: Row[] }).rows;

describe('the data model', () => {
  it('has tenant_id on every table, first in its primary key and in every unique key', async () => {
    const tables = await rows(sql`
      select c.relname as table_name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'`);
    expect(tables.length).toBeGreaterThanOrEqual(20);
    const keys = await rows(sql`
      select t.relname as table_name, i.relname as index_name, ix.indisprimary as is_primary,
             (select a.attname from pg_attribute a where a.attrelid = t.oid and a.attnum = ix.indkey[0]) as first_column
      from pg_index ix
      join pg_class t on t.oid = ix.indrelid
      join pg_class i on i.oid = ix.indexrelid
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = 'public' and (ix.indisunique or ix.indisprimary)`);
    const offenders = keys.filter((k) => k.first_column !== 'tenant_id' && k.table_name !== 'tenants');
    expect(offenders).toEqual([]);
    for (const t of tables) {
      const cols = await rows(sql`select column_name from information_schema.columns
        where table_schema = 'public' and table_name = ${t.table_name} and column_name = 'tenant_id'`);
      expect(cols, `table ${t.table_name}`).toHaveLength(1);
    }
  });

  it('has an index led by the columns of every foreign key', async () => {
    const missing = await rows(sql`
      select c.conrelid::regclass::text as table_name, c.conname
      from pg_constraint c
      where c.contype = 'f' and c.connamespace = 'public'::regnamespace
        and not exists (
          select 1 from pg_index i
          where i.indrelid = c.conrelid
            and (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] @> c.conkey
            and (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] <@ c.conkey
        )`);
    expect(missing).toEqual([]);
  });

  it('stores every instant as timestamptz', async () => {
    const naive = await rows(sql`select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type = 'timestamp without time zone'`);
    expect(naive).toEqual([]);
  });

  it('stores every amount of money as an integer', async () => {
    const money = await rows(sql`select table_name, column_name, data_type from information_schema.columns
      where table_schema = 'public' and (column_name like '%cents%' or column_name like 'amount%')`);
    expect(money.length).toBeGreaterThan(0);
    for (const m of money) expect(m.data_type, `${m.table_name}.${m.column_name}`).toBe('bigint');
  });
});

describe('round trips', () => {
  it('reads back an instant identically and sums money exactly', async () => {
    const [tenant] = await ctx.deps.db
      .insert(schema.tenants)
      .values({ slug: `rt-${Date.now()}`, name: 'round trip' })
      .returning();
    if (!tenant) throw new Error('no tenant');
    const [rep] = await ctx.deps.db
      .insert(schema.users)
      .values({ tenantId: tenant.tenantId, name: 'r', role: 'rep' })
      .returning();
    if (!rep) throw new Error('no rep');
    const at = new Date('2024-06-07T15:59:59.123Z'); // 23:59:59 in Shanghai, the edge of a day
    const [c] = await ctx.deps.db
      .insert(schema.customers)
      .values({ tenantId: tenant.tenantId, ownerId: rep.id, name: '张伟', lastInteractionAt: at })
      .returning();
    if (!c) throw new Error('no customer');
    // 0.1 + 0.2 style amounts: in fen they are integers and the sum is exact.
    const amounts = [10, 20, 999_999_999_99, 1, 33];
    await ctx.deps.db.insert(schema.orders).values(
      amounts.map((amountCents, i) => ({
        tenantId: tenant.tenantId,
        externalId: `o${i}`,
        customerId: c.id,
        amountCents,
        orderedAt: at,
      })),
    );
    const [back] = await ctx.deps.db
      .select({ at: schema.customers.lastInteractionAt })
      .from(schema.customers)
      .where(sql`${schema.customers.id} = ${c.id}`);
    expect(back?.at).toBeInstanceOf(Date);
    expect(back?.at?.toISOString()).toBe(at.toISOString());
    const [sum] = await ctx.deps.db
      .select({ total: sql<number>`sum(${schema.orders.amountCents})::bigint`.mapWith(Number) })
      .from(schema.orders)
      .where(sql`${schema.orders.tenantId} = ${tenant.tenantId}`);
    expect(sum?.total).toBe(amounts.reduce((a, b) => a + b, 0));
    expect(Number.isInteger(sum?.total)).toBe(true);
  });
});
