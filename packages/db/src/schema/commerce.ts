import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, fen, id, instant, tenantId, updatedAt } from './columns';
import { customers } from './customers';
import { tenants } from './tenants';

export const products = pgTable(
  'products',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    category: text('category').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('products_sku_uq').on(t.tenantId, t.sku)],
);

export const season = pgEnum('season', ['spring', 'summer', 'autumn', 'winter']);

// Seasonal usage tips per product category (used by the Friday wake-up pack).
export const seasonalTips = pgTable(
  'seasonal_tips',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    category: text('category').notNull(),
    season: season('season').notNull(),
    tip: text('tip').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('seasonal_tips_uq').on(t.tenantId, t.category, t.season),
  ],
);

export const orderStatus = pgEnum('order_status', ['pending', 'paid', 'fulfilled', 'cancelled', 'refunded']);

export const orders = pgTable(
  'orders',
  {
    // No separate FK to tenants: (tenant_id, customer_id) → customers already proves the
    // tenant, and a second per-row check cost ingestion ~5 µs a row (a third of the insert).
    tenantId: tenantId(),
    id: id(),
    source: text('source').notNull().default('default'),
    externalId: text('external_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    productId: uuid('product_id'),
    amountCents: fen('amount_cents').notNull(),
    currency: text('currency').notNull().default('CNY'),
    status: orderStatus('status').notNull().default('pending'),
    fulfilmentScore: smallint('fulfilment_score'),
    orderedAt: instant('ordered_at').notNull(),
    paidAt: instant('paid_at'),
    shipAddress: text('ship_address'),
    /**
     * The customer this order belonged to before it last moved to another one. Ingestion
     * reads it back from its upsert to recompute the figures of the customer an order left:
     * the upsert sees the row as committed by whichever batch wrote it last, where the
     * statement's snapshot may still show an older owner or no row at all.
     */
    movedFromCustomerId: uuid('moved_from_customer_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }),
    uniqueIndex('orders_external_uq').on(t.tenantId, t.source, t.externalId),
    index('orders_customer_idx').on(t.tenantId, t.customerId, t.orderedAt),
    // Only orders that name a product: the lookups by product (and the FK's checks) never
    // ask for null, and feeds without SKUs then cost one index write less per order.
    index('orders_product_idx').on(t.tenantId, t.productId).where(sql`${t.productId} is not null`),
    // The store rules' order review reads one local day's addressed orders across customers.
    index('orders_addressed_day_idx').on(t.tenantId, t.orderedAt).where(sql`${t.shipAddress} is not null`),
    check('orders_fulfilment_range', sql`${t.fulfilmentScore} between 0 and 100`),
    check('orders_amount_nonneg', sql`${t.amountCents} >= 0`),
  ],
);

export const paymentProvider = pgEnum('payment_provider', ['wechatpay', 'bank', 'erp']);

// Payments may arrive before their order: order_id stays null until it is known.
export const payments = pgTable(
  'payments',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    provider: paymentProvider('provider').notNull(),
    transactionId: text('transaction_id').notNull(),
    outTradeNo: text('out_trade_no').notNull(),
    orderId: uuid('order_id'),
    customerId: uuid('customer_id'),
    amountCents: fen('amount_cents').notNull(),
    currency: text('currency').notNull().default('CNY'),
    paidAt: instant('paid_at').notNull(),
    appliedAt: instant('applied_at'),
    raw: jsonb('raw'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    uniqueIndex('payments_transaction_uq').on(t.tenantId, t.provider, t.transactionId),
    index('payments_out_trade_no_idx').on(t.tenantId, t.outTradeNo),
    index('payments_order_idx').on(t.tenantId, t.orderId),
    index('payments_customer_idx').on(t.tenantId, t.customerId, t.paidAt),
  ],
);

export const competitorNews = pgTable(
  'competitor_news',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    competitor: text('competitor').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    sentiment: text('sentiment').notNull().default('negative'),
    industries: text('industries').array().notNull().default(sql`'{}'::text[]`),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    url: text('url'),
    publishedAt: instant('published_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('competitor_news_published_idx').on(t.tenantId, t.publishedAt),
  ],
);
