// Store / retail rules over ingested orders (BRIEF §9): a `coupon` card to the owning rep for a
// customer averaging < 85 CNY over ≥ 3 orders (once per customer per month), and an
// `order_review` card to the admins for > 5 orders in one local day to one address.
// Order ingestion calls runStoreRules after its transaction commits, with the orders it touched
// (a whole CSV batch, 5,000 orders, at once). So the cost is a fixed handful of statements
// whatever the batch size: the order ids travel as one uuid[] parameter, the database sums
// each customer's orders, one statement reads every touched day, and the cards are written
// with createCards (one statement per kind plus its recipients' channel facts).
import { createHash } from 'node:crypto';
import type { DbOrTx } from '@crm/db';
import {
  anomalousOrderGroups,
  couponFromTotals,
  couponPayload,
  localDayRanges,
  monthKey,
  normaliseAddress,
  orderReviewPayload,
} from '@crm/domain';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../customers/sql-rows';
import { arrayParam, planForBatches, uuidArray } from '../ingest/ingest.repo';
import { createCards, type NewCard } from '../tasks/cards.repo';

type Totals = {
  id: string;
  owner_id: string;
  name: string;
  org: string | null;
  orders: number;
  total_cents: unknown;
};
type Addressed = { ordered_at: Date | string; ship_address: string };
type DayOrder = {
  day: string;
  id: string;
  external_id: string | null;
  customer_id: string;
  ship_address: string;
  status: string;
};

export type StoreRulesInput = {
  tenantId: string;
  /** The orders just inserted or changed. */
  orderIds: string[];
  now: Date;
  /**
   * Ingestion passes what it already knows, sparing two reads of the orders by id: the
   * customers whose orders changed (their figures were recomputed in the same transaction)
   * and the changed orders' instants and ship addresses.
   */
  customerIds?: string[];
  addressed?: { orderedAt: Date; shipAddress: string }[];
};

export async function runStoreRules(db: DbOrTx, input: StoreRulesInput): Promise<{ coupons: number; reviews: number }> {
  if (input.orderIds.length === 0) return { coupons: 0, reviews: 0 };
  // One transaction: a batch's cards are all written or none, and its thousands of ids are
  // planned as index probes (planForBatches).
  return db.transaction(async (tx) => {
    await planForBatches(tx);
    return storeRulesIn(tx, input);
  });
}

