// Store / retail rules (BRIEF §9): a coupon for small repeat buyers, a human review for
// anomalous bursts of orders to one address.
import { dayKey, startOfZonedDay } from '../forecast/zoned';

export const COUPON_AVG_BELOW_CENTS = 8_500;
export const COUPON_MIN_ORDERS = 3;
export const REVIEW_MAX_ORDERS_PER_DAY = 5;

export type StoreOrder = { amountCents: number; status: string };

/**
 * Order statuses that are not a purchase: left out of a customer's LTV and order count
 * (ingestion's rollup filters on this list in SQL) and so out of the coupon rule, which reads
 * those cached figures.
 */
export const UNCOUNTED_ORDER_STATUSES: readonly string[] = ['cancelled', 'refunded'];
export const COUPON_UNCOUNTED_STATUSES = UNCOUNTED_ORDER_STATUSES;

export const countsForCoupon = (status: string) => !COUPON_UNCOUNTED_STATUSES.includes(status);

export type CouponVerdict = { eligible: boolean; orders: number; averageCents: number };

/**
 * The coupon decision from a customer's totals over its counting orders (the database sums
 * them per customer, so a batch of thousands of customers never loads their order rows):
 * average strictly below 85 CNY over at least 3 orders.
 */
export function couponFromTotals(t: { orders: number; totalCents: number }): CouponVerdict {
  const n = t.orders;
  return {
    // Compared in integers: avg < 8500 ⇔ total < 8500 × n.
    eligible: n >= COUPON_MIN_ORDERS && t.totalCents < COUPON_AVG_BELOW_CENTS * n,
    orders: n,
    averageCents: n === 0 ? 0 : Math.round(t.totalCents / n),
  };
}

/** Average order strictly below 85 CNY over at least 3 orders (cancelled and refunded ones left out). */
export function couponEligible(orders: StoreOrder[]): CouponVerdict {
  const kept = orders.filter((o) => countsForCoupon(o.status));
  return couponFromTotals({ orders: kept.length, totalCents: kept.reduce((s, o) => s + o.amountCents, 0) });
}

/** Folds an address so "上海市 徐汇区 1号" and "上海市徐汇区１号" are the same place. */
export function normaliseAddress(address: string): string {
  return address
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s,，.。、\-#]/g, '');
}

export type ReviewOrder = { id: string; address: string | null; day: string; status: string };
export type ReviewGroup = { day: string; address: string; orderIds: string[] };

/** Groups of more than 5 orders on one (tenant-local) day to one address. */
export function anomalousOrderGroups(orders: ReviewOrder[]): ReviewGroup[] {
  const groups = new Map<string, ReviewGroup>();
  for (const o of orders) {
    if (!o.address || o.status === 'cancelled') continue;
    const address = normaliseAddress(o.address);
    if (!address) continue;
    const key = `${o.day}\u0000${address}`;
    const g = groups.get(key) ?? { day: o.day, address, orderIds: [] };
    g.orderIds.push(o.id);
    groups.set(key, g);
  }
  return [...groups.values()].filter((g) => g.orderIds.length > REVIEW_MAX_ORDERS_PER_DAY);
}

export type LocalDay = { day: string; start: Date; end: Date };

/**
 * The tenant-local days [start, end) that contain the given instants, in order. Zone
 * arithmetic costs an Intl formatter per call (~50 µs), so it is done per day, not per
 * instant: a 5,000-order batch spans a handful of days.
 */
export function localDayRanges(instants: Date[], timeZone: string): LocalDay[] {
  const sorted = instants.map((d) => d.getTime()).sort((a, b) => a - b);
  const days: LocalDay[] = [];
  let last: LocalDay | undefined;
  for (const t of sorted) {
    if (last && t < last.end.getTime()) continue;
    const at = new Date(t);
    const start = startOfZonedDay(at, timeZone);
    // The next local midnight: a day is 23 to 25 hours long where the zone has DST.
    const end = startOfZonedDay(new Date(start.getTime() + 25 * 3_600_000), timeZone);
    last = { day: dayKey(at, timeZone), start, end };
    days.push(last);
  }
  return days;
}
