// The unified view in one statement: the customer, its visibility for the actor and —
// only when fully visible — commitment, recent orders, one timeline page and
// opportunities, each read through its (tenant, customer, time) index. One round trip
// whatever the size of the history.
import type { DbOrTx } from '@crm/db';
import { schema } from '@crm/db';
import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import { type Actor, ownedByVisible } from '../../shared/access';
import { executePrepared, type PreparedSql, prepareSql } from './sql-rows';

export type TimelineCursor = { before?: Date | undefined; beforeId?: string | undefined; limit: number };

/** The cursor as it is written into the statement: placeholders, filled at execution. */
export type CursorSql = { before?: Placeholder; beforeId?: Placeholder; take: Placeholder };

export type ViewRow = {
  id: string;
  name: string;
  org: string | null;
  owner_id: string;
  owner_name: string;
  visible: boolean;
  title: string | null;
  dept: string[];
  industry: string | null;
  phones: unknown[];
  emails: string[];
  tags: string[];
  address: string | null;
  note: string | null;
  wechat: string | null;
  ltv_cents: number;
  order_count: number;
  last_interaction_at: Date | string | null;
  last_rep_touch_at: Date | string | null;
  created_at: Date | string;
  open_commitment: { dueAt: string; visitId: string } | null;
  recent_orders: RecentOrderJson[] | null;
  timeline: TimelineJson[] | null;
  opportunities: OpportunityJson[] | null;
};

export type RecentOrderJson = {
  id: string;
  externalId: string;
  orderedAt: string;
  amountCents: number;
  status: string;
  fulfilmentScore: number | null;
};
export type TimelineJson = {
  kind: 'visit' | 'order' | 'ticket' | 'chat' | 'payment' | 'signal';
  id: string;
  at: string;
  summary: string;
  status: string | null;
  amountCents: number | null;
  direction: string | null;
  channel: string | null;
  actionType: string | null;
  userId: string | null;
  nextContactAt: string | null;
  fulfilmentScore: number | null;
  level: number | null;
  opportunityId: string | null;
};
export type OpportunityJson = {
  id: string;
  title: string;
  amountCents: number;
  stage: string;
  expectedCloseAt: string | null;
  topSignalLevel: number | null;
};

/** `col < before`, or with a tie-breaker `(col, id) < (before, beforeId)` written so the time index serves it. */
function olderThan(col: SQL, idCol: SQL, cur: CursorSql): SQL {
  if (!cur.before) return sql`true`;
  if (!cur.beforeId) return sql`${col} < ${cur.before}`;
  return sql`${col} <= ${cur.before} and (${col} < ${cur.before} or ${idCol} < ${cur.beforeId})`;
}

/** One branch of the timeline: newest `limit + 1` rows of one source for the customer. */
function branch(table: string, timeCol: string, select: SQL, where: SQL, cur: CursorSql, from?: SQL): SQL {
  const col = sql.raw(`x.${timeCol}`);
  return sql`(select ${select} from ${from ?? sql.raw(`${table} x`)}
    where x.tenant_id = c.tenant_id and x.customer_id = c.id and ${where} and ${olderThan(col, sql.raw('x.id'), cur)}
    order by ${col} desc, x.id desc limit ${cur.take})`;
}

const cols = (kind: string, at: string, summary: string, extra: Partial<Record<string, string>>) =>
  sql.raw(
    [
      `'${kind}'::text as kind`,
      'x.id',
      `x.${at} as at`,
      `${summary} as summary`,
      `${extra.status ?? 'null'}::text as status`,
      `${extra.amountCents ?? 'null'}::bigint as "amountCents"`,
      `${extra.direction ?? 'null'}::text as direction`,
      `${extra.channel ?? 'null'}::text as channel`,
      `${extra.actionType ?? 'null'}::text as "actionType"`,
      `${extra.userId ?? 'null'}::uuid as "userId"`,
      `${extra.nextContactAt ?? 'null'}::timestamptz as "nextContactAt"`,
      `${extra.fulfilmentScore ?? 'null'}::int as "fulfilmentScore"`,
      `${extra.level ?? 'null'}::int as level`,
      `${extra.opportunityId ?? 'null'}::uuid as "opportunityId"`,
    ].join(', '),
  );

