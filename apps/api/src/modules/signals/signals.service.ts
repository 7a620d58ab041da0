// Signals: added by a user (confirmed by them), proposed by e-mail (candidates), posted at the
// morning scan and placed in the funnel by the supervisor.
import { type Signal, schema } from '@crm/db';
import { confidenceFor, dayKey, LEVEL_KINDS, type SignalLevel, startOfZonedDay, zonedMidnight } from '@crm/domain';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { AppDeps } from '../../deps';
import { type Actor, ownedByVisible } from '../../shared/access';
import { AppError, invalid, notFound } from '../../shared/errors';
import { findVisibleCustomer, findVisibleOpportunity } from '../opportunities/opportunities.repo';
import { findVisibleSignal, insertSignal, tenantSettings, updateSignal } from './signals.repo';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export type AddSignalInput = {
  level: SignalLevel;
  kind?: string | undefined;
  evidence?: string | undefined;
  observedAt?: string | undefined;
};

function observed(input: string | undefined, now: Date): Date {
  if (!input) return now;
  const at = new Date(input);
  if (at > now) throw invalid('observedAt', `observedAt "${input}" is in the future`);
  return at;
}

/** POST /opportunities/:id/signals — a signal entered by a user is confirmed by that user. */
export async function addSignal(
  deps: Deps,
  actor: Actor,
  opportunityId: string,
  input: AddSignalInput,
): Promise<Signal> {
  const opp = await findVisibleOpportunity(deps.db, actor, opportunityId);
  if (!opp) throw notFound('Opportunity');
  const now = deps.clock.now();
  const { settings } = await tenantSettings(deps.db, actor.tenantId);
  const row = await insertSignal(deps.db, {
    tenantId: actor.tenantId,
    opportunityId: opp.id,
    customerId: opp.customerId,
    level: input.level,
    kind: input.kind ?? LEVEL_KINDS[input.level],
    confidence: confidenceFor(input.level, settings),
    status: 'confirmed',
    source: 'manual',
    evidence: input.evidence ?? null,
    createdById: actor.id,
    confirmedById: actor.id,
    confirmedAt: now,
    observedAt: observed(input.observedAt, now),
    createdAt: now,
  });
  return row!;
}

async function decidable(deps: Deps, actor: Actor, id: string): Promise<Signal> {
  const sig = await findVisibleSignal(deps.db, actor, id);
  if (!sig) throw notFound('Signal');
  return sig;
}

/** A human confirms a candidate (optionally correcting its level or opportunity). Confirming twice is a no-op. */
export async function confirmSignal(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { level?: SignalLevel | undefined; opportunityId?: string | undefined },
): Promise<Signal> {
  const sig = await decidable(deps, actor, id);
  if (sig.status === 'confirmed') return sig;
  if (sig.status === 'rejected') throw new AppError('CONFLICT', 'This signal was rejected; add a new one instead');
  let opportunityId = sig.opportunityId;
  if (input.opportunityId) {
    const opp = await findVisibleOpportunity(deps.db, actor, input.opportunityId);
    if (!opp) throw notFound('Opportunity');
    if (opp.customerId !== sig.customerId)
      throw invalid('opportunityId', 'The opportunity belongs to another customer than the signal');
    opportunityId = opp.id;
  }
  const level = (input.level ?? sig.level) as SignalLevel;
  const { settings } = await tenantSettings(deps.db, actor.tenantId);
  const now = deps.clock.now();
  const row = await updateSignal(deps.db, actor.tenantId, sig.id, {
    status: 'confirmed',
    level,
    confidence: confidenceFor(level, settings),
    opportunityId,
    confirmedById: actor.id,
    confirmedAt: now,
  });
  return row!;
}

/** A human rejects a candidate; confirmed_by/at then record who decided and when. */
export async function rejectSignal(deps: Deps, actor: Actor, id: string): Promise<Signal> {
  const sig = await decidable(deps, actor, id);
  if (sig.status === 'rejected') return sig;
  if (sig.status === 'confirmed') throw new AppError('CONFLICT', 'This signal is already confirmed');
  const row = await updateSignal(deps.db, actor.tenantId, sig.id, {
    status: 'rejected',
    confirmedById: actor.id,
    confirmedAt: deps.clock.now(),
  });
  return row!;
}

