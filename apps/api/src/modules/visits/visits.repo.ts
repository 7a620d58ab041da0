import { type DbOrTx, schema, type Visit } from '@crm/db';
import { and, asc, eq, gt, inArray, lt, min, sql } from 'drizzle-orm';

const v = schema.visits;

export async function visitByClientId(tx: DbOrTx, tenantId: string, clientId: string): Promise<Visit | undefined> {
  const [row] = await tx
    .select()
    .from(v)
    .where(and(eq(v.tenantId, tenantId), eq(v.clientId, clientId)))
    .limit(1);
  return row;
}

export async function insertVisit(tx: DbOrTx, values: typeof v.$inferInsert): Promise<Visit | undefined> {
  const [row] = await tx
    .insert(v)
    .values(values)
    .onConflictDoNothing({ target: [v.tenantId, v.clientId] })
    .returning();
  return row;
}

/** Open promises made before `before` (the ones a touch at `before` closes), oldest first. */
export async function openPromisesBefore(
  tx: DbOrTx,
  tenantId: string,
  customerId: string,
  before: Date,
  exceptId: string,
) {
  return tx
    .select({ id: v.id, nextContactAt: v.nextContactAt })
    .from(v)
    .where(
      and(
        eq(v.tenantId, tenantId),
        eq(v.customerId, customerId),
        eq(v.promiseStatus, 'open'),
        lt(v.occurredAt, before),
        sql`${v.id} <> ${exceptId}`,
      ),
    )
    .orderBy(asc(v.occurredAt));
}

export async function closePromises(tx: DbOrTx, tenantId: string, ids: string[], status: 'kept' | 'late', at: Date) {
  if (ids.length === 0) return;
  await tx
    .update(v)
    .set({ promiseStatus: status, promiseClosedAt: at })
    .where(and(eq(v.tenantId, tenantId), inArray(v.id, ids), eq(v.promiseStatus, 'open')));
}

/** The first rep-side touch after `after` already on record (a visit recorded late, offline). */
export async function firstRepTouchAfter(
  tx: DbOrTx,
  tenantId: string,
  customerId: string,
  after: Date,
  exceptId: string,
): Promise<Date | null> {
  const c = schema.chatMessages;
  const [visit] = await tx
    .select({ at: min(v.occurredAt) })
    .from(v)
    .where(
      and(eq(v.tenantId, tenantId), eq(v.customerId, customerId), gt(v.occurredAt, after), sql`${v.id} <> ${exceptId}`),
    );
  const [chat] = await tx
    .select({ at: min(c.sentAt) })
    .from(c)
    .where(and(eq(c.tenantId, tenantId), eq(c.customerId, customerId), eq(c.direction, 'out'), gt(c.sentAt, after)));
  const times = [visit?.at, chat?.at].filter((d): d is Date => d instanceof Date);
  if (times.length === 0) return null;
  return new Date(Math.min(...times.map((d) => d.getTime())));
}

export async function touchCustomer(tx: DbOrTx, tenantId: string, customerId: string, at: Date, now: Date) {
  const cu = schema.customers;
  await tx
    .update(cu)
    .set({
      lastInteractionAt: sql`greatest(${cu.lastInteractionAt}, ${at}::timestamptz)`,
      lastRepTouchAt: sql`greatest(${cu.lastRepTouchAt}, ${at}::timestamptz)`,
      updatedAt: now,
    })
    .where(and(eq(cu.tenantId, tenantId), eq(cu.id, customerId)));
}

export async function tenantRules(tx: DbOrTx, tenantId: string) {
  const [t] = await tx
    .select({ timeZone: schema.tenants.timeZone, settings: schema.tenants.settings })
    .from(schema.tenants)
    .where(eq(schema.tenants.tenantId, tenantId))
    .limit(1);
  return { timeZone: t?.timeZone ?? 'Asia/Shanghai', overdueHours: t?.settings.overdueHours ?? 24 };
}
