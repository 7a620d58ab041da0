// The overdue sweep for one tenant, set-based: it reads only open promises past the
// cutoff (partial indexes visits_open_promise_idx / visits_open_recorded_idx), never the
// visit history.

import { schema } from '@crm/db';
import type { OrderBrief } from '@crm/domain';
import { overdueCutoff, overdueDedupeKey, overduePayload, overdueRecipient } from '@crm/domain';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../deps';
import { createCards, type NewCard } from '../modules/tasks/cards.repo';
import { onRepTouch } from '../modules/visits/rep-touch';
import type { JobCounts } from './job';
import type { TenantInfo } from './runner';
import { queryRows, toDate, uuidList } from './sql-rows';

export const OVERDUE_BATCH = 500;
/** Overlap with the previous run's window, and the age after which a full scan is done instead. */
const SCAN_MARGIN_MS = 3_600_000;
const FULL_SCAN_AFTER_MS = 24 * 3_600_000;

type Candidate = {
  visit_id: string;
  customer_id: string;
  rep_id: string;
  core_need: string;
  next_contact_at: Date;
  customer_name: string;
  customer_org: string | null;
  rep_name: string;
  sup_id: string | null;
  sup_active: boolean | null;
};

/**
 * The incremental window: open promises that crossed the cutoff since the previous run
 * (`promisedAfter`), plus open promises recorded since it (`recordedAfter`) — a visit synced
 * late can arrive already overdue, with next_contact_at before `promisedAfter`.
 */
type ScanWindow = { promisedAfter: Date; recordedAfter: Date };

/**
 * Broken promises without a card: open, past the cutoff (and in the incremental window, if
 * any), no rep touch since the visit. The window is a UNION of two selects, each driven by
 * its own partial index (visits_open_promise_idx, visits_open_recorded_idx).
 */
