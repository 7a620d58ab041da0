// Store / retail rules over ingested orders (BRIEF §9): a `coupon` card to the owning rep for a
// customer averaging < 85 CNY over ≥ 3 orders (once per customer per month), and an
// `order_review` card to the admins for > 5 orders in one local day to one address.
// Order ingestion calls runStoreRules after its transaction commits, with the orders it touched.
import { createHash } from 'node:crypto';
import { type DbOrTx, schema } from '@crm/db';
import {
  anomalousOrderGroups,
  couponEligible,
  couponPayload,
  dayKey,
  monthKey,
  normaliseAddress,
  orderReviewPayload,
  startOfZonedDay,
} from '@crm/domain';
import { and, eq, gte, inArray, isNotNull, lt } from 'drizzle-orm';
import { createCard } from '../tasks/cards.repo';
import { tenantSettings } from './signals.repo';

const DAY = 86_400_000;

export async function runStoreRules(
  db: DbOrTx,
  input: { tenantId: string; orderIds: string[]; now: Date },
): Promise<{ coupons: number; reviews: number }> {
  const { tenantId, orderIds, now } = input;
  if (orderIds.length === 0) return { coupons: 0, reviews: 0 };
  const o = schema.orders;
  const { timeZone } = await tenantSettings(db, tenantId);
  const touched = await db
    .select({ id: o.id, customerId: o.customerId, orderedAt: o.orderedAt, shipAddress: o.shipAddress })
    .from(o)
    .where(and(eq(o.tenantId, tenantId), inArray(o.id, orderIds)));
  let coupons = 0;
  let reviews = 0;

  // Coupons: per customer, over all its orders.
  const customerIds = [...new Set(touched.map((t) => t.customerId))];
  if (customerIds.length) {
    const all = await db
      .select({ customerId: o.customerId, amountCents: o.amountCents, status: o.status })
      .from(o)
      .where(and(eq(o.tenantId, tenantId), inArray(o.customerId, customerIds)));
    const owners = await db
      .select({
        id: schema.customers.id,
        ownerId: schema.customers.ownerId,
        name: schema.customers.name,
        org: schema.customers.org,
      })
      .from(schema.customers)
      .where(and(eq(schema.customers.tenantId, tenantId), inArray(schema.customers.id, customerIds)));
    const month = monthKey(now, timeZone);
    // Grouped once: filtering `all` per customer was quadratic in the batch (a CSV batch is 5,000 orders).
    const ordersOf = new Map<string, typeof all>();
    for (const x of all) {
      const list = ordersOf.get(x.customerId);
      if (list) list.push(x);
      else ordersOf.set(x.customerId, [x]);
    }
    for (const c of owners) {
      const verdict = couponEligible(ordersOf.get(c.id) ?? []);
      if (!verdict.eligible) continue;
      const id = await createCard(db, {
        tenantId,
        kind: 'coupon',
        dedupeKey: `coupon:${c.id}:${month}`,
        recipientId: c.ownerId,
        customerId: c.id,
        repId: c.ownerId,
        payload: couponPayload({
          customer: { id: c.id, name: c.name, org: c.org },
          averageCents: verdict.averageCents,
          orders: verdict.orders,
        }),
        now,
      });
      if (id) coupons += 1;
    }
  }

  // Reviews: per local day that got an addressed order, all that day's orders.
  const days = new Map<string, Date>();
  for (const t of touched)
    if (t.shipAddress && normaliseAddress(t.shipAddress))
      days.set(dayKey(t.orderedAt, timeZone), startOfZonedDay(t.orderedAt, timeZone));
  if (days.size === 0) return { coupons, reviews };
  const admins = await db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(and(eq(schema.users.tenantId, tenantId), eq(schema.users.role, 'admin'), eq(schema.users.active, true)));
  for (const [day, start] of days) {
    const end = startOfZonedDay(new Date(start.getTime() + DAY + 3_600_000), timeZone);
    const sameDay = await db
      .select({
        id: o.id,
        externalId: o.externalId,
        customerId: o.customerId,
        shipAddress: o.shipAddress,
        status: o.status,
      })
      .from(o)
      .where(and(eq(o.tenantId, tenantId), gte(o.orderedAt, start), lt(o.orderedAt, end), isNotNull(o.shipAddress)));
    const groups = anomalousOrderGroups(
      sameDay.map((x) => ({ id: x.id, address: x.shipAddress, day, status: x.status })),
    );
    for (const g of groups) {
      const members = sameDay.filter((x) => g.orderIds.includes(x.id));
      const customers = [...new Set(members.map((m) => m.customerId))];
      const addressKey = createHash('sha256').update(g.address).digest('hex').slice(0, 16);
      for (const admin of admins) {
        const id = await createCard(db, {
          tenantId,
          kind: 'order_review',
          dedupeKey: `order_review:${day}:${addressKey}:${admin.id}`,
          recipientId: admin.id,
          customerId: customers.length === 1 ? customers[0] : null,
          payload: orderReviewPayload({
            day,
            address: members[0]?.shipAddress ?? g.address,
            orders: members.map((m) => ({ id: m.id, externalId: m.externalId })),
          }),
          now,
        });
        if (id) reviews += 1;
      }
    }
  }
  return { coupons, reviews };
}
