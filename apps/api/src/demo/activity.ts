// Visits (the three-field record), chats and tickets. Each customer's timeline ends
// the way its plan says: a kept promise, an open one, or one broken for > 24 h.
import {
  type ActionType,
  CHANNELS,
  CHAT_IN,
  CHAT_OUT,
  CORE_NEEDS,
  LOCATIONS,
  TICKET_SUBJECTS,
} from './data/activity-texts';
import { atLocalHours, clamp, DAY, HOUR, type Rng } from './prng';
import type { CustomerPlan, DemoDataset, GenContext } from './types';

const MINUTE = 60_000;
const ACTIONS: readonly (readonly [ActionType, number])[] = [
  ['needs_diagnosis', 3],
  ['solution_demo', 3],
  ['objection_handling', 2],
  ['service_followup', 3],
];

const fill = (rng: Rng, template: string, plan: CustomerPlan) => template.replaceAll('{c}', rng.pick(plan.categories));

/** Decides the latest visit and how its promise ends; must run before orders (they stop where activity stops). */
export function planLastVisit(ctx: GenContext, plan: CustomerPlan): void {
  const { rng, now } = ctx;
  if (plan.kind === 'overdue') {
    // Promised, then nothing at all: more than 24 h past the promise with no touch.
    const v = Math.min(atLocalHours(rng, plan.until), now - 2 * DAY);
    plan.lastVisitAt = v;
    plan.nextContactAt = v + rng.between(2 * HOUR, Math.min(3 * DAY, now - 26 * HOUR - v));
    plan.followUpAt = null;
    plan.interactionsUntil = v;
    return;
  }
  if (plan.kind === 'open') {
    const v = Math.min(atLocalHours(rng, plan.until), now - 30 * MINUTE);
    plan.lastVisitAt = v;
    // Most promises lie ahead; some fall due within the day (the alert is one clock step away).
    plan.nextContactAt = rng.chance(0.8)
      ? now + rng.between(2 * HOUR, 10 * DAY)
      : Math.max(v + HOUR, now - rng.between(HOUR, 20 * HOUR));
    plan.followUpAt = null;
    plan.interactionsUntil = v;
    return;
  }
  // Active and dormant customers: the latest promise was followed up by an outgoing chat.
  const gap = rng.between(1, 10) * DAY;
  const delta = rng.chance(0.78) ? -rng.between(0, Math.min(2 * DAY, gap - 2 * HOUR)) : rng.between(2 * HOUR, 4 * DAY);
  const v = Math.max(plan.from + DAY, atLocalHours(rng, plan.until - gap - delta));
  const f = clamp(atLocalHours(rng, v + gap + delta, 8, 22), v + HOUR, now - 10 * MINUTE);
  plan.lastVisitAt = v;
  plan.nextContactAt = v + gap;
  plan.followUpAt = f;
  plan.interactionsUntil = f;
}

function recordingDelay(rng: Rng): number {
  // Most records are uploaded within 2 hours; the rest feed the timeliness score.
  return rng.weighted([
    [rng.between(2 * MINUTE, 2 * HOUR), 68],
    [rng.between(2 * HOUR, 24 * HOUR), 22],
    [rng.between(1, 3) * DAY, 10],
  ] as const);
}

type Counters = { chat: number; ticket: number };

