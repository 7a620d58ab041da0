// What a verified, decrypted WeChat Pay transaction does: a payment row (idempotent by
// transaction id), applied to its order when the amount matches — the order is paid, the
// linked opportunity gets a payment signal and is won. Payments for unknown orders wait
// in the table (order_id null) until order ingestion calls applyPendingPayments.
import { type DbOrTx, type Order, schema } from '@crm/db';
import { PAYMENT_SIGNAL } from '@crm/domain';
import { and, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import type { Logger } from 'pino';

export type WechatTransaction = {
  mchid?: string;
  out_trade_no: string;
  transaction_id: string;
  trade_state: string;
  success_time?: string;
  amount: { total: number; payer_total?: number; currency?: string };
  [k: string]: unknown;
};

export type RecordResult = { duplicate: boolean; applied: number; mismatched: number; pending: number };

/** Stores the payment once per transaction id and applies it if its order is known. */
export async function recordWechatPayment(
  tx: DbOrTx,
  tenantId: string,
  txn: WechatTransaction,
  now: Date,
  log?: Pick<Logger, 'warn'>,
): Promise<RecordResult> {
  const paidAt = txn.success_time ? new Date(txn.success_time) : now;
  const [payment] = await tx
    .insert(schema.payments)
    .values({
      tenantId,
      provider: 'wechatpay',
      transactionId: txn.transaction_id,
      outTradeNo: txn.out_trade_no,
      amountCents: txn.amount.total,
      currency: txn.amount.currency ?? 'CNY',
      paidAt: Number.isNaN(paidAt.getTime()) ? now : paidAt,
      raw: txn,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: schema.payments.id });
  if (!payment) return { duplicate: true, applied: 0, mismatched: 0, pending: 0 };
  const orders = await tx
    .select({ id: schema.orders.id })
    .from(schema.orders)
    .where(and(eq(schema.orders.tenantId, tenantId), eq(schema.orders.externalId, txn.out_trade_no)));
  if (orders.length === 0) return { duplicate: false, applied: 0, mismatched: 0, pending: 1 };
  const r = await applyPendingPayments(
    tx,
    tenantId,
    orders.map((o) => o.id),
    now,
    log,
  );
  return { duplicate: false, ...r, pending: 0 };
}

/**
 * Applies the waiting payments of these orders (matched by out_trade_no = externalId).
 * Order ingestion calls this, in its transaction, for the orders it inserted or updated.
 * A payment whose amount or currency differs from the order stays unapplied (and is
 * retried the next time the order is re-sent, e.g. after a correction).
 */
export async function applyPendingPayments(
  tx: DbOrTx,
  tenantId: string,
  orderIds: string[],
  now: Date = new Date(),
  log?: Pick<Logger, 'warn'>,
): Promise<{ applied: number; mismatched: number }> {
  if (orderIds.length === 0) return { applied: 0, mismatched: 0 };
  const orders = await tx
    .select()
    .from(schema.orders)
    .where(and(eq(schema.orders.tenantId, tenantId), inArray(schema.orders.id, orderIds)));
  const byExternal = new Map<string, Order>();
  // Several sources may share an external id; the first stored order wins, deterministically.
  for (const o of [...orders].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()))
    if (!byExternal.has(o.externalId)) byExternal.set(o.externalId, o);
  if (byExternal.size === 0) return { applied: 0, mismatched: 0 };
  const waiting = await tx
    .select()
    .from(schema.payments)
    .where(
      and(
        eq(schema.payments.tenantId, tenantId),
        inArray(schema.payments.outTradeNo, [...byExternal.keys()]),
        isNull(schema.payments.appliedAt),
      ),
    );
  let applied = 0;
  let mismatched = 0;
  for (const p of waiting) {
    const order = byExternal.get(p.outTradeNo)!;
    if (p.amountCents !== order.amountCents || p.currency !== order.currency) {
      mismatched += 1;
      log?.warn(
        { paymentId: p.id, orderId: order.id, paid: p.amountCents, expected: order.amountCents },
        'payment amount does not match its order; left unapplied',
      );
      continue;
    }
    await applyOne(tx, tenantId, p, order, now);
    applied += 1;
  }
  return { applied, mismatched };
}

async function applyOne(tx: DbOrTx, tenantId: string, p: typeof schema.payments.$inferSelect, order: Order, now: Date) {
  await tx
    .update(schema.payments)
    .set({ orderId: order.id, customerId: order.customerId, appliedAt: now })
    .where(and(eq(schema.payments.tenantId, tenantId), eq(schema.payments.id, p.id)));
  if (order.status === 'pending')
    await tx
      .update(schema.orders)
      .set({ status: 'paid', paidAt: order.paidAt ?? p.paidAt, updatedAt: now })
      .where(and(eq(schema.orders.tenantId, tenantId), eq(schema.orders.id, order.id)));
  const opps = await tx
    .select()
    .from(schema.opportunities)
    .where(
      and(eq(schema.opportunities.tenantId, tenantId), eq(schema.opportunities.orderExternalId, order.externalId)),
    );
  for (const opp of opps) {
    await tx
      .insert(schema.signals)
      .values({
        tenantId,
        opportunityId: opp.id,
        customerId: opp.customerId,
        level: PAYMENT_SIGNAL.level,
        kind: PAYMENT_SIGNAL.kind,
        confidence: PAYMENT_SIGNAL.confidence,
        status: 'confirmed',
        source: 'payment',
        evidence: `WeChat Pay ${p.transactionId}: ${p.amountCents} fen`,
        sourceRef: p.transactionId,
        confirmedAt: now,
        observedAt: p.paidAt,
        createdAt: now,
      })
      .onConflictDoNothing();
  }
  if (opps.length > 0)
    await tx
      .update(schema.opportunities)
      .set({ stage: 'won', closedAt: p.paidAt, updatedAt: now })
      .where(
        and(
          eq(schema.opportunities.tenantId, tenantId),
          inArray(
            schema.opportunities.id,
            opps.map((o) => o.id),
          ),
          notInArray(schema.opportunities.stage, ['won', 'lost']),
        ),
      );
}

/** The tenant a notification belongs to when its URL does not say: the one owning the order, or the only tenant. */
export async function resolveTenant(db: DbOrTx, outTradeNo: string): Promise<string | undefined> {
  const owners = await db
    .selectDistinct({ tenantId: schema.orders.tenantId })
    .from(schema.orders)
    .where(eq(schema.orders.externalId, outTradeNo))
    .limit(2);
  if (owners.length === 1) return owners[0]!.tenantId;
  if (owners.length > 1) return undefined;
  const tenants = await db.select({ tenantId: schema.tenants.tenantId }).from(schema.tenants).limit(2);
  return tenants.length === 1 ? tenants[0]!.tenantId : undefined;
}

export async function tenantBySlug(db: DbOrTx, slug: string): Promise<string | undefined> {
  const [row] = await db
    .select({ tenantId: schema.tenants.tenantId })
    .from(schema.tenants)
    .where(eq(schema.tenants.slug, slug))
    .limit(1);
  return row?.tenantId;
}
