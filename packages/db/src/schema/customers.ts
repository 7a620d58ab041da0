import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, fen, id, instant, tenantId, updatedAt } from './columns';
import { tenants } from './tenants';
import { users } from './users';

export type CustomerPhone = {
  e164: string | null;
  ext?: string | null;
  type?: 'cell' | 'work' | 'home' | 'fax' | null;
  raw: string;
  flags?: string[];
};

export const customers = pgTable(
  'customers',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    ownerId: uuid('owner_id').notNull(),
    name: text('name').notNull(),
    /** Pinyin initials and full pinyin of name and org, for search ("zw" finds 张伟). */
    searchKey: text('search_key').notNull().default(''),
    org: text('org'),
    dept: text('dept').array().notNull().default(sql`'{}'::text[]`),
    title: text('title'),
    industry: text('industry'),
    phones: jsonb('phones').$type<CustomerPhone[]>().notNull().default([]),
    emails: text('emails').array().notNull().default(sql`'{}'::text[]`),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    address: text('address'),
    note: text('note'),
    wechat: text('wechat'),
    /** The card as it was read at creation, for audit and re-parsing. */
    card: jsonb('card'),
    /** Cached by ingestion: sum of non-cancelled, non-refunded orders. */
    ltvCents: fen('ltv_cents').notNull().default(0),
    orderCount: integer('order_count').notNull().default(0),
    /** Any interaction (visit, chat either way, order, ticket): drives dormancy. */
    lastInteractionAt: instant('last_interaction_at'),
    /** Touches by the rep's side only (visit, call, outgoing chat): drives broken promises. */
    lastRepTouchAt: instant('last_rep_touch_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    index('customers_owner_idx').on(t.tenantId, t.ownerId),
    index('customers_dormant_idx').on(t.tenantId, t.lastInteractionAt, t.ltvCents),
    // No GIN on phones/emails (migration 0002 had two): the scanner's weak lookups read
    // customer_contact_keys (below). Ingestion updates LTV and last interaction on every batch,
    // never HOT (those columns are indexed), so a GIN here was maintained on every such update:
    // 10 rollups of 5,000 of 100k customers took 1.2-1.4 s with them, 0.9 s without, plus
    // pending-list flushes.
  ],
);

export type ContactKeyKind = 'phone' | 'email';

/**
 * Every phone (its e164) and e-mail (lower-cased) each customer lists, one row per key: the
 * scanner's weak lookups (a switchboard, a role mailbox are never identity rows) and the
 * search by a whole phone number read this instead of a GIN on customers.
 *
 * Written only by the triggers on customers of migration 0004 (customers_contact_keys_insert,
 * customers_contact_keys_update), which fire on insert and on updates of phones/emails, so the
 * per-batch LTV/interaction updates of customers never touch it. Never write it from the
 * application.
 */
export const customerContactKeys = pgTable(
  'customer_contact_keys',
  {
    tenantId: tenantId(),
    customerId: uuid('customer_id').notNull(),
    kind: text('kind').$type<ContactKeyKind>().notNull(),
    /** phone: the e164 of an element of customers.phones (null ones skipped); email: lower(email). */
    value: text('value').notNull(),
  },
  (t) => [
    // Lookups are (tenant, kind, value) → customers; customer_id last makes a key held by
    // several customers (a shared switchboard) one row per holder.
    primaryKey({ columns: [t.tenantId, t.kind, t.value, t.customerId] }),
    // The composite FK already proves the tenant (no FK to tenants: one more check per row).
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }).onDelete(
      'cascade',
    ),
    index('customer_contact_keys_customer_idx').on(t.tenantId, t.customerId),
    check('customer_contact_keys_kind', sql`${t.kind} in ('phone', 'email')`),
  ],
);

export const identityKind = pgEnum('identity_kind', ['phone', 'email', 'wecom_external', 'wechat', 'card_token']);

// The identity index the scanner matches against. Values are normalised
// (E.164 with ";ext=", lower-cased e-mail, …) and unique inside a tenant.
export const customerIdentities = pgTable(
  'customer_identities',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    customerId: uuid('customer_id').notNull(),
    kind: identityKind('kind').notNull(),
    value: text('value').notNull(),
    raw: text('raw'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }).onDelete(
      'cascade',
    ),
    uniqueIndex('customer_identities_value_uq').on(t.tenantId, t.kind, t.value),
    index('customer_identities_customer_idx').on(t.tenantId, t.customerId),
  ],
);
