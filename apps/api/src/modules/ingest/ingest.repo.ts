// Set-based writes for ingestion: one statement per table per batch, idempotent by
// (tenant, source, external_id). A re-sent item identical to the stored row is not
// touched at all (no new updated_at), so a re-import changes nothing.
import type { DbOrTx } from '@crm/db';
import { type SQL, sql } from 'drizzle-orm';
import { executeNamed, rowsOf } from '../customers/sql-rows';

/** changedIds: rows inserted or really updated (an identical re-send changes nothing). */
export type UpsertOutcome = { inserted: number; updated: number; touchedCustomers: string[]; changedIds: string[] };

type Spec = {
  table: string;
  /** Columns written besides tenant_id, source, external_id, with their SQL types. */
  columns: [name: string, type: string][];
};

const SPECS = {
  orders: {
    table: 'orders',
    columns: [
      ['customer_id', 'uuid'],
      ['product_id', 'uuid'],
      ['amount_cents', 'bigint'],
      ['currency', 'text'],
      ['status', 'order_status'],
      ['fulfilment_score', 'smallint'],
      ['ordered_at', 'timestamptz'],
      ['paid_at', 'timestamptz'],
      ['ship_address', 'text'],
    ],
  },
  tickets: {
    table: 'tickets',
    columns: [
      ['customer_id', 'uuid'],
      ['subject', 'text'],
      ['status', 'text'],
      ['priority', 'text'],
      ['opened_at', 'timestamptz'],
      ['closed_at', 'timestamptz'],
    ],
  },
  chat_messages: {
    table: 'chat_messages',
    columns: [
      ['customer_id', 'uuid'],
      ['user_id', 'uuid'],
      ['direction', 'chat_direction'],
      ['content', 'text'],
      ['sent_at', 'timestamptz'],
    ],
  },
} satisfies Record<string, Spec>;

export type UpsertTable = keyof typeof SPECS;

/**
 * Upserts rows (objects keyed by column name, plus source and external_id) and reports
 * inserted / updated counts and every customer whose rows changed (including the
 * previous customer of a row that moved).
 */
