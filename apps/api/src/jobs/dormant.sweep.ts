// The Friday wake-up sweep for one tenant, set-based: keyset chunks of dormant high-value
// customers (cached last_interaction_at / ltv_cents) read together with their pack inputs,
// packs built in JS, and each chunk's cards + deliveries written by one INSERT statement.
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
import { queryRows, toDate, toDateOrNull } from './sql-rows';

/** Candidates per keyset chunk: one select with the pack inputs, one transaction for their cards. */
export const DORMANT_CHUNK = 5000;
/** Chunks written at once, each in its own transaction on its own connection. */
export const DORMANT_WRITERS = 2;
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

/** Dormant high-value customers of the tenant (alias c) that have no card for this ISO week yet. */
function isCandidate(tenant: TenantInfo, cutoff: string, week: string) {
  return sql`c.tenant_id = ${tenant.tenantId} and c.ltv_cents > ${tenant.settings.dormantLtvCents}
    and (c.last_interaction_at < ${cutoff}::timestamptz
         or (c.last_interaction_at is null and c.created_at < ${cutoff}::timestamptz))
    and not exists (select 1 from tasks k where k.tenant_id = c.tenant_id
                    and k.dedupe_key = 'dormant:' || c.id::text || ':' || ${week})`;
}

/** Ids of the candidates, all at once (the sweep reads them in chunks with their pack inputs). */
export function dormantCandidates(deps: AppDeps, tenant: TenantInfo, now: Date, week: string) {
  const cutoff = dormantCutoff(now, tenant.timeZone, tenant.settings.dormantDays).toISOString();
  return queryRows<{ id: string }>(
    deps.db,
    sql`select c.id from customers c where ${isCandidate(tenant, cutoff, week)} order by c.id`,
  );
}

/**
 * One keyset chunk of the sweep in one query: the next `limit` candidates after `after` (by id,
 * through the primary key) together with their pack inputs — owner active, last order with a
 * product and that product, last core need (LATERAL lookups on orders_customer_idx and
 * visits_customer_idx). The candidates are chosen in a materialized CTE first, so the
 * lookups run for the chunk only, whatever plan the outer query gets.
 */
function dormantChunk(
  deps: AppDeps,
  tenant: TenantInfo,
  p: { cutoff: string; week: string; after: string | null; limit: number },
) {
  const t = tenant.tenantId;
  return deps.db.transaction(async (tx) => {
    // Per chunk, JIT compilation and parallel workers cost more than the query itself.
    await tx.execute(
      sql`select set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
    );
    return queryRows<PackRow>(
      tx,
      sql`
    with ids as materialized (
      select c.id from customers c
      where ${isCandidate(tenant, p.cutoff, p.week)} ${p.after ? sql`and c.id > ${p.after}::uuid` : sql``}
      order by c.id
      limit ${p.limit})
    select c.id, c.name, c.title, c.org, c.tags, c.industry, c.owner_id, u.active as owner_active,
           c.last_interaction_at, lo.ordered_at, p.name as product_name, p.category, lv.core_need
    from ids
    join customers c on c.tenant_id = ${t} and c.id = ids.id
    left join users u on u.tenant_id = c.tenant_id and u.id = c.owner_id
    left join lateral (
      select o.ordered_at, o.product_id from orders o
      where o.tenant_id = c.tenant_id and o.customer_id = c.id and o.product_id is not null
      order by o.ordered_at desc, o.id desc limit 1) lo on true
    left join products p on p.tenant_id = c.tenant_id and p.id = lo.product_id
    left join lateral (
      select v.core_need from visits v where v.tenant_id = c.tenant_id and v.customer_id = c.id
      order by v.occurred_at desc limit 1) lv on true
    order by c.id`,
    );
  });
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

/** The wake-up card of one candidate, or null when its owner is inactive (counted, skipped). */
function wakeupCard(
  r: PackRow,
  ctx: { tenant: TenantInfo; now: Date; week: string; season: Season; tips: Map<string, string>; news: News[] },
): NewCard | null {
  if (r.owner_active === false) return null;
  const { tenant, now, week, season } = ctx;
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
    seasonalTip: r.category ? (ctx.tips.get(r.category) ?? null) : null,
    news: relevantNews(ctx.news, r.industry, r.category),
    lastInteractionAt: toDateOrNull(r.last_interaction_at),
  });
  const who = r.org ? `${r.name}（${r.org}）` : r.name;
  return {
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
  };
}

export async function sweepDormant(ctx: {
  tenant: TenantInfo;
  slot: Date;
  now: Date;
  deps: AppDeps;
  /** Candidates per chunk (default DORMANT_CHUNK) and chunks written at once (DORMANT_WRITERS). */
  chunk?: number;
  writers?: number;
}): Promise<JobCounts> {
  const { tenant, slot, now, deps } = ctx;
  const week = isoWeekKey(slot, tenant.timeZone);
  const season = seasonAt(now, tenant.timeZone);
  const cutoff = dormantCutoff(now, tenant.timeZone, tenant.settings.dormantDays).toISOString();
  const counts = { dormant: 0, created: 0, ownerInactive: 0 };
  const packCtx = {
    tenant,
    now,
    week,
    season,
    tips: await seasonalTips(deps, tenant.tenantId, season),
    news: await recentNegativeNews(deps, tenant.tenantId, now),
  };
  const chunk = ctx.chunk ?? DORMANT_CHUNK;
  const writers = ctx.writers ?? DORMANT_WRITERS;
  const fetch = (after: string | null) => {
    const p = dormantChunk(deps, tenant, { cutoff, week, after, limit: chunk });
    p.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
    return p;
  };
  // A pipeline: the next chunk is read (and its packs built) while earlier chunks are written.
  const writing = new Set<Promise<void>>();
  let writeFailed: { error: unknown } | null = null;
  try {
    let next: Promise<PackRow[]> | null = fetch(null);
    while (next && !writeFailed) {
      const rows: PackRow[] = await next;
      next = rows.length === chunk ? fetch((rows[rows.length - 1] as PackRow).id) : null;
      counts.dormant += rows.length;
      const cards: NewCard[] = [];
      for (const r of rows) {
        const card = wakeupCard(r, packCtx);
        if (card) cards.push(card);
        else counts.ownerInactive++;
      }
      if (cards.length === 0) continue;
      // One transaction (one INSERT of cards + deliveries) per chunk; a crash mid-sweep is
      // completed by the next run: the candidates exclude customers carded this ISO week.
      const w: Promise<void> = deps.db
        .transaction((tx) => createCards(tx, cards, chunk))
        .then(
          (n) => {
            counts.created += n;
          },
          (error: unknown) => {
            writeFailed ??= { error };
          },
        )
        .finally(() => writing.delete(w));
      writing.add(w);
      if (writing.size >= writers) await Promise.race(writing);
    }
  } finally {
    // Never leave a write running behind the runner's back (it unlocks the tenant after us).
    await Promise.all(writing);
  }
  if (writeFailed) throw (writeFailed as { error: unknown }).error;
  return counts;
}