function brokenPromises(
  deps: AppDeps,
  tenantId: string,
  window: { cutoff: Date; since: ScanWindow | null },
  after: { at: Date; id: string } | null,
) {
  const cutoff = sql`${window.cutoff.toISOString()}::timestamptz`;
  const keyset = after
    ? sql`and (v.next_contact_at, v.id) > (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
    : sql``;
  const scope = window.since
    ? sql`and v.id in (
        select w.id from visits w
        where w.tenant_id = ${tenantId} and w.promise_status = 'open'
          and w.next_contact_at > ${window.since.promisedAfter.toISOString()}::timestamptz
          and w.next_contact_at <= ${cutoff}
        union
        select w.id from visits w
        where w.tenant_id = ${tenantId} and w.promise_status = 'open'
          and w.recorded_at > ${window.since.recordedAfter.toISOString()}::timestamptz
          and w.next_contact_at <= ${cutoff})`
    : sql``;
  return queryRows<Candidate>(
    deps.db,
    sql`
    select v.id as visit_id, v.customer_id, v.rep_id, v.core_need, v.next_contact_at,
           c.name as customer_name, c.org as customer_org, r.name as rep_name,
           s.id as sup_id, s.active as sup_active
    from visits v
    join customers c on c.tenant_id = v.tenant_id and c.id = v.customer_id
    join users r on r.tenant_id = v.tenant_id and r.id = v.rep_id
    left join users s on s.tenant_id = r.tenant_id and s.id = r.supervisor_id
    where v.tenant_id = ${tenantId} and v.promise_status = 'open'
      and v.next_contact_at <= ${cutoff} ${scope} ${keyset}
      and (c.last_rep_touch_at is null or c.last_rep_touch_at <= v.occurred_at)
      and not exists (select 1 from tasks k where k.tenant_id = v.tenant_id and k.dedupe_key = 'overdue:' || v.id::text)
    order by v.next_contact_at, v.id
    limit ${OVERDUE_BATCH}`,
  );
}

/**
 * Open overdue cards whose customer the rep's side has touched since the visit (an outgoing
 * chat, a call …). A new visit resolves them in POST /api/visits; this catches every other touch.
 */
function touchedSinceCard(deps: AppDeps, tenantId: string) {
  return queryRows<{ customer_id: string }>(
    deps.db,
    sql`
    select distinct k.customer_id
    from tasks k
    join visits v on v.tenant_id = k.tenant_id and v.id = k.visit_id
    join customers c on c.tenant_id = k.tenant_id and c.id = k.customer_id
    where k.tenant_id = ${tenantId} and k.kind = 'overdue_followup' and k.status in ('open', 'acked')
      and c.last_rep_touch_at > v.occurred_at`,
  );
}

const isDailyFullScan = (slot: Date) => slot.getTime() % 86_400_000 === 0;

/**
 * Where the scan of open promises may start: just before the cutoff of the tenant's previous
 * completed run (promises that crossed earlier were carded then, or were touched — for good),
 * and, for visits recorded late, just before that run started (what was recorded earlier was
 * visible to it). No recent completed run (first run, downtime, crash) → the whole open set.
 */
async function scanSince(deps: AppDeps, tenantId: string, now: Date, overdueHours: number): Promise<ScanWindow | null> {
  const j = schema.jobRuns;
  const [last] = await deps.db
    .select({ startedAt: j.startedAt })
    .from(j)
    .where(and(eq(j.tenantId, tenantId), eq(j.job, 'overdue'), eq(j.status, 'done')))
    .orderBy(desc(j.slot))
    .limit(1);
  if (!last || last.startedAt.getTime() > now.getTime()) return null;
  if (now.getTime() - last.startedAt.getTime() > FULL_SCAN_AFTER_MS) return null;
  return {
    promisedAfter: new Date(overdueCutoff(last.startedAt, overdueHours).getTime() - SCAN_MARGIN_MS),
    recordedAfter: new Date(last.startedAt.getTime() - SCAN_MARGIN_MS),
  };
}

/** The last three orders of each customer, newest first. */
async function lastOrders(deps: AppDeps, tenantId: string, customerIds: string[]) {
  const out = new Map<string, OrderBrief[]>();
  if (customerIds.length === 0) return out;
  const rows = await queryRows<{
    customer_id: string;
    ordered_at: Date;
    amount_cents: number;
    score: number | null;
    status: string;
  }>(
    deps.db,
    sql`
    select o.customer_id, o.ordered_at, o.amount_cents::float8 as amount_cents, o.fulfilment_score as score, o.status
    from unnest(string_to_array(${uuidList(customerIds)}, ',')::uuid[]) as ids(id)
    cross join lateral (
      select customer_id, ordered_at, amount_cents, fulfilment_score, status from orders
      where tenant_id = ${tenantId} and customer_id = ids.id
      order by ordered_at desc, id desc limit 3
    ) o
    order by o.customer_id, o.ordered_at desc`,
  );
  for (const r of rows) {
    const list = out.get(r.customer_id) ?? [];
    list.push({
      orderedAt: toDate(r.ordered_at),
      amountCents: Number(r.amount_cents),
      fulfilmentScore: r.score,
      status: r.status,
    });
    out.set(r.customer_id, list);
  }
  return out;
}

async function activeAdmins(deps: AppDeps, tenantId: string) {
  const u = schema.users;
  return deps.db
    .select({ id: u.id })
    .from(u)
    .where(and(eq(u.tenantId, tenantId), eq(u.role, 'admin'), eq(u.active, true)))
    .orderBy(asc(u.createdAt), asc(u.id));
}

export async function sweepOverdue(ctx: {
  tenant: TenantInfo;
  slot: Date;
  now: Date;
  deps: AppDeps;
}): Promise<JobCounts> {
  const { tenant, slot, now, deps } = ctx;
  const tenantId = tenant.tenantId;
  const counts = { broken: 0, created: 0, resolved: 0, noRecipient: 0, fullScan: 0 };

  // Cards whose customer was touched by any channel since: closed the same way POST /api/visits closes them.
  const touched = [...new Set((await touchedSinceCard(deps, tenantId)).map((r) => r.customer_id))];
  if (touched.length > 0)
    counts.resolved = await deps.db.transaction((tx) =>
      onRepTouch(tx, { tenantId, customerIds: touched, timeZone: tenant.timeZone, now }),
    );

  const window = {
    cutoff: overdueCutoff(now, tenant.settings.overdueHours),
    // The first slot of each UTC day scans everything: heals what an incremental window cannot
    // see (a lowered overdueHours, an admin added for promises that had no recipient).
    since: isDailyFullScan(slot) ? null : await scanSince(deps, tenantId, now, tenant.settings.overdueHours),
  };
  if (!window.since) counts.fullScan = 1;
  const admins = await activeAdmins(deps, tenantId);
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const rows = await brokenPromises(deps, tenantId, window, after);
    if (rows.length === 0) break;
    const last = rows[rows.length - 1] as Candidate;
    after = { at: toDate(last.next_contact_at), id: last.visit_id };
    counts.broken += rows.length;
    const orders = await lastOrders(deps, tenantId, [...new Set(rows.map((r) => r.customer_id))]);
    const cards: NewCard[] = [];
    for (const r of rows) {
      const recipientId = overdueRecipient({
        supervisor: r.sup_id ? { id: r.sup_id, active: r.sup_active === true } : null,
        admins,
      });
      if (!recipientId) {
        counts.noRecipient++;
        continue;
      }
      const promisedAt = toDate(r.next_contact_at);
      cards.push({
        tenantId,
        kind: 'overdue_followup',
        dedupeKey: overdueDedupeKey(r.visit_id),
        recipientId,
        customerId: r.customer_id,
        repId: r.rep_id,
        visitId: r.visit_id,
        dueAt: promisedAt,
        now,
        payload: overduePayload({
          customer: { id: r.customer_id, name: r.customer_name, org: r.customer_org },
          rep: { id: r.rep_id, name: r.rep_name },
          visitId: r.visit_id,
          coreNeed: r.core_need,
          promisedAt,
          now,
          timeZone: tenant.timeZone,
          orders: orders.get(r.customer_id) ?? [],
        }),
      });
    }
    // One transaction per batch: a crash loses at most this batch, and the re-run redoes it.
    if (cards.length > 0) counts.created += await deps.db.transaction((tx) => createCards(tx, cards));
    if (rows.length < OVERDUE_BATCH) break;
  }
  return counts;
}
