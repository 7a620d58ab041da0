// Drizzle access for opportunities and their contracts.
import { type DbOrTx, type Opportunity, schema } from '@crm/db';
import { and, desc, eq, inArray, notInArray } from 'drizzle-orm';
import { type Actor, ownedByVisible } from '../../shared/access';

const o = schema.opportunities;
export type NewOpportunity = typeof o.$inferInsert;

export async function findVisibleOpportunity(db: DbOrTx, actor: Actor, id: string): Promise<Opportunity | undefined> {
  const [row] = await db
    .select()
    .from(o)
    .where(and(eq(o.tenantId, actor.tenantId), eq(o.id, id), ownedByVisible(o.ownerId, actor)))
    .limit(1);
  return row;
}

export async function findVisibleCustomer(db: DbOrTx, actor: Actor, id: string) {
  const c = schema.customers;
  const [row] = await db
    .select({ id: c.id, ownerId: c.ownerId, name: c.name })
    .from(c)
    .where(and(eq(c.tenantId, actor.tenantId), eq(c.id, id), ownedByVisible(c.ownerId, actor)))
    .limit(1);
  return row;
}

export async function insertOpportunity(db: DbOrTx, values: NewOpportunity): Promise<Opportunity> {
  const [row] = await db.insert(o).values(values).returning();
  return row!;
}

export async function updateOpportunity(
  db: DbOrTx,
  tenantId: string,
  id: string,
  patch: Partial<NewOpportunity>,
): Promise<Opportunity | undefined> {
  const [row] = await db
    .update(o)
    .set(patch)
    .where(and(eq(o.tenantId, tenantId), eq(o.id, id)))
    .returning();
  return row;
}

/** The customer's open opportunity that new evidence belongs to: the most recently created one. */
export async function latestOpenOpportunity(db: DbOrTx, tenantId: string, customerId: string) {
  const [row] = await db
    .select()
    .from(o)
    .where(and(eq(o.tenantId, tenantId), eq(o.customerId, customerId), notInArray(o.stage, ['won', 'lost'])))
    .orderBy(desc(o.createdAt), desc(o.id))
    .limit(1);
  return row;
}

export async function opportunitiesForOrders(db: DbOrTx, tenantId: string, externalIds: string[]) {
  if (externalIds.length === 0) return [];
  return db
    .select()
    .from(o)
    .where(and(eq(o.tenantId, tenantId), inArray(o.orderExternalId, externalIds)));
}

export async function upsertContract(
  db: DbOrTx,
  values: typeof schema.contracts.$inferInsert,
): Promise<typeof schema.contracts.$inferSelect> {
  const c = schema.contracts;
  const [row] = await db
    .insert(c)
    .values(values)
    .onConflictDoUpdate({
      target: [c.tenantId, c.externalId],
      set: {
        opportunityId: values.opportunityId,
        successCriteria: values.successCriteria ?? null,
        confirmedByCustomerAt: values.confirmedByCustomerAt ?? null,
        signedAt: values.signedAt ?? null,
      },
    })
    .returning();
  return row!;
}
