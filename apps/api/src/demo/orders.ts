// ERP orders over the two years before `now`: integer fen, mostly paid/fulfilled,
// fulfilment scores skewed high, numbered in date order.
import type { Product } from './catalogue';
import { atLocalHours, clamp, DAY, HOUR, type Rng } from './prng';
import type { CustomerPlan, DemoDataset, GenContext } from './types';

type OrderRow = DemoDataset['orders'][number];
type Status = NonNullable<OrderRow['status']>;

/** Mean orders per customer: ~60,000 for 5,000 customers. */
export const ORDERS_PER_CUSTOMER = 12;

function status(rng: Rng, ageDays: number): Status {
  if (ageDays < 3)
    return rng.weighted([
      ['pending', 4],
      ['paid', 6],
    ] as const);
  if (ageDays < 14)
    return rng.weighted([
      ['paid', 55],
      ['fulfilled', 38],
      ['cancelled', 5],
      ['refunded', 2],
    ] as const);
  return rng.weighted([
    ['fulfilled', 85],
    ['paid', 5],
    ['cancelled', 6],
    ['refunded', 4],
  ] as const);
}

function score(rng: Rng, s: Status, ageDays: number): number | null {
  if (s === 'fulfilled') {
    // Mostly 90–100, with the occasional bad delivery.
    if (rng.chance(0.08)) return rng.int(20, 69);
    return clamp(100 - rng.count(4), 0, 100);
  }
  if (s === 'refunded') return rng.int(10, 60);
  if (s === 'paid' && ageDays > 14) return clamp(100 - rng.count(6), 0, 100);
  return null;
}

/** Orders for every customer; the window for orders ends at `orderUntil` (a plan's last allowed instant). */
export function generateOrders(
  ctx: GenContext,
  plans: CustomerPlan[],
  catalogue: Product[],
  orderUntil: (p: CustomerPlan) => number,
): DemoDataset['orders'] {
  const { rng, tenantId, now } = ctx;
  const byCategory = new Map<string, Product[]>();
  for (const p of catalogue) byCategory.set(p.category, [...(byCategory.get(p.category) ?? []), p]);
  const orders: DemoDataset['orders'] = [];

  for (const plan of plans) {
    const until = orderUntil(plan);
    // Dormant customers are the high-value ones the wake-up is for: at least 3 solid orders.
    const forced = plan.kind === 'dormant' ? 3 : 0;
    const n = Math.max(forced, rng.count(ORDERS_PER_CUSTOMER));
    for (let k = 0; k < n; k++) {
      const product = rng.chance(0.85)
        ? rng.pick(byCategory.get(rng.pick(plan.categories)) ?? catalogue)
        : rng.pick(catalogue);
      const orderedAt = clamp(atLocalHours(rng, rng.between(plan.from, until), 8, 20), plan.from, until);
      const ageDays = (now - orderedAt) / DAY;
      let s = status(rng, ageDays);
      let qty = 1 + rng.count(3);
      if (k < forced) {
        s = 'fulfilled';
        qty = Math.max(qty, Math.ceil(200_000 / product.priceFen));
      }
      const paid = s === 'paid' || s === 'fulfilled' || s === 'refunded';
      orders.push({
        tenantId,
        id: rng.uuid(),
        source: 'erp',
        externalId: '',
        customerId: plan.id,
        productId: product.id,
        amountCents: product.priceFen * qty,
        currency: 'CNY',
        status: s,
        fulfilmentScore: score(rng, s, ageDays),
        orderedAt: new Date(orderedAt),
        paidAt: paid ? new Date(Math.min(now, orderedAt + rng.between(0.2, 72) * HOUR)) : null,
        shipAddress: plan.address,
        createdAt: new Date(orderedAt),
        updatedAt: new Date(orderedAt),
      });
    }
  }
  // ERP numbers follow the order date.
  orders.sort((a, b) => +a.orderedAt - +b.orderedAt || (a.id! < b.id! ? -1 : 1));
  orders.forEach((o, i) => {
    const d = o.orderedAt.toISOString().slice(0, 10).replaceAll('-', '');
    o.externalId = `SO${d}${String(i + 1).padStart(6, '0')}`;
  });
  return orders;
}

/** The cached LTV rule: every order except cancelled and refunded ones. */
export const countsForLtv = (s: OrderRow['status']) => s !== 'cancelled' && s !== 'refunded';
