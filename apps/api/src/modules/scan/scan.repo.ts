// Identity-index lookups for the scanner (drizzle only).
import { type ContactKeyKind, type DbOrTx, schema } from '@crm/db';
import type { IdentityKind } from '@crm/domain';
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Actor, ownedByVisible } from '../../shared/access';
import { wellFormed } from '../../shared/text-hygiene';
import { actorPlaceholders, firstPageCursor, type ViewRow, viewSql } from '../customers/customer-view.repo';
import { executePrepared, type PreparedSql, prepareSql } from '../customers/sql-rows';
import { arrayParam } from '../ingest/ingest.repo';

const ci = schema.customerIdentities;
const cu = schema.customers;
const ck = schema.customerContactKeys;

/**
 * A switchboard can be shared by a whole company: every holder is read (up to this many) so
 * the one whose name agrees is never cut off by a limit; names are compared by the caller.
 */
export const WEAK_HOLDERS_MAX = 2000;

/**
 * Customers (of the tenant) listing one of the e164 phones or lower-cased e-mails: range
 * scans of customer_contact_keys' primary key, one per kind, then customers by their key.
 * `= any(array(…))`, not `in (…)`: the holders are read first, whatever the statistics say,
 * never a hash of all the tenant's customers (a switchboard held by 2,000 of 10^6 customers).
 * Exported for the plan test.
 */
export function weakHolderCondition(tenantId: string, phones: string[], emails: string[]): SQL {
  const byKind = (kind: ContactKeyKind, values: string[]) =>
    sql`select ${ck.customerId} from ${ck}
      where ${ck.tenantId} = ${tenantId} and ${ck.kind} = ${kind} and ${ck.value} = any(${arrayParam(values, 'text')})`;
  const lookups: SQL[] = [];
  if (phones.length) lookups.push(byKind('phone', phones));
  if (emails.length) lookups.push(byKind('email', emails));
  if (lookups.length === 0) return sql`false`;
  return sql`${cu.id} = any(array(${sql.join(lookups, sql` union all `)}))`;
}

export type IdentityHit = { customerId: string; kind: IdentityKind; value: string };
export type CustomerBrief = {
  id: string;
  name: string;
  org: string | null;
  ownerId: string;
  ownerName: string;
  visible: boolean;
};

/** An identity row of the index together with the brief of the customer that holds it (for the actor). */
export type IdentityHitBrief = IdentityHit & Omit<CustomerBrief, 'id'>;

/**
 * The identity lookup and, in the same statement, the unified view of the customer when
 * exactly one customer holds the keys — what a scan of a known card needs, in one round
 * trip. Built once per role with placeholders and run as a named statement.
 */
const lookupStatements = new Map<Actor['role'], PreparedSql>();

function lookupStatement(role: Actor['role']): PreparedSql {
  let stmt = lookupStatements.get(role);
  if (stmt) return stmt;
  const actor = actorPlaceholders(role);
  const onlyHolder = sql`(select case when count(distinct h.customer_id) = 1 then (array_agg(h.customer_id))[1] end from hits h)`;
  const view = viewSql(actor, firstPageCursor(), onlyHolder);
  stmt = prepareSql(
    sql`
    with k as (select * from jsonb_to_recordset(${sql.placeholder('keys')}::jsonb) as k(kind identity_kind, value text)),
    hits as (
      select ci.customer_id, ci.kind, ci.value from customer_identities ci
      join k on ci.kind = k.kind and ci.value = k.value
      where ci.tenant_id = ${actor.tenantId}
    ),
    ${view.cte}
    select (
      select coalesce(json_agg(json_build_object(
        'customerId', h.customer_id, 'kind', h.kind, 'value', h.value, 'name', customers.name, 'org', customers.org,
        'ownerId', customers.owner_id, 'ownerName', u.name, 'visible', (${ownedByVisible(cu.ownerId, actor)})
      )), '[]'::json)
      from hits h
      join customers on customers.tenant_id = ${actor.tenantId} and customers.id = h.customer_id
      join users u on u.tenant_id = customers.tenant_id and u.id = customers.owner_id
    ) as hits, v.*
    from (select 1) one left join (select ${view.columns} from c) v on true`,
    'scan_lookup',
  );
  lookupStatements.set(role, stmt);
  return stmt;
}

