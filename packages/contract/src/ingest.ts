import { type Static, Type } from 'typebox';
import { Uuid } from './common';

export const INGEST_MAX_ITEMS = 1000;

const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });
/** ISO with offset, "2024/6/7 10:00" (tenant time zone) or an Excel serial. */
const When = Type.Union([Text(40, 1), Type.Number()]);

export const IngestCustomerRef = Type.Object(
  {
    phone: Type.Optional(Text(64, 1)),
    email: Type.Optional(Text(254, 3)),
    customerId: Type.Optional(Uuid),
    /** Used only when the tenant creates customers from orders. */
    name: Type.Optional(Text(100, 1)),
    org: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);

const Common = {
  externalId: Text(100, 1),
  /** The connector; externalId is unique per source. */
  source: Type.Optional(Text(40, 1)),
  customer: IngestCustomerRef,
};

export const OrderStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('paid'),
  Type.Literal('fulfilled'),
  Type.Literal('cancelled'),
  Type.Literal('refunded'),
]);

export const IngestOrderItem = Type.Object(
  {
    ...Common,
    amountCents: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Text(20, 1)])),
    /** Alternative to amountCents: yuan as text ("¥1,234.50"), converted exactly or rejected. */
    amount: Type.Optional(Type.Union([Text(30, 1), Type.Number()])),
    currency: Type.Optional(Type.Literal('CNY')),
    orderedAt: When,
    paidAt: Type.Optional(When),
    status: Type.Optional(OrderStatus),
    fulfilmentScore: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()])),
    shipAddress: Type.Optional(Text(300)),
    product: Type.Optional(
      Type.Object({ sku: Text(64, 1), name: Text(200, 1), category: Text(100, 1) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type IngestOrderItem = Static<typeof IngestOrderItem>;

export const IngestTicketItem = Type.Object(
  {
    ...Common,
    subject: Text(300, 1),
    status: Type.Optional(Text(40, 1)),
    priority: Type.Optional(Text(40, 1)),
    openedAt: When,
    closedAt: Type.Optional(Type.Union([When, Type.Null()])),
  },
  { additionalProperties: false },
);
export type IngestTicketItem = Static<typeof IngestTicketItem>;

export const IngestChatItem = Type.Object(
  {
    ...Common,
    direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
    content: Text(4000, 1),
    sentAt: When,
    /** Our side of the conversation, by user id or WeCom userid. */
    userId: Type.Optional(Uuid),
    wecomUserId: Type.Optional(Text(64, 1)),
  },
  { additionalProperties: false },
);
export type IngestChatItem = Static<typeof IngestChatItem>;

/** Each item is validated on its own, so the batch schema only bounds its size. */
export const IngestBatch = Type.Array(Type.Unknown(), { minItems: 0 });

export const IngestRejection = Type.Object({
  index: Type.Integer(),
  externalId: Type.Optional(Type.String()),
  code: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});
export type IngestRejection = Static<typeof IngestRejection>;

export const IngestResult = Type.Object({
  inserted: Type.Integer(),
  updated: Type.Integer(),
  /** Re-sent items identical to what is stored: nothing changed. */
  unchanged: Type.Integer(),
  rejected: Type.Array(IngestRejection),
});
export type IngestResult = Static<typeof IngestResult>;
