// Drizzle access for signals (and the tenant settings their confidences come from).
import { type DbOrTx, type Signal, schema, type TenantSettings } from '@crm/db';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { type Actor, ownedByVisible } from '../../shared/access';

const s = schema.signals;

export type NewSignal = typeof s.$inferInsert;

export async function tenantSettings(
  db: DbOrTx,
  tenantId: string,
): Promise<{ settings: TenantSettings; timeZone: string }> {
  const [row] = await db
    .select({ settings: schema.tenants.settings, timeZone: schema.tenants.timeZone })
    .from(schema.tenants)
    .where(eq(schema.tenants.tenantId, tenantId))
    .limit(1);
  return { settings: row?.settings ?? {}, timeZone: row?.timeZone ?? 'Asia/Shanghai' };
}

/** Inserts unless (tenant, source, source_ref, kind) exists; returns the new row or undefined. */
export async function insertSignal(db: DbOrTx, values: NewSignal): Promise<Signal | undefined> {
  const [row] = await db.insert(s).values(values).onConflictDoNothing().returning();
  return row;
}

/** A signal whose customer the actor may fully see. */
export async function findVisibleSignal(db: DbOrTx, actor: Actor, id: string): Promise<Signal | undefined> {
  const [row] = await db
    .select({ signal: s })
    .from(s)
    .innerJoin(schema.customers, and(eq(schema.customers.tenantId, s.tenantId), eq(schema.customers.id, s.customerId)))
    .where(and(eq(s.tenantId, actor.tenantId), eq(s.id, id), ownedByVisible(schema.customers.ownerId, actor)))
    .limit(1);
  return row?.signal;
}

export async function listVisibleSignals(
  db: DbOrTx,
  actor: Actor,
  filter: { status?: Signal['status']; source?: Signal['source']; opportunityId?: string; customerId?: string },
  limit: number,
): Promise<Signal[]> {
  const conds: SQL[] = [eq(s.tenantId, actor.tenantId), ownedByVisible(schema.customers.ownerId, actor)];
  if (filter.status) conds.push(eq(s.status, filter.status));
  if (filter.source) conds.push(eq(s.source, filter.source));
  if (filter.opportunityId) conds.push(eq(s.opportunityId, filter.opportunityId));
  if (filter.customerId) conds.push(eq(s.customerId, filter.customerId));
  const rows = await db
    .select({ signal: s })
    .from(s)
    .innerJoin(schema.customers, and(eq(schema.customers.tenantId, s.tenantId), eq(schema.customers.id, s.customerId)))
    .where(and(...conds))
    .orderBy(desc(s.createdAt), desc(s.id))
    .limit(limit);
  return rows.map((r) => r.signal);
}

export async function updateSignal(
  db: DbOrTx,
  tenantId: string,
  id: string,
  patch: Partial<NewSignal>,
): Promise<Signal | undefined> {
  const [row] = await db
    .update(s)
    .set(patch)
    .where(and(eq(s.tenantId, tenantId), eq(s.id, id)))
    .returning();
  return row;
}

export async function signalsOfOpportunity(db: DbOrTx, tenantId: string, opportunityId: string): Promise<Signal[]> {
  return db
    .select()
    .from(s)
    .where(and(eq(s.tenantId, tenantId), eq(s.opportunityId, opportunityId)))
    .orderBy(desc(s.observedAt));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function signalDto(row: Signal) {
  return {
    id: row.id,
    opportunityId: row.opportunityId,
    customerId: row.customerId,
    level: row.level,
    kind: row.kind,
    confidence: row.confidence,
    status: row.status,
    source: row.source,
    evidence: row.evidence,
    sourceRef: row.sourceRef,
    createdById: row.createdById,
    confirmedById: row.confirmedById,
    confirmedAt: iso(row.confirmedAt),
    observedAt: row.observedAt.toISOString(),
    placedAt: iso(row.placedAt),
    createdAt: row.createdAt.toISOString(),
  };
}