export type LookupResult = {
  hits: IdentityHitBrief[];
  /** The view row of the single customer holding the keys (first timeline page), if exactly one does. */
  view: ViewRow | null;
};

export function createScanRepo(db: DbOrTx) {
  return {
    /** `identityBriefs` plus the view of the only holder, in one round trip (see lookupStatement). */
    async lookup(
      actor: Actor,
      keys: { kind: IdentityKind; value: string }[],
      timelineLimit: number,
    ): Promise<LookupResult> {
      // The keys travel as one jsonb parameter, which refuses what a text parameter quietly
      // accepted: U+0000 (never a stored value, so such a key cannot match) and lone
      // surrogates (made U+FFFD, as the stored values were).
      const usable = keys
        .filter((k) => !k.value.includes('\u0000'))
        .map(({ kind, value }) => ({ kind, value: wellFormed(value) }));
      if (usable.length === 0) return { hits: [], view: null };
      const [row] = await executePrepared<ViewRow & { hits: IdentityHitBrief[] }>(db, lookupStatement(actor.role), {
        keys: JSON.stringify(usable),
        actorId: actor.id,
        tenantId: actor.tenantId,
        take: timelineLimit + 1,
      });
      if (!row) return { hits: [], view: null };
      const { hits, ...view } = row;
      return { hits, view: view.id ? view : null };
    },

    /** Exact identity rows of the tenant for the given (kind, value) keys; uses the unique index. */
    async identities(tenantId: string, keys: { kind: IdentityKind; value: string }[]): Promise<IdentityHit[]> {
      if (keys.length === 0) return [];
      const kinds = [...new Set(keys.map((k) => k.kind))];
      const values = [...new Set(keys.map((k) => k.value))];
      const rows = await db
        .select({ customerId: ci.customerId, kind: ci.kind, value: ci.value })
        .from(ci)
        .where(and(eq(ci.tenantId, tenantId), inArray(ci.kind, kinds), inArray(ci.value, values)));
      return rows.filter((r) => keys.some((k) => k.kind === r.kind && k.value === r.value));
    },

    /**
     * Customers that list a weak key (switchboard number, role mailbox) in their own
     * phones/emails. These are never identity rows, so this reads customer_contact_keys.
     */
    async weakHolders(
      tenantId: string,
      phones: string[],
      emails: string[],
      limit = WEAK_HOLDERS_MAX,
    ): Promise<{ id: string; name: string; phones: string[]; emails: string[] }[]> {
      if (phones.length === 0 && emails.length === 0) return [];
      const rows = await db
        .select({ id: cu.id, name: cu.name, phones: cu.phones, emails: cu.emails })
        .from(cu)
        .where(and(eq(cu.tenantId, tenantId), weakHolderCondition(tenantId, phones, emails)))
        .limit(limit);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        phones: r.phones.filter((p) => p.e164 && phones.includes(p.e164)).map((p) => p.e164 as string),
        emails: r.emails.map((e) => e.toLowerCase()).filter((e) => emails.includes(e)),
      }));
    },

    /** Name, org, owner and whether the actor may fully see each customer (decided in the query). */
    async briefs(actor: Actor, ids: string[]): Promise<CustomerBrief[]> {
      if (ids.length === 0) return [];
      return db
        .select({
          id: cu.id,
          name: cu.name,
          org: cu.org,
          ownerId: cu.ownerId,
          ownerName: schema.users.name,
          visible: ownedByVisible(cu.ownerId, actor).mapWith(Boolean),
        })
        .from(cu)
        .innerJoin(schema.users, and(eq(schema.users.tenantId, cu.tenantId), eq(schema.users.id, cu.ownerId)))
        .where(and(eq(cu.tenantId, actor.tenantId), inArray(cu.id, ids)));
    },
  };
}

export type ScanRepo = ReturnType<typeof createScanRepo>;
