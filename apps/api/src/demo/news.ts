// Competitor news from the last 60 days (mostly negative) and knowledge-base answers.
import { CATALOGUE } from './data/catalogue';
import { INDUSTRIES } from './data/companies';
import { COMPETITORS, KB_ARTICLES, NEWS_ITEMS } from './data/news-texts';
import { atLocalHours, DAY } from './prng';
import type { DemoDataset, GenContext } from './types';

export function generateNews(ctx: GenContext, count = 30): DemoDataset['competitorNews'] {
  const { rng, tenantId, now } = ctx;
  const negative = NEWS_ITEMS.filter((n) => n.sentiment === 'negative');
  const other = NEWS_ITEMS.filter((n) => n.sentiment !== 'negative');
  const news: DemoDataset['competitorNews'] = [];
  for (let i = 0; i < count; i++) {
    const item = rng.chance(0.85) ? rng.pick(negative) : rng.pick(other);
    const competitor = rng.pick(COMPETITORS);
    const publishedAt = Math.min(now - 3_600_000, atLocalHours(rng, now - rng.between(0, 60) * DAY, 8, 20));
    const id = rng.uuid();
    news.push({
      tenantId,
      id,
      competitor,
      title: item.title.replaceAll('{x}', competitor),
      summary: item.summary.replaceAll('{x}', competitor),
      sentiment: item.sentiment,
      industries: rng.sample(
        INDUSTRIES.map((x) => x.industry),
        rng.int(1, 3),
      ),
      categories: rng.sample(
        CATALOGUE.map((c) => c.category),
        rng.int(1, 2),
      ),
      url: `https://news.example.com/${id.slice(0, 8)}`,
      publishedAt: new Date(publishedAt),
      createdAt: new Date(publishedAt),
    });
  }
  return news.sort((a, b) => +a.publishedAt - +b.publishedAt);
}

export function generateKb(ctx: GenContext, createdAt: number): DemoDataset['kbArticles'] {
  const { rng, tenantId } = ctx;
  return KB_ARTICLES.map((a) => ({
    tenantId,
    id: rng.uuid(),
    question: a.question,
    answer: a.answer,
    tags: [...a.tags],
    hits: rng.int(3, 300),
    createdAt: new Date(createdAt),
  }));
}
