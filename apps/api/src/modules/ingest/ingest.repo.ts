// Set-based writes for ingestion: one statement per table per batch, whatever the batch
// size, idempotent by (tenant, source, external_id). Every batch travels as one array
// parameter per column (`unnest($1::text[], $2::uuid[], …)`), which works the same on a
// PostgreSQL server and on PGlite. A re-sent item identical to the stored row is not
// touched at all (no new updated_at, no row lock), so a re-import changes nothing.
import type { DbOrTx } from '@crm/db';
import { UNCOUNTED_ORDER_STATUSES } from '@crm/domain';
import { type SQL, sql } from 'drizzle-orm';
import { rowsOf } from '../customers/sql-rows';

type Scalar = string | number | boolean | Date | null | undefined;

/**
 * A PostgreSQL array literal (`{"a","b",NULL}`) for one array parameter. Sent as text and
 * cast in SQL (`$1::uuid[]`), so both drivers pass it through untouched; elements are
 * always quoted, so commas, braces, blanks and the word NULL inside a value stay values.
 */
export function pgArray(values: readonly Scalar[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
      out += String(v);
    } else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else {
      const s = typeof v === 'string' ? v : v.toISOString();
      out += s.includes('"') || s.includes('\\') ? `"${s.replace(/["\\]/g, '\\$&')}"` : `"${s}"`;
    }
  }
  return `${out}}`;
}

/** One typed array parameter: `$n::type[]`. */
export const arrayParam = (values: readonly Scalar[], type: string): SQL => sql`${pgArray(values)}::${sql.raw(type)}[]`;

/** A uuid[] as one parameter; ids must be uuids (they come from the database or were validated). */
export const uuidArray = (ids: readonly string[]): SQL => {
  for (const id of ids) if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`not a uuid: ${id}`);
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
};

/**
 * For the rest of this transaction, plan as if random reads cost what sequential ones do
 * (random_page_cost 1.1 instead of PostgreSQL's default 4): a batch's working set is cached.
 * At 4 the planner answered "these 5,000 customers of a batch" with a scan and hash of the
 * whole tenant instead of 5,000 primary-key probes (30–60 ms against ~8 ms per statement at
 * 10^5 customers; worse as the tenant grows). Only here: given to every session it made the
 * customer view slower (its timeline plan changed; p99 18 → 25 ms at 10 connections).
 */
export async function planForBatches(tx: DbOrTx) {
  await tx.execute(sql`set local random_page_cost = 1.1`);
}

/**
 * `unnest(<one array per column>) as <alias>(<columns>)`: a batch of rows (objects keyed by
 * column name) as a relation, in one parameter per column.
 */
export function unnestRows(rows: readonly Record<string, unknown>[], columns: readonly Column[], alias: string): SQL {
  const arrays = columns.map(([name, type]) =>
    arrayParam(
      rows.map((r) => r[name] as Scalar),
      type,
    ),
  );
  const names = columns.map(([n]) => `"${n}"`).join(', ');
  return sql`unnest(${sql.join(arrays, sql`, `)}) as ${sql.raw(alias)}(${sql.raw(names)})`;
}

type Column = readonly [name: string, type: string];

/**
 * inserted / updated: rows written (an identical re-send is neither). touchedCustomers: every
 * customer whose rows changed, including the previous customer of a row that moved.
 * changedIds: rows inserted or really updated. paying (orders only): the changed orders a
 * stored, not yet applied payment is waiting for (out_trade_no = external_id).
 */
export type UpsertOutcome = {
  inserted: number;
  updated: number;
  touchedCustomers: string[];
  changedIds: string[];
  paying: string[];
};

type Spec = {
  table: string;
  /** Columns written besides tenant_id, source, external_id, with their SQL types. */
  columns: readonly Column[];
  hasUpdatedAt: boolean;
  /** Orders only: report the changed orders a pending payment waits for. */
  payments: boolean;
  /**
   * Orders only: keep moved_from_customer_id, so the customer an order moved away from is
   * among the touched customers (its LTV and order count are recomputed).
   */
  tracksMoves: boolean;
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
    hasUpdatedAt: true,
    payments: true,
    tracksMoves: true,
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
    hasUpdatedAt: true,
    payments: false,
    tracksMoves: false,
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
    hasUpdatedAt: false,
    payments: false,
    tracksMoves: false,
  },
} satisfies Record<string, Spec>;

export type UpsertTable = keyof typeof SPECS;

const KEY_COLUMNS: readonly Column[] = [
  ['source', 'text'],
  ['external_id', 'text'],
];

const compareCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Upserts a batch in one statement: `insert … select … from unnest(…) on conflict (tenant_id,
 * source, external_id) do update … where (row) is distinct from (excluded row)`. Rows must
 * be unique by (source, external_id) — the rules keep the last of a batch's duplicates.
 */
