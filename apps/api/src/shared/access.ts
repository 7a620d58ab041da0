// Query scoping: every query is filtered by tenant, and what a user may fully see
// is decided inside the query (never after it).
import { schema, type UserRole } from '@crm/db';
import { and, eq, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

export type Actor = {
  id: string;
  tenantId: string;
  role: UserRole;
  name: string;
  supervisorId: string | null;
};

/** `table.tenant_id = actor's tenant` — the first condition of every query. */
export function inTenant(column: PgColumn, actor: Pick<Actor, 'tenantId'>): SQL {
  return eq(column, actor.tenantId);
}

/**
 * Condition on an owner column (customers.owner_id, opportunities.owner_id …) that is
 * true when the actor may fully see the record: a rep their own book, a supervisor
 * their team's (and their own), an admin the whole tenant.
 */
export function ownedByVisible(ownerColumn: PgColumn, actor: Actor): SQL {
  switch (actor.role) {
    case 'admin':
      return sql`true`;
    case 'supervisor':
      return or(
        eq(ownerColumn, actor.id),
        sql`${ownerColumn} in (select ${schema.users.id} from ${schema.users} where ${schema.users.tenantId} = ${actor.tenantId} and ${schema.users.supervisorId} = ${actor.id})`,
      ) as SQL;
    default:
      return eq(ownerColumn, actor.id);
  }
}

/** Tenant + visibility in one, for list queries that must only return fully visible rows. */
export function visibleInTenant(tenantColumn: PgColumn, ownerColumn: PgColumn, actor: Actor): SQL {
  return and(inTenant(tenantColumn, actor), ownedByVisible(ownerColumn, actor)) as SQL;
}