function timelineSql(cur: CursorSql): SQL {
  const branches = [
    branch(
      'visits',
      'occurred_at',
      cols('visit', 'occurred_at', 'x.core_need', {
        status: 'x.promise_status',
        channel: 'x.channel',
        actionType: 'x.action_type',
        userId: 'x.rep_id',
        nextContactAt: 'x.next_contact_at',
      }),
      sql`true`,
      cur,
    ),
    branch(
      'orders',
      'ordered_at',
      cols('order', 'ordered_at', `'订单 ' || x.external_id || coalesce(' · ' || p.name, '')`, {
        status: 'x.status',
        amountCents: 'x.amount_cents',
        fulfilmentScore: 'x.fulfilment_score',
      }),
      sql`true`,
      cur,
      sql`orders x left join products p on p.tenant_id = x.tenant_id and p.id = x.product_id`,
    ),
    branch('tickets', 'opened_at', cols('ticket', 'opened_at', 'x.subject', { status: 'x.status' }), sql`true`, cur),
    branch(
      'chat_messages',
      'sent_at',
      cols('chat', 'sent_at', 'left(x.content, 200)', { direction: 'x.direction', userId: 'x.user_id' }),
      sql`true`,
      cur,
    ),
    branch(
      'payments',
      'paid_at',
      cols('payment', 'paid_at', `'回款 ' || x.out_trade_no`, {
        status: `case when x.applied_at is null then 'pending' else 'applied' end`,
        amountCents: 'x.amount_cents',
      }),
      sql`true`,
      cur,
    ),
    branch(
      'signals',
      'observed_at',
      cols('signal', 'observed_at', `x.kind || coalesce(' · ' || left(x.evidence, 200), '')`, {
        status: 'x.status',
        level: 'x.level',
        opportunityId: 'x.opportunity_id',
        userId: 'x.created_by_id',
      }),
      sql`x.status <> 'rejected'`,
      cur,
    ),
  ];
  return sql`(select coalesce(json_agg(t order by t.at desc, t.id desc), '[]'::json) from (
      select * from (${sql.join(branches, sql` union all `)}) u order by u.at desc, u.id desc limit ${cur.take}
    ) t)`;
}

/** The actor as it is written into a prepared statement: id and tenant are placeholders, the role is the shape. */
export function actorPlaceholders(role: Actor['role']): Actor {
  return { id: sql.placeholder('actorId'), tenantId: sql.placeholder('tenantId'), role } as unknown as Actor;
}

/**
 * The view as CTE `c` (the customer whose id `customerIdSql` yields, with its owner's name
 * and its visibility for the actor) and the select list over it. The scanner puts its
 * identity lookup in front of `c` so a scan is one round trip too.
 */