export async function upsertRows(
  tx: DbOrTx,
  tableName: UpsertTable,
  tenantId: string,
  rows: readonly Record<string, unknown>[],
  now: Date,
): Promise<UpsertOutcome> {
  if (rows.length === 0) return { inserted: 0, updated: 0, touchedCustomers: [], changedIds: [], paying: [] };
  const spec: Spec = SPECS[tableName];
  // Rows are locked in (source, external_id) order under the byte-wise "C" collation, so two
  // batches sharing keys queue instead of deadlocking. Sent already in that order (code-unit
  // order agrees with it outside astral characters), the database's sort is one pass.
  const byKey = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    compareCodeUnits(String(a.source), String(b.source)) ||
    compareCodeUnits(String(a.external_id), String(b.external_id));
  const sorted = [...rows].sort(byKey);
  const names = spec.columns.map(([n]) => n);
  const t = sql.raw(spec.table);
  const list = (prefix: string) => sql.raw(names.map((n) => `${prefix}${n}`).join(', '));
  const paying = spec.payments
    ? sql`(select coalesce(json_agg(up.id), '[]'::json) from up cross join lateral (
        select 1 from payments p
        where p.tenant_id = ${tenantId} and p.out_trade_no = up.external_id and p.applied_at is null limit 1) p)`
    : sql`'[]'::json`;
  // In the SET clause x is the row as last committed — by whichever batch wrote it, even one
  // this statement waited for — not the statement's snapshot, which may predate that write:
  // reading the previous customer from the snapshot missed moves made by a concurrent batch
  // (and left the customer the order left with its LTV for good).
  const movedFrom = spec.tracksMoves
    ? sql`, moved_from_customer_id = case when x.customer_id is distinct from excluded.customer_id
          then x.customer_id else x.moved_from_customer_id end`
    : sql``;
  // A custom plan per batch (unnamed statement): the planner sees the arrays' length.
  const res = await tx.execute(sql`
    with input as (
      select * from ${unnestRows(sorted, [...KEY_COLUMNS, ...spec.columns], 'i')}
    ),
    up as (
      insert into ${t} as x (tenant_id, source, external_id, ${list('')})
      select ${tenantId}, source, external_id, ${list('')} from input order by source collate "C", external_id collate "C"
      on conflict (tenant_id, source, external_id) do update
        set ${sql.raw(names.map((n) => `${n} = excluded.${n}`).join(', '))}${spec.hasUpdatedAt ? sql`, updated_at = ${now}` : sql``}${movedFrom}
        where (${list('x.')}) is distinct from (${list('excluded.')})
      returning x.id, x.customer_id, x.external_id, (x.xmax = 0) as inserted, ${spec.tracksMoves ? sql`x.moved_from_customer_id` : sql`null::uuid`} as moved_from
    )
    select
      (select count(*) from up where inserted)::int as inserted,
      (select count(*) from up where not inserted)::int as updated,
      -- Every customer of a written row, and (orders) the customer a row moved away from.
      (select coalesce(json_agg(distinct z.c), '[]'::json) from (
        select customer_id as c from up
        union
        select moved_from from up where moved_from is not null) z) as touched,
      (select coalesce(json_agg(up.id), '[]'::json) from up) as changed,
      ${paying} as paying`);
  const [r] = rowsOf<{ inserted: number; updated: number; touched: string[]; changed: string[]; paying: string[] }>(
    res,
  );
  return {
    inserted: r?.inserted ?? 0,
    updated: r?.updated ?? 0,
    touchedCustomers: r?.touched ?? [],
    changedIds: r?.changed ?? [],
    paying: r?.paying ?? [],
  };
}

/**
 * Products named by orders, by SKU, in one statement; returns sku → product id. Only new or
 * renamed products are written (and so locked): concurrent batches naming the same products
 * do not queue behind each other's transactions.
 */
