import type { schema } from '@crm/db';
import type { InferInsertModel, Table } from 'drizzle-orm';
import type { Rng } from './prng';

type S = typeof schema;
type Ins<K extends keyof S> = S[K] extends Table ? InferInsertModel<S[K]> : never;

/** Every row of the demo tenant, table by table, in insert order (parents first). */
export type DemoDataset = {
  tenants: Ins<'tenants'>[];
  users: Ins<'users'>[];
  customers: Ins<'customers'>[];
  customerIdentities: Ins<'customerIdentities'>[];
  products: Ins<'products'>[];
  seasonalTips: Ins<'seasonalTips'>[];
  orders: Ins<'orders'>[];
  tickets: Ins<'tickets'>[];
  chatMessages: Ins<'chatMessages'>[];
  visits: Ins<'visits'>[];
  opportunities: Ins<'opportunities'>[];
  contracts: Ins<'contracts'>[];
  emails: Ins<'emails'>[];
  signals: Ins<'signals'>[];
  competitorNews: Ins<'competitorNews'>[];
  kbArticles: Ins<'kbArticles'>[];
};

export type DemoTable = keyof DemoDataset;

export type DemoOptions = {
  /** The instant everything is generated relative to. */
  now: Date;
  seed?: number;
  /** Number of customers (default 5,000); activity scales with it. */
  customers?: number;
  /** Number of reps (default 45), split over 4 teams. */
  reps?: number;
  slug?: string;
  name?: string;
  /** Defaults to an id drawn from the seed. */
  tenantId?: string;
};

/** What every generator module receives. */
export type GenContext = {
  rng: Rng;
  /** `now` in epoch milliseconds. */
  now: number;
  tenantId: string;
};

/** Per-customer plan that shapes the activity timeline. */
export type CustomerKind = 'active' | 'dormant' | 'overdue' | 'open';

export type CustomerPlan = {
  id: string;
  ownerId: string;
  name: string;
  kind: CustomerKind;
  createdAt: number;
  /** Activity happens in [from, until]. */
  from: number;
  until: number;
  categories: string[];
  address: string;
  email: string | null;
  /** Filled by planLastVisit: the latest visit and how its promise ends. */
  lastVisitAt: number;
  nextContactAt: number;
  /** The outgoing chat that kept (or late-kept) the latest promise; null while it is open. */
  followUpAt: number | null;
  /** Nothing (visit, chat, order, ticket) happens after this instant. */
  interactionsUntil: number;
};