async function storeRulesIn(db: DbOrTx, input: StoreRulesInput): Promise<{ coupons: number; reviews: number }> {
  const { tenantId, orderIds, now } = input;
  // Only needed when ingestion did not say (callers other than ingestion).
  const ids = () => uuidArray(orderIds);

  // The tenant's zone and its active admins (the review cards' recipients) in one round trip.
  const [tenant] = rowsOf<{ time_zone: string; admins: string[] }>(
    await db.execute(sql`
      select t.time_zone,
        coalesce((select json_agg(u.id order by u.id) from users u
                  where u.tenant_id = ${tenantId} and u.role = 'admin' and u.active), '[]'::json) as admins
      from tenants t where t.tenant_id = ${tenantId}`),
  );
  const timeZone = tenant?.time_zone ?? 'Asia/Shanghai';

  // Coupons: each touched customer's count and sum of counting orders are its order_count and
  // ltv_cents — the same orders (UNCOUNTED_ORDER_STATUSES left out),
  // kept exact by ingestion in the transaction that wrote the orders (recomputeOrderRollups).
  // Re-summing the orders here cost ~50 ms per 5,000-order batch; couponFromTotals decides.
  const touched = input.customerIds
    ? sql`select unnest(${uuidArray(input.customerIds)}) as customer_id`
    : sql`select distinct customer_id from orders where tenant_id = ${tenantId} and id = any(${ids()})`;
  const totals = rowsOf<Totals>(
    await db.execute(sql`
      with touched as (${touched})
      select c.id, c.owner_id, c.name, c.org, c.order_count as orders, c.ltv_cents as total_cents
      from touched d
      join customers c on c.tenant_id = ${tenantId} and c.id = d.customer_id`),
  );
  const month = monthKey(now, timeZone);
  const couponCards: NewCard[] = [];
  for (const c of totals) {
    const verdict = couponFromTotals({ orders: Number(c.orders), totalCents: Number(c.total_cents) });
    if (!verdict.eligible) continue;
    couponCards.push({
      tenantId,
      kind: 'coupon',
      dedupeKey: `coupon:${c.id}:${month}`,
      recipientId: c.owner_id,
      customerId: c.id,
      repId: c.owner_id,
      payload: couponPayload({
        customer: { id: c.id, name: c.name, org: c.org },
        averageCents: verdict.averageCents,
        orders: verdict.orders,
      }),
      now,
    });
  }
  // A customer already carded this month is sent again and skipped by ON CONFLICT on the key:
  // cheaper than probing tasks for every touched customer when few are eligible.
  const coupons = couponCards.length > 0 ? await createCards(db, couponCards) : 0;

  // Reviews: every local day that got an order with a (non-blank) address, re-read whole.
  const addressed: Addressed[] = input.addressed
    ? input.addressed.map((a) => ({ ordered_at: a.orderedAt, ship_address: a.shipAddress }))
    : rowsOf<Addressed>(
        await db.execute(sql`
          select ordered_at, ship_address from orders
          where tenant_id = ${tenantId} and id = any(${ids()}) and ship_address is not null`),
      );
  const days = localDayRanges(
    addressed.filter((a) => normaliseAddress(a.ship_address)).map((a) => new Date(a.ordered_at)),
    timeZone,
  );
  if (days.length === 0 || !tenant?.admins.length) return { coupons, reviews: 0 };
  // One statement for all days; the range on ordered_at with `ship_address is not null` is
  // what orders_addressed_day_idx (tenant_id, ordered_at) WHERE ship_address IS NOT NULL serves.
  const dayKeys = arrayParam(
    days.map((d) => d.day),
    'text',
  );
  const starts = arrayParam(
    days.map((d) => d.start),
    'timestamptz',
  );
  const ends = arrayParam(
    days.map((d) => d.end),
    'timestamptz',
  );
  const sameDays = rowsOf<DayOrder>(
    await db.execute(sql`
      select r.day, o.id, o.external_id, o.customer_id, o.ship_address, o.status
      from unnest(${dayKeys}, ${starts}, ${ends}) as r(day, s, e)
      join orders o on o.tenant_id = ${tenantId} and o.ship_address is not null
        and o.ordered_at >= r.s and o.ordered_at < r.e
      order by r.day, o.ordered_at, o.id`),
  );
  const byId = new Map(sameDays.map((x) => [x.id, x]));
  const groups = anomalousOrderGroups(
    sameDays.map((x) => ({ id: x.id, address: x.ship_address, day: x.day, status: x.status })),
  );
  const reviewCards: NewCard[] = [];
  for (const g of groups) {
    const members = g.orderIds.map((id) => byId.get(id) as DayOrder);
    const customers = [...new Set(members.map((m) => m.customer_id))];
    const addressKey = createHash('sha256').update(g.address).digest('hex').slice(0, 16);
    const payload = orderReviewPayload({
      day: g.day,
      address: members[0]?.ship_address ?? g.address,
      orders: members.map((m) => ({ id: m.id, externalId: m.external_id })),
    });
    for (const adminId of tenant.admins)
      reviewCards.push({
        tenantId,
        kind: 'order_review',
        dedupeKey: `order_review:${g.day}:${addressKey}:${adminId}`,
        recipientId: adminId,
        customerId: customers.length === 1 ? customers[0] : null,
        payload,
        now,
      });
  }
  const reviews = reviewCards.length > 0 ? await createCards(db, reviewCards) : 0;
  return { coupons, reviews };
}
