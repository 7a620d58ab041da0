// Ingestion for connectors and the CSV import (the same code path): validate each item on
// its own, resolve customers in bulk, upsert set-based, keep the customer caches (LTV,
// order count, last interaction, last rep touch) current in the same transaction.
import { INGEST_MAX_ITEMS, type IngestResult } from '@crm/contract';
import type { DbOrTx } from '@crm/db';
import type { AppDeps } from '../../deps';
import { AppError } from '../../shared/errors';
import { runStoreRules } from '../signals/store-rules.service';
import { onRepTouch } from '../visits/rep-touch';
import { applyPendingPayments } from '../webhooks/wechatpay.service';
import { createCustomersForKeys, keyOf, resolveCustomers } from './customer-resolve.repo';
import {
  bumpInteractions,
  closePromisesByChats,
  planForBatches,
  recomputeOrderRollups,
  resolveUsers,
  tenantContext,
  upsertProducts,
  upsertRows,
} from './ingest.repo';
import {
  type ChatRow,
  type OrderRow,
  type Prepared,
  prepareAll,
  prepareChat,
  prepareOrder,
  prepareTicket,
  type Rejection,
  type TicketRow,
} from './ingest-items.rules';

export type IngestKind = 'orders' | 'tickets' | 'chats';
type Deps = Pick<AppDeps, 'db' | 'clock' | 'logger'>;
type Tenant = Awaited<ReturnType<typeof tenantContext>>;

const PREPARE = { orders: prepareOrder, tickets: prepareTicket, chats: prepareChat } as const;

export function checkBatchSize(items: unknown[], max = INGEST_MAX_ITEMS) {
  if (items.length > max)
    throw new AppError('PAYLOAD_TOO_LARGE', `At most ${max} items per call; this one has ${items.length}`, {
      field: 'items',
    });
}

/** Splits prepared items into those whose customer is known (with its id) and rejections. */
async function withCustomers<R>(
  db: DbOrTx,
  now: Date,
  tenantId: string,
  tenant: Tenant,
  kind: IngestKind,
  prepared: Prepared<R>[],
  rejected: Rejection[],
): Promise<(Prepared<R> & { customerId: string })[]> {
  const keys = prepared.map((p) => p.customer);
  const found = await resolveCustomers(db, tenantId, keys);
  const out: (Prepared<R> & { customerId: string })[] = [];
  const unknown: Prepared<R>[] = [];
  for (const p of prepared) {
    const id = found.get(keyOf(p.customer));
    if (id) out.push({ ...p, customerId: id });
    else unknown.push(p);
  }
  // Orders may create their customers when the tenant says so (only from a phone or e-mail).
  const creatable =
    kind === 'orders' && tenant.createCustomersFromOrders ? unknown.filter((p) => p.customer.kind !== 'id') : [];
  if (creatable.length > 0) {
    const created = await createCustomersForKeys(
      db,
      tenantId,
      creatable.map((p) => p.customer),
      now,
    );
    for (const p of creatable) {
      const id = created.get(keyOf(p.customer));
      if (id) out.push({ ...p, customerId: id });
    }
  }
  const placed = new Set(out.map((p) => p.index));
  for (const p of unknown)
    if (!placed.has(p.index))
      rejected.push({
        index: p.index,
        externalId: p.externalId,
        code: 'UNKNOWN_CUSTOMER',
        message: `no customer with ${p.customer.kind === 'id' ? 'id' : p.customer.kind} "${p.customer.raw}" in this tenant`,
        field: `customer.${p.customer.kind === 'id' ? 'customerId' : p.customer.kind}`,
      });
  return out;
}

/** IngestResult, with the rejections' internal details (the HTTP schema leaves them out). */
export type IngestOutcome = Omit<IngestResult, 'rejected'> & { rejected: Rejection[] };

const result = (inserted: number, updated: number, total: number, rejected: Rejection[]): IngestOutcome => ({
  inserted,
  updated,
  unchanged: total - inserted - updated,
  rejected: rejected.sort((a, b) => a.index - b.index),
});

/**
 * What to do with the work that follows a committed batch (store rules: coupon and order-review
 * cards). By default it is awaited; the CSV import hands a scheduler so that it overlaps the
 * next batch.
 */
