// Creating cards: the one way every producer (alert jobs, store rules, diagnosis) writes a task.
import type { DbOrTx, schema } from '@crm/db';
import { sql } from 'drizzle-orm';
import { channelFacts, OUTBOX_RECORD, type OutboxRow, outboxRows, uuidv7 } from '../delivery/outbox.repo';

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

/** Cards per INSERT statement: one JSON parameter each, so no bind-parameter limit applies. */
export const CARD_CHUNK = 5000;

/** A task row as handed to jsonb_to_recordset (timestamps as ISO strings). */
type TaskRow = {
  tenant_id: string;
  id: string;
  kind: TaskKindName;
  dedupe_key: string;
  recipient_id: string;
  customer_id: string | null;
  rep_id: string | null;
  visit_id: string | null;
  payload: Record<string, unknown>;
  due_at: string | null;
  created_at: string;
};

/**
 * One statement for a chunk of cards and their deliveries: INSERT … SELECT FROM
 * jsonb_to_recordset … ON CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING, and in a
 * data-modifying CTE the delivery rows of the returned (= inserted) tasks only. Task and
 * delivery ids are made here (uuidv7: time-ordered, so the inserts stay on the right edge of
 * the id indexes), so the delivery rows, WeCom task_id included, are built before the insert.
 * Returns the ids of the inserted tasks.
 */
async function insertChunk(
  tx: DbOrTx,
  cards: NewCard[],
  facts: Awaited<ReturnType<typeof channelFacts>>,
): Promise<string[]> {
  const tasks: TaskRow[] = [];
  const outbox: OutboxRow[] = [];
  for (const c of cards) {
    const id = uuidv7(c.now.getTime());
    tasks.push({
      tenant_id: c.tenantId,
      id,
      kind: c.kind,
      dedupe_key: c.dedupeKey,
      recipient_id: c.recipientId,
      customer_id: c.customerId ?? null,
      rep_id: c.repId ?? null,
      visit_id: c.visitId ?? null,
      payload: c.payload,
      due_at: c.dueAt ? c.dueAt.toISOString() : null,
      created_at: c.now.toISOString(),
    });
    // created_at is the card's `now`, so each delivery is due from its own card's time.
    outboxRows({ tenantId: c.tenantId, taskId: id, recipientId: c.recipientId, now: c.now }, facts, outbox);
  }
  const res = (await tx.execute(sql`
    with t as (
      insert into tasks (tenant_id, id, kind, dedupe_key, recipient_id, customer_id, rep_id, visit_id, payload, due_at, created_at, updated_at)
      select r.tenant_id, r.id, r.kind, r.dedupe_key, r.recipient_id, r.customer_id, r.rep_id, r.visit_id, r.payload, r.due_at, r.created_at, r.created_at
      from jsonb_to_recordset(${JSON.stringify(tasks)}::jsonb) as r(
        tenant_id uuid, id uuid, kind task_kind, dedupe_key text, recipient_id uuid, customer_id uuid, rep_id uuid,
        visit_id uuid, payload jsonb, due_at timestamptz, created_at timestamptz)
      on conflict (tenant_id, dedupe_key) do nothing
      returning tenant_id, id
    ), d as (
      insert into deliveries (tenant_id, id, task_id, recipient_id, channel, state, next_attempt_at, sent_at, provider_task_id)
      select o.tenant_id, o.id, o.task_id, o.recipient_id, o.channel, o.state, o.next_attempt_at, o.sent_at, o.provider_task_id
      from jsonb_to_recordset(${JSON.stringify(outbox)}::jsonb) as o(${OUTBOX_RECORD})
      join t on t.tenant_id = o.tenant_id and t.id = o.task_id
      on conflict (tenant_id, task_id, channel) do nothing
    )
    select id from t`)) as unknown as { rows: { id: string }[] };
  return res.rows.map((r) => r.id);
}

/**
 * Inserts a card unless its dedupe key exists (ON CONFLICT DO NOTHING) and, only when it
 * was inserted, hands it to the delivery outbox in the same statement.
 * Returns the new task id, or null when the card already existed.
 */
export async function createCard(tx: DbOrTx, card: NewCard): Promise<string | null> {
  const [id] = await insertChunk(tx, [card], await channelFacts(tx, [card]));
  return id ?? null;
}

/**
 * createCard for many at once, in one transaction (the caller's): one round trip for the
 * recipients' channel facts, then one INSERT … ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
 * per `chunk` cards that also writes the deliveries of the inserted cards. Duplicates —
 * existing keys or the same key twice in `cards` (the first one wins) — create nothing.
 * Cards are written in dedupe-key order, so two concurrent batches over the same keys wait
 * for each other instead of deadlocking. Returns the number created.
 */
export async function createCards(tx: DbOrTx, cards: NewCard[], chunk = CARD_CHUNK): Promise<number> {
  const unique = new Map<string, NewCard>();
  for (const c of cards) {
    const k = `${c.tenantId} ${c.dedupeKey}`;
    if (!unique.has(k)) unique.set(k, c);
  }
  if (unique.size === 0) return 0;
  const sorted = [...unique.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
  const facts = await channelFacts(tx, sorted);
  let created = 0;
  for (let i = 0; i < sorted.length; i += chunk)
    created += (await insertChunk(tx, sorted.slice(i, i + chunk), facts)).length;
  return created;
}
