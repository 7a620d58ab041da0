// Outbox throughput against the WeCom stand-in: deliveries per second with one instance, and
// gettoken calls per 10,000 deliveries (1, plus one per forced expiry). bench/run.ts calls benchOutbox().
import { randomBytes } from 'node:crypto';
import { schema } from '@crm/db';
import { createThrowawayDatabase, DEFAULT_TEST_SERVER, openTestDatabase, probeServer } from '@crm/db/testing';
import pino from 'pino';
import { testConfig } from '../apps/api/src/config';
import { createDeps } from '../apps/api/src/deps';
import { wecomTaskId } from '../apps/api/src/integrations/wecom/wecom.cards';
import { createOutboxService } from '../apps/api/src/modules/delivery/outbox.service';
import { systemClock } from '../apps/api/src/shared/clock';
import { startStubs } from '../packages/platform-stubs/src/index';

export type OutboxBenchOptions = {
  deliveries?: number;
  /** Recipients the cards are spread over (each stays under WeCom's 30/min per member). */
  recipients?: number;
  /** Expire the platform token this many times during the run (evenly spread). */
  forcedExpiries?: number;
  batchSize?: number;
  concurrency?: number;
  /** A PostgreSQL admin URL; default DATABASE_URL or the local server; PGlite when none answers. */
  adminUrl?: string;
};

export type OutboxBenchResult = {
  deliveries: number;
  seconds: number;
  deliveriesPerSecond: number;
  tokenFetches: number;
  tokenFetchesPer10k: number;
  forcedExpiries: number;
  silentlyDropped: number;
  database: string;
};

export async function benchOutbox(opts: OutboxBenchOptions = {}): Promise<OutboxBenchResult> {
  const n = opts.deliveries ?? 10_000;
  const recipients = opts.recipients ?? Math.max(1, Math.ceil(n / 25));
  const forced = opts.forcedExpiries ?? 0;
  const server = await probeServer(opts.adminUrl ?? process.env.DATABASE_URL ?? DEFAULT_TEST_SERVER);
  const throwaway = server.reachable ? await createThrowawayDatabase(server.adminUrl, 'crm_bench') : undefined;
  const prevUrl = process.env.TEST_DATABASE_URL;
  if (throwaway) process.env.TEST_DATABASE_URL = throwaway.url;
  else delete process.env.TEST_DATABASE_URL;
  const handle = await openTestDatabase({ poolSize: 10 });
  if (prevUrl === undefined) delete process.env.TEST_DATABASE_URL;
  else process.env.TEST_DATABASE_URL = prevUrl;

  const corpId = `wwbench${randomBytes(4).toString('hex')}`;
  const wecom = { corpId, agentId: 1000002, secret: 'bench-secret' };
  const stubs = await startStubs({ wecom: { apps: [wecom] }, dingtalk: { apps: [] } });
  try {
    const deps = createDeps({
      db: handle.db,
      config: testConfig({ wecom, wecomApiBase: stubs.wecomUrl }),
      clock: systemClock,
      logger: pino({ level: 'silent' }),
    });
    const db = handle.db;
    const [tenant] = await db
      .insert(schema.tenants)
      .values({ slug: `bench-${corpId}`, name: 'Bench', wecomCorpId: corpId })
      .returning();
    const tenantId = (tenant as { tenantId: string }).tenantId;
    const users = await db
      .insert(schema.users)
      .values(
        Array.from({ length: recipients }, (_, i) => ({
          tenantId,
          name: `主管${i}`,
          role: 'supervisor' as const,
          wecomUserId: `wx${i}`,
        })),
      )
      .returning({ id: schema.users.id });
    const [customer] = await db
      .insert(schema.customers)
      .values({ tenantId, ownerId: (users[0] as { id: string }).id, name: '张伟', org: '华东精密机械有限公司' })
      .returning({ id: schema.customers.id });
    const now = new Date();
    for (let i = 0; i < n; i += 1000) {
      const part = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({
        tenantId,
        kind: 'overdue_followup' as const,
        dedupeKey: `bench:${i + j}`,
        recipientId: (users[(i + j) % recipients] as { id: string }).id,
        customerId: customer?.id ?? null,
        payload: { coreNeed: '需要报价单和交期确认' },
        dueAt: new Date(now.getTime() - 26 * 3_600_000),
      }));
      const tasks = await db
        .insert(schema.tasks)
        .values(part)
        .returning({ id: schema.tasks.id, recipientId: schema.tasks.recipientId });
      await db.insert(schema.deliveries).values(
        tasks.map((t) => ({
          tenantId,
          taskId: t.id,
          recipientId: t.recipientId,
          channel: 'wecom' as const,
          providerTaskId: wecomTaskId(t.id),
          nextAttemptAt: now,
        })),
      );
    }

    const outbox = createOutboxService({ ...deps, publicBaseUrl: 'http://127.0.0.1:3000' });
    const expireAt = Array.from({ length: forced }, (_, k) => Math.floor(((k + 1) * n) / (forced + 1)));
    let sent = 0;
    const started = performance.now();
    for (;;) {
      const c = await outbox.dispatch(new Date(), {
        batchSize: opts.batchSize ?? 500,
        concurrency: opts.concurrency ?? 32,
        maxBatches: 1,
      });
      sent += c.sent;
      while (expireAt.length > 0 && sent >= (expireAt[0] as number)) {
        expireAt.shift();
        stubs.wecom.tokens.expireAll();
      }
      if (c.claimed === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const fetches = stubs.wecom.tokens.fetches;
    return {
      deliveries: sent,
      seconds: Number(seconds.toFixed(2)),
      deliveriesPerSecond: Math.round(sent / seconds),
      tokenFetches: fetches,
      tokenFetchesPer10k: Number(((fetches * 10_000) / Math.max(1, sent)).toFixed(2)),
      forcedExpiries: forced,
      silentlyDropped: stubs.wecom.inbox.filter((e) => e.dropped).length,
      database: handle.kind === 'postgres' ? 'PostgreSQL (throw-away database)' : 'PGlite in memory',
    };
  } finally {
    await stubs.close();
    await handle.close();
    await throwaway?.drop();
  }
}

// `node --import tsx bench/outbox.bench.ts` runs it alone.
if (process.argv[1]?.endsWith('outbox.bench.ts')) {
  const plain = await benchOutbox();
  const expiry = await benchOutbox({ forcedExpiries: 1 });
  console.log(JSON.stringify({ plain, withOneForcedExpiry: expiry }, null, 2));
}
