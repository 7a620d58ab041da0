// The transactional outbox: rows written with the card, claimed with FOR UPDATE SKIP LOCKED
// and a lease, paced per member, and settled after the send (which happens outside any transaction).

import { type Db, type DbOrTx, schema } from '@crm/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { v7 } from 'uuid';
import type { Channel } from '../../integrations/platform';
import { wecomTaskId } from '../../integrations/wecom/wecom.cards';
import { LEASE_MS, PACE, paceCapacity, type WindowUsage } from './outbox.rules';

const d = schema.deliveries;

export type EnqueueCard = { tenantId: string; taskId: string; recipientId: string; now: Date };

export type ChannelFacts = {
  tenant_id: string;
  id: string;
  wecom_userid: string | null;
  dingtalk_userid: string | null;
  wecom_corp_id: string | null;
  dingtalk_corp_id: string | null;
};

/**
 * A time-ordered (version 7, RFC 9562) uuid for rows written in bulk: ids made in one sweep
 * land next to each other in the (tenant_id, id) and (tenant_id, task_id …) indexes instead of
 * on random pages of them (gen_random_uuid), which is what keeps bulk inserts fast.
 */
export function uuidv7(ms = Date.now()): string {
  return v7({ msecs: ms });
}

/** A delivery row as handed to json_to_recordset / jsonb_to_recordset (timestamps as ISO strings). */
export type OutboxRow = {
  tenant_id: string;
  id: string;
  task_id: string;
  recipient_id: string;
  channel: (typeof d.channel.enumValues)[number];
  state: 'pending' | 'sent';
  next_attempt_at: string;
  sent_at: string | null;
  provider_task_id: string | null;
};

/** The column list of json_to_recordset for OutboxRow, shared by every statement that writes them. */
export const OUTBOX_RECORD =
  sql.raw(`tenant_id uuid, id uuid, task_id uuid, recipient_id uuid, channel delivery_channel,
  state delivery_state, next_attempt_at timestamptz, sent_at timestamptz, provider_task_id text`);

const recipientKey = (tenantId: string, userId: string) => `${tenantId}:${userId}`;

/** What decides a recipient's channels, for every distinct recipient of `cards` (one query). */
export async function channelFacts(
  tx: DbOrTx,
  cards: { tenantId: string; recipientId: string }[],
): Promise<Map<string, ChannelFacts>> {
  const recipients = new Map<string, { t: string; u: string }>();
  for (const c of cards) recipients.set(recipientKey(c.tenantId, c.recipientId), { t: c.tenantId, u: c.recipientId });
  if (recipients.size === 0) return new Map();
  const facts = (await tx.execute(sql`
    select u.tenant_id, u.id, u.wecom_userid, u.dingtalk_userid, t.wecom_corp_id, t.dingtalk_corp_id
    from json_to_recordset(${JSON.stringify([...recipients.values()])}::json) as r(t uuid, u uuid)
    join users u on u.tenant_id = r.t and u.id = r.u
    join tenants t on t.tenant_id = u.tenant_id`)) as unknown as { rows: ChannelFacts[] };
  return new Map(facts.rows.map((f) => [recipientKey(f.tenant_id, f.id), f]));
}

/**
 * A card's delivery rows, given its recipient's facts: one per channel the recipient has —
 * the in-app inbox always (delivered by being written), WeCom when the tenant has a corp and
 * the user a WeCom userid, DingTalk likewise. The WeCom task_id is fixed here, before any
 * send, so every retry carries the same idempotency key.
 */
export function outboxRows(c: EnqueueCard, facts: Map<string, ChannelFacts>, into: OutboxRow[] = []): OutboxRow[] {
  const f = facts.get(recipientKey(c.tenantId, c.recipientId));
  const at = c.now.toISOString();
  const ms = c.now.getTime();
  const base = { tenant_id: c.tenantId, task_id: c.taskId, recipient_id: c.recipientId, next_attempt_at: at };
  into.push({ ...base, id: uuidv7(ms), channel: 'inapp', state: 'sent', sent_at: at, provider_task_id: null });
  if (f?.wecom_userid && f.wecom_corp_id)
    into.push({
      ...base,
      id: uuidv7(ms),
      channel: 'wecom',
      state: 'pending',
      sent_at: null,
      provider_task_id: wecomTaskId(c.taskId),
    });
  if (f?.dingtalk_userid && f.dingtalk_corp_id)
    into.push({
      ...base,
      id: uuidv7(ms),
      channel: 'dingtalk',
      state: 'pending',
      sent_at: null,
      provider_task_id: null,
    });
  return into;
}

