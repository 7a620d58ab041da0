import { type DbOrTx, schema } from '@crm/db';
import { normalizePhone } from '@crm/domain';
import { and, asc, eq, or, type SQL, sql } from 'drizzle-orm';
import { type Actor, inTenant, ownedByVisible } from '../../shared/access';

const c = schema.customers;
const ck = schema.customerContactKeys;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** What a search text may match: name, org, pinyin key, phone digits (4+), e-mail. */
export function searchCondition(q: string, tenantId: string): SQL | undefined {
  const text = q.normalize('NFKC').trim();
  if (!text) return undefined;
  const like = `%${escapeLike(text)}%`;
  const parts: SQL[] = [sql`${c.name} ilike ${like}`, sql`${c.org} ilike ${like}`];
  const latin = text.toLowerCase().replace(/[\s'’·-]+/g, '');
  if (/^[a-z]+$/.test(latin)) parts.push(sql`${c.searchKey} like ${`%${latin}%`}`);
  const digits = text.replace(/[\s\-()+]/g, '');
  if (/^\d{4,}$/.test(digits)) {
    parts.push(sql`${c.phones}::text like ${`%${digits}%`}`);
    // A whole number typed as printed ("0532-5513 2279", "(021) 6888 1234"): every customer
    // holding it, whatever the form it was saved in. Uncorrelated, so it is read once (one
    // range of customer_contact_keys' primary key, hashed), not probed per customer.
    const e164 = digits.length >= 7 ? normalizePhone(text).e164 : null;
    if (e164)
      parts.push(sql`${c.id} in (select ${ck.customerId} from ${ck}
        where ${ck.tenantId} = ${tenantId} and ${ck.kind} = 'phone' and ${ck.value} = ${e164})`);
  }
  if (text.includes('@') || /^[\w.+-]{3,}$/.test(text))
    parts.push(sql`array_to_string(${c.emails}, ' ') ilike ${`%${escapeLike(text.toLowerCase())}%`}`);
  return or(...parts);
}

export type SearchRow = {
  id: string;
  name: string;
  org: string | null;
  title: string | null;
  tags: string[];
  ltvCents: number;
  lastInteractionAt: Date | null;
  ownerId: string;
  ownerName: string;
  visible: boolean;
};

/**
 * With a query: every matching customer of the tenant, the actor's own (fully visible) first.
 * Without one: the actor's book only.
 */
export async function searchCustomers(
  db: DbOrTx,
  actor: Actor,
  q: string | undefined,
  limit: number,
  offset: number,
): Promise<SearchRow[]> {
  const visible = ownedByVisible(c.ownerId, actor);
  const match = q ? searchCondition(q, actor.tenantId) : undefined;
  return (
    db
      .select({
        id: c.id,
        name: c.name,
        org: c.org,
        title: c.title,
        tags: c.tags,
        ltvCents: c.ltvCents,
        lastInteractionAt: c.lastInteractionAt,
        ownerId: c.ownerId,
        ownerName: schema.users.name,
        visible: sql<boolean>`(${visible})`.mapWith(Boolean),
      })
      .from(c)
      .innerJoin(schema.users, and(eq(schema.users.tenantId, c.tenantId), eq(schema.users.id, c.ownerId)))
      .where(and(inTenant(c.tenantId, actor), match ?? visible))
      // (CASE, not a bare constant: an admin's "true" would be a constant ORDER BY)
      .orderBy(
        sql`case when ${visible} then 0 else 1 end`,
        sql`${c.lastInteractionAt} desc nulls last`,
        asc(c.name),
        asc(c.id),
      )
      .limit(limit)
      .offset(offset)
  );
}
