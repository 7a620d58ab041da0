import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, instant, tenantId } from './columns';

export type TenantSettings = {
  overdueHours?: number;
  dormantDays?: number;
  dormantLtvCents?: number;
  /** ISO weekday of the wake-up run, 1 = Monday … 5 = Friday … 7 = Sunday. */
  dormantWeekday?: number;
  dormantHour?: number;
  dormantMinute?: number;
  /** A missed scheduled run is caught up only within this many hours. */
  catchUpHours?: number;
  createCustomersFromOrders?: boolean;
  signalConfidence?: Partial<Record<'1' | '2' | '3', number>>;
  emailKeywords?: string[];
};

// The tenant row is keyed by its own tenant_id, like every other table, so a
// distributed PostgreSQL can use tenant_id as the distribution column everywhere.
export const tenants = pgTable(
  'tenants',
  {
    tenantId: uuid('tenant_id').primaryKey().default(sql`gen_random_uuid()`),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    settings: jsonb('settings').$type<TenantSettings>().notNull().default({}),
    wecomCorpId: text('wecom_corp_id'),
    dingtalkCorpId: text('dingtalk_corp_id'),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('tenants_slug_uq').on(t.slug),
    uniqueIndex('tenants_wecom_corp_uq').on(t.wecomCorpId),
    uniqueIndex('tenants_dingtalk_corp_uq').on(t.dingtalkCorpId),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    name: text('name').notNull(),
    // sha256 of the key; the key itself is shown once and never stored.
    keyHash: text('key_hash').notNull(),
    prefix: text('prefix').notNull(),
    createdAt: createdAt(),
    revokedAt: instant('revoked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('api_keys_hash_uq').on(t.tenantId, t.keyHash),
    // Ingestion finds the tenant from the key alone.
    index('api_keys_hash_idx').on(t.keyHash),
  ],
);
