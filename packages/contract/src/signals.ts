import { type Static, Type } from 'typebox';
import { IsoInstant, Uuid } from './common';

const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });

export const SignalLevel = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]);
export const SignalStatus = Type.Union([
  Type.Literal('candidate'),
  Type.Literal('confirmed'),
  Type.Literal('rejected'),
]);
export const SignalSource = Type.Union([
  Type.Literal('manual'),
  Type.Literal('email'),
  Type.Literal('payment'),
  Type.Literal('morning_scan'),
]);
export const OpportunityStage = Type.Union([
  Type.Literal('lead'),
  Type.Literal('qualified'),
  Type.Literal('proposal'),
  Type.Literal('negotiation'),
  Type.Literal('won'),
  Type.Literal('lost'),
]);

export const Signal = Type.Object({
  id: Uuid,
  opportunityId: Type.Union([Uuid, Type.Null()]),
  customerId: Uuid,
  level: Type.Integer(),
  kind: Type.String(),
  confidence: Type.Number(),
  status: SignalStatus,
  source: SignalSource,
  evidence: Type.Union([Type.String(), Type.Null()]),
  sourceRef: Type.Union([Type.String(), Type.Null()]),
  createdById: Type.Union([Uuid, Type.Null()]),
  confirmedById: Type.Union([Uuid, Type.Null()]),
  confirmedAt: Type.Union([IsoInstant, Type.Null()]),
  observedAt: IsoInstant,
  placedAt: Type.Union([IsoInstant, Type.Null()]),
  createdAt: IsoInstant,
});
export type Signal = Static<typeof Signal>;

export const CreateOpportunityBody = Type.Object(
  {
    customerId: Uuid,
    title: Text(200, 1),
    amountCents: Type.Integer({ minimum: 0, maximum: 10_000_000_000 }),
    expectedCloseAt: Type.Optional(IsoInstant),
    stage: Type.Optional(OpportunityStage),
    orderExternalId: Type.Optional(Text(100, 1)),
  },
  { additionalProperties: false },
);
export type CreateOpportunityBody = Static<typeof CreateOpportunityBody>;

export const UpdateOpportunityBody = Type.Object(
  {
    title: Type.Optional(Text(200, 1)),
    amountCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000_000 })),
    expectedCloseAt: Type.Optional(Type.Union([IsoInstant, Type.Null()])),
    stage: Type.Optional(OpportunityStage),
    orderExternalId: Type.Optional(Type.Union([Text(100, 1), Type.Null()])),
  },
  { additionalProperties: false },
);
export type UpdateOpportunityBody = Static<typeof UpdateOpportunityBody>;

/** The contract (合同) of an opportunity; its customer-confirmed success criteria sync to the opportunity. */
export const ContractBody = Type.Object(
  {
    externalId: Text(100, 1),
    successCriteria: Type.Optional(Type.Union([Text(2000), Type.Null()])),
    confirmedByCustomerAt: Type.Optional(Type.Union([IsoInstant, Type.Null()])),
    signedAt: Type.Optional(Type.Union([IsoInstant, Type.Null()])),
  },
  { additionalProperties: false },
);
export type ContractBody = Static<typeof ContractBody>;

export const Opportunity = Type.Object({
  id: Uuid,
  customerId: Uuid,
  ownerId: Uuid,
  title: Type.String(),
  amountCents: Type.Integer(),
  stage: OpportunityStage,
  expectedCloseAt: Type.Union([IsoInstant, Type.Null()]),
  successCriteria: Type.Union([Type.String(), Type.Null()]),
  successCriteriaConfirmedAt: Type.Union([IsoInstant, Type.Null()]),
  orderExternalId: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([IsoInstant, Type.Null()]),
  createdAt: IsoInstant,
  /** Highest confidence among confirmed signals (0 without one) and amount × it. */
  confidence: Type.Number(),
  weightedCents: Type.Integer(),
  signals: Type.Array(Signal),
});
export type Opportunity = Static<typeof Opportunity>;

export const AddSignalBody = Type.Object(
  {
    level: SignalLevel,
    kind: Type.Optional(Text(60, 1)),
    evidence: Type.Optional(Text(2000)),
    observedAt: Type.Optional(IsoInstant),
  },
  { additionalProperties: false },
);
export type AddSignalBody = Static<typeof AddSignalBody>;

/** 晨会信号扫描: one objective signal a rep saw yesterday, posted from the mini-app. */
export const MorningScanBody = Type.Object(
  {
    customerId: Uuid,
    opportunityId: Type.Optional(Uuid),
    level: SignalLevel,
    kind: Type.Optional(Text(60, 1)),
    evidence: Text(2000, 1),
    observedAt: Type.Optional(IsoInstant),
  },
  { additionalProperties: false },
);
export type MorningScanBody = Static<typeof MorningScanBody>;

export const PlaceSignalBody = Type.Object({ opportunityId: Uuid }, { additionalProperties: false });
export const ConfirmSignalBody = Type.Object(
  { level: Type.Optional(SignalLevel), opportunityId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export const ListSignalsQuery = Type.Object(
  {
    status: Type.Optional(SignalStatus),
    source: Type.Optional(SignalSource),
    opportunityId: Type.Optional(Uuid),
    customerId: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export const DaySignalsQuery = Type.Object(
  { date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 })) },
  { additionalProperties: false },
);

/** One e-mail from the mail gateway. `messageId` (or `externalId`) is the dedupe key. */
export const IngestEmailItem = Type.Object(
  {
    messageId: Type.Optional(Text(300, 1)),
    externalId: Type.Optional(Text(300, 1)),
    from: Text(254, 3),
    to: Type.Array(Text(254, 3), { maxItems: 100 }),
    subject: Type.Optional(Text(1000)),
    text: Type.Optional(Text(100_000)),
    date: IsoInstant,
    customer: Type.Optional(
      Type.Object(
        { customerId: Type.Optional(Uuid), email: Type.Optional(Text(254, 3)) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type IngestEmailItem = Static<typeof IngestEmailItem>;

export const IngestEmailResult = Type.Object({
  inserted: Type.Integer(),
  updated: Type.Integer(),
  /** Message ids already received: ignored. */
  duplicates: Type.Integer(),
  /** Signal candidates created. */
  candidates: Type.Integer(),
  /** E-mails stored without a known customer (no candidate possible). */
  unmatched: Type.Integer(),
  rejected: Type.Array(
    Type.Object({
      index: Type.Integer(),
      code: Type.String(),
      message: Type.String(),
      field: Type.Optional(Type.String()),
    }),
  ),
});
export type IngestEmailResult = Static<typeof IngestEmailResult>;
