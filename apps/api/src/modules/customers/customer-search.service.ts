import type { AppDeps } from '../../deps';
import type { Actor } from '../../shared/access';
import { searchCustomers } from './customer-search.repo';

export type CustomerSummary = {
  id: string;
  access: 'full' | 'limited';
  name: string;
  org: string | null;
  owner: { id: string; name: string };
  title?: string | null;
  tags?: string[];
  ltvCents?: number;
  lastInteractionAt?: string | null;
};

/** Search by name, org, pinyin initials, phone fragment or e-mail; others' customers come back limited. */
export async function searchCustomerSummaries(
  deps: Pick<AppDeps, 'db'>,
  actor: Actor,
  input: { q?: string | undefined; limit?: number | undefined; offset?: number | undefined },
): Promise<{ items: CustomerSummary[]; nextOffset: number | null }> {
  const limit = input.limit ?? 20;
  const offset = input.offset ?? 0;
  const rows = await searchCustomers(deps.db, actor, input.q?.trim() || undefined, limit + 1, offset);
  const items = rows.slice(0, limit).map((r): CustomerSummary => {
    const base = { id: r.id, name: r.name, org: r.org, owner: { id: r.ownerId, name: r.ownerName } };
    if (!r.visible) return { ...base, access: 'limited' };
    return {
      ...base,
      access: 'full',
      title: r.title,
      tags: r.tags,
      ltvCents: r.ltvCents,
      lastInteractionAt: r.lastInteractionAt?.toISOString() ?? null,
    };
  });
  return { items, nextOffset: rows.length > limit ? offset + limit : null };
}
