// Identity-index lookups for the scanner (drizzle only).
import { type DbOrTx, schema } from '@crm/db';
import type { IdentityKind } from '@crm/domain';
import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { type Actor, ownedByVisible } from '../../shared/access';

const ci = schema.customerIdentities;
const cu = schema.customers;

export type IdentityHit = { customerId: string; kind: IdentityKind; value: string };
export type CustomerBrief = {
  id: string;
  name: string;
  org: string | null;
  ownerId: string;
  ownerName: string;
  visible: boolean;
};

/** An identity row of the index together with the brief of the customer that holds it. */
export type IdentityHitBrief = IdentityHit & Omit<CustomerBrief, 'id'>;

export function createScanRepo(db: DbOrTx) {
  return {
    /**
     * `identities` and `briefs` in one round trip: the identity rows for the keys, each
     * with its customer's name, org, owner and visibility for the actor.
     */
    async identityBriefs(actor: Actor, keys: { kind: IdentityKind; value: string }[]): Promise<IdentityHitBrief[]> {
      if (keys.length === 0) return [];
      const kinds = [...new Set(keys.map((k) => k.kind))];
      const values = [...new Set(keys.map((k) => k.value))];
      const rows = await db
        .select({
          customerId: ci.customerId,
          kind: ci.kind,
          value: ci.value,
          name: cu.name,
          org: cu.org,
          ownerId: cu.ownerId,
          ownerName: schema.users.name,
          visible: ownedByVisible(cu.ownerId, actor).mapWith(Boolean),
        })
        .from(ci)
        .innerJoin(cu, and(eq(cu.tenantId, ci.tenantId), eq(cu.id, ci.customerId)))
        .innerJoin(schema.users, and(eq(schema.users.tenantId, cu.tenantId), eq(schema.users.id, cu.ownerId)))
        .where(and(eq(ci.tenantId, actor.tenantId), inArray(ci.kind, kinds), inArray(ci.value, values)));
      return rows.filter((r) => keys.some((k) => k.kind === r.kind && k.value === r.value));
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
     * phones/emails. These are never identity rows, so this reads customers directly.
     */
    async weakHolders(
      tenantId: string,
      phones: string[],
      emails: string[],
      limit = 20,
    ): Promise<{ id: string; phones: string[]; emails: string[] }[]> {
      if (phones.length === 0 && emails.length === 0) return [];
      const conds: SQL[] = phones.map((e164) => sql`${cu.phones} @> ${JSON.stringify([{ e164 }])}::jsonb`);
      if (emails.length)
        conds.push(
          sql`exists (select 1 from unnest(${cu.emails}) e where lower(e) in (${sql.join(
            emails.map((e) => sql`${e}`),
            sql`, `,
          )}))`,
        );
      const rows = await db
        .select({ id: cu.id, phones: cu.phones, emails: cu.emails })
        .from(cu)
        .where(and(eq(cu.tenantId, tenantId), or(...conds)))
        .limit(limit);
      return rows.map((r) => ({
        id: r.id,
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
