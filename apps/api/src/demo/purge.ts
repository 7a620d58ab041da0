// Deletes one tenant's rows from every table, children first. The table list and order
// come from the schema itself, so a table added later is not forgotten.
import { type DbOrTx, schema } from '@crm/db';
import { eq, is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';

type Tenanted = { table: PgTable; name: string; parents: Set<string> };

function tenantTables(): Tenanted[] {
  const out: Tenanted[] = [];
  for (const value of Object.values(schema)) {
    if (!is(value, PgTable)) continue;
    const cfg = getTableConfig(value);
    if (!cfg.columns.some((c) => c.name === 'tenant_id')) continue;
    const parents = new Set(cfg.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name));
    parents.delete(cfg.name);
    out.push({ table: value, name: cfg.name, parents });
  }
  return out;
}

/** Tables in delete order: a table comes before every table it references. */
export function deleteOrder(): Tenanted[] {
  const tables = tenantTables();
  const ordered: Tenanted[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    // Next: a table no remaining table references.
    const next = tables.find(
      (t) =>
        !placed.has(t.name) && !tables.some((o) => !placed.has(o.name) && o.name !== t.name && o.parents.has(t.name)),
    );
    if (!next) throw new Error('circular foreign keys between tenant tables');
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered;
}

/** Removes every row of the tenant (the tenant row last). Run it inside a transaction. */
export async function purgeTenant(db: DbOrTx, tenantId: string): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const { table, name } of deleteOrder()) {
    const column = getTableConfig(table).columns.find((c) => c.name === 'tenant_id')!;
    const rows = await db.delete(table).where(eq(column, tenantId)).returning({ one: column });
    deleted[name] = rows.length;
  }
  return deleted;
}
