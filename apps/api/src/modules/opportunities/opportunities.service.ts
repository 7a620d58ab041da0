// Opportunities: amount in fen, stage, expected close, success criteria synced from the contract.
import type { Opportunity, Signal } from '@crm/db';
import { weightedCents } from '@crm/domain';
import type { AppDeps } from '../../deps';
import type { Actor } from '../../shared/access';
import { notFound } from '../../shared/errors';
import { signalDto, signalsOfOpportunity } from '../signals/signals.repo';
import {
  findVisibleCustomer,
  findVisibleOpportunity,
  insertOpportunity,
  type NewOpportunity,
  updateOpportunity,
  upsertContract,
} from './opportunities.repo';

type Deps = Pick<AppDeps, 'db' | 'clock'>;
const CLOSED = new Set(['won', 'lost']);
const date = (s: string | null | undefined) => (s === undefined ? undefined : s === null ? null : new Date(s));

export function opportunityDto(o: Opportunity, signals: Signal[]) {
  const confirmed = signals.filter((s) => s.status === 'confirmed').map((s) => s.confidence);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: o.id,
    customerId: o.customerId,
    ownerId: o.ownerId,
    title: o.title,
    amountCents: o.amountCents,
    stage: o.stage,
    expectedCloseAt: iso(o.expectedCloseAt),
    successCriteria: o.successCriteria,
    successCriteriaConfirmedAt: iso(o.successCriteriaConfirmedAt),
    orderExternalId: o.orderExternalId,
    closedAt: iso(o.closedAt),
    createdAt: o.createdAt.toISOString(),
    confidence: confirmed.reduce((m, c) => Math.max(m, c), 0),
    weightedCents: weightedCents(o.amountCents, confirmed),
    signals: signals.map(signalDto),
  };
}

export async function createOpportunity(
  deps: Deps,
  actor: Actor,
  input: {
    customerId: string;
    title: string;
    amountCents: number;
    expectedCloseAt?: string | undefined;
    stage?: Opportunity['stage'] | undefined;
    orderExternalId?: string | undefined;
  },
) {
  const customer = await findVisibleCustomer(deps.db, actor, input.customerId);
  if (!customer) throw notFound('Customer');
  const now = deps.clock.now();
  const stage = input.stage ?? 'lead';
  const row = await insertOpportunity(deps.db, {
    tenantId: actor.tenantId,
    customerId: customer.id,
    // The customer's owner owns its opportunities (a rep can only reach their own customers).
    ownerId: customer.ownerId,
    title: input.title,
    amountCents: input.amountCents,
    stage,
    expectedCloseAt: date(input.expectedCloseAt) ?? null,
    orderExternalId: input.orderExternalId ?? null,
    closedAt: CLOSED.has(stage) ? now : null,
    createdAt: now,
    updatedAt: now,
  });
  return opportunityDto(row, []);
}

export async function getOpportunity(deps: Deps, actor: Actor, id: string) {
  const row = await findVisibleOpportunity(deps.db, actor, id);
  if (!row) throw notFound('Opportunity');
  return opportunityDto(row, await signalsOfOpportunity(deps.db, actor.tenantId, row.id));
}

export async function patchOpportunity(
  deps: Deps,
  actor: Actor,
  id: string,
  input: {
    title?: string | undefined;
    amountCents?: number | undefined;
    expectedCloseAt?: string | null | undefined;
    stage?: Opportunity['stage'] | undefined;
    orderExternalId?: string | null | undefined;
  },
) {
  const row = await findVisibleOpportunity(deps.db, actor, id);
  if (!row) throw notFound('Opportunity');
  const now = deps.clock.now();
  const patch: Partial<NewOpportunity> = { updatedAt: now };
  if (input.title !== undefined) patch.title = input.title;
  if (input.amountCents !== undefined) patch.amountCents = input.amountCents;
  if (input.expectedCloseAt !== undefined) patch.expectedCloseAt = date(input.expectedCloseAt);
  if (input.orderExternalId !== undefined) patch.orderExternalId = input.orderExternalId;
  if (input.stage !== undefined && input.stage !== row.stage) {
    patch.stage = input.stage;
    patch.closedAt = CLOSED.has(input.stage) ? now : null;
  }
  const updated = await updateOpportunity(deps.db, actor.tenantId, row.id, patch);
  return opportunityDto(updated!, await signalsOfOpportunity(deps.db, actor.tenantId, row.id));
}

/** PUT /opportunities/:id/contract — the contract's customer-confirmed success criteria (成功要素) sync to the opportunity. */
export async function putContract(
  deps: Deps,
  actor: Actor,
  id: string,
  input: {
    externalId: string;
    successCriteria?: string | null | undefined;
    confirmedByCustomerAt?: string | null | undefined;
    signedAt?: string | null | undefined;
  },
) {
  const row = await findVisibleOpportunity(deps.db, actor, id);
  if (!row) throw notFound('Opportunity');
  return deps.db.transaction(async (tx) => {
    const contract = await upsertContract(tx, {
      tenantId: actor.tenantId,
      opportunityId: row.id,
      externalId: input.externalId,
      successCriteria: input.successCriteria ?? null,
      confirmedByCustomerAt: date(input.confirmedByCustomerAt) ?? null,
      signedAt: date(input.signedAt) ?? null,
    });
    // Only criteria the customer confirmed are synced; unconfirmed drafts stay on the contract.
    const confirmed = contract.confirmedByCustomerAt !== null;
    const updated = await updateOpportunity(tx, actor.tenantId, row.id, {
      successCriteria: confirmed ? contract.successCriteria : row.successCriteria,
      successCriteriaConfirmedAt: confirmed ? contract.confirmedByCustomerAt : row.successCriteriaConfirmedAt,
      updatedAt: deps.clock.now(),
    });
    return opportunityDto(updated!, await signalsOfOpportunity(tx, actor.tenantId, row.id));
  });
}
