import { type Static, type TSchema, Type } from 'typebox';
import { IsoInstant, Uuid } from './common';

export const TaskKind = Type.Union([
  Type.Literal('overdue_followup'),
  Type.Literal('dormant_wakeup'),
  Type.Literal('coupon'),
  Type.Literal('order_review'),
  Type.Literal('process_diagnosis'),
]);
export type TaskKind = Static<typeof TaskKind>;

/** open → acked → done; "resolved" = closed by the system (the rep followed up). */
export const TaskStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('acked'),
  Type.Literal('done'),
  Type.Literal('resolved'),
]);

/** `open` = open or acked; `done` = done or resolved. */
export const TasksQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('all')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    before: Type.Optional(IsoInstant),
  },
  { additionalProperties: false },
);
export type TasksQuery = Static<typeof TasksQuery>;

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const TaskOrder = Type.Object({
  orderedAt: IsoInstant,
  amountCents: Type.Integer(),
  fulfilmentScore: Nullable(Type.Integer()),
});

export const CompetitorNewsItem = Type.Object({
  competitor: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  publishedAt: IsoInstant,
  url: Nullable(Type.String()),
});

export const WakeupPack = Type.Object({
  talkTrack: Type.String(),
  /** The tip text, or an explicit "no seasonal tip" sentence. */
  seasonalTip: Type.String(),
  hasSeasonalTip: Type.Boolean(),
  season: Type.String(),
  category: Nullable(Type.String()),
  competitorNews: Type.Array(CompetitorNewsItem),
  /** One line; says explicitly when there is no news. */
  competitorSummary: Type.String(),
});

export const TaskView = Type.Object({
  id: Uuid,
  kind: TaskKind,
  status: TaskStatus,
  createdAt: IsoInstant,
  title: Type.String(),
  text: Type.String(),
  customer: Nullable(Type.Object({ id: Uuid, name: Type.String(), org: Nullable(Type.String()) })),
  rep: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  dueAt: Type.Optional(Nullable(IsoInstant)),
  overdueHours: Type.Optional(Type.Integer()),
  coreNeed: Type.Optional(Type.String()),
  recentOrders: Type.Optional(Type.Array(TaskOrder)),
  /** "no orders" when the customer has none; otherwise the scores, newest first. */
  ordersSummary: Type.Optional(Type.String()),
  pack: Type.Optional(WakeupPack),
  resolution: Nullable(Type.String()),
  ackedAt: Nullable(IsoInstant),
  doneAt: Nullable(IsoInstant),
  /** Kind-specific content of the other card kinds (coupon, order_review, process_diagnosis). */
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type TaskView = Static<typeof TaskView>;

export const TaskList = Type.Array(TaskView);
