// The transactional outbox: rows written with the card, claimed with FOR UPDATE SKIP LOCKED
// and a lease, paced per member, and settled after the send (which happens outside any transaction).
import { type Db, type DbOrTx, schema } from '@crm/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Channel } from '../../integrations/platform';
import { wecomTaskId } from '../../integrations/wecom/wecom.cards';
import { LEASE_MS, PACE, paceCapacity, type WindowUsage } from './outbox.rules';

const d = schema.deliveries;

/**
 * Writes a card's deliveries in the caller's transaction: one row per channel the recipient
 * has — the in-app inbox always (delivered by being written), WeCom when the tenant has a corp
 * and the user a WeCom userid, DingTalk likewise. The WeCom task_id is fixed here, before any
 * send, so every retry carries the same idempotency key.
 */
export async function enqueueDeliveries(
  tx: DbOrTx,
  card: { tenantId: string; taskId: string; recipientId: string; now: Date },
): Promise<void> {
  const [who] = await tx
    .select({
      wecomUserId: schema.users.wecomUserId,
      dingtalkUserId: schema.users.dingtalkUserId,
      wecomCorpId: schema.tenants.wecomCorpId,
      dingtalkCorpId: schema.tenants.dingtalkCorpId,
    })
    .from(schema.users)
    .innerJoin(schema.tenants, eq(schema.tenants.tenantId, schema.users.tenantId))
    .where(and(eq(schema.users.tenantId, card.tenantId), eq(schema.users.id, card.recipientId)))
    .limit(1);
  const base = { tenantId: card.tenantId, taskId: card.taskId, recipientId: card.recipientId, nextAttemptAt: card.now };
  const rows: (typeof d.$inferInsert)[] = [{ ...base, channel: 'inapp', state: 'sent', sentAt: card.now }];
  if (who?.wecomUserId && who.wecomCorpId)
    rows.push({ ...base, channel: 'wecom', state: 'pending', providerTaskId: wecomTaskId(card.taskId) });
  if (who?.dingtalkUserId && who.dingtalkCorpId) rows.push({ ...base, channel: 'dingtalk', state: 'pending' });
  await tx.insert(d).values(rows).onConflictDoNothing();
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
