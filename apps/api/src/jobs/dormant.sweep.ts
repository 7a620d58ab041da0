// The Friday wake-up sweep for one tenant: dormant high-value customers from the cached
// last_interaction_at / ltv_cents (index customers_dormant_idx), then their packs in batches.
import { schema } from '@crm/db';
import {
  dormantCutoff,
  dormantDedupeKey,
  isoWeekKey,
  type NewsItem,
  type Season,
  seasonAt,
  wakeupPack,
} from '@crm/domain';
import { and, eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../deps';
import { createCards, type NewCard } from '../modules/tasks/cards.repo';
import type { JobCounts } from './job';
import type { TenantInfo } from './runner';
import { queryRows, toDate, toDateOrNull, uuidList } from './sql-rows';

export const DORMANT_BATCH = 500;
export const NEWS_WINDOW_DAYS = 30;
export const NEWS_PER_PACK = 3;

type PackRow = {
  id: string;
  name: string;
  title: string | null;
  org: string | null;
  tags: string[] | null;
  industry: string | null;
  owner_id: string;
  owner_active: boolean | null;
  last_interaction_at: Date | null;
  ordered_at: Date | null;
  product_name: string | null;
  category: string | null;
  core_need: string | null;
};

type News = NewsItem & { industries: string[]; categories: string[] };

/** Ids of dormant high-value customers that have no card for this ISO week yet. */
export function dormantCandidates(deps: AppDeps, tenant: TenantInfo, now: Date, week: string) {
  const cutoff = dormantCutoff(now, tenant.timeZone, tenant.settings.dormantDays).toISOString();
  return queryRows<{ id: string }>(
    deps.db,
    sql`
    select c.id from customers c
    where c.tenant_id = ${tenant.tenantId} and c.ltv_cents > ${tenant.settings.dormantLtvCents}
      and (c.last_interaction_at < ${cutoff}::timestamptz
           or (c.last_interaction_at is null and c.created_at < ${cutoff}::timestamptz))
      and not exists (select 1 from tasks k where k.tenant_id = c.tenant_id
                      and k.dedupe_key = 'dormant:' || c.id::text || ':' || ${week})
    order by c.id`,
  );
}

function packInputs(deps: AppDeps, tenantId: string, ids: string[]) {
  return queryRows<PackRow>(
    deps.db,
    sql`
    select c.id, c.name, c.title, c.org, c.tags, c.industry, c.owner_id, u.active as owner_active,
           c.last_interaction_at, lo.ordered_at, p.name as product_name, p.category, lv.core_need
    from customers c
    left join users u on u.tenant_id = c.tenant_id and u.id = c.owner_id
    left join lateral (
      select o.ordered_at, o.product_id from orders o
      where o.tenant_id = c.tenant_id and o.customer_id = c.id and o.product_id is not null
      order by o.ordered_at desc, o.id desc limit 1) lo on true
    left join products p on p.tenant_id = c.tenant_id and p.id = lo.product_id
    left join lateral (
      select v.core_need from visits v where v.tenant_id = c.tenant_id and v.customer_id = c.id
      order by v.occurred_at desc limit 1) lv on true
    where c.tenant_id = ${tenantId} and c.id = any(string_to_array(${uuidList(ids)}, ',')::uuid[])`,
  );
}

async function seasonalTips(deps: AppDeps, tenantId: string, season: Season) {
  const t = schema.seasonalTips;
  const rows = await deps.db
    .select({ category: t.category, tip: t.tip })
    .from(t)
    .where(and(eq(t.tenantId, tenantId), eq(t.season, season)));
  return new Map(rows.map((r) => [r.category, r.tip]));
}

async function recentNegativeNews(deps: AppDeps, tenantId: string, now: Date): Promise<News[]> {
  const since = new Date(now.getTime() - NEWS_WINDOW_DAYS * 86_400_000);
  const n = schema.competitorNews;
  const rows = await deps.db
    .select()
    .from(n)
    .where(
      and(
        eq(n.tenantId, tenantId),
        eq(n.sentiment, 'negative'),
        sql`${n.publishedAt} >= ${since.toISOString()}::timestamptz and ${n.publishedAt} <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(sql`${n.publishedAt} desc`);
  return rows.map((r) => ({ ...r, url: r.url ?? null }));
}

/** News with neither industries nor categories is general and relevant to everyone. */
function relevantNews(news: News[], industry: string | null, category: string | null): NewsItem[] {
  return news
    .filter(
      (n) =>
        (n.industries.length === 0 && n.categories.length === 0) ||
        (industry !== null && n.industries.includes(industry)) ||
        (category !== null && n.categories.includes(category)),
    )
    .slice(0, NEWS_PER_PACK);
}

export async function sweepDormant(ctx: {
  tenant: TenantInfo;
  slot: Date;
  now: Date;
  deps: AppDeps;
}): Promise<JobCounts> {
  const { tenant, slot, now, deps } = ctx;
  const week = isoWeekKey(slot, tenant.timeZone);
  const season = seasonAt(now, tenant.timeZone);
  const ids = (await dormantCandidates(deps, tenant, now, week)).map((r) => r.id);
  const counts = { dormant: ids.length, created: 0, ownerInactive: 0 };
  if (ids.length === 0) return counts;
  const tips = await seasonalTips(deps, tenant.tenantId, season);
  const news = await recentNegativeNews(deps, tenant.tenantId, now);
  for (let i = 0; i < ids.length; i += DORMANT_BATCH) {
    const rows = await packInputs(deps, tenant.tenantId, ids.slice(i, i + DORMANT_BATCH));
    const cards: NewCard[] = [];
    for (const r of rows) {
      if (r.owner_active === false) {
        counts.ownerInactive++;
        continue;
      }
      const lastOrder = r.ordered_at
        ? { orderedAt: toDate(r.ordered_at), productName: r.product_name, category: r.category }
        : null;
      const pack = wakeupPack({
        zone: tenant.timeZone,
        now,
        customer: { name: r.name, title: r.title, org: r.org, tags: r.tags ?? [] },
        lastOrder,
        lastCoreNeed: r.core_need,
        season,
        seasonalTip: r.category ? (tips.get(r.category) ?? null) : null,
        news: relevantNews(news, r.industry, r.category),
        lastInteractionAt: toDateOrNull(r.last_interaction_at),
      });
      const who = r.org ? `${r.name}（${r.org}）` : r.name;
      cards.push({
        tenantId: tenant.tenantId,
        kind: 'dormant_wakeup',
        dedupeKey: dormantDedupeKey(r.id, week),
        recipientId: r.owner_id,
        customerId: r.id,
        repId: r.owner_id,
        now,
        payload: {
          title: `沉默客户唤醒：${who}`,
          text: pack.talkTrack,
          customer: { id: r.id, name: r.name, org: r.org },
          week,
          pack,
        },
      });
    }
    // One transaction per batch; a crash mid-sweep is completed by the next run (dedupe keys).
    if (cards.length > 0) counts.created += await deps.db.transaction((tx) => createCards(tx, cards));
  }
  return counts;
}
