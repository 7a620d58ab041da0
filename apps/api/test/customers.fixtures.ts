// Fixtures for the customers / visits / ingest tests: customers written straight to the
// database (creation is the scan issue's route) and an app whose database counts queries.
import { type CustomerPhone, schema } from '@crm/db';
import { openTestDatabase } from '@crm/db/testing';
import { searchKey } from '@crm/domain';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { buildApp } from '../src/app';
import { testConfig } from '../src/config';
import { createDeps } from '../src/deps';
import { fixedClock } from '../src/shared/clock';
import type { TestContext } from './helpers';

export type QueryLog = { count: number; queries: string[]; reset: () => void };

/** setupApp with a drizzle logger that counts every statement the app sends. */
export async function setupCountingApp(now = '2026-06-05T02:00:00Z'): Promise<TestContext & { log: QueryLog }> {
  const log: QueryLog = {
    count: 0,
    queries: [],
    reset() {
      this.count = 0;
      this.queries = [];
    },
  };
  const handle = await openTestDatabase({
    logger: {
      logQuery: (query) => {
        log.count++;
        log.queries.push(query);
      },
    },
  });
  const clock = fixedClock(now);
  // The session-user cache is off so every request's statements are counted, the auth read included.
  const deps = createDeps({
    db: handle.db,
    config: testConfig({ authUserCacheMs: 0 }),
    clock,
    logger: pino({ level: 'silent' }),
  });
  const app = await buildApp(deps);
  await app.ready();
  return {
    handle,
    deps,
    app,
    clock,
    log,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

let phoneSeq = 0;

export async function insertCustomer(
  ctx: TestContext,
  tenantId: string,
  ownerId: string,
  fields: { name?: string; org?: string | null; phone?: string; email?: string; tags?: string[] } = {},
) {
  const name = fields.name ?? `客户${++phoneSeq}`;
  const org = fields.org === undefined ? '示例科技' : fields.org;
  const e164 = fields.phone ?? `+86139${String(10_000_000 + Math.floor(Math.random() * 89_999_999)).slice(0, 8)}`;
  const phones: CustomerPhone[] = [{ e164, raw: e164, type: 'cell' }];
  const email = fields.email ?? null;
  const [c] = await ctx.deps.db
    .insert(schema.customers)
    .values({
      tenantId,
      ownerId,
      name,
      org,
      searchKey: searchKey(name, org),
      phones,
      emails: email ? [email] : [],
      tags: fields.tags ?? [],
    })
    .returning();
  if (!c) throw new Error('customer insert failed');
  await ctx.deps.db
    .insert(schema.customerIdentities)
    .values([
      { tenantId, customerId: c.id, kind: 'phone', value: e164, raw: e164 },
      ...(email
        ? [{ tenantId, customerId: c.id, kind: 'email' as const, value: email.toLowerCase(), raw: email }]
        : []),
    ]);
  return c;
}

/**
 * `n` timeline items for a customer, set-based: visits, orders, tickets, chats, payments
 * and signals in turn, one minute apart going back from `newest`.
 */
export async function seedHistory(
  ctx: TestContext,
  tenantId: string,
  customerId: string,
  repId: string,
  n: number,
  newest = '2026-06-01T00:00:00Z',
) {
  const per = Math.ceil(n / 6);
  const at = (offset: number) => sql`${newest}::timestamptz - ((g * 6 + ${offset}) * interval '1 minute')`;
  const db = ctx.deps.db;
  await db.execute(sql`insert into visits (tenant_id, customer_id, rep_id, core_need, next_contact_at, occurred_at, recorded_at, promise_status)
    select ${tenantId}, ${customerId}, ${repId}, '需求 ' || g, ${at(0)} + interval '1 day', ${at(0)}, ${at(0)}, 'kept'
    from generate_series(0, ${per - 1}) g`);
  await db.execute(sql`insert into orders (tenant_id, external_id, customer_id, amount_cents, status, fulfilment_score, ordered_at)
    select ${tenantId}, 'seed-' || ${customerId}::text || '-' || g, ${customerId}, 1000 + g, 'fulfilled', g % 101, ${at(1)}
    from generate_series(0, ${per - 1}) g`);
  await db.execute(sql`insert into tickets (tenant_id, external_id, customer_id, subject, opened_at)
    select ${tenantId}, 'seed-' || ${customerId}::text || '-' || g, ${customerId}, '工单 ' || g, ${at(2)}
    from generate_series(0, ${per - 1}) g`);
  await db.execute(sql`insert into chat_messages (tenant_id, external_id, customer_id, direction, content, sent_at)
    select ${tenantId}, 'seed-' || ${customerId}::text || '-' || g, ${customerId}, 'in', '消息 ' || g, ${at(3)}
    from generate_series(0, ${per - 1}) g`);
  await db.execute(sql`insert into payments (tenant_id, provider, transaction_id, out_trade_no, customer_id, amount_cents, paid_at)
    select ${tenantId}, 'erp', 'seed-' || ${customerId}::text || '-' || g, 'seed-' || g, ${customerId}, 1000, ${at(4)}
    from generate_series(0, ${per - 1}) g`);
  await db.execute(sql`insert into signals (tenant_id, customer_id, level, kind, confidence, status, source, observed_at)
    select ${tenantId}, ${customerId}, 1, 'business_licence', 0.3, 'confirmed', 'manual', ${at(5)}
    from generate_series(0, ${per - 1}) g`);
  return per * 6;
}
