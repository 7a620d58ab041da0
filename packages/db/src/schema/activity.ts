import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, instant, tenantId, updatedAt } from './columns';
import { customers } from './customers';
import { tenants } from './tenants';
import { users } from './users';

export const actionType = pgEnum('action_type', [
  'needs_diagnosis',
  'solution_demo',
  'objection_handling',
  'service_followup',
]);
export const promiseStatus = pgEnum('promise_status', ['open', 'kept', 'late']);

// The three-field record: customer, core need, promised next contact.
export const visits = pgTable(
  'visits',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    customerId: uuid('customer_id').notNull(),
    repId: uuid('rep_id').notNull(),
    coreNeed: text('core_need').notNull(),
    nextContactAt: instant('next_contact_at').notNull(),
    occurredAt: instant('occurred_at').notNull(),
    /** When the server received it: recorded_at − occurred_at is the recording delay. */
    recordedAt: instant('recorded_at').notNull().defaultNow(),
    actionType: actionType('action_type'),
    channel: text('channel'),
    location: text('location'),
    clientId: text('client_id'),
    promiseStatus: promiseStatus('promise_status').notNull().default('open'),
    promiseClosedAt: instant('promise_closed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.repId], foreignColumns: [users.tenantId, users.id] }),
    index('visits_customer_idx').on(t.tenantId, t.customerId, t.occurredAt),
    index('visits_rep_idx').on(t.tenantId, t.repId, t.occurredAt),
    uniqueIndex('visits_client_uq').on(t.tenantId, t.clientId),
    // The overdue sweep reads only open promises, whatever the size of the history.
    index('visits_open_promise_idx').on(t.tenantId, t.nextContactAt).where(sql`promise_status = 'open'`),
    // …and its incremental pass also picks open promises recorded since the previous run
    // (a visit synced late whose promise was already overdue when it arrived).
    index('visits_open_recorded_idx').on(t.tenantId, t.recordedAt).where(sql`promise_status = 'open'`),
  ],
);

export const tickets = pgTable(
  'tickets',
  {
    // No separate FK to tenants: (tenant_id, customer_id) → customers already proves the
    // tenant, and a second per-row check cost ingestion ~5 µs a row (a third of the insert).
    tenantId: tenantId(),
    id: id(),
    source: text('source').notNull().default('default'),
    externalId: text('external_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    subject: text('subject').notNull(),
    status: text('status').notNull().default('open'),
    priority: text('priority'),
    openedAt: instant('opened_at').notNull(),
    closedAt: instant('closed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    uniqueIndex('tickets_external_uq').on(t.tenantId, t.source, t.externalId),
    index('tickets_customer_idx').on(t.tenantId, t.customerId, t.openedAt),
  ],
);

export const chatDirection = pgEnum('chat_direction', ['in', 'out']);

// Authorised WeCom chat archive (会话存档) and other chat sources.
export const chatMessages = pgTable(
  'chat_messages',
  {
    // No separate FK to tenants: (tenant_id, customer_id) → customers already proves the
    // tenant, and a second per-row check cost ingestion ~5 µs a row (a third of the insert).
    tenantId: tenantId(),
    id: id(),
    source: text('source').notNull().default('default'),
    externalId: text('external_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    userId: uuid('user_id'),
    direction: chatDirection('direction').notNull(),
    content: text('content').notNull(),
    sentAt: instant('sent_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }),
    uniqueIndex('chat_messages_external_uq').on(t.tenantId, t.source, t.externalId),
    index('chat_messages_customer_idx').on(t.tenantId, t.customerId, t.sentAt),
    index('chat_messages_user_idx').on(t.tenantId, t.userId),
  ],
);

export const kbArticles = pgTable(
  'kb_articles',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    hits: smallint('hits').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), check('kb_hits_nonneg', sql`${t.hits} >= 0`)],
);
