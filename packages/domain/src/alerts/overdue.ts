// 超时未跟进: a promise is broken 24 h after the promised time when the rep's side
// has not touched the customer since the visit.
import { zhMonthDayTime } from '../schedule/calendar';

const HOUR = 3_600_000;

/** Promises with nextContactAt at or before this instant are 24 h (overdueHours) late at `now`. */
export function overdueCutoff(now: Date, overdueHours: number): Date {
  return new Date(now.getTime() - overdueHours * HOUR);
}

export type PromiseState = {
  nextContactAt: Date;
  visitOccurredAt: Date;
  /** customers.last_rep_touch_at: the rep's side's latest touch of any kind. */
  lastRepTouchAt: Date | null;
};

/** The rule itself (the sweep's SQL is the same condition, set-based). */
export function isPromiseBroken(p: PromiseState, now: Date, overdueHours: number): boolean {
  if (now.getTime() < p.nextContactAt.getTime() + overdueHours * HOUR) return false;
  return !repTouchedSince(p);
}

/** A touch after the visit itself (the visit sets last_rep_touch_at to its own time) keeps the promise. */
export function repTouchedSince(p: Omit<PromiseState, 'nextContactAt'>): boolean {
  return p.lastRepTouchAt !== null && p.lastRepTouchAt.getTime() > p.visitOccurredAt.getTime();
}

/** Whole hours past the promised time. */
export function hoursOverdue(nextContactAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - nextContactAt.getTime()) / HOUR));
}

export type RecipientCandidates = {
  supervisor: { id: string; active: boolean } | null;
  /** Active admins of the tenant, oldest first. */
  admins: { id: string }[];
};

/** The rep's supervisor, else the tenant's (oldest active) admin; null when nobody can receive it. */
export function overdueRecipient(c: RecipientCandidates): string | null {
  if (c.supervisor?.active) return c.supervisor.id;
  return c.admins[0]?.id ?? null;
}

export type OrderBrief = {
  orderedAt: Date;
  amountCents: number;
  fulfilmentScore: number | null;
  status?: string;
};

export const NO_ORDERS = 'no orders';

/** "92, 85, n/a" for the last three orders, newest first, or "no orders". */
export function ordersSummary(orders: OrderBrief[]): string {
  if (orders.length === 0) return NO_ORDERS;
  return orders
    .slice(0, 3)
    .map((o) => (o.fulfilmentScore === null ? 'n/a' : String(o.fulfilmentScore)))
    .join(', ');
}

export type OverdueCardInput = {
  customer: { id: string; name: string; org: string | null };
  rep: { id: string; name: string };
  visitId: string;
  coreNeed: string;
  promisedAt: Date;
  now: Date;
  /** The tenant's IANA zone: instants in the text are read on its wall clock. */
  timeZone: string;
  orders: OrderBrief[];
};

/** The card's payload: everything a supervisor needs on the card, plus a title and text to render. */
export function overduePayload(i: OverdueCardInput) {
  const hours = hoursOverdue(i.promisedAt, i.now);
  const recentOrders = i.orders.slice(0, 3).map((o) => ({
    orderedAt: o.orderedAt.toISOString(),
    amountCents: o.amountCents,
    fulfilmentScore: o.fulfilmentScore,
    ...(o.status ? { status: o.status } : {}),
  }));
  const who = i.customer.org ? `${i.customer.name}（${i.customer.org}）` : i.customer.name;
  const summary = ordersSummary(i.orders);
  return {
    title: `超时未跟进：${who}`,
    text:
      `${i.rep.name} 承诺于 ${zhMonthDayTime(i.promisedAt, i.timeZone)} 联系 ${who}，已超时 ${hours} 小时。` +
      `核心诉求：${i.coreNeed}。近三单履约评分：${summary === NO_ORDERS ? '无订单 (no orders)' : summary}`,
    customer: i.customer,
    rep: i.rep,
    visitId: i.visitId,
    coreNeed: i.coreNeed,
    promisedAt: i.promisedAt.toISOString(),
    hoursOverdue: hours,
    recentOrders,
    ordersSummary: summary,
  };
}

export type OverduePayload = ReturnType<typeof overduePayload>;