export type MorningScanInput = AddSignalInput & {
  customerId: string;
  opportunityId?: string | undefined;
  evidence: string;
};

/** 晨会信号扫描: one signal per rep per day (and kind), observed yesterday unless told otherwise. */
export async function postMorningScan(deps: Deps, actor: Actor, input: MorningScanInput): Promise<Signal> {
  const customer = await findVisibleCustomer(deps.db, actor, input.customerId);
  if (!customer) throw notFound('Customer');
  let opportunityId: string | null = null;
  if (input.opportunityId) {
    const opp = await findVisibleOpportunity(deps.db, actor, input.opportunityId);
    if (!opp) throw notFound('Opportunity');
    if (opp.customerId !== customer.id) throw invalid('opportunityId', 'The opportunity belongs to another customer');
    opportunityId = opp.id;
  }
  const now = deps.clock.now();
  const { settings, timeZone } = await tenantSettings(deps.db, actor.tenantId);
  const kind = input.kind ?? LEVEL_KINDS[input.level];
  const row = await insertSignal(deps.db, {
    tenantId: actor.tenantId,
    opportunityId,
    customerId: customer.id,
    level: input.level,
    kind,
    confidence: confidenceFor(input.level, settings),
    status: 'confirmed',
    source: 'morning_scan',
    evidence: input.evidence,
    sourceRef: `${actor.id}:${dayKey(now, timeZone)}`,
    createdById: actor.id,
    confirmedById: actor.id,
    confirmedAt: now,
    observedAt: input.observedAt ? observed(input.observedAt, now) : new Date(now.getTime() - 86_400_000),
    createdAt: now,
  });
  if (!row) throw new AppError('CONFLICT', `You already posted a "${kind}" signal at today's morning scan`);
  return row;
}

/** The supervisor places a morning-scan signal on an opportunity of the same customer. */
export async function placeSignal(deps: Deps, actor: Actor, id: string, opportunityId: string): Promise<Signal> {
  if (actor.role === 'rep')
    throw new AppError('FORBIDDEN', 'Only a supervisor or an admin places signals in the funnel');
  const sig = await decidable(deps, actor, id);
  const opp = await findVisibleOpportunity(deps.db, actor, opportunityId);
  if (!opp) throw notFound('Opportunity');
  if (opp.customerId !== sig.customerId)
    throw invalid('opportunityId', 'The opportunity belongs to another customer than the signal');
  const row = await updateSignal(deps.db, actor.tenantId, sig.id, {
    opportunityId: opp.id,
    placedAt: deps.clock.now(),
  });
  return row!;
}

/** The morning-scan signals of one local day posted by the reps the actor may see. */
export async function daySignals(deps: Deps, actor: Actor, date: string | undefined) {
  const { timeZone } = await tenantSettings(deps.db, actor.tenantId);
  const start = date
    ? zonedMidnight(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), timeZone)
    : startOfZonedDay(deps.clock.now(), timeZone);
  const end = new Date(start.getTime() + 86_400_000 + 3_600_000);
  const endDay = startOfZonedDay(end, timeZone);
  const s = schema.signals;
  const c = schema.customers;
  const u = schema.users;
  const rows = await deps.db
    .select({ signal: s, customerName: c.name, repName: u.name })
    .from(s)
    .innerJoin(c, and(eq(c.tenantId, s.tenantId), eq(c.id, s.customerId)))
    .innerJoin(u, and(eq(u.tenantId, s.tenantId), eq(u.id, s.createdById)))
    .where(
      and(
        eq(s.tenantId, actor.tenantId),
        eq(s.source, 'morning_scan'),
        gte(s.createdAt, start),
        lt(s.createdAt, endDay),
        ownedByVisible(s.createdById, actor),
      ),
    )
    .orderBy(asc(s.createdAt));
  return { date: dayKey(start, timeZone), rows };
}
