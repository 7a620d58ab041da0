// Loads what a card shows on a phone, for a batch of claimed deliveries, in two queries.
import { type DbOrTx, schema } from '@crm/db';
import { inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { CardView } from '../../integrations/platform';

export type CardTarget = CardView & {
  wecomUserId: string | null;
  dingtalkUserId: string | null;
  /** The recipient's tenant's organisations on the platforms. */
  wecomCorpId: string | null;
  dingtalkCorpId: string | null;
};

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);

export async function loadCardTargets(db: DbOrTx, taskIds: string[], now: Date, baseUrl: string) {
  const out = new Map<string, CardTarget>();
  if (taskIds.length === 0) return out;
  const t = schema.tasks;
  const recipient = alias(schema.users, 'recipient');
  const rep = alias(schema.users, 'rep');
  const rows = await db
    .select({
      id: t.id,
      kind: t.kind,
      payload: t.payload,
      dueAt: t.dueAt,
      customerId: t.customerId,
      customerName: schema.customers.name,
      customerOrg: schema.customers.org,
      repName: rep.name,
      timeZone: schema.tenants.timeZone,
      wecomUserId: recipient.wecomUserId,
      dingtalkUserId: recipient.dingtalkUserId,
      wecomCorpId: schema.tenants.wecomCorpId,
      dingtalkCorpId: schema.tenants.dingtalkCorpId,
    })
    .from(t)
    .innerJoin(recipient, sql`${recipient.tenantId} = ${t.tenantId} and ${recipient.id} = ${t.recipientId}`)
    .leftJoin(
      schema.customers,
      sql`${schema.customers.tenantId} = ${t.tenantId} and ${schema.customers.id} = ${t.customerId}`,
    )
    .leftJoin(rep, sql`${rep.tenantId} = ${t.tenantId} and ${rep.id} = ${t.repId}`)
    .leftJoin(schema.tenants, sql`${schema.tenants.tenantId} = ${t.tenantId}`)
    .where(inArray(t.id, taskIds));
  const customerIds = [...new Set(rows.map((r) => r.customerId).filter((x): x is string => Boolean(x)))];
  const scores = new Map<string, (number | null)[]>();
  if (customerIds.length > 0) {
    const o = schema.orders;
    const recent = await db
      .select({
        customerId: o.customerId,
        score: o.fulfilmentScore,
        rn: sql<number>`row_number() over (partition by ${o.customerId} order by ${o.orderedAt} desc)`.mapWith(Number),
      })
      .from(o)
      .where(inArray(o.customerId, customerIds));
    for (const r of recent.filter((x) => x.rn <= 3).sort((a, b) => a.rn - b.rn))
      scores.set(r.customerId, [...(scores.get(r.customerId) ?? []), r.score]);
  }
  for (const r of rows) {
    const p = r.payload ?? {};
    const pack = (p.pack ?? {}) as Record<string, unknown>;
    const payloadCustomer = (p.customer ?? {}) as Record<string, unknown>;
    const due = r.dueAt ?? (str(p.promisedAt) ? new Date(String(p.promisedAt)) : null);
    out.set(r.id, {
      kind: r.kind,
      taskId: r.id,
      customer: {
        name: r.customerName ?? str(payloadCustomer.name) ?? '客户',
        org: r.customerOrg ?? str(payloadCustomer.org),
      },
      rep: r.repName ? { name: r.repName } : null,
      promise: str(p.coreNeed),
      dueAt: due,
      overdueHours: due ? Math.max(0, Math.floor((now.getTime() - due.getTime()) / 3_600_000)) : null,
      fulfilmentScores: r.customerId ? (scores.get(r.customerId) ?? []) : [],
      talkTrack: str(pack.talkTrack) ?? str(p.talkTrack),
      seasonalTip: str(pack.seasonalTip) ?? str(p.seasonalTip),
      title: str(p.title),
      text: str(p.text),
      timeZone: r.timeZone,
      link: `${baseUrl}/#/pages/tasks/index?taskId=${encodeURIComponent(r.id)}`,
      wecomUserId: r.wecomUserId,
      dingtalkUserId: r.dingtalkUserId,
      wecomCorpId: r.wecomCorpId,
      dingtalkCorpId: r.dingtalkCorpId,
    });
  }
  return out;
}
