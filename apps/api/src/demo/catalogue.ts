// Products (about 40 in 8 categories) and a seasonal tip per category and season.
import { CATALOGUE } from './data/catalogue';
import type { DemoDataset, GenContext } from './types';

export type Product = { id: string; sku: string; name: string; category: string; priceFen: number };

const SEASONS = ['spring', 'summer', 'autumn', 'winter'] as const;

export function generateCatalogue(
  ctx: GenContext,
  createdAt: number,
): { products: DemoDataset['products']; seasonalTips: DemoDataset['seasonalTips']; catalogue: Product[] } {
  const { rng, tenantId } = ctx;
  const at = new Date(createdAt);
  const catalogue: Product[] = [];
  const seasonalTips: DemoDataset['seasonalTips'] = [];
  CATALOGUE.forEach((cat, ci) => {
    cat.products.forEach(([name, priceFen], pi) => {
      const sku = `SKU-${String(ci + 1).padStart(2, '0')}${String(pi + 1).padStart(2, '0')}`;
      catalogue.push({ id: rng.uuid(), sku, name, category: cat.category, priceFen });
    });
    for (const season of SEASONS)
      seasonalTips.push({ tenantId, id: rng.uuid(), category: cat.category, season, tip: cat.tips[season] });
  });
  const products = catalogue.map((p) => ({
    tenantId,
    id: p.id,
    sku: p.sku,
    name: p.name,
    category: p.category,
    createdAt: at,
  }));
  return { products, seasonalTips, catalogue };
}
