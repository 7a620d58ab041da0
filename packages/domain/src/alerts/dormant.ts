// 沉默客户唤醒: high-value customers with no interaction for N tenant days, and their wake-up pack.
import { localDate, type Season } from '../schedule/calendar';
import { startOfLocalDay } from '../schedule/zoned';

/**
 * Days are tenant calendar days: a customer last seen on local date D is dormant on
 * local date D + dormantDays or later. Returned as an instant: dormant iff the last
 * interaction is strictly before it.
 */
export function dormantCutoff(now: Date, zone: string, dormantDays: number): Date {
  return startOfLocalDay(now, zone, -(dormantDays - 1));
}

export type DormancyInput = {
  lastInteractionAt: Date | null;
  /** Used when the customer never had an interaction. */
  createdAt: Date;
  ltvCents: number;
};

export function isDormant(
  c: DormancyInput,
  now: Date,
  zone: string,
  s: { dormantDays: number; dormantLtvCents: number },
): boolean {
  if (c.ltvCents <= s.dormantLtvCents) return false;
  const last = c.lastInteractionAt ?? c.createdAt;
  return last.getTime() < dormantCutoff(now, zone, s.dormantDays).getTime();
}

export type NewsItem = {
  competitor: string;
  title: string;
  summary: string;
  publishedAt: Date;
  url: string | null;
};

export type PackInput = {
  zone: string;
  now: Date;
  customer: { name: string; title: string | null; org: string | null; tags: string[] };
  lastOrder: { orderedAt: Date; productName: string | null; category: string | null } | null;
  lastCoreNeed: string | null;
  season: Season;
  /** The tip for the last-bought category in `season`, if the tenant wrote one. */
  seasonalTip: string | null;
  news: NewsItem[];
  lastInteractionAt: Date | null;
};

const SEASON_ZH: Record<Season, string> = { spring: '春季', summer: '夏季', autumn: '秋季', winter: '冬季' };

export const NO_COMPETITOR_NEWS = '近 30 天没有相关竞品负面新闻 (no negative competitor news in the last 30 days)';
export const NO_SEASONAL_TIP = '暂无该品类的当季使用建议 (no seasonal tip for this category)';

/** The talk track, from templates only: deterministic, no LLM needed. */
export function talkTrack(i: PackInput): string {
  const salutation = i.customer.title ? `${i.customer.name}${i.customer.title}` : i.customer.name;
  const lines = [`${salutation}您好，好久没联系了，最近一切都好吗？`];
  if (i.lastOrder) {
    const what = i.lastOrder.productName ?? '我们的产品';
    lines.push(`您在 ${localDate(i.lastOrder.orderedAt, i.zone)} 采购的${what}，用下来效果怎么样？`);
  }
  if (i.lastCoreNeed) lines.push(`上次您提到「${i.lastCoreNeed}」，我们这边有了新的方案，想跟您再聊聊。`);
  if (i.customer.tags.length > 0) lines.push(`（客户关注：${i.customer.tags.slice(0, 5).join('、')}）`);
  if (i.seasonalTip) lines.push(`${SEASON_ZH[i.season]}小贴士：${i.seasonalTip}`);
  return lines.join('\n');
}

export function competitorSummary(news: NewsItem[]): string {
  if (news.length === 0) return NO_COMPETITOR_NEWS;
  return news.map((n) => `${n.competitor}：${n.title}`).join('；');
}

/** The wake-up pack carried by a dormant_wakeup card. */
export function wakeupPack(i: PackInput) {
  return {
    talkTrack: talkTrack(i),
    seasonalTip: i.seasonalTip ?? NO_SEASONAL_TIP,
    hasSeasonalTip: i.seasonalTip !== null,
    season: i.season,
    category: i.lastOrder?.category ?? null,
    competitorNews: i.news.map((n) => ({
      competitor: n.competitor,
      title: n.title,
      summary: n.summary,
      publishedAt: n.publishedAt.toISOString(),
      url: n.url,
    })),
    competitorSummary: competitorSummary(i.news),
    lastInteractionAt: i.lastInteractionAt?.toISOString() ?? null,
    lastOrder: i.lastOrder
      ? {
          orderedAt: i.lastOrder.orderedAt.toISOString(),
          productName: i.lastOrder.productName,
          category: i.lastOrder.category,
        }
      : null,
  };
}

export type WakeupPack = ReturnType<typeof wakeupPack>;

/** Dedupe key: one card per customer per ISO week (week of the slot, in the tenant zone). */
export function dormantDedupeKey(customerId: string, isoWeek: string): string {
  return `dormant:${customerId}:${isoWeek}`;
}

export function overdueDedupeKey(visitId: string): string {
  return `overdue:${visitId}`;
}
