// Direct inserts for the alert-engine tests (the visit/order endpoints belong to other modules).
import { schema } from '@crm/db';
import { and, eq, sql } from 'drizzle-orm';
import type { TestContext, TestTenant } from './helpers';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MIN = 60_000;

export async function addCustomer(
  ctx: TestContext,
  t: TestTenant,
  c: {
    ownerId?: string;
    name?: string;
    org?: string | null;
    title?: string | null;
    tags?: string[];
    industry?: string | null;
    ltvCents?: number;
    lastInteractionAt?: Date | null;
    lastRepTouchAt?: Date | null;
  } = {},
) {
  const [row] = await ctx.deps.db
    .insert(schema.customers)
    .values({
      tenantId: t.tenantId,
      ownerId: c.ownerId ?? t.rep.id,
      name: c.name ?? '张伟',
      org: c.org === undefined ? '华东制造' : c.org,
      title: c.title ?? null,
      tags: c.tags ?? [],
      industry: c.industry ?? null,
      ltvCents: c.ltvCents ?? 0,
      lastInteractionAt: c.lastInteractionAt ?? null,
      lastRepTouchAt: c.lastRepTouchAt ?? null,
      createdAt: new Date('2025-01-01T00:00:00Z'),
    })
    .returning();
  if (!row) throw new Error('customer insert');
  return row;
}

/** A visit as POST /api/visits records it: the customer's touch caches move to its time. */
export async function addVisit(
  ctx: TestContext,
  t: TestTenant,
  v: {
    customerId: string;
    repId?: string;
    occurredAt: Date;
    /** When the server received it (default: occurredAt); later = an offline visit synced late. */
    recordedAt?: Date;
    nextContactAt: Date;
    coreNeed?: string;
    status?: 'open' | 'kept' | 'late';
  },
) {
  const [row] = await ctx.deps.db
    .insert(schema.visits)
    .values({
      tenantId: t.tenantId,
      customerId: v.customerId,
      repId: v.repId ?? t.rep.id,
      coreNeed: v.coreNeed ?? '降低能耗',
      occurredAt: v.occurredAt,
      recordedAt: v.recordedAt ?? v.occurredAt,
      nextContactAt: v.nextContactAt,
      promiseStatus: v.status ?? 'open',
    })
    .returning();
  if (!row) throw new Error('visit insert');
  await touch(ctx, t, v.customerId, v.occurredAt, true);
  return row;
}

/** Moves the customer's cached interaction instants (what ingestion does). */
export async function touch(ctx: TestContext, t: TestTenant, customerId: string, at: Date, byRep: boolean) {
  const c = schema.customers;
  await ctx.deps.db
    .update(c)
    .set({
      lastInteractionAt: sql`greatest(${c.lastInteractionAt}, ${at.toISOString()}::timestamptz)`,
      ...(byRep ? { lastRepTouchAt: sql`greatest(${c.lastRepTouchAt}, ${at.toISOString()}::timestamptz)` } : {}),
    })
    .where(and(eq(c.tenantId, t.tenantId), eq(c.id, customerId)));
}

export async function addProduct(ctx: TestContext, t: TestTenant, p: { sku: string; name: string; category: string }) {
  const [row] = await ctx.deps.db
    .insert(schema.products)
    .values({ tenantId: t.tenantId, ...p })
    .returning();
  if (!row) throw new Error('product insert');
  return row;
}

let orderSeq = 0;
export async function addOrder(
  ctx: TestContext,
  t: TestTenant,
  o: { customerId: string; orderedAt: Date; amountCents?: number; fulfilmentScore?: number | null; productId?: string },
) {
  const [row] = await ctx.deps.db
    .insert(schema.orders)
    .values({
      tenantId: t.tenantId,
      externalId: `o-${Date.now()}-${++orderSeq}`,
      customerId: o.customerId,
      productId: o.productId ?? null,
      amountCents: o.amountCents ?? 100_000,
      status: 'fulfilled',
      fulfilmentScore: o.fulfilmentScore === undefined ? 90 : o.fulfilmentScore,
      orderedAt: o.orderedAt,
    })
    .returning();
  if (!row) throw new Error('order insert');
  return row;
}

export async function tasksOf(ctx: TestContext, t: TestTenant, kind?: 'overdue_followup' | 'dormant_wakeup') {
  const k = schema.tasks;
  return ctx.deps.db
    .select()
    .from(k)
    .where(and(eq(k.tenantId, t.tenantId), kind ? eq(k.kind, kind) : undefined));
}

export async function deliveriesOf(ctx: TestContext, t: TestTenant) {
  const d = schema.deliveries;
  return ctx.deps.db.select().from(d).where(eq(d.tenantId, t.tenantId));
}

export async function jobRunsOf(ctx: TestContext, t: TestTenant, job: string) {
  const j = schema.jobRuns;
  return ctx.deps.db
    .select()
    .from(j)
    .where(and(eq(j.tenantId, t.tenantId), eq(j.job, job)))
    .orderBy(j.slot);
}

export async function setTenant(
  ctx: TestContext,
  t: TestTenant,
  patch: { settings?: Record<string, number>; createdAt?: Date; timeZone?: string },
) {
  await ctx.deps.db.update(schema.tenants).set(patch).where(eq(schema.tenants.tenantId, t.tenantId));
}