export async function upsertProducts(
  tx: DbOrTx,
  tenantId: string,
  products: readonly { sku: string; name: string; category: string }[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (products.length === 0) return out;
  const uniq = [...new Map(products.map((p) => [p.sku, p])).values()];
  const cols: Column[] = [
    ['sku', 'text'],
    ['name', 'text'],
    ['category', 'text'],
  ];
  const res = await tx.execute(sql`
    with input as (select * from ${unnestRows(uniq, cols, 'i')}),
    cur as (
      select p.id, p.sku, p.name, p.category from input i
      cross join lateral (
        select q.id, q.sku, q.name, q.category from products q where q.tenant_id = ${tenantId} and q.sku = i.sku limit 1
      ) p
    ),
    up as (
      insert into products as p (tenant_id, sku, name, category)
      select ${tenantId}, i.sku, i.name, i.category from input i
      where not exists (select 1 from cur where cur.sku = i.sku and cur.name = i.name and cur.category = i.category)
      order by i.sku
      on conflict (tenant_id, sku) do update set name = excluded.name, category = excluded.category
        where (p.name, p.category) is distinct from (excluded.name, excluded.category)
      returning p.id, p.sku
    )
    select id, sku from up
    union all
    select id, sku from cur where not exists (select 1 from up where up.sku = cur.sku)`);
  for (const r of rowsOf<{ id: string; sku: string }>(res)) out.set(r.sku, r.id);
  // A product another transaction inserted after this statement's snapshot (identical, so not
  // written again) is visible to the next statement.
  const missing = uniq.filter((p) => !out.has(p.sku)).map((p) => p.sku);
  if (missing.length > 0) {
    const again = await tx.execute(sql`
      select id, sku from products where tenant_id = ${tenantId} and sku = any(${arrayParam(missing, 'text')})`);
    for (const r of rowsOf<{ id: string; sku: string }>(again)) out.set(r.sku, r.id);
  }
  return out;
}

/**
 * LTV (non-cancelled, non-refunded orders, in fen), order count and the latest order as an
 * interaction, recomputed from the orders table for the given customers; customers whose
 * figures did not change are not written.
 *
 * Two statements, on purpose. The customers are locked first, in id order (so concurrent
 * batches sharing customers queue instead of deadlocking); only then are their orders summed,
 * by a statement whose snapshot is taken after the locks were granted. Summing and updating
 * in one statement lost orders: a batch that waited for another's lock on a customer still
 * wrote the sum it had computed before that batch committed (READ COMMITTED re-checks the
 * locked row, not the sum).
 */
export async function recomputeOrderRollups(tx: DbOrTx, tenantId: string, customerIds: string[], now: Date) {
  if (customerIds.length === 0) return;
  const ids = uuidArray([...customerIds].sort());
  await tx.execute(sql`
    select count(*) from (
      select 1 from customers c where c.tenant_id = ${tenantId} and c.id = any(${ids})
      order by c.id for no key update) locked`);
  await tx.execute(rollupStatement(tenantId, ids, now));
}

/**
 * The rollup UPDATE of recomputeOrderRollups: customers joined by primary key per id (never a
 * scan of the tenant's customers, given planForBatches); a LATERAL aggregate per customer, an
 * index range scan on (tenant, customer, ordered_at) each. Exported for its plan test.
 */
export function rollupStatement(tenantId: string, ids: SQL, now: Date): SQL {
  const uncounted = arrayParam(UNCOUNTED_ORDER_STATUSES, 'order_status');
  return sql`
    update customers c
    set ltv_cents = t.ltv, order_count = t.n,
        last_interaction_at = greatest(c.last_interaction_at, t.last_at), updated_at = ${now}
    from (
      select ids.id, agg.ltv, agg.n, agg.last_at
      from unnest(${ids}) as ids(id)
      cross join lateral (
        select coalesce(sum(o.amount_cents) filter (where o.status <> all(${uncounted})), 0)::bigint as ltv,
          (count(*) filter (where o.status <> all(${uncounted})))::int as n,
          max(o.ordered_at) as last_at
        from orders o where o.tenant_id = ${tenantId} and o.customer_id = ids.id
      ) agg
    ) t
    where c.tenant_id = ${tenantId} and c.id = t.id
      and (c.ltv_cents, c.order_count, c.last_interaction_at)
        is distinct from (t.ltv, t.n, greatest(c.last_interaction_at, t.last_at))`;
}

/** Moves customers' cached interaction instants forward (never back), in one statement. */
export async function bumpInteractions(
  tx: DbOrTx,
  tenantId: string,
  touches: readonly { customerId: string; any: Date | null; rep: Date | null }[],
  now: Date,
) {
  if (touches.length === 0) return;
  const cols: Column[] = [
    ['customerId', 'uuid'],
    ['any', 'timestamptz'],
    ['rep', 'timestamptz'],
  ];
  await tx.execute(sql`
    with t as (select * from ${unnestRows(touches, cols, 'r')})
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
      where v.tenant_id = ${tenantId} and v.customer_id = any(${uuidArray(customerIds)}) and v.promise_status = 'open'
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
      and (id::text = any(${arrayParam(ids, 'text')}) or wecom_userid = any(${arrayParam(wecomIds, 'text')}))`);
  for (const r of rowsOf<{ id: string; wecom_userid: string | null }>(res)) {
    byId.add(r.id);
    if (r.wecom_userid) byWecom.set(r.wecom_userid, r.id);
  }
  return { byId, byWecom };
}
