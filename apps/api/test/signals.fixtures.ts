// Rows for the signals / reports tests, inserted straight into the database.
import { schema } from '@crm/db';
import { eq } from 'drizzle-orm';
import type { TestContext } from './helpers';

export async function addCustomer(
  ctx: TestContext,
  tenantId: string,
  ownerId: string,
  extra: Partial<typeof schema.customers.$inferInsert> = {},
) {
  const [c] = await ctx.deps.db
    .insert(schema.customers)
    .values({ tenantId, ownerId, name: extra.name ?? '张伟', ...extra })
    .returning();
  return c!;
}

export async function addOpportunity(
  ctx: TestContext,
  tenantId: string,
  customerId: string,
  ownerId: string,
  extra: Partial<typeof schema.opportunities.$inferInsert> = {},
) {
  const [o] = await ctx.deps.db
    .insert(schema.opportunities)
    .values({ tenantId, customerId, ownerId, title: '年度采购', amountCents: 1_000_000, stage: 'proposal', ...extra })
    .returning();
  return o!;
}

export async function addSignalRow(ctx: TestContext, values: typeof schema.signals.$inferInsert) {
  const [s] = await ctx.deps.db.insert(schema.signals).values(values).returning();
  return s!;
}

export async function setTenantSettings(ctx: TestContext, tenantId: string, settings: Record<string, unknown>) {
  await ctx.deps.db.update(schema.tenants).set({ settings }).where(eq(schema.tenants.tenantId, tenantId));
}
