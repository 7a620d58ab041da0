// Resolves connector customer references (id, phone, e-mail) to customers in bulk: one
// statement for the whole batch. Optionally creates customers for unknown keys.
import { randomUUID } from 'node:crypto';
import type { DbOrTx } from '@crm/db';
import { searchKey } from '@crm/domain';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../customers/sql-rows';
import { isStrongPhoneKey } from './identity.adapter';
import { arrayParam, uuidArray } from './ingest.repo';
import type { CustomerKey } from './ingest-items.rules';

export const keyOf = (k: Pick<CustomerKey, 'kind' | 'value'>) => `${k.kind}:${k.value}`;

export async function resolveCustomers(
  db: DbOrTx,
  tenantId: string,
  keys: CustomerKey[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (keys.length === 0) return found;
  const uniq = [...new Map(keys.map((k) => [keyOf(k), { kind: k.kind, value: k.value }])).values()];
  const ids = uniq.filter((k) => k.kind === 'id').map((k) => k.value);
  const identities = uniq.filter((k) => k.kind !== 'id');
  // One statement for the batch, two index lookups per key: customers by primary key,
  // identities by (tenant, kind, value).
  const res = await db.execute(sql`
    select 'id' as kind, c.id::text as value, c.id as customer_id from customers c
    where c.tenant_id = ${tenantId} and c.id = any(${uuidArray(ids)})
    union all
    select i.kind::text, i.value, i.customer_id
    from unnest(${arrayParam(
      identities.map((k) => k.kind),
      'identity_kind',
    )}, ${arrayParam(
      identities.map((k) => k.value),
      'text',
    )}) as k(kind, value)
    -- LATERAL … LIMIT 1 (the key is unique): one index probe per key, never a hash join over
    -- the tenant's identities, whatever size the planner expects the batch to be.
    cross join lateral (
      select i.kind, i.value, i.customer_id from customer_identities i
      where i.tenant_id = ${tenantId} and i.kind = k.kind and i.value = k.value limit 1
    ) i`);
  for (const r of rowsOf<{ kind: string; value: string; customer_id: string }>(res))
    found.set(`${r.kind}:${r.value}`, r.customer_id);
  return found;
}

/** The owner of customers created by ingestion: the tenant's oldest active admin (else any active user). */
async function defaultOwner(db: DbOrTx, tenantId: string): Promise<string | null> {
  const res = await db.execute(sql`select id from users where tenant_id = ${tenantId} and active
    order by (role = 'admin') desc, created_at, id limit 1`);
  return rowsOf<{ id: string }>(res)[0]?.id ?? null;
}

/**
 * Creates one customer per unknown phone / e-mail key (tenant setting "create customers
 * from orders"), with its identity row when the key is strong. Returns key → customer id.
 */
export async function createCustomersForKeys(
  tx: DbOrTx,
  tenantId: string,
  keys: CustomerKey[],
  now: Date,
): Promise<Map<string, string>> {
  const created = new Map<string, string>();
  // One customer per key; the name and org come from whichever item of the batch carries them.
  const merged = new Map<string, CustomerKey>();
  for (const k of keys) {
    if (k.kind === 'id') continue;
    const seen = merged.get(keyOf(k));
    merged.set(keyOf(k), seen ? { ...seen, name: seen.name ?? k.name, org: seen.org ?? k.org } : k);
  }
  const uniq = [...merged.values()];
  if (uniq.length === 0) return created;
  const owner = await defaultOwner(tx, tenantId);
  if (!owner) return created;
  const rows = uniq.map((k) => {
    const name = k.name ?? k.raw.trim();
    return {
      id: randomUUID(),
      key: keyOf(k),
      kind: k.kind,
      value: k.value,
      raw: k.raw,
      name,
      org: k.org ?? null,
      search_key: searchKey(name, k.org ?? null),
      phones:
        k.kind === 'phone'
          ? [{ e164: k.value.split(';ext=')[0], ext: k.value.split(';ext=')[1] ?? null, raw: k.raw, type: null }]
          : [],
      emails: k.kind === 'email' ? [k.value] : [],
      strong: k.kind === 'email' || isStrongPhoneKey(k.value),
    };
  });
  const input = sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
    as r(id uuid, kind text, value text, raw text, name text, org text, search_key text, phones jsonb, emails text[], strong boolean)`;
  await tx.execute(sql`
    insert into customers (tenant_id, id, owner_id, name, org, search_key, phones, emails, created_at, updated_at)
    select ${tenantId}, id, ${owner}, name, org, search_key, phones, emails, ${now}, ${now} from ${input}`);
  await tx.execute(sql`
    insert into customer_identities (tenant_id, customer_id, kind, value, raw)
    select ${tenantId}, id, kind::identity_kind, value, raw from ${input} where strong
    on conflict do nothing`);
  for (const r of rows) created.set(r.key, r.id);
  return created;
}
