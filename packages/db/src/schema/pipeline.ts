import {
  doublePrecision,
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
import { createdAt, fen, id, instant, tenantId, updatedAt } from './columns';
import { customers } from './customers';
import { tenants } from './tenants';
import { users } from './users';

export const opportunityStage = pgEnum('opportunity_stage', [
  'lead',
  'qualified',
  'proposal',
  'negotiation',
  'won',
  'lost',
]);

export const opportunities = pgTable(
  'opportunities',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    customerId: uuid('customer_id').notNull(),
    ownerId: uuid('owner_id').notNull(),
    title: text('title').notNull(),
    amountCents: fen('amount_cents').notNull(),
    stage: opportunityStage('stage').notNull().default('lead'),
    expectedCloseAt: instant('expected_close_at'),
    /** 成功要素: success criteria confirmed by the customer, synced from the contract. */
    successCriteria: text('success_criteria'),
    successCriteriaConfirmedAt: instant('success_criteria_confirmed_at'),
    /** Order external id the opportunity turns into (payment signals follow it). */
    orderExternalId: text('order_external_id'),
    closedAt: instant('closed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    index('opportunities_customer_idx').on(t.tenantId, t.customerId),
    index('opportunities_owner_idx').on(t.tenantId, t.ownerId, t.amountCents),
  ],
);

export const contracts = pgTable(
  'contracts',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    opportunityId: uuid('opportunity_id').notNull(),
    externalId: text('external_id').notNull(),
    successCriteria: text('success_criteria'),
    confirmedByCustomerAt: instant('confirmed_by_customer_at'),
    signedAt: instant('signed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.opportunityId], foreignColumns: [opportunities.tenantId, opportunities.id] }),
    uniqueIndex('contracts_external_uq').on(t.tenantId, t.externalId),
    index('contracts_opportunity_idx').on(t.tenantId, t.opportunityId),
  ],
);

export const signalStatus = pgEnum('signal_status', ['candidate', 'confirmed', 'rejected']);
export const signalSource = pgEnum('signal_source', ['manual', 'email', 'payment', 'morning_scan']);

// Objective signals (and candidates awaiting a human) on an opportunity.
export const signals = pgTable(
  'signals',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    opportunityId: uuid('opportunity_id'),
    customerId: uuid('customer_id').notNull(),
    level: smallint('level').notNull(),
    kind: text('kind').notNull(),
    confidence: doublePrecision('confidence').notNull(),
    status: signalStatus('status').notNull(),
    source: signalSource('source').notNull(),
    evidence: text('evidence'),
    /** E-mail message id, payment transaction id …: one candidate per source item and kind. */
    sourceRef: text('source_ref'),
    createdById: uuid('created_by_id'),
    confirmedById: uuid('confirmed_by_id'),
    confirmedAt: instant('confirmed_at'),
    /** When the signal was observed (the morning scan posts yesterday's). */
    observedAt: instant('observed_at').notNull(),
    placedAt: instant('placed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.opportunityId], foreignColumns: [opportunities.tenantId, opportunities.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.createdById], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({ columns: [t.tenantId, t.confirmedById], foreignColumns: [users.tenantId, users.id] }),
    index('signals_opportunity_idx').on(t.tenantId, t.opportunityId),
    index('signals_customer_idx').on(t.tenantId, t.customerId, t.observedAt),
    index('signals_created_by_idx').on(t.tenantId, t.createdById),
    index('signals_confirmed_by_idx').on(t.tenantId, t.confirmedById),
    index('signals_status_idx').on(t.tenantId, t.status, t.createdAt),
    uniqueIndex('signals_source_ref_uq').on(t.tenantId, t.source, t.sourceRef, t.kind),
  ],
);

export const emails = pgTable(
  'emails',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    messageId: text('message_id').notNull(),
    fromAddress: text('from_address').notNull(),
    toAddresses: text('to_addresses').array().notNull(),
    subject: text('subject').notNull().default(''),
    body: text('body').notNull().default(''),
    sentAt: instant('sent_at').notNull(),
    customerId: uuid('customer_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    uniqueIndex('emails_message_uq').on(t.tenantId, t.messageId),
    index('emails_customer_idx').on(t.tenantId, t.customerId),
  ],
);
