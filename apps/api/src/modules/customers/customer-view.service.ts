import { schema } from '@crm/db';
import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../../deps';
import { type Actor, ownedByVisible } from '../../shared/access';
import { AppError } from '../../shared/errors';

export type TimelinePage = { before?: Date | undefined; limit?: number | undefined };

// The unified customer view of the contract. Placeholder shape until the customers
// issue fills it (timeline, orders, LTV …); the signature is what other modules call.
export type CustomerView = {
  id: string;
  access: 'full' | 'limited';
  name: string;
  org: string | null;
  owner: { id: string; name: string };
  [k: string]: unknown;
};

export async function getCustomerView(
  deps: Pick<AppDeps, 'db'>,
  actor: Actor,
  customerId: string,
  _page: TimelinePage = {},
): Promise<CustomerView> {
  const [row] = await deps.db
    .select({
      id: schema.customers.id,
      name: schema.customers.name,
      org: schema.customers.org,
      ownerId: schema.customers.ownerId,
      ownerName: schema.users.name,
      visible: ownedByVisible(schema.customers.ownerId, actor).mapWith(Boolean),
    })
    .from(schema.customers)
    .innerJoin(
      schema.users,
      and(eq(schema.users.tenantId, schema.customers.tenantId), eq(schema.users.id, schema.customers.ownerId)),
    )
    .where(and(eq(schema.customers.tenantId, actor.tenantId), eq(schema.customers.id, customerId)))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'Customer not found');
  return {
    id: row.id,
    access: row.visible ? 'full' : 'limited',
    name: row.name,
    org: row.org,
    owner: { id: row.ownerId, name: row.ownerName },
  };
}