/** Writes a card's deliveries in the caller's transaction (see outboxRows). */
export async function enqueueDeliveries(tx: DbOrTx, card: EnqueueCard): Promise<void> {
  await enqueueDeliveriesMany(tx, [card]);
}

/**
 * enqueueDeliveries for a batch of cards, in two round trips whatever its size: one query for
 * the channel facts of every distinct recipient, one INSERT … SELECT from a single JSON
 * parameter (no bind-parameter limit), ON CONFLICT (tenant_id, task_id, channel) DO NOTHING.
 * createCards writes cards and deliveries together in one statement instead.
 */
export async function enqueueDeliveriesMany(tx: DbOrTx, cards: EnqueueCard[]): Promise<void> {
  if (cards.length === 0) return;
  const facts = await channelFacts(tx, cards);
  const rows: OutboxRow[] = [];
  for (const c of cards) outboxRows(c, facts, rows);
  await tx.execute(sql`
    insert into deliveries (tenant_id, id, task_id, recipient_id, channel, state, next_attempt_at, sent_at, provider_task_id)
    select r.tenant_id, r.id, r.task_id, r.recipient_id, r.channel, r.state, r.next_attempt_at, r.sent_at, r.provider_task_id
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(${OUTBOX_RECORD})
    on conflict (tenant_id, task_id, channel) do nothing`);
}

export type ClaimedDelivery = {
  tenantId: string;
  id: string;
  taskId: string;
  recipientId: string;
  channel: Channel;
  attempts: number;
  providerTaskId: string | null;
};

type DueRow = Omit<ClaimedDelivery, 'attempts'> & { attempts: number };

const key = (r: { tenantId: string; recipientId: string; channel: string }) =>
  `${r.tenantId}:${r.recipientId}:${r.channel}`;

/**
 * Claims up to `limit` due rows of the given channels. Rows over a member's limit are not
 * claimed but moved to when a slot frees (no attempt is spent). Per-member advisory locks make
 * two instances see each other's claims, so pacing holds across instances.
 */
export async function claimDue(
  db: Db,
  p: { now: Date; channels: Channel[]; limit: number },
): Promise<{ claimed: ClaimedDelivery[]; paced: number }> {
  if (p.channels.length === 0) return { claimed: [], paced: 0 };
  return db.transaction(async (tx) => {
    const due: DueRow[] = (await tx
      .select({
        tenantId: d.tenantId,
        id: d.id,
        taskId: d.taskId,
        recipientId: d.recipientId,
        channel: d.channel,
        attempts: d.attempts,
        providerTaskId: d.providerTaskId,
      })
      .from(d)
      .where(
        and(
          sql`${d.state} in ('pending', 'sending')`,
          inArray(d.channel, p.channels),
          sql`${d.nextAttemptAt} <= ${p.now.toISOString()}::timestamptz`,
          sql`(${d.leaseUntil} is null or ${d.leaseUntil} <= ${p.now.toISOString()}::timestamptz)`,
        ),
      )
      .orderBy(d.nextAttemptAt)
      .limit(p.limit)
      .for('update', { skipLocked: true })) as DueRow[];
    if (due.length === 0) return { claimed: [], paced: 0 };

    const members = [...new Set(due.map(key))].sort();
    await tx.execute(
      sql`select count(pg_advisory_xact_lock(hashtext(k))) from (select k from json_array_elements_text(${JSON.stringify(members)}::json) k order by k) s`,
    );
    const usage = await memberUsage(tx, due, p.now);
    const capacity = new Map<string, { capacity: number; retryAtMs: number }>();
    for (const m of members) {
      const [tenantId, recipientId, channel] = m.split(':') as [string, string, Channel];
      capacity.set(
        m,
        paceCapacity(PACE[channel], usage.get(`${tenantId}:${recipientId}:${channel}`) ?? [], p.now.getTime()),
      );
    }
    const claimed: DueRow[] = [];
    const deferred = new Map<number, string[]>();
    for (const r of due) {
      const c = capacity.get(key(r)) as { capacity: number; retryAtMs: number };
      if (c.capacity > 0) {
        c.capacity -= 1;
        claimed.push(r);
      } else deferred.set(c.retryAtMs, [...(deferred.get(c.retryAtMs) ?? []), r.id]);
    }
    const leaseUntil = new Date(p.now.getTime() + LEASE_MS);
    if (claimed.length > 0)
      await tx
        .update(d)
        .set({ state: 'sending', leaseUntil, attempts: sql`${d.attempts} + 1`, updatedAt: p.now })
        .where(
          inArray(
            d.id,
            claimed.map((r) => r.id),
          ),
        );
    for (const [at, ids] of deferred)
      await tx
        .update(d)
        .set({ state: 'pending', leaseUntil: null, nextAttemptAt: new Date(at), updatedAt: p.now })
        .where(inArray(d.id, ids));
    return { claimed: claimed.map((r) => ({ ...r, attempts: r.attempts + 1 })), paced: due.length - claimed.length };
  });
}

