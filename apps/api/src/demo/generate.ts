// The deterministic demo tenant: same seed + same `now` → the same rows, ids included.
import { generateActivity, planLastVisit } from './activity';
import { generateCatalogue } from './catalogue';
import { generateCustomers } from './customers';
import { generateKb, generateNews } from './news';
import { countsForLtv, generateOrders } from './orders';
import { DEMO_NAME, DEMO_SLUG, generateTenant, generateUsers } from './people';
import { generatePipeline } from './pipeline';
import { createRng, DAY } from './prng';
import type { DemoDataset, DemoOptions, GenContext } from './types';

export const DEMO_SEED = 20_240_601;
export const DEMO_CUSTOMERS = 5_000;
export const DEMO_REPS = 45;

export function generateDemo(opts: DemoOptions): DemoDataset {
  const now = opts.now.getTime();
  if (Number.isNaN(now)) throw new Error('generateDemo: now is not a valid date');
  const rng = createRng(opts.seed ?? DEMO_SEED);
  // The tenant id is drawn first even when given, so every other row stays the same.
  const drawnTenantId = rng.uuid();
  const ctx: GenContext = { rng, now, tenantId: opts.tenantId ?? drawnTenantId };
  const total = opts.customers ?? DEMO_CUSTOMERS;
  const setUpAt = now - 1_000 * DAY;

  const tenants = generateTenant(ctx, {
    slug: opts.slug ?? DEMO_SLUG,
    name: opts.name ?? DEMO_NAME,
    createdAt: setUpAt,
  });
  const { users, teams } = generateUsers(ctx, opts.reps ?? DEMO_REPS, setUpAt);
  const repIds = teams.flatMap((t) => t.repIds);
  const supervisorOf = new Map(teams.flatMap((t) => t.repIds.map((r) => [r, t.supervisorId] as const)));
  const { customers, identities, plans } = generateCustomers(ctx, total, repIds);
  const { products, seasonalTips, catalogue } = generateCatalogue(ctx, setUpAt);
  for (const plan of plans) planLastVisit(ctx, plan);
  const orders = generateOrders(ctx, plans, catalogue, (p) => p.interactionsUntil);
  const { visits, chatMessages, tickets } = generateActivity(ctx, plans);
  const pipeline = generatePipeline(ctx, plans, supervisorOf, Math.round(total * 0.12));
  const competitorNews = generateNews(ctx);
  const kbArticles = generateKb(ctx, setUpAt);

  const data: DemoDataset = {
    tenants,
    users,
    customers,
    customerIdentities: identities,
    products,
    seasonalTips,
    orders,
    tickets,
    chatMessages,
    visits,
    ...pipeline,
    competitorNews,
    kbArticles,
  };
  applyCachedColumns(data);
  return data;
}

/** Fills the customers' cached columns from the generated rows, exactly as ingestion would. */
export function applyCachedColumns(data: DemoDataset): void {
  type Cache = { ltv: number; orders: number; last: number; rep: number };
  const cache = new Map<string, Cache>();
  const get = (id: string) => {
    let c = cache.get(id);
    if (!c) {
      c = { ltv: 0, orders: 0, last: 0, rep: 0 };
      cache.set(id, c);
    }
    return c;
  };
  const touch = (id: string, at: Date, byRep: boolean) => {
    const c = get(id);
    c.last = Math.max(c.last, at.getTime());
    if (byRep) c.rep = Math.max(c.rep, at.getTime());
  };
  for (const o of data.orders) {
    const c = get(o.customerId);
    if (countsForLtv(o.status)) {
      c.ltv += o.amountCents;
      c.orders++;
    }
    touch(o.customerId, o.orderedAt, false);
  }
  for (const v of data.visits) touch(v.customerId, v.occurredAt, true);
  for (const m of data.chatMessages) touch(m.customerId, m.sentAt, m.direction === 'out');
  for (const t of data.tickets) touch(t.customerId, t.openedAt, false);
  for (const cu of data.customers) {
    const c = cache.get(cu.id!);
    cu.ltvCents = c?.ltv ?? 0;
    cu.orderCount = c?.orders ?? 0;
    cu.lastInteractionAt = c?.last ? new Date(c.last) : null;
    cu.lastRepTouchAt = c?.rep ? new Date(c.rep) : null;
  }
}

export function rowCounts(data: DemoDataset): Record<string, number> {
  return Object.fromEntries(Object.entries(data).map(([k, rows]) => [k, rows.length]));
}