export type IngestOptions = {
  afterCommit?: (work: () => Promise<void>) => void;
  /** The batch already validated by prepareBatch (the CSV import does it while the previous batch is written). */
  prepared?: PreparedBatch;
  /**
   * Orders only: awaited just before the batch's rows are written, and called once they are.
   * The CSV import overlaps two batches and uses these to write their rows in file order, so
   * the later row of an externalId still wins (the later batch then waits for the earlier
   * one's row locks, i.e. its commit).
   */
  beforeWrite?: () => Promise<void>;
  afterWrite?: () => void;
};

/** A batch validated and converted, before any write: the CPU half of ingestion. */
export type PreparedBatch = {
  kind: IngestKind;
  now: Date;
  tenant: Tenant;
  ok: Prepared<unknown>[];
  rejected: Rejection[];
};

/** Validates and converts a batch: no database, so it can run while another batch is being written. */
export function prepareBatch(kind: IngestKind, items: unknown[], tenant: Tenant, now: Date): PreparedBatch {
  const { ok, rejected } = prepareAll<unknown>(items, PREPARE[kind], {
    timeZone: tenant.timeZone,
    now,
  });
  return { kind, now, tenant, ok, rejected };
}

/** The prepared batch handed in, or this one prepared now. */
async function preparedFor<R>(
  deps: Deps,
  tenantId: string,
  kind: IngestKind,
  items: unknown[],
  opts: IngestOptions,
): Promise<{ now: Date; tenant: Tenant; ok: Prepared<R>[]; rejected: Rejection[] }> {
  const given = opts.prepared;
  if (given && given.kind !== kind) throw new Error(`a prepared ${given.kind} batch handed to ${kind} ingestion`);
  const batch = given ?? prepareBatch(kind, items, await tenantContext(deps.db, tenantId), deps.clock.now());
  return batch as unknown as { now: Date; tenant: Tenant; ok: Prepared<R>[]; rejected: Rejection[] };
}

export async function ingestOrders(
  deps: Deps,
  tenantId: string,
  items: unknown[],
  opts: IngestOptions = {},
): Promise<IngestOutcome> {
  const { now, tenant, ok, rejected } = await preparedFor<OrderRow>(deps, tenantId, 'orders', items, opts);
  const { res, changedIds, customerIds, addressed } = await deps.db.transaction(async (tx) => {
    await planForBatches(tx);
    const ready = await withCustomers(tx, now, tenantId, tenant, 'orders', ok, rejected);
    const named = ready.flatMap((p) => (p.row.product ? [p.row.product] : []));
    const products = named.length > 0 ? await upsertProducts(tx, tenantId, named) : new Map<string, string>();
    const rows = ready.map((p) => ({
      source: p.source,
      external_id: p.externalId,
      customer_id: p.customerId,
      product_id: p.row.productSku ? (products.get(p.row.productSku) ?? null) : null,
      amount_cents: p.row.amountCents,
      currency: 'CNY',
      status: p.row.status,
      fulfilment_score: p.row.fulfilmentScore,
      ordered_at: p.row.orderedAt,
      paid_at: p.row.paidAt,
      ship_address: p.row.shipAddress,
    }));
    await opts.beforeWrite?.();
    let out: Awaited<ReturnType<typeof upsertRows>>;
    try {
      out = await upsertRows(tx, 'orders', tenantId, rows, now);
    } finally {
      opts.afterWrite?.();
    }
    await recomputeOrderRollups(tx, tenantId, out.touchedCustomers, now);
    // A WeChat Pay notification may have arrived before its order: apply it now, atomically.
    // The upsert already named the changed orders such a payment waits for (usually none).
    if (out.paying.length > 0) await applyPendingPayments(tx, tenantId, out.paying, now, deps.logger);
    // The rows with an address (changed or not: a day re-read for nothing only costs a read).
    const addressed = ready.flatMap((p) =>
      p.row.shipAddress ? [{ orderedAt: p.row.orderedAt, shipAddress: p.row.shipAddress }] : [],
    );
    return {
      res: result(out.inserted, out.updated, ready.length, rejected),
      changedIds: out.changedIds,
      customerIds: out.touchedCustomers,
      addressed,
    };
  });
  // Store rules (coupon, anomalous-order review) read committed orders and create cards
  // deduped by key; a failure there must not undo an ingestion that already committed.
  const storeRules = async () => {
    try {
      // The whole batch at once: runStoreRules is a fixed handful of statements whatever its size.
      await runStoreRules(deps.db, { tenantId, orderIds: changedIds, customerIds, addressed, now });
    } catch (err) {
      deps.logger.error({ err, tenantId }, 'store rules failed after order ingestion');
    }
  };
  if (changedIds.length > 0) {
    if (opts.afterCommit) opts.afterCommit(storeRules);
    else await storeRules();
  }
  return res;
}

