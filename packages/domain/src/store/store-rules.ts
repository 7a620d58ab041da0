// Store / retail rules (BRIEF §9): a coupon for small repeat buyers, a human review for
// anomalous bursts of orders to one address.

export const COUPON_AVG_BELOW_CENTS = 8_500;
export const COUPON_MIN_ORDERS = 3;
export const REVIEW_MAX_ORDERS_PER_DAY = 5;

export type StoreOrder = { amountCents: number; status: string };

const counts = (o: StoreOrder) => o.status !== 'cancelled' && o.status !== 'refunded';

/** Average order strictly below 85 CNY over at least 3 orders (cancelled and refunded ones left out). */
export function couponEligible(orders: StoreOrder[]): { eligible: boolean; orders: number; averageCents: number } {
  const kept = orders.filter(counts);
  const total = kept.reduce((s, o) => s + o.amountCents, 0);
  const n = kept.length;
  return {
    // Compared in integers: avg < 8500 ⇔ total < 8500 × n.
    eligible: n >= COUPON_MIN_ORDERS && total < COUPON_AVG_BELOW_CENTS * n,
    orders: n,
    averageCents: n === 0 ? 0 : Math.round(total / n),
  };
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
