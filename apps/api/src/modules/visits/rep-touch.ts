// When the rep's side touches a customer (visit, call, outgoing chat), the customer's
// open overdue cards are settled by the system. The alert module owns cards; this is
// the one place that closes them for a touch, called inside the writer's transaction.
import type { DbOrTx } from '@crm/db';
import { type SQL, sql } from 'drizzle-orm';

const idList = (ids: string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/**
 * Resolves open/acked `overdue_followup` cards of the given customers whose broken promise
 * the customer's latest rep touch (customers.last_rep_touch_at, already updated) came after.
 */
export async function onRepTouch(
  tx: DbOrTx,
  input: { tenantId: string; customerIds: string[]; timeZone: string; now: Date },
): Promise<number> {
  if (input.customerIds.length === 0) return 0;
  const res = await tx.execute(sql`
    update tasks t
    set status = 'resolved',
        resolution = '销售已于 ' || to_char(c.last_rep_touch_at at time zone ${input.timeZone}, 'YYYY-MM-DD HH24:MI') || ' 跟进',
        updated_at = ${input.now}
    from customers c
    where t.tenant_id = ${input.tenantId}
      and t.customer_id in (${idList(input.customerIds)})
      and t.kind = 'overdue_followup' and t.status in ('open', 'acked')
      and c.tenant_id = t.tenant_id and c.id = t.customer_id and c.last_rep_touch_at is not null
      and (t.visit_id is null or c.last_rep_touch_at > (
        select v.occurred_at from visits v where v.tenant_id = t.tenant_id and v.id = t.visit_id))`);
  return (
    (res as { rowCount?: number | null; affectedRows?: number }).rowCount ??
    (res as { affectedRows?: number }).affectedRows ??
    0
  );
}

export { idList };