/** Sends per member and window: delivered within the window, or claimed by anyone and still leased. */
async function memberUsage(tx: DbOrTx, due: DueRow[], now: Date): Promise<Map<string, WindowUsage[]>> {
  const channels = [...new Set(due.map((r) => r.channel))];
  const windows = [...new Set(channels.flatMap((c) => PACE[c].map((w) => w.windowMs)))].sort((a, b) => a - b);
  const nowIso = now.toISOString();
  const cols = Object.fromEntries(
    windows.flatMap((w, i) => {
      const since = new Date(now.getTime() - w).toISOString();
      const inWindow = sql`(${d.sentAt} > ${since}::timestamptz or (${d.state} = 'sending' and ${d.leaseUntil} > ${nowIso}::timestamptz))`;
      return [
        [`c${i}`, sql<number>`count(*) filter (where ${inWindow})`.mapWith(Number)],
        [
          `o${i}`,
          sql<
            number | null
          >`extract(epoch from min(${d.sentAt}) filter (where ${d.sentAt} > ${since}::timestamptz)) * 1000`,
        ],
      ];
    }),
  );
  const longest = new Date(now.getTime() - (windows[windows.length - 1] ?? 0)).toISOString();
  const rows = (await tx
    .select({ tenantId: d.tenantId, recipientId: d.recipientId, channel: d.channel, ...cols })
    .from(d)
    .where(
      and(
        inArray(d.recipientId, [...new Set(due.map((r) => r.recipientId))]),
        inArray(d.channel, channels),
        sql`(${d.sentAt} > ${longest}::timestamptz or ${d.state} = 'sending')`,
      ),
    )
    .groupBy(d.tenantId, d.recipientId, d.channel)) as unknown as Record<string, unknown>[];
  const out = new Map<string, WindowUsage[]>();
  for (const r of rows) {
    const channel = r.channel as Channel;
    out.set(
      key(r as { tenantId: string; recipientId: string; channel: string }),
      PACE[channel].map((w) => {
        const i = windows.indexOf(w.windowMs);
        const oldest = r[`o${i}`];
        return {
          count: Number(r[`c${i}`] ?? 0),
          oldestMs: oldest === null || oldest === undefined ? null : Number(oldest),
        };
      }),
    );
  }
  return out;
}

export async function markRetry(
  db: DbOrTx,
  row: { tenantId: string; id: string },
  r: { now: Date; nextAttemptAt: Date; error: string },
) {
  await db
    .update(d)
    .set({ state: 'pending', leaseUntil: null, nextAttemptAt: r.nextAttemptAt, lastError: r.error, updatedAt: r.now })
    .where(and(eq(d.tenantId, row.tenantId), eq(d.id, row.id), eq(d.state, 'sending')));
}

export async function markFailed(db: DbOrTx, row: { tenantId: string; id: string }, r: { now: Date; error: string }) {
  await db
    .update(d)
    .set({ state: 'failed', leaseUntil: null, lastError: r.error, updatedAt: r.now })
    .where(and(eq(d.tenantId, row.tenantId), eq(d.id, row.id), eq(d.state, 'sending')));
}
