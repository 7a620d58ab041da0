// The overdue sweep for one tenant, set-based: it reads only open promises past the
// cutoff (partial index visits_open_promise_idx), never the visit history.

import { schema } from '@crm/db';
import type { OrderBrief } from '@crm/domain';
import { overdueCutoff, overdueDedupeKey, overduePayload, overdueRecipient, overdueResolution } from '@crm/domain';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../deps';
import { createCards, type NewCard } from '../modules/tasks/cards.repo';
import type { JobCounts } from './job';
import type { TenantInfo } from './runner';
import { queryRows, toDate, uuidList } from './sql-rows';

export const OVERDUE_BATCH = 500;

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
  touched: boolean;
  task_id: string | null;
  last_rep_touch_at: Date | null;
};

function candidates(deps: AppDeps, tenantId: string, cutoff: Date, after: { at: Date; id: string } | null) {
  const keyset = after
    ? sql`and (v.next_contact_at, v.id) > (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
    : sql``;
  // One scan of the open promises past the cutoff yields both: promises to card (no rep touch
  // since the visit, no card yet) and cards to resolve (touched since, card still open).
  return queryRows<Candidate>(
    deps.db,
    sql`
    select v.id as visit_id, v.customer_id, v.rep_id, v.core_need, v.next_contact_at,
           c.name as customer_name, c.org as customer_org, r.name as rep_name,
           s.id as sup_id, s.active as sup_active,
           coalesce(c.last_rep_touch_at > v.occurred_at, false) as touched,
           c.last_rep_touch_at, k.id as task_id
    from visits v
    join customers c on c.tenant_id = v.tenant_id and c.id = v.customer_id
    join users r on r.tenant_id = v.tenant_id and r.id = v.rep_id
    left join users s on s.tenant_id = r.tenant_id and s.id = r.supervisor_id
    left join tasks k on k.tenant_id = v.tenant_id and k.dedupe_key = 'overdue:' || v.id::text
    where v.tenant_id = ${tenantId} and v.promise_status = 'open' and v.next_contact_at <= ${cutoff.toISOString()}::timestamptz
      ${keyset}
      and (
        (coalesce(c.last_rep_touch_at > v.occurred_at, false) = false and k.id is null)
        or (c.last_rep_touch_at > v.occurred_at and k.status in ('open', 'acked'))
      )
    order by v.next_contact_at, v.id
    limit ${OVERDUE_BATCH}`,
  );
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

export async function sweepOverdue(ctx: { tenant: TenantInfo; now: Date; deps: AppDeps }): Promise<JobCounts> {
  const { tenant, now, deps } = ctx;
  const tenantId = tenant.tenantId;
  const cutoff = overdueCutoff(now, tenant.settings.overdueHours);
  const admins = await activeAdmins(deps, tenantId);
  const counts = { broken: 0, created: 0, resolved: 0, noRecipient: 0 };
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const rows = await candidates(deps, tenantId, cutoff, after);
    if (rows.length === 0) break;
    const last = rows[rows.length - 1] as Candidate;
    after = { at: toDate(last.next_contact_at), id: last.visit_id };

    const toResolve = rows.filter((r) => r.touched && r.task_id);
    for (const r of toResolve) {
      const touchedAt = toDate(r.last_rep_touch_at);
      const t = schema.tasks;
      const done = await deps.db
        .update(t)
        .set({ status: 'resolved', resolution: overdueResolution(touchedAt), updatedAt: now })
        .where(and(eq(t.tenantId, tenantId), eq(t.id, r.task_id as string), sql`${t.status} in ('open', 'acked')`))
        .returning({ id: t.id });
      counts.resolved += done.length;
    }

    const broken = rows.filter((r) => !r.touched && !r.task_id);
    counts.broken += broken.length;
    const orders = await lastOrders(deps, tenantId, [...new Set(broken.map((r) => r.customer_id))]);
    const cards: NewCard[] = [];
    for (const r of broken) {
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
