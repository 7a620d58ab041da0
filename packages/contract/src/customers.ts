import { type Static, Type } from 'typebox';
import { IsoInstant, Uuid } from './common';

export const CustomerAccess = Type.Union([Type.Literal('full'), Type.Literal('limited')]);
export const OwnerRef = Type.Object({ id: Uuid, name: Type.String() });

export const CustomerPhoneOut = Type.Object({
  e164: Type.Union([Type.String(), Type.Null()]),
  ext: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  type: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  raw: Type.String(),
  flags: Type.Optional(Type.Array(Type.String())),
});

export const TimelineKind = Type.Union([
  Type.Literal('visit'),
  Type.Literal('order'),
  Type.Literal('ticket'),
  Type.Literal('chat'),
  Type.Literal('payment'),
  Type.Literal('signal'),
]);

export const TimelineItem = Type.Object({
  kind: TimelineKind,
  id: Uuid,
  at: IsoInstant,
  summary: Type.String(),
  status: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  amountCents: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  direction: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  channel: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  actionType: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  userId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  nextContactAt: Type.Optional(Type.Union([IsoInstant, Type.Null()])),
  fulfilmentScore: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  level: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  opportunityId: Type.Optional(Type.Union([Uuid, Type.Null()])),
});
export type TimelineItem = Static<typeof TimelineItem>;

export const RecentOrder = Type.Object({
  id: Uuid,
  externalId: Type.String(),
  orderedAt: IsoInstant,
  amountCents: Type.Integer(),
  status: Type.String(),
  fulfilmentScore: Type.Union([Type.Integer(), Type.Null()]),
});

export const OpportunityBrief = Type.Object({
  id: Uuid,
  title: Type.String(),
  amountCents: Type.Integer(),
  stage: Type.String(),
  expectedCloseAt: Type.Union([IsoInstant, Type.Null()]),
  /** Highest confirmed signal level (1–3), null without one. */
  topSignalLevel: Type.Union([Type.Integer(), Type.Null()]),
});

/** The unified view. `access: "limited"` carries id, name, org and owner only. */
export const CustomerView = Type.Object({
  id: Uuid,
  access: CustomerAccess,
  name: Type.String(),
  org: Type.Union([Type.String(), Type.Null()]),
  owner: OwnerRef,
  title: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  dept: Type.Optional(Type.Array(Type.String())),
  industry: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  phones: Type.Optional(Type.Array(CustomerPhoneOut)),
  emails: Type.Optional(Type.Array(Type.String())),
  tags: Type.Optional(Type.Array(Type.String())),
  address: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  note: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  wechat: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  ltv: Type.Optional(Type.Object({ amountCents: Type.Integer(), orders: Type.Integer() })),
  lastInteractionAt: Type.Optional(Type.Union([IsoInstant, Type.Null()])),
  lastRepTouchAt: Type.Optional(Type.Union([IsoInstant, Type.Null()])),
  openCommitment: Type.Optional(Type.Union([Type.Object({ dueAt: IsoInstant, visitId: Uuid }), Type.Null()])),
  recentOrders: Type.Optional(Type.Array(RecentOrder)),
  timeline: Type.Optional(Type.Array(TimelineItem)),
  /** Cursor of the next (older) timeline page; null at the end. */
  timelineNext: Type.Optional(Type.Union([Type.Object({ before: IsoInstant, beforeId: Uuid }), Type.Null()])),
  opportunities: Type.Optional(Type.Array(OpportunityBrief)),
  createdAt: Type.Optional(IsoInstant),
});
export type CustomerView = Static<typeof CustomerView>;

export const CustomerViewQuery = Type.Object(
  {
    /** Timeline items strictly older than this instant (ties broken by beforeId). */
    before: Type.Optional(IsoInstant),
    beforeId: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);

export const CustomerSearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
  },
  { additionalProperties: false },
);

export const CustomerSummary = Type.Object({
  id: Uuid,
  access: CustomerAccess,
  name: Type.String(),
  org: Type.Union([Type.String(), Type.Null()]),
  owner: OwnerRef,
  title: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  tags: Type.Optional(Type.Array(Type.String())),
  ltvCents: Type.Optional(Type.Integer()),
  lastInteractionAt: Type.Optional(Type.Union([IsoInstant, Type.Null()])),
});
export type CustomerSummary = Static<typeof CustomerSummary>;

export const CustomerSearchResponse = Type.Object({
  items: Type.Array(CustomerSummary),
  nextOffset: Type.Union([Type.Integer(), Type.Null()]),
});

const ShortText = (max: number) => Type.String({ maxLength: max });
const Nullable = <T extends ReturnType<typeof ShortText>>(t: T) => Type.Union([t, Type.Null()]);

export const UpdateCustomerBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    org: Type.Optional(Nullable(ShortText(200))),
    title: Type.Optional(Nullable(ShortText(100))),
    dept: Type.Optional(Type.Array(ShortText(100), { maxItems: 10 })),
    industry: Type.Optional(Nullable(ShortText(100))),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 50 })),
    address: Type.Optional(Nullable(ShortText(300))),
    note: Type.Optional(Nullable(ShortText(2000))),
    wechat: Type.Optional(Nullable(ShortText(100))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCustomerBody = Static<typeof UpdateCustomerBody>;