export function viewSql(actor: Actor, cur: CursorSql, customerIdSql: SQL | Placeholder): { cte: SQL; columns: SQL } {
  const visible = ownedByVisible(schema.customers.ownerId, actor);
  const cte = sql`c as (
      select customers.*, owner.name as owner_name, (${visible}) as visible
      from customers
      join users owner on owner.tenant_id = customers.tenant_id and owner.id = customers.owner_id
      where customers.tenant_id = ${actor.tenantId} and customers.id = ${customerIdSql}
    )`;
  const columns = sql`c.id, c.name, c.org, c.owner_id, c.owner_name, c.visible,
      case when c.visible then c.title end as title,
      case when c.visible then c.dept end as dept,
      case when c.visible then c.industry end as industry,
      case when c.visible then c.phones end as phones,
      case when c.visible then c.emails end as emails,
      case when c.visible then c.tags end as tags,
      case when c.visible then c.address end as address,
      case when c.visible then c.note end as note,
      case when c.visible then c.wechat end as wechat,
      case when c.visible then c.ltv_cents end as ltv_cents,
      case when c.visible then c.order_count end as order_count,
      case when c.visible then c.last_interaction_at end as last_interaction_at,
      case when c.visible then c.last_rep_touch_at end as last_rep_touch_at,
      c.created_at,
      case when c.visible then (
        select json_build_object('dueAt', v.next_contact_at, 'visitId', v.id) from visits v
        where v.tenant_id = c.tenant_id and v.customer_id = c.id and v.promise_status = 'open'
        order by v.occurred_at desc limit 1
      ) end as open_commitment,
      case when c.visible then (
        select coalesce(json_agg(o order by o."orderedAt" desc, o.id desc), '[]'::json) from (
          select x.id, x.external_id as "externalId", x.ordered_at as "orderedAt", x.amount_cents as "amountCents",
            x.status, x.fulfilment_score as "fulfilmentScore"
          from orders x where x.tenant_id = c.tenant_id and x.customer_id = c.id
          order by x.ordered_at desc, x.id desc limit 3
        ) o
      ) end as recent_orders,
      case when c.visible then ${timelineSql(cur)} end as timeline,
      case when c.visible then (
        select coalesce(json_agg(op order by op."createdAt" desc), '[]'::json) from (
          select x.id, x.title, x.amount_cents as "amountCents", x.stage, x.expected_close_at as "expectedCloseAt",
            x.created_at as "createdAt",
            (select max(s.level) from signals s where s.tenant_id = x.tenant_id and s.opportunity_id = x.id
              and s.status = 'confirmed') as "topSignalLevel"
          from opportunities x where x.tenant_id = c.tenant_id and x.customer_id = c.id
          order by x.created_at desc limit 50
        ) op
      ) end as opportunities`;
  return { cte, columns };
}

/** The first timeline page (no cursor), as the scanner shows it. */
export const firstPageCursor = (): CursorSql => ({ take: sql.placeholder('take') });

/**
 * The statement depends only on the actor's role and on which cursor fields are set: it
 * is built once per shape with placeholders (building this large SQL through drizzle and
 * hashing it for its name were a measurable part of every request) and runs as a named
 * statement, so PostgreSQL plans it once per connection.
 */
const viewStatements = new Map<string, PreparedSql>();

function viewStatement(role: Actor['role'], hasBefore: boolean, hasBeforeId: boolean): PreparedSql {
  const shape = `${role}:${hasBefore ? 'b' : ''}${hasBefore && hasBeforeId ? 'i' : ''}`;
  let stmt = viewStatements.get(shape);
  if (stmt) return stmt;
  const cur: CursorSql = {
    take: sql.placeholder('take'),
    ...(hasBefore ? { before: sql.placeholder('before') } : {}),
    ...(hasBefore && hasBeforeId ? { beforeId: sql.placeholder('beforeId') } : {}),
  };
  const { cte, columns } = viewSql(actorPlaceholders(role), cur, sql.placeholder('customerId'));
  stmt = prepareSql(sql`with ${cte} select ${columns} from c`, 'customer_view');
  viewStatements.set(shape, stmt);
  return stmt;
}

export async function loadCustomerView(
  db: DbOrTx,
  actor: Actor,
  customerId: string,
  cur: TimelineCursor,
): Promise<ViewRow | undefined> {
  const stmt = viewStatement(actor.role, Boolean(cur.before), Boolean(cur.beforeId));
  const rows = await executePrepared<ViewRow>(db, stmt, {
    actorId: actor.id,
    tenantId: actor.tenantId,
    customerId,
    take: cur.limit + 1,
    before: cur.before,
    beforeId: cur.beforeId,
  });
  return rows[0];
}
