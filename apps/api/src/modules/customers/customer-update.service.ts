import { schema } from '@crm/db';
import { searchKey } from '@crm/domain';
import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../../deps';
import type { Actor } from '../../shared/access';
import { AppError } from '../../shared/errors';
import { lockWritableCustomer } from './customer-access.repo';
import { type CustomerView, getCustomerView } from './customer-view.service';

export type CustomerPatch = {
  name?: string | undefined;
  org?: string | null | undefined;
  title?: string | null | undefined;
  dept?: string[] | undefined;
  industry?: string | null | undefined;
  tags?: string[] | undefined;
  address?: string | null | undefined;
  note?: string | null | undefined;
  wechat?: string | null | undefined;
};

const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v?.trim() ? v.trim() : null);

/** Trimmed, without blanks and duplicates, order kept. */
export function cleanList(values: string[]): string[] {
  return [...new Set(values.map((v) => v.normalize('NFKC').trim()).filter(Boolean))];
}

/** Profile fields only; phones and e-mails go through the identity rules of customer creation. */
export async function updateCustomer(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  customerId: string,
  patch: CustomerPatch,
): Promise<CustomerView> {
  await deps.db.transaction(async (tx) => {
    const current = await lockWritableCustomer(tx, actor, customerId);
    const name = patch.name === undefined ? current.name : patch.name.trim();
    if (!name) throw new AppError('VALIDATION_FAILED', 'name must not be blank', { field: 'name' });
    const org = patch.org === undefined ? current.org : blankToNull(patch.org);
    await tx
      .update(schema.customers)
      .set({
        name,
        org,
        // search_key follows name and org, always.
        searchKey: searchKey(name, org),
        ...(patch.title !== undefined ? { title: blankToNull(patch.title) } : {}),
        ...(patch.dept !== undefined ? { dept: cleanList(patch.dept) } : {}),
        ...(patch.industry !== undefined ? { industry: blankToNull(patch.industry) } : {}),
        ...(patch.tags !== undefined ? { tags: cleanList(patch.tags) } : {}),
        ...(patch.address !== undefined ? { address: blankToNull(patch.address) } : {}),
        ...(patch.note !== undefined ? { note: blankToNull(patch.note) } : {}),
        ...(patch.wechat !== undefined ? { wechat: blankToNull(patch.wechat) } : {}),
        updatedAt: deps.clock.now(),
      })
      .where(and(eq(schema.customers.tenantId, actor.tenantId), eq(schema.customers.id, customerId)));
  });
  return getCustomerView(deps, actor, customerId);
}
