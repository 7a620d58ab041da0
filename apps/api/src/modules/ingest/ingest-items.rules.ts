// Per-item validation and conversion of connector items into rows. Each item stands
// alone: a bad one becomes a rejection with its index, the others go on.
import { IngestChatItem, IngestOrderItem, type IngestRejection, IngestTicketItem } from '@crm/contract';
import { parseFen, parseInstant, parseYuanToFen } from '@crm/domain';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { findNul, nulMessage } from '../../shared/text-hygiene';
import { emailKey, phoneKey } from './identity.adapter';

export type CustomerRef = { customerId?: string; phone?: string; email?: string; name?: string; org?: string };
/** How the item names its customer, normalised: the first usable of id, phone, e-mail. */
export type CustomerKey = {
  kind: 'id' | 'phone' | 'email';
  value: string;
  name?: string | undefined;
  org?: string | undefined;
  raw: string;
};

export type Prepared<R> = { index: number; source: string; externalId: string; customer: CustomerKey; row: R };
/** supersededBy (internal, not sent): the index of the later item with the same key that was kept. */
export type Rejection = IngestRejection & { supersededBy?: number };

export class ItemError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type Ctx = { timeZone: string; now: Date };
const FUTURE_SLACK_MS = 24 * 3_600_000;

function when(value: string | number, field: string, ctx: Ctx): Date {
  const r = parseInstant(value, ctx.timeZone);
  if (!r.ok) throw new ItemError('INVALID_DATE', `${field}: ${r.message}`, field);
  if (r.at.getTime() > ctx.now.getTime() + FUTURE_SLACK_MS)
    throw new ItemError('INVALID_DATE', `${field} ${String(value)} is in the future`, field);
  return r.at;
}

function customerKey(ref: CustomerRef): CustomerKey {
  const extra = { name: ref.name?.trim() || undefined, org: ref.org?.trim() || undefined };
  if (ref.customerId) return { kind: 'id', value: ref.customerId.toLowerCase(), raw: ref.customerId, ...extra };
  if (ref.phone) {
    const key = phoneKey(ref.phone);
    if (key) return { kind: 'phone', value: key, raw: ref.phone, ...extra };
    if (!ref.email)
      throw new ItemError(
        'INVALID_PHONE',
        `customer.phone "${ref.phone}" is not a usable phone number`,
        'customer.phone',
      );
  }
  if (ref.email) {
    const key = emailKey(ref.email);
    if (key) return { kind: 'email', value: key, raw: ref.email, ...extra };
    throw new ItemError('INVALID_EMAIL', `customer.email "${ref.email}" is not an e-mail address`, 'customer.email');
  }
  throw new ItemError('VALIDATION_FAILED', 'customer needs a phone, an email or a customerId', 'customer');
}

const compiled = new Map<TSchema, ReturnType<typeof Compile>>();
function check(schema: TSchema, item: unknown) {
  let v = compiled.get(schema);
  if (!v) {
    v = Compile(schema);
    compiled.set(schema, v);
  }
  if (v.Check(item)) return;
  const errors = [...v.Errors(item)];
  const first = errors[0];
  const params = (first?.params ?? {}) as { requiredProperties?: string[]; additionalProperties?: string[] };
  const base = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const leaf = params.requiredProperties?.[0] ?? params.additionalProperties?.[0];
  const field = leaf ? (base ? `${base}.${leaf}` : leaf) : base || undefined;
  // A union of literals (status, direction, currency) fails once per member: name them all.
  const allowed = errors
    .filter((e) => e.keyword === 'const' && e.instancePath === first?.instancePath)
    .map((e) => JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue));
  const msg =
    first?.keyword === 'required'
      ? `${field} is required`
      : first?.keyword === 'additionalProperties'
        ? `${field} is not an accepted field`
        : allowed.length > 0
          ? `${field ?? 'item'} must be one of ${allowed.join(', ')}`
          : `${field ?? 'item'} ${first?.message ?? 'is invalid'}`;
  throw new ItemError('VALIDATION_FAILED', msg, field);
}

export type OrderRow = {
  productSku: string | null;
  product: { sku: string; name: string; category: string } | null;
  amountCents: number;
  status: 'pending' | 'paid' | 'fulfilled' | 'cancelled' | 'refunded';
  fulfilmentScore: number | null;
  orderedAt: Date;
  paidAt: Date | null;
  shipAddress: string | null;
};

function amountOf(item: IngestOrderItem): number {
  const parsed = [
    item.amountCents !== undefined ? { field: 'amountCents', r: parseFen(item.amountCents) } : null,
    item.amount !== undefined ? { field: 'amount', r: parseYuanToFen(item.amount) } : null,
  ].filter((x) => x !== null);
  if (parsed.length === 0)
    throw new ItemError('VALIDATION_FAILED', 'amountCents (or amount in yuan) is required', 'amountCents');
  for (const p of parsed) if (!p.r.ok) throw new ItemError('INVALID_AMOUNT', `${p.field}: ${p.r.message}`, p.field);
  const values = parsed.map((p) => (p.r.ok ? p.r.fen : -1));
  if (values.length === 2 && values[0] !== values[1])
    throw new ItemError(
      'INVALID_AMOUNT',
      `amountCents ${values[0]} and amount ${String(item.amount)} disagree`,
      'amount',
    );
  return values[0] as number;
}

