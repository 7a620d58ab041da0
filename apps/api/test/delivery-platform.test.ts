import { schema } from '@crm/db';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDeps } from '../src/deps';
import { createOutboxService } from '../src/modules/delivery/outbox.service';
import {
  deliveriesOf,
  dingtalkId,
  overdueCard,
  type PlatformKit,
  platformTenant,
  runOutbox,
  setupPlatforms,
  wecomId,
} from './delivery.kit';

let kit: PlatformKit;
beforeAll(async () => {
  kit = await setupPlatforms();
});
afterAll(async () => kit?.close());

const instance = () => {
  const { db, config, clock } = kit.ctx.deps;
  const deps = createDeps({ db, config, clock, logger: pino({ level: 'silent' }) });
  return { deps, outbox: createOutboxService({ ...deps, publicBaseUrl: 'http://127.0.0.1:3000' }) };
};

test('token revoked mid-batch (40014) → one refresh, not one per message', async () => {
  const tenant = await platformTenant(kit);
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const sup = await tenant.addUser('supervisor');
    await kit.ctx.deps.db
      .update(schema.users)
      .set({ wecomUserId: wecomId(sup) })
      .where(eqId(sup.id));
    ids.push(...(await overdueCard(kit, tenant, 10, sup)));
  }
  await kit.ctx.deps.platforms.wecom?.sendCard({
    platformUserId: wecomId(tenant.supervisor),
    card: {
      kind: 'dormant_wakeup',
      taskId: 'warm-up',
      customer: { name: '预热' },
      fulfilmentScores: [],
      link: 'http://x',
    },
    idempotencyKey: 'warmup-token-test',
  });
  const before = kit.stubs.wecom.tokens.fetches;
  kit.stubs.wecom.faults.latencyMs = 15;
  const run = runOutbox(kit);
  setTimeout(() => kit.stubs.wecom.tokens.revokeAll(), 25);
  await run;
  kit.stubs.wecom.faults.latencyMs = 0;
  // Other test files share the database, so count this test's own deliveries, not the
  // job's totals. On a loaded machine a send can time out and be rescheduled: later runs
  // (past the backoff) must finish the batch — exactly once, and still with one refresh.
  const wecomSent = async () =>
    (await deliveriesOf(kit, ids)).filter((d) => d.channel === 'wecom' && d.state === 'sent').length;
  for (let i = 0; i < 5 && (await wecomSent()) < 40; i++) {
    kit.clock.advance(2 * 3600_000);
    await runOutbox(kit);
  }
  expect(await wecomSent()).toBe(40);
  expect(kit.stubs.wecom.tokens.fetches - before).toBe(1);
  const delivered = kit.stubs.wecom.inbox.filter((e) => ids.some((id) => e.taskId === `crm-${id}`) && !e.dropped);
  expect(delivered).toHaveLength(40);
});

test('two instances dispatching at once → no double sends, one token fetch shared through the database', async () => {
  const tenant = await platformTenant(kit);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const sup = await tenant.addUser('supervisor');
    await kit.ctx.deps.db
      .update(schema.users)
      .set({ wecomUserId: wecomId(sup) })
      .where(eqId(sup.id));
    ids.push(...(await overdueCard(kit, tenant, 20, sup)));
  }
  const a = instance();
  const b = instance();
  kit.stubs.wecom.tokens.expireAll(); // both must refresh: only one may call gettoken
  const before = kit.stubs.wecom.tokens.fetches;
  kit.stubs.wecom.faults.latencyMs = 2;
  const now = kit.clock.now();
  const [ca, cb] = await Promise.all([
    a.outbox.dispatch(now, { batchSize: 10, concurrency: 4 }),
    b.outbox.dispatch(now, { batchSize: 10, concurrency: 4 }),
  ]);
  kit.stubs.wecom.faults.latencyMs = 0;
  // The database is shared with other test files, so the totals may include their cards;
  // this test's own 100 are checked one by one below (each delivered exactly once).
  expect(ca.sent + cb.sent).toBeGreaterThanOrEqual(100);
  expect(ca.sent).toBeGreaterThan(0);
  expect(cb.sent).toBeGreaterThan(0);
  expect(kit.stubs.wecom.tokens.fetches - before).toBe(1);
  for (const id of ids) expect(kit.stubs.wecom.inbox.filter((e) => e.taskId === `crm-${id}`)).toHaveLength(1);
});

test('200 cards to one supervisor in a minute → paced to 30/min, none silently dropped', async () => {
  const tenant = await platformTenant(kit);
  const ids = await overdueCard(kit, tenant, 200);
  for (let i = 0; i < 60 && kit.stubs.wecom.phone(wecomId(tenant.supervisor)).length < 200; i++) {
    await runOutbox(kit);
    kit.clock.advance(10_000);
  }
  const all = kit.stubs.wecom.inbox.filter((e) => e.userid === wecomId(tenant.supervisor));
  expect(all.filter((e) => e.dropped)).toHaveLength(0);
  expect(new Set(all.map((e) => e.taskId)).size).toBe(200);
  expect(all).toHaveLength(200);
  // Never more than 30 within any 60 s.
  const times = all.map((e) => e.receivedAt).sort((x, y) => x - y);
  for (let i = 30; i < times.length; i++)
    expect((times[i] as number) - (times[i - 30] as number)).toBeGreaterThanOrEqual(60_000);
  const rows = (await deliveriesOf(kit, ids)).filter((r) => r.channel === 'wecom');
  expect(rows.every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
});

test('DingTalk: a work notice with an action_card, its async task_id recorded, throttling backs off', async () => {
  const tenant = await platformTenant(kit, { dingtalk: true });
  const [id] = (await overdueCard(kit, tenant)) as [string];
  kit.stubs.dingtalk.faults.push({ kind: 'errcode', errcode: 143103, count: 1, path: '/topapi/message' });
  await runOutbox(kit);
  let [row] = (await deliveriesOf(kit, [id])).filter((r) => r.channel === 'dingtalk');
  expect(row?.state).toBe('pending');
  expect(row?.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(kit.clock.now().getTime() + 60_000);
  kit.clock.advance(5 * 60_000);
  await runOutbox(kit);
  [row] = (await deliveriesOf(kit, [id])).filter((r) => r.channel === 'dingtalk');
  expect(row?.state).toBe('sent');
  const phone = kit.stubs.dingtalk.phone(dingtalkId(tenant.supervisor));
  expect(phone).toHaveLength(1);
  expect(row?.providerMessageId).toBe(String(phone[0]?.taskId));
  const msg = phone[0]?.msg as { msgtype: string; action_card: { markdown: string; single_url: string } };
  expect(msg.msgtype).toBe('action_card');
  expect(msg.action_card.markdown).toContain('张伟');
  expect(msg.action_card.single_url).toContain(id);
  expect(Buffer.byteLength(JSON.stringify(msg))).toBeLessThanOrEqual(2048);
  const result = await kit.ctx.deps.platforms.dingtalk?.sendResult(row?.providerMessageId as string);
  expect(result?.delivered).toEqual([dingtalkId(tenant.supervisor)]);
});

const eqId = (id: string) => eq(schema.users.id, id);
