import { type Static, Type } from 'typebox';
import { IsoInstant, Uuid } from './common';

const Person = Type.Object({ id: Uuid, name: Type.String() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ForecastTotals = Type.Object({
  opportunities: Type.Integer(),
  withSignal: Type.Integer(),
  pipelineCents: Type.Integer(),
  weightedCents: Type.Integer(),
});
export const ForecastReport = Type.Object({
  asOf: IsoInstant,
  formula: Type.String(),
  total: ForecastTotals,
  teams: Type.Array(Type.Object({ supervisor: Nullable(Person), ...ForecastTotals.properties })),
  reps: Type.Array(Type.Object({ rep: Person, ...ForecastTotals.properties })),
});
export type ForecastReport = Static<typeof ForecastReport>;

export const HealthQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 40 })),
    to: Type.Optional(Type.String({ maxLength: 40 })),
    /** Trailing window of each history point, in days. */
    historyWindowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })),
  },
  { additionalProperties: false },
);

const Component = Type.Object({
  score: Nullable(Type.Number()),
  numerator: Type.Integer(),
  denominator: Type.Integer(),
});
export const HealthScore = Type.Object({
  total: Nullable(Type.Number()),
  touchpoints: Component,
  timeliness: Component,
  coverage: Component,
});
const HistoryPoint = Type.Object({ date: Type.String(), total: Nullable(Type.Number()) });
export const HealthReport = Type.Object({
  from: IsoInstant,
  to: IsoInstant,
  weights: Type.Object({ touchpoints: Type.Number(), timeliness: Type.Number(), coverage: Type.Number() }),
  team: Type.Object({ ...HealthScore.properties, history: Type.Array(HistoryPoint) }),
  reps: Type.Array(Type.Object({ rep: Person, ...HealthScore.properties, history: Type.Array(HistoryPoint) })),
});
export type HealthReport = Static<typeof HealthReport>;

export const AttributionQuery = Type.Object(
  { month: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', maxLength: 7 })) },
  { additionalProperties: false },
);
export const AttributionReport = Type.Object({
  month: Type.String(),
  /** Every opportunity of the cohort has had its full 30 days. */
  matured: Type.Boolean(),
  signals: Type.Array(
    Type.Object({
      kind: Type.String(),
      level: Type.Integer(),
      opportunities: Type.Integer(),
      wonWithin30d: Type.Integer(),
      share: Nullable(Type.Number()),
    }),
  ),
  budgetPassed: Type.Object({ share: Nullable(Type.Number()), target: Type.Number(), threshold: Type.Number() }),
  forecast: Type.Object({
    pipelineCents: Type.Integer(),
    forecastCents: Type.Integer(),
    actualCents: Type.Integer(),
    wonOpportunities: Type.Integer(),
    ratio: Nullable(Type.Number()),
  }),
});
export type AttributionReport = Static<typeof AttributionReport>;