export async function ingestTickets(
  deps: Deps,
  tenantId: string,
  items: unknown[],
  opts: IngestOptions = {},
): Promise<IngestOutcome> {
  const { now, tenant, ok, rejected } = await preparedFor<TicketRow>(deps, tenantId, 'tickets', items, opts);
  return deps.db.transaction(async (tx) => {
    await planForBatches(tx);
    const ready = await withCustomers(tx, now, tenantId, tenant, 'tickets', ok, rejected);
    const rows = ready.map((p) => ({
      source: p.source,
      external_id: p.externalId,
      customer_id: p.customerId,
      subject: p.row.subject,
      status: p.row.status,
      priority: p.row.priority,
      opened_at: p.row.openedAt,
      closed_at: p.row.closedAt,
    }));
    const out = await upsertRows(tx, 'tickets', tenantId, rows, now);
    await bumpInteractions(
      tx,
      tenantId,
      latestPerCustomer(ready.map((p) => ({ c: p.customerId, at: p.row.openedAt, rep: false }))),
      now,
    );
    return result(out.inserted, out.updated, ready.length, rejected);
  });
}

export async function ingestChats(
  deps: Deps,
  tenantId: string,
  items: unknown[],
  opts: IngestOptions = {},
): Promise<IngestOutcome> {
  const { now, tenant, ok, rejected } = await preparedFor<ChatRow>(deps, tenantId, 'chats', items, opts);
  const users = await resolveUsers(
    deps.db,
    tenantId,
    ok.flatMap((p) => (p.row.userId ? [p.row.userId] : [])),
    ok.flatMap((p) => (p.row.wecomUserId ? [p.row.wecomUserId] : [])),
  );
  const known = ok.filter((p) => {
    const { userId, wecomUserId } = p.row;
    const resolved = userId
      ? users.byId.has(userId)
        ? userId
        : null
      : wecomUserId
        ? (users.byWecom.get(wecomUserId) ?? null)
        : null;
    if ((userId || wecomUserId) && !resolved) {
      rejected.push({
        index: p.index,
        externalId: p.externalId,
        code: 'UNKNOWN_USER',
        message: `no user ${userId ?? wecomUserId} in this tenant`,
        field: userId ? 'userId' : 'wecomUserId',
      });
      return false;
    }
    p.row.userId = resolved;
    return true;
  });
  return deps.db.transaction(async (tx) => {
    await planForBatches(tx);
    const ready = await withCustomers(tx, now, tenantId, tenant, 'chats', known, rejected);
    const rows = ready.map((p) => ({
      source: p.source,
      external_id: p.externalId,
      customer_id: p.customerId,
      user_id: p.row.userId,
      direction: p.row.direction,
      content: p.row.content,
      sent_at: p.row.sentAt,
    }));
    const out = await upsertRows(tx, 'chat_messages', tenantId, rows, now);
    await bumpInteractions(
      tx,
      tenantId,
      latestPerCustomer(ready.map((p) => ({ c: p.customerId, at: p.row.sentAt, rep: p.row.direction === 'out' }))),
      now,
    );
    // An outgoing chat is a rep touch: it closes promises and settles overdue cards.
    const touched = [...new Set(ready.filter((p) => p.row.direction === 'out').map((p) => p.customerId))];
    await closePromisesByChats(tx, tenantId, touched, tenant.overdueHours, now);
    await onRepTouch(tx, { tenantId, customerIds: touched, timeZone: tenant.timeZone, now });
    return result(out.inserted, out.updated, ready.length, rejected);
  });
}

/** Per customer: the latest event (dormancy) and the latest rep-side event (promises). */
export function latestPerCustomer(events: { c: string; at: Date; rep: boolean }[]) {
  const m = new Map<string, { customerId: string; any: Date | null; rep: Date | null }>();
  for (const e of events) {
    const cur = m.get(e.c) ?? { customerId: e.c, any: null, rep: null };
    if (!cur.any || e.at > cur.any) cur.any = e.at;
    if (e.rep && (!cur.rep || e.at > cur.rep)) cur.rep = e.at;
    m.set(e.c, cur);
  }
  // In id order: concurrent batches then lock shared customers in the same order (no deadlock).
  return [...m.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}

export const INGESTERS = { orders: ingestOrders, tickets: ingestTickets, chats: ingestChats } as const;