export function generateActivity(
  ctx: GenContext,
  plans: CustomerPlan[],
): Pick<DemoDataset, 'visits' | 'chatMessages' | 'tickets'> {
  const { rng, tenantId, now } = ctx;
  const visits: DemoDataset['visits'] = [];
  const chatMessages: DemoDataset['chatMessages'] = [];
  const tickets: DemoDataset['tickets'] = [];
  const seq: Counters = { chat: 0, ticket: 0 };

  const chat = (plan: CustomerPlan, direction: 'in' | 'out', at: number) => {
    seq.chat++;
    chatMessages.push({
      tenantId,
      id: rng.uuid(),
      source: 'wecom_archive',
      externalId: `msg_${String(seq.chat).padStart(7, '0')}`,
      customerId: plan.id,
      userId: direction === 'out' ? plan.ownerId : null,
      direction,
      content: fill(rng, rng.pick(direction === 'out' ? CHAT_OUT : CHAT_IN), plan),
      sentAt: new Date(at),
      createdAt: new Date(at),
    });
  };

  for (const plan of plans) {
    const v = plan.lastVisitAt;
    const end = plan.interactionsUntil;
    const within = (lo: number, hi: number, fromHour: number, toHour: number) =>
      clamp(atLocalHours(rng, rng.between(lo, hi), fromHour, toHour), lo, hi);

    // Earlier visits and rep chats happen before the latest visit; customers may write until the end.
    const visitTimes: number[] = [];
    const earlier = v - HOUR > plan.from ? rng.count(2) : 0;
    for (let i = 0; i < earlier; i++) visitTimes.push(within(plan.from, v - HOUR, 9, 18));
    visitTimes.sort((a, b) => a - b);
    visitTimes.push(v);

    const repTouches = [...visitTimes];
    const chats = rng.count(3);
    for (let i = 0; i < chats; i++) {
      if (rng.chance(0.5) && v - HOUR > plan.from) {
        const at = within(plan.from, v - HOUR, 8, 22);
        repTouches.push(at);
        chat(plan, 'out', at);
      } else chat(plan, 'in', within(plan.from, end, 8, 22));
    }
    if (plan.followUpAt !== null) {
      repTouches.push(plan.followUpAt);
      chat(plan, 'out', plan.followUpAt);
    }
    repTouches.sort((a, b) => a - b);

    visitTimes.forEach((at, i) => {
      const latest = i === visitTimes.length - 1;
      // A promise is closed by the first rep touch after the visit.
      const closedBy = latest ? plan.followUpAt : (repTouches.find((t) => t > at) ?? null);
      let next = plan.nextContactAt;
      if (!latest && closedBy !== null)
        next = rng.chance(0.8)
          ? closedBy + rng.between(0, 3 * DAY)
          : Math.max(at + HOUR, closedBy - rng.between(HOUR, 5 * DAY));
      const channel = rng.weighted(CHANNELS);
      const recordedAt = Math.min(now, at + recordingDelay(rng));
      visits.push({
        tenantId,
        id: rng.uuid(),
        customerId: plan.id,
        repId: plan.ownerId,
        coreNeed: fill(
          rng,
          rng.pick(CORE_NEEDS[i === 0 && rng.chance(0.5) ? 'needs_diagnosis' : rng.weighted(ACTIONS)]),
          plan,
        ),
        nextContactAt: new Date(next),
        occurredAt: new Date(at),
        recordedAt: new Date(recordedAt),
        actionType: rng.weighted(ACTIONS),
        channel,
        location: channel === 'onsite' ? rng.pick(LOCATIONS) : null,
        clientId: null,
        promiseStatus: closedBy === null ? 'open' : closedBy <= next ? 'kept' : 'late',
        promiseClosedAt: closedBy === null ? null : new Date(closedBy),
        createdAt: new Date(recordedAt),
      });
    });

    const ticketCount = rng.count(0.6);
    for (let i = 0; i < ticketCount; i++) {
      const opened = within(plan.from, end, 9, 18);
      const open = now - opened < 10 * DAY && rng.chance(0.5);
      const closed = open ? null : Math.min(now, opened + rng.between(2 * HOUR, 5 * DAY));
      seq.ticket++;
      tickets.push({
        tenantId,
        id: rng.uuid(),
        source: 'servicedesk',
        externalId: `TK${String(seq.ticket).padStart(6, '0')}`,
        customerId: plan.id,
        subject: fill(rng, rng.pick(TICKET_SUBJECTS), plan),
        status: open ? 'open' : 'closed',
        priority: rng.weighted([
          ['low', 2],
          ['normal', 6],
          ['high', 2],
        ] as const),
        openedAt: new Date(opened),
        closedAt: closed === null ? null : new Date(closed),
        createdAt: new Date(opened),
        updatedAt: new Date(closed ?? opened),
      });
    }
  }
  return { visits, chatMessages, tickets };
}