export async function upsertRows(
  tx: DbOrTx,
  tableName: UpsertTable,
  tenantId: string,
  rows: Record<string, unknown>[],
  now: Date,
): Promise<UpsertOutcome> {
  if (rows.length === 0) return { inserted: 0, updated: 0, touchedCustomers: [], changedIds: [] };
  const spec: Spec = SPECS[tableName];
  const names = spec.columns.map(([n]) => n);
  const recordType = ['source text', 'external_id text', ...spec.columns.map(([n, t]) => `${n} ${t}`)].join(', ');
  const hasUpdatedAt = tableName !== 'chat_messages';
  const t = sql.raw(spec.table);
  const list = (prefix: string) => sql.raw(names.map((n) => `${prefix}${n}`).join(', '));
  const [r] = await executeNamed<{ inserted: number; updated: number; touched: string[]; changed: string[] }>(
    tx,
    sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${sql.raw(recordType)})
    ),
    -- LATERAL: one unique-index probe per item, never a scan of the tenant's rows.
    moved as (
      select x.customer_id from input i
      cross join lateral (
        select y.customer_id from ${t} y
        where y.tenant_id = ${tenantId} and y.source = i.source and y.external_id = i.external_id
      ) x
      where x.customer_id <> i.customer_id
    ),
    up as (
      insert into ${t} as x (tenant_id, source, external_id, ${list('')})
      select ${tenantId}, source, external_id, ${list('')} from input order by source, external_id
      on conflict (tenant_id, source, external_id) do update
        set ${sql.raw(names.map((n) => `${n} = excluded.${n}`).join(', '))}${hasUpdatedAt ? sql`, updated_at = ${now}` : sql``}
        where (${list('x.')}) is distinct from (${list('excluded.')})
      returning (xmax = 0) as inserted, customer_id, id
    )
    select
      (select count(*) from up where inserted)::int as inserted,
      (select count(*) from up where not inserted)::int as updated,
      (select coalesce(json_agg(distinct c), '[]'::json) from (
        select customer_id c from up union select customer_id from moved) z) as touched,
      (select coalesce(json_agg(id), '[]'::json) from up) as changed`,
    `ingest_${tableName}`,
  );
  return {
    inserted: r?.inserted ?? 0,
    updated: r?.updated ?? 0,
    touchedCustomers: r?.touched ?? [],
    changedIds: r?.changed ?? [],
  };
}

/** Products named by orders, by SKU; returns sku → product id. */
export async function upsertProducts(
  tx: DbOrTx,
  tenantId: string,
  products: { sku: string; name: string; category: string }[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (products.length === 0) return out;
  const uniq = [...new Map(products.map((p) => [p.sku, p])).values()];
  const res = await tx.execute(sql`
    with input as (select * from jsonb_to_recordset(${JSON.stringify(uniq)}::jsonb) as r(sku text, name text, category text)),
    up as (
      insert into products as p (tenant_id, sku, name, category)
      select ${tenantId}, sku, name, category from input order by sku
      on conflict (tenant_id, sku) do update set name = excluded.name, category = excluded.category
        where (p.name, p.category) is distinct from (excluded.name, excluded.category)
      returning id, sku
    )
    select id, sku from up
    union all
    select p.id, p.sku from input i
    cross join lateral (select q.id, q.sku from products q where q.tenant_id = ${tenantId} and q.sku = i.sku) p
    where not exists (select 1 from up where up.sku = p.sku)`);
  for (const r of rowsOf<{ id: string; sku: string }>(res)) out.set(r.sku, r.id);
  return out;
}

export const uuidList = (ids: string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/**
 * LTV (non-cancelled, non-refunded orders, in fen), order count and the latest order as an
 * interaction, recomputed for the given customers in one statement; unchanged rows untouched.
 */
export async function recomputeOrderRollups(tx: DbOrTx, tenantId: string, customerIds: string[], now: Date) {
  if (customerIds.length === 0) return;
  // One array parameter: the planner sees its size and probes the (tenant, customer) indexes.
  const ids = uuidArray(customerIds);
  // Not a named statement: a generic plan cannot see the array's size and scans the tenant.
  await tx.execute(
    sql`
    with agg as (
      select o.customer_id,
        coalesce(sum(o.amount_cents) filter (where o.status not in ('cancelled', 'refunded')), 0) as ltv,
        count(*) filter (where o.status not in ('cancelled', 'refunded')) as n,
        max(o.ordered_at) as last_at
      from orders o where o.tenant_id = ${tenantId} and o.customer_id = any(${ids})
      group by o.customer_id
    ),
    target as (
      select ids.id, coalesce(agg.ltv, 0) as ltv, coalesce(agg.n, 0)::int as n, agg.last_at
      from unnest(${ids}) as ids(id) left join agg on agg.customer_id = ids.id
    )
    update customers c
    set ltv_cents = t.ltv, order_count = t.n,
        last_interaction_at = greatest(c.last_interaction_at, t.last_at), updated_at = ${now}
    from target t
    where c.tenant_id = ${tenantId} and c.id = any(${ids}) and c.id = t.id
      and (c.ltv_cents, c.order_count, c.last_interaction_at)
        is distinct from (t.ltv, t.n, greatest(c.last_interaction_at, t.last_at))`,
  );
}

/** A uuid[] as one parameter (ids are validated uuids, so the literal needs no quoting). */
export const uuidArray = (ids: string[]): SQL => {
  for (const id of ids) if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`not a uuid: ${id}`);
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
};

/** Moves customers' cached interaction instants forward (never back). */
export async function bumpInteractions(
  tx: DbOrTx,
  tenantId: string,
  touches: { customerId: string; any: Date | null; rep: Date | null }[],
  now: Date,
) {
  if (touches.length === 0) return;
  await tx.execute(sql`
    with t as (select * from jsonb_to_recordset(${JSON.stringify(touches)}::jsonb)
      as r("customerId" uuid, "any" timestamptz, rep timestamptz))
    update customers c
    set last_interaction_at = greatest(c.last_interaction_at, t."any"),
        last_rep_touch_at = greatest(c.last_rep_touch_at, t.rep), updated_at = ${now}
    from t
    where c.tenant_id = ${tenantId} and c.id = t."customerId"
      and (c.last_interaction_at is distinct from greatest(c.last_interaction_at, t."any")
        or c.last_rep_touch_at is distinct from greatest(c.last_rep_touch_at, t.rep))`);
}

/**
 * Outgoing chats close the open promises they came after: kept when the first such chat
 * was before due + grace, late otherwise (the same rule as a visit, set-based).
 */
export async function closePromisesByChats(
  tx: DbOrTx,
  tenantId: string,
  customerIds: string[],
  graceHours: number,
  now: Date,
) {
  if (customerIds.length === 0) return;
  await tx.execute(sql`
    with firsts as (
      select v.id, v.next_contact_at, (
        select min(m.sent_at) from chat_messages m
        where m.tenant_id = v.tenant_id and m.customer_id = v.customer_id and m.direction = 'out' and m.sent_at > v.occurred_at
      ) as touch_at
      from visits v
      where v.tenant_id = ${tenantId} and v.customer_id in (${uuidList(customerIds)}) and v.promise_status = 'open'
    )
    update visits v
    set promise_status = case when f.touch_at < f.next_contact_at + make_interval(hours => ${graceHours}::int)
          then 'kept'::promise_status else 'late'::promise_status end,
        promise_closed_at = ${now}
    from firsts f
    where v.tenant_id = ${tenantId} and v.id = f.id and f.touch_at is not null`);
}

export async function tenantContext(db: DbOrTx, tenantId: string) {
  const res = await db.execute(sql`select time_zone, settings from tenants where tenant_id = ${tenantId}`);
  const t = rowsOf<{ time_zone: string; settings: { createCustomersFromOrders?: boolean; overdueHours?: number } }>(
    res,
  )[0];
  return {
    timeZone: t?.time_zone ?? 'Asia/Shanghai',
    createCustomersFromOrders: t?.settings?.createCustomersFromOrders === true,
    overdueHours: t?.settings?.overdueHours ?? 24,
  };
}

/** Users named by chats: by id or WeCom userid, inside the tenant. */
export async function resolveUsers(db: DbOrTx, tenantId: string, ids: string[], wecomIds: string[]) {
  const byId = new Set<string>();
  const byWecom = new Map<string, string>();
  if (ids.length === 0 && wecomIds.length === 0) return { byId, byWecom };
  const res = await db.execute(sql`
    select id, wecom_userid from users where tenant_id = ${tenantId}
      and (id::text in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
        or wecom_userid in (select jsonb_array_elements_text(${JSON.stringify(wecomIds)}::jsonb)))`);
  for (const r of rowsOf<{ id: string; wecom_userid: string | null }>(res)) {
    byId.add(r.id);
    if (r.wecom_userid) byWecom.set(r.wecom_userid, r.id);
  }
  return { byId, byWecom };
}
