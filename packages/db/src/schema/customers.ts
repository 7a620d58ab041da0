import { sql } from 'drizzle-orm';
import {
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
    // The scanner's weak lookups (a switchboard number, a role mailbox) read phones/emails
    // themselves, never identity rows: without these a card with only a switchboard scans
    // every customer of the tenant (1.2 s at 10^6 customers). crm_lower_emails is an
    // immutable SQL function created in migration 0002.
    index('customers_phones_gin').using('gin', t.phones.op('jsonb_path_ops')),
    index('customers_emails_lower_gin').using('gin', sql`crm_lower_emails(${t.emails})`),
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
