// Creating cards: the one way every producer (alert jobs, store rules, diagnosis) writes a task.
import { type DbOrTx, schema } from '@crm/db';
import { type EnqueueCard, enqueueDeliveries, enqueueDeliveriesMany } from '../delivery/outbox.repo';

export type TaskKindName = (typeof schema.taskKind.enumValues)[number];

export type NewCard = {
  tenantId: string;
  kind: TaskKindName;
  /** Unique per tenant: the producer's idempotency key (e.g. "overdue:<visitId>"). */
  dedupeKey: string;
  recipientId: string;
  customerId?: string | null;
  repId?: string | null;
  visitId?: string | null;
  payload: Record<string, unknown>;
  dueAt?: Date | null;
  now: Date;
};

function row(card: NewCard) {
  return {
    tenantId: card.tenantId,
    kind: card.kind,
    dedupeKey: card.dedupeKey,
    recipientId: card.recipientId,
    customerId: card.customerId ?? null,
    repId: card.repId ?? null,
    visitId: card.visitId ?? null,
    payload: card.payload,
    dueAt: card.dueAt ?? null,
    createdAt: card.now,
    updatedAt: card.now,
  };
}

/**
 * Inserts a card unless its dedupe key exists (ON CONFLICT DO NOTHING) and, only when it
 * was inserted, hands it to the delivery outbox in the same transaction.
 * Returns the new task id, or null when the card already existed.
 */
export async function createCard(tx: DbOrTx, card: NewCard): Promise<string | null> {
  const [inserted] = await tx
    .insert(schema.tasks)
    .values(row(card))
    .onConflictDoNothing({ target: [schema.tasks.tenantId, schema.tasks.dedupeKey] })
    .returning({ id: schema.tasks.id });
  if (!inserted) return null;
  await enqueueDeliveries(tx, {
    tenantId: card.tenantId,
    taskId: inserted.id,
    recipientId: card.recipientId,
    now: card.now,
  });
  return inserted.id;
}

/**
 * createCard for many at once, in one transaction (the caller's): one multi-row INSERT … ON
 * CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING per chunk (bind-parameter limit), then
 * the deliveries of the inserted cards only, all in one enqueueDeliveriesMany. Duplicates —
 * existing keys or the same key twice in `cards` — create nothing. Returns the number created.
 */
export async function createCards(tx: DbOrTx, cards: NewCard[], chunk = 500): Promise<number> {
  const fresh: EnqueueCard[] = [];
  for (let i = 0; i < cards.length; i += chunk) {
    const inserted = await tx
      .insert(schema.tasks)
      .values(cards.slice(i, i + chunk).map(row))
      .onConflictDoNothing({ target: [schema.tasks.tenantId, schema.tasks.dedupeKey] })
      .returning({
        id: schema.tasks.id,
        tenantId: schema.tasks.tenantId,
        recipientId: schema.tasks.recipientId,
        createdAt: schema.tasks.createdAt,
      });
    // created_at is the card's `now`, so each delivery is due from its own card's time.
    for (const t of inserted)
      fresh.push({ tenantId: t.tenantId, taskId: t.id, recipientId: t.recipientId, now: t.createdAt });
  }
  await enqueueDeliveriesMany(tx, fresh);
  return fresh.length;
}
