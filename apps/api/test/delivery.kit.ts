// Test kit for the delivery issue: the app wired to the WeCom/DingTalk stand-ins on loopback,
// sharing one settable clock, and tenants whose users have platform ids.
import { randomBytes } from 'node:crypto';
import { schema } from '@crm/db';
import { eq } from 'drizzle-orm';
import { type Stubs, startStubs } from '../../../packages/platform-stubs/src/index';
import { outboxJob } from '../src/jobs/outbox.job';
import { createCard } from '../src/modules/tasks/cards.repo';
import { fixedClock } from '../src/shared/clock';
import { createTestTenant, setupApp, type TestContext, type TestTenant, type TestUser } from './helpers';

export const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
export const CALLBACK_TOKEN = 'cbtoken';

export type PlatformKit = {
  ctx: TestContext;
  stubs: Stubs;
  clock: ReturnType<typeof fixedClock>;
  corpId: string;
  agentId: number;
  ddCorpId: string;
  close: () => Promise<void>;
};

export async function setupPlatforms(
  opts: { now?: string; withDingtalk?: boolean; instances?: number; timeoutMs?: number } = {},
): Promise<PlatformKit> {
  const clock = fixedClock(opts.now ?? '2026-06-05T02:00:00Z');
  const corpId = `ww${randomBytes(6).toString('hex')}`;
  const ddCorpId = `ding${randomBytes(6).toString('hex')}`;
  const agentId = 1000002;
  const stubs = await startStubs({
    now: () => clock.now().getTime(),
    wecom: {
      apps: [{ corpId, agentId, secret: 'wecom-secret', callbackToken: CALLBACK_TOKEN, callbackAesKey: AES_KEY }],
    },
    dingtalk: { apps: [{ appKey: `ddkey-${corpId}`, appSecret: 'dd-secret', agentId: 2000001 }] },
  });
  const ctx = await setupApp({
    clock,
    config: {
      wecom: { corpId, agentId, secret: 'wecom-secret', callbackToken: CALLBACK_TOKEN, callbackAesKey: AES_KEY },
      wecomApiBase: stubs.wecomUrl,
      ...(opts.withDingtalk === false
        ? {}
        : { dingtalk: { appKey: `ddkey-${corpId}`, appSecret: 'dd-secret', agentId: 2000001 } }),
      dingtalkApiBase: stubs.dingtalkUrl,
    },
  });
  return {
    ctx,
    stubs,
    clock,
    corpId,
    agentId,
    ddCorpId,
    close: async () => {
      await ctx.close();
      await stubs.close();
    },
  };
}

const tenants = new WeakMap<PlatformKit, TestTenant>();

/**
 * The kit's tenant (a corp id maps to one tenant), with a fresh supervisor and rep per call so
 * tests do not share a phone; they have WeCom (and optionally DingTalk) ids.
 */
export async function platformTenant(kit: PlatformKit, opts: { dingtalk?: boolean } = {}): Promise<TestTenant> {
  let tenant = tenants.get(kit);
  if (!tenant) {
    tenant = await createTestTenant(kit.ctx);
    await kit.ctx.deps.db
      .update(schema.tenants)
      .set({ wecomCorpId: kit.corpId, dingtalkCorpId: kit.ddCorpId })
      .where(eq(schema.tenants.tenantId, tenant.tenantId));
    await bindUser(kit, tenant.admin, opts);
    tenants.set(kit, tenant);
  }
  const supervisor = await tenant.addUser('supervisor', '王主管');
  const rep = await tenant.addUser('rep', '李销售', supervisor.id);
  for (const u of [supervisor, rep]) await bindUser(kit, u, opts);
  return { ...tenant, supervisor, rep };
}

export async function bindUser(kit: PlatformKit, u: TestUser, opts: { dingtalk?: boolean } = {}) {
  await kit.ctx.deps.db
    .update(schema.users)
    .set({ wecomUserId: wecomId(u), dingtalkUserId: opts.dingtalk ? `dd-${u.id.slice(0, 8)}` : null })
    .where(eq(schema.users.id, u.id));
}

export const wecomId = (u: Pick<TestUser, 'id'>) => `wx-${u.id.slice(0, 8)}`;
export const dingtalkId = (u: Pick<TestUser, 'id'>) => `dd-${u.id.slice(0, 8)}`;

/** An overdue_followup card for the supervisor about the rep's customer, through createCard. */
export async function overdueCard(kit: PlatformKit, tenant: TestTenant, n = 1, recipient = tenant.supervisor) {
  const db = kit.ctx.deps.db;
  const now = kit.clock.now();
  const [customer] = await db
    .insert(schema.customers)
    .values({ tenantId: tenant.tenantId, ownerId: tenant.rep.id, name: '张伟', org: '华东精密机械有限公司' })
    .returning();
  const ids: string[] = [];
  await db.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      const id = await createCard(tx, {
        tenantId: tenant.tenantId,
        kind: 'overdue_followup',
        dedupeKey: `overdue:${randomBytes(6).toString('hex')}`,
        recipientId: recipient.id,
        customerId: customer?.id ?? null,
        repId: tenant.rep.id,
        payload: {
          coreNeed: '需要报价单和交期确认',
          promisedAt: new Date(now.getTime() - 26 * 3_600_000).toISOString(),
        },
        dueAt: new Date(now.getTime() - 26 * 3_600_000),
        now,
      });
      if (id) ids.push(id);
    }
  });
  return ids;
}

export async function runOutbox(kit: PlatformKit) {
  return outboxJob.run({ now: kit.clock.now(), deps: kit.ctx.deps });
}

export async function deliveriesOf(kit: PlatformKit, taskIds: string[]) {
  const rows = await kit.ctx.deps.db.select().from(schema.deliveries);
  return rows.filter((r) => taskIds.includes(r.taskId));
}
