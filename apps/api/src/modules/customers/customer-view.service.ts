import type { CustomerPhone } from '@crm/db';
import type { AppDeps } from '../../deps';
import type { Actor } from '../../shared/access';
import { AppError } from '../../shared/errors';
import { loadCustomerView, type TimelineJson, type ViewRow } from './customer-view.repo';
import { iso } from './sql-rows';

export type TimelinePage = { before?: Date | undefined; beforeId?: string | undefined; limit?: number | undefined };

export const TIMELINE_DEFAULT_LIMIT = 20;
export const TIMELINE_MAX_LIMIT = 100;

export type TimelineItem = Omit<TimelineJson, 'at' | 'nextContactAt'> & { at: string; nextContactAt: string | null };

/**
 * The unified customer view of the contract. `access: "limited"` (a customer of the
 * tenant the actor may not fully see) carries id, name, org and owner only.
 */
export type CustomerView = {
  id: string;
  access: 'full' | 'limited';
  name: string;
  org: string | null;
  owner: { id: string; name: string };
  title?: string | null;
  dept?: string[];
  industry?: string | null;
  phones?: CustomerPhone[];
  emails?: string[];
  tags?: string[];
  address?: string | null;
  note?: string | null;
  wechat?: string | null;
  ltv?: { amountCents: number; orders: number };
  lastInteractionAt?: string | null;
  lastRepTouchAt?: string | null;
  openCommitment?: { dueAt: string; visitId: string } | null;
  recentOrders?: {
    id: string;
    externalId: string;
    orderedAt: string;
    amountCents: number;
    status: string;
    fulfilmentScore: number | null;
  }[];
  timeline?: TimelineItem[];
  timelineNext?: { before: string; beforeId: string } | null;
  opportunities?: {
    id: string;
    title: string;
    amountCents: number;
    stage: string;
    expectedCloseAt: string | null;
    topSignalLevel: number | null;
  }[];
  createdAt?: string;
};

/** One query whatever the history size; another tenant's (or no) customer is NOT_FOUND. */
export async function getCustomerView(
  deps: Pick<AppDeps, 'db'>,
  actor: Actor,
  customerId: string,
  page: TimelinePage = {},
): Promise<CustomerView> {
  const limit = Math.min(Math.max(page.limit ?? TIMELINE_DEFAULT_LIMIT, 1), TIMELINE_MAX_LIMIT);
  const row = await loadCustomerView(deps.db, actor, customerId, {
    before: page.before,
    beforeId: page.beforeId,
    limit,
  });
  if (!row) throw new AppError('NOT_FOUND', 'Customer not found');
  return customerViewFromRow(row, limit);
}

/** The contract's view from the row of the view statement (which fetched `limit + 1` timeline items). */
export function customerViewFromRow(row: ViewRow, limit: number): CustomerView {
  const base = { id: row.id, name: row.name, org: row.org, owner: { id: row.owner_id, name: row.owner_name } };
  if (!row.visible) return { ...base, access: 'limited' };

  const items = (row.timeline ?? []).map((t) => ({ ...t, at: iso(t.at), nextContactAt: iso(t.nextContactAt) }));
  const more = items.length > limit;
  const timeline = more ? items.slice(0, limit) : items;
  const last = timeline[timeline.length - 1];
  return {
    ...base,
    access: 'full',
    title: row.title,
    dept: row.dept ?? [],
    industry: row.industry,
    phones: (row.phones ?? []) as CustomerPhone[],
    emails: row.emails ?? [],
    tags: row.tags ?? [],
    address: row.address,
    note: row.note,
    wechat: row.wechat,
    ltv: { amountCents: Number(row.ltv_cents ?? 0), orders: Number(row.order_count ?? 0) },
    lastInteractionAt: iso(row.last_interaction_at),
    lastRepTouchAt: iso(row.last_rep_touch_at),
    openCommitment: row.open_commitment
      ? { dueAt: iso(row.open_commitment.dueAt), visitId: row.open_commitment.visitId }
      : null,
    recentOrders: (row.recent_orders ?? []).map((o) => ({ ...o, orderedAt: iso(o.orderedAt) })),
    timeline,
    timelineNext: more && last ? { before: last.at, beforeId: last.id } : null,
    opportunities: (row.opportunities ?? []).map((o) => ({ ...o, expectedCloseAt: iso(o.expectedCloseAt) })),
    createdAt: iso(row.created_at),
  };
}
