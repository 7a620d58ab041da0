import type { Visit } from '@crm/db';
import { promiseOutcome } from '@crm/domain';
import type { AppDeps } from '../../deps';
import type { Actor } from '../../shared/access';
import { AppError, invalid } from '../../shared/errors';
import { lockWritableCustomer } from '../customers/customer-access.repo';
import { onRepTouch } from './rep-touch';
import {
  closePromises,
  firstRepTouchAfter,
  insertVisit,
  openPromisesBefore,
  tenantRules,
  touchCustomer,
  visitByClientId,
} from './visits.repo';

export type RecordVisitInput = {
  customerId: string;
  coreNeed: string;
  nextContactAt: string;
  occurredAt?: string | undefined;
  actionType?: Visit['actionType'] | undefined;
  channel?: string | undefined;
  location?: string | undefined;
  clientId?: string | undefined;
};

export type RecordedVisit = Visit & { closedPromise: { visitId: string; status: 'kept' | 'late' } | null };

/** A phone clock a little ahead of ours is not "the future". */
export const CLOCK_SKEW_MS = 2 * 60_000;

const instant = (field: string, value: string) => {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalid(field, `${field} "${value}" is not an ISO-8601 instant`);
  return d;
};

/** The visit record's own rules, before anything is read. */
export function checkVisitInput(input: RecordVisitInput, now: Date) {
  const coreNeed = input.coreNeed.trim();
  // Zero-width characters and BOMs are invisible: a core need made only of them is blank.
  if (!coreNeed.replace(/[\u200B-\u200D\u2060\uFEFF]/g, '').trim())
    throw invalid('coreNeed', 'coreNeed (本次沟通核心诉求) is required and must not be blank');
  if (!input.nextContactAt.trim()) throw invalid('nextContactAt', 'nextContactAt (承诺下次联系时间) is required');
  const occurredAt = input.occurredAt ? instant('occurredAt', input.occurredAt) : now;
  const nextContactAt = instant('nextContactAt', input.nextContactAt);
  if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw invalid('occurredAt', `occurredAt ${input.occurredAt} is in the future`);
  if (nextContactAt.getTime() <= occurredAt.getTime())
    throw invalid(
      'nextContactAt',
      `nextContactAt ${input.nextContactAt} must be after the visit (${occurredAt.toISOString()})`,
    );
  return { coreNeed, occurredAt, nextContactAt };
}

function sameRequest(v: Visit, actor: Actor, customerId: string) {
  if (v.customerId !== customerId || v.repId !== actor.id)
    throw new AppError('CONFLICT', `clientId "${v.clientId}" was already used for another visit`, {
      field: 'clientId',
    });
  return { ...v, closedPromise: null, replayed: true as const };
}

/**
 * Records a visit: closes the customer's earlier open promise (kept / late), moves the
 * customer's interaction instants and settles overdue cards, all in one transaction.
 * The same clientId again returns the first record.
 */
export async function recordVisit(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  input: RecordVisitInput,
): Promise<RecordedVisit & { replayed?: true }> {
  const now = deps.clock.now();
  const { coreNeed, occurredAt, nextContactAt } = checkVisitInput(input, now);
  const clientId = input.clientId?.trim() || null;
  if (clientId) {
    const earlier = await visitByClientId(deps.db, actor.tenantId, clientId);
    if (earlier) return sameRequest(earlier, actor, input.customerId);
  }
  return deps.db.transaction(async (tx) => {
    // The row lock also serialises visits to one customer, so promises close in order.
    await lockWritableCustomer(tx, actor, input.customerId);
    const visit = await insertVisit(tx, {
      tenantId: actor.tenantId,
      customerId: input.customerId,
      repId: actor.id,
      coreNeed,
      nextContactAt,
      occurredAt,
      recordedAt: now,
      actionType: input.actionType ?? null,
      channel: input.channel?.trim() || null,
      location: input.location?.trim() || null,
      clientId,
    });
    if (!visit) {
      // A concurrent retry with the same clientId won the insert.
      const first = clientId ? await visitByClientId(tx, actor.tenantId, clientId) : undefined;
      if (!first) throw new Error('visit insert returned nothing');
      return sameRequest(first, actor, input.customerId);
    }
    const rules = await tenantRules(tx, actor.tenantId);

    const open = await openPromisesBefore(tx, actor.tenantId, input.customerId, occurredAt, visit.id);
    const byOutcome = { kept: [] as string[], late: [] as string[] };
    for (const p of open) byOutcome[promiseOutcome(p.nextContactAt, occurredAt, rules.overdueHours)].push(p.id);
    await closePromises(tx, actor.tenantId, byOutcome.kept, 'kept', now);
    await closePromises(tx, actor.tenantId, byOutcome.late, 'late', now);
    const latest = open[open.length - 1];
    const closedPromise = latest
      ? { visitId: latest.id, status: promiseOutcome(latest.nextContactAt, occurredAt, rules.overdueHours) }
      : null;

    // Recorded late (offline): a touch already on record after this visit closes its own promise.
    let own = visit;
    const later = await firstRepTouchAfter(tx, actor.tenantId, input.customerId, occurredAt, visit.id);
    if (later) {
      const status = promiseOutcome(nextContactAt, later, rules.overdueHours);
      await closePromises(tx, actor.tenantId, [visit.id], status, now);
      own = { ...visit, promiseStatus: status, promiseClosedAt: now };
    }

    await touchCustomer(tx, actor.tenantId, input.customerId, occurredAt, now);
    await onRepTouch(tx, { tenantId: actor.tenantId, customerIds: [input.customerId], timeZone: rules.timeZone, now });
    return { ...own, closedPromise };
  });
}
