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
import { visits } from './activity';
import { createdAt, id, instant, tenantId, updatedAt } from './columns';
import { customers } from './customers';
import { tenants } from './tenants';
import { users } from './users';

export const taskKind = pgEnum('task_kind', [
  'overdue_followup',
  'dormant_wakeup',
  'coupon',
  'order_review',
  'process_diagnosis',
]);
// open → acked → done; "resolved" = closed by the system (e.g. the rep followed up).
export const taskStatus = pgEnum('task_status', ['open', 'acked', 'done', 'resolved']);

// Cards (待办卡片). dedupe_key under a unique constraint makes every producer exactly-once.
export const tasks = pgTable(
  'tasks',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    kind: taskKind('kind').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    recipientId: uuid('recipient_id').notNull(),
    customerId: uuid('customer_id'),
    repId: uuid('rep_id'),
    visitId: uuid('visit_id'),
    status: taskStatus('status').notNull().default('open'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    dueAt: instant('due_at'),
    resolution: text('resolution'),
    actedById: uuid('acted_by_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    ackedAt: instant('acked_at'),
    doneAt: instant('done_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('tasks_dedupe_uq').on(t.tenantId, t.dedupeKey),
    foreignKey({ columns: [t.tenantId, t.recipientId], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.repId], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({ columns: [t.tenantId, t.visitId], foreignColumns: [visits.tenantId, visits.id] }),
    foreignKey({ columns: [t.tenantId, t.actedById], foreignColumns: [users.tenantId, users.id] }),
    index('tasks_recipient_idx').on(t.tenantId, t.recipientId, t.status, t.createdAt),
    index('tasks_customer_idx').on(t.tenantId, t.customerId, t.status),
    index('tasks_rep_idx').on(t.tenantId, t.repId),
    index('tasks_visit_idx').on(t.tenantId, t.visitId),
    index('tasks_acted_by_idx').on(t.tenantId, t.actedById),
  ],
);

export const deliveryChannel = pgEnum('delivery_channel', ['wecom', 'dingtalk', 'inapp']);
export const deliveryState = pgEnum('delivery_state', ['pending', 'sending', 'sent', 'failed']);

// Transactional outbox: written with the card, sent after commit by the outbox job.
export const deliveries = pgTable(
  'deliveries',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    taskId: uuid('task_id').notNull(),
    recipientId: uuid('recipient_id').notNull(),
    channel: deliveryChannel('channel').notNull(),
    state: deliveryState('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull().defaultNow(),
    /** Lease: a claimed row whose lease ran out is due again (the sender died). */
    leaseUntil: instant('lease_until'),
    /** Idempotency key handed to the platform (WeCom template_card task_id). */
    providerTaskId: text('provider_task_id'),
    providerMessageId: text('provider_message_id'),
    responseCode: text('response_code'),
    lastError: text('last_error'),
    sentAt: instant('sent_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.taskId], foreignColumns: [tasks.tenantId, tasks.id] }),
    foreignKey({ columns: [t.tenantId, t.recipientId], foreignColumns: [users.tenantId, users.id] }),
    uniqueIndex('deliveries_task_channel_uq').on(t.tenantId, t.taskId, t.channel),
    index('deliveries_task_idx').on(t.tenantId, t.taskId),
    index('deliveries_recipient_idx').on(t.tenantId, t.recipientId, t.channel, t.sentAt),
    index('deliveries_due_idx').on(t.nextAttemptAt).where(sql`state in ('pending', 'sending')`),
  ],
);

export const jobRunStatus = pgEnum('job_run_status', ['running', 'done', 'failed', 'skipped']);

// One row per (tenant, job, slot): the ledger that makes scheduled work exactly-once.
export const jobRuns = pgTable(
  'job_runs',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    job: text('job').notNull(),
    slot: instant('slot').notNull(),
    status: jobRunStatus('status').notNull().default('running'),
    instance: text('instance'),
    startedAt: instant('started_at').notNull(),
    finishedAt: instant('finished_at'),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    error: text('error'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('job_runs_slot_uq').on(t.tenantId, t.job, t.slot),
    index('job_runs_latest_idx').on(t.job, t.slot),
  ],
);

// Platform access tokens shared by every API instance (one gettoken per app, not per process).
export const platformTokens = pgTable(
  'platform_tokens',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    provider: text('provider').notNull(),
    appKey: text('app_key').notNull(),
    accessToken: text('access_token').notNull(),
    expiresAt: instant('expires_at').notNull(),
    fetchedAt: instant('fetched_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider, t.appKey] })],
);

// Dedupe ledger for everything that arrives by webhook (WeCom events, WeChat Pay notifications).
export const webhookEvents = pgTable(
  'webhook_events',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    source: text('source').notNull(),
    eventKey: text('event_key').notNull(),
    receivedAt: instant('received_at').notNull(),
    payload: jsonb('payload'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.source, t.eventKey] })],
);
