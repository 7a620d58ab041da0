// Loads one customer with the actor's right to it decided inside the query, for writes
// (visit, update): NOT_FOUND outside the tenant, FORBIDDEN when the actor may only see it limited.
import { type DbOrTx, schema } from '@crm/db';
import { and, eq } from 'drizzle-orm';
import { type Actor, ownedByVisible } from '../../shared/access';
import { AppError } from '../../shared/errors';

export async function lockWritableCustomer(tx: DbOrTx, actor: Actor, customerId: string) {
  const [row] = await tx
    .select({
      id: schema.customers.id,
      ownerId: schema.customers.ownerId,
      name: schema.customers.name,
      org: schema.customers.org,
      visible: ownedByVisible(schema.customers.ownerId, actor).mapWith(Boolean),
    })
    .from(schema.customers)
    .where(and(eq(schema.customers.tenantId, actor.tenantId), eq(schema.customers.id, customerId)))
    .for('update')
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'Customer not found', { field: 'customerId' });
  if (!row.visible)
    throw new AppError(
      'FORBIDDEN',
      `"${row.name}" belongs to another rep's book; ask their supervisor to reassign it`,
      {
        field: 'customerId',
      },
    );
  return row;
}