/** What every ingested item shares: its place in the batch, its source key and its customer. */
function envelope(
  item: { source?: string; externalId: string; customer: Parameters<typeof customerKey>[0] },
  index: number,
) {
  // Blank after trimming would become "" — one key every blank-id item of the source would
  // share, each silently overwriting the last one's order.
  const externalId = item.externalId.trim();
  if (!externalId) throw new ItemError('VALIDATION_FAILED', 'externalId must not be blank', 'externalId');
  const source = (item.source ?? 'default').trim();
  if (!source) throw new ItemError('VALIDATION_FAILED', 'source must not be blank', 'source');
  return { index, source, externalId, customer: customerKey(item.customer) };
}

export function prepareOrder(raw: unknown, index: number, ctx: Ctx): Prepared<OrderRow> {
  check(IngestOrderItem, raw);
  const item = raw as IngestOrderItem;
  return {
    ...envelope(item, index),
    row: {
      productSku: item.product?.sku ?? null,
      product: item.product ?? null,
      amountCents: amountOf(item),
      status: item.status ?? 'pending',
      fulfilmentScore: item.fulfilmentScore ?? null,
      orderedAt: when(item.orderedAt, 'orderedAt', ctx),
      paidAt: item.paidAt !== undefined ? when(item.paidAt, 'paidAt', ctx) : null,
      shipAddress: item.shipAddress?.trim() || null,
    },
  };
}

export type TicketRow = {
  subject: string;
  status: string;
  priority: string | null;
  openedAt: Date;
  closedAt: Date | null;
};

export function prepareTicket(raw: unknown, index: number, ctx: Ctx): Prepared<TicketRow> {
  check(IngestTicketItem, raw);
  const item = raw as IngestTicketItem;
  const openedAt = when(item.openedAt, 'openedAt', ctx);
  const closedAt = item.closedAt !== undefined && item.closedAt !== null ? when(item.closedAt, 'closedAt', ctx) : null;
  if (closedAt && closedAt < openedAt) throw new ItemError('INVALID_DATE', 'closedAt is before openedAt', 'closedAt');
  return {
    ...envelope(item, index),
    row: {
      subject: item.subject.trim(),
      status: item.status ?? 'open',
      priority: item.priority ?? null,
      openedAt,
      closedAt,
    },
  };
}

export type ChatRow = {
  direction: 'in' | 'out';
  content: string;
  sentAt: Date;
  userId: string | null;
  wecomUserId: string | null;
};

export function prepareChat(raw: unknown, index: number, ctx: Ctx): Prepared<ChatRow> {
  check(IngestChatItem, raw);
  const item = raw as IngestChatItem;
  return {
    ...envelope(item, index),
    row: {
      direction: item.direction,
      content: item.content,
      sentAt: when(item.sentAt, 'sentAt', ctx),
      userId: item.userId?.toLowerCase() ?? null,
      wecomUserId: item.wecomUserId ?? null,
    },
  };
}

/** Is there a U+0000 anywhere in the item (values or keys)? findNul then names where; this only answers, fast. */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const v of value) if (hasNul(v)) return true;
    return false;
  }
  for (const key in value) {
    if (key.includes('\u0000') || hasNul((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** Runs `prepare` on every item; bad ones become rejections. A re-sent externalId: the last one wins. */
export function prepareAll<R>(
  items: unknown[],
  prepare: (raw: unknown, index: number, ctx: Ctx) => Prepared<R>,
  ctx: Ctx,
): { ok: Prepared<R>[]; rejected: Rejection[] } {
  const rejected: Rejection[] = [];
  const byKey = new Map<string, Prepared<R>>();
  items.forEach((raw, index) => {
    try {
      // PostgreSQL text cannot hold U+0000: reject this item, not the batch.
      const nulAt = hasNul(raw) ? findNul(raw) : null;
      if (nulAt !== null) throw new ItemError('INVALID_TEXT', nulMessage(nulAt || 'item'), nulAt || undefined);
      const p = prepare(raw, index, ctx);
      const key = `${p.source}\u0000${p.externalId}`;
      const earlier = byKey.get(key);
      if (earlier)
        rejected.push({
          index: earlier.index,
          externalId: earlier.externalId,
          code: 'DUPLICATE_IN_BATCH',
          message: `externalId "${earlier.externalId}" appears again at index ${index}; the later item is kept`,
          supersededBy: index,
        });
      byKey.set(key, p);
    } catch (e) {
      if (!(e instanceof ItemError)) throw e;
      const externalId = (raw as { externalId?: unknown } | null)?.externalId;
      rejected.push({
        index,
        ...(typeof externalId === 'string' ? { externalId } : {}),
        code: e.code,
        message: e.message,
        ...(e.field ? { field: e.field } : {}),
      });
    }
  });
  return { ok: [...byKey.values()], rejected };
}
