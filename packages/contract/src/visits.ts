import { type Static, Type } from 'typebox';
import { IsoInstant, Uuid } from './common';

export const ActionType = Type.Union([
  Type.Literal('needs_diagnosis'),
  Type.Literal('solution_demo'),
  Type.Literal('objection_handling'),
  Type.Literal('service_followup'),
]);

export const CORE_NEED_MAX = 2000;

/** The three-field record: customer, core need, promised next contact. The rest is optional. */
export const CreateVisitBody = Type.Object(
  {
    customerId: Uuid,
    coreNeed: Type.String({ maxLength: CORE_NEED_MAX }),
    nextContactAt: IsoInstant,
    occurredAt: Type.Optional(IsoInstant),
    actionType: Type.Optional(ActionType),
    channel: Type.Optional(Type.String({ maxLength: 40 })),
    location: Type.Optional(Type.String({ maxLength: 200 })),
    /** Generated on the phone: the same clientId again returns the first record (offline retries). */
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type CreateVisitBody = Static<typeof CreateVisitBody>;

export const VisitResponse = Type.Object({
  id: Uuid,
  customerId: Uuid,
  repId: Uuid,
  coreNeed: Type.String(),
  nextContactAt: IsoInstant,
  occurredAt: IsoInstant,
  recordedAt: IsoInstant,
  actionType: Type.Union([ActionType, Type.Null()]),
  channel: Type.Union([Type.String(), Type.Null()]),
  location: Type.Union([Type.String(), Type.Null()]),
  clientId: Type.Union([Type.String(), Type.Null()]),
  promiseStatus: Type.String(),
  /** The promise this visit closed, if any. */
  closedPromise: Type.Union([
    Type.Object({ visitId: Uuid, status: Type.Union([Type.Literal('kept'), Type.Literal('late')]) }),
    Type.Null(),
  ]),
});
export type VisitResponse = Static<typeof VisitResponse>;
