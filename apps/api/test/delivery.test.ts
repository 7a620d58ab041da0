import { schema } from '@crm/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDeps } from '../src/deps';
import { createOutboxService } from '../src/modules/delivery/outbox.service';
import {
  deliveriesOf,
  overdueCard,
  type PlatformKit,
  platformTenant,
  runOutbox,
  setupPlatforms,
  wecomId,
} from './delivery.kit';
import { createTestTenant, injectAs } from './helpers';

let kit: PlatformKit;
beforeAll(async () => {
  kit = await setupPlatforms();
});
afterAll(async () => kit?.close());

describe('transactional outbox → WeCom stand-in', () => {
  test('a card is written with one delivery per channel and reaches the phone once', async () => {
    const tenant = await platformTenant(kit);
    const [taskId] = await overdueCard(kit, tenant);
    const rows = await deliveriesOf(kit, [taskId as string]);
    expect(rows.map((r) => r.channel).sort()).toEqual(['inapp', 'wecom']);
    expect(rows.find((r) => r.channel === 'wecom')?.providerTaskId).toBe(`crm-${taskId}`);
    const counts = await runOutbox(kit);
    expect(counts.sent).toBeGreaterThanOrEqual(1);
    await runOutbox(kit);
    const phone = kit.stubs.wecom.phone(wecomId(tenant.supervisor)).filter((e) => e.taskId === `crm-${taskId}`);
    expect(phone).toHaveLength(1);
    const card = phone[0]?.body.template_card as Record<string, unknown>;
    expect(card.card_type).toBe('button_interaction');
    expect(JSON.stringify(card)).toContain('张伟');
    expect(JSON.stringify(card)).toContain('已提醒销售');
    const [wecom] = (await deliveriesOf(kit, [taskId as string])).filter((r) => r.channel === 'wecom');
    expect(wecom?.state).toBe('sent');
    expect(wecom?.responseCode).toBeTruthy();
    expect(wecom?.providerMessageId).toBeTruthy();
  });

  test('platform down for the first attempts → every card delivered exactly once afterwards', async () => {
    const tenant = await platformTenant(kit);
    const ids = await overdueCard(kit, tenant, 5);
    kit.stubs.wecom.faults.push({ kind: 'http500', count: 5, path: '/cgi-bin/message/send' });
    kit.stubs.wecom.faults.push({ kind: 'errcode', errcode: -1, count: 5, path: '/cgi-bin/message/send' });
    kit.stubs.wecom.faults.push({ kind: 'reset', count: 3, path: '/cgi-bin/message/send' });
    for (let i = 0; i < 10; i++) {
      await runOutbox(kit);
      kit.clock.advance(10 * 60_000);
    }
    const phone = kit.stubs.wecom.phone(wecomId(tenant.supervisor));
    for (const id of ids) expect(phone.filter((e) => e.taskId === `crm-${id}`)).toHaveLength(1);
    const rows = (await deliveriesOf(kit, ids)).filter((r) => r.channel === 'wecom');
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    expect(Math.max(...rows.map((r) => r.attempts))).toBeGreaterThan(1);
  });

  test('a lost answer (timeout after the platform accepted) is not sent twice: 42014 counts as delivered', async () => {
    const tenant = await platformTenant(kit);
    const [id] = await overdueCard(kit, tenant);
    // The platform takes the message but the answer never arrives in time.
    const deps = createDeps({ ...kit.ctx.deps, platforms: undefined });
    kit.stubs.wecom.faults.latencyMs = 0;
    kit.stubs.wecom.faults.push({ kind: 'hang', ms: 300, count: 1, path: '/cgi-bin/message/send' });
    // Simulate "accepted, then connection lost": send once directly, then leave the row pending.
    await kit.ctx.deps.platforms.wecom
      ?.sendCard({
        platformUserId: wecomId(tenant.supervisor),
        card: {
          kind: 'overdue_followup',
          taskId: id as string,
          customer: { name: '张伟' },
          fulfilmentScores: [],
          link: 'http://x',
        },
        idempotencyKey: `crm-${id}`,
      })
      .catch(() => {});
    kit.stubs.wecom.faults.clear();
    await kit.ctx.deps.platforms.wecom?.sendCard({
      platformUserId: wecomId(tenant.supervisor),
      card: {
        kind: 'overdue_followup',
        taskId: id as string,
        customer: { name: '张伟' },
        fulfilmentScores: [],
        link: 'http://x',
      },
      idempotencyKey: `crm-${id}`,
    });
    const counts = await createOutboxService({ ...deps, publicBaseUrl: 'http://x' }).dispatch(kit.clock.now());
    expect(counts.duplicate).toBeGreaterThanOrEqual(1);
    expect(kit.stubs.wecom.phone(wecomId(tenant.supervisor)).filter((e) => e.taskId === `crm-${id}`)).toHaveLength(1);
    const [row] = (await deliveriesOf(kit, [id as string])).filter((r) => r.channel === 'wecom');
    expect(row?.state).toBe('sent');
  });

  test("a tenant of another WeCom corp is never sent through this server's app, even to a user id that exists here", async () => {
    const ours = await platformTenant(kit);
    const theirs = await createTestTenant(kit.ctx);
    await kit.ctx.deps.db
      .update(schema.tenants)
      .set({ wecomCorpId: 'wwanothercorp000' })
      .where(eq(schema.tenants.tenantId, theirs.tenantId));
    // Their supervisor's WeCom id (unique only inside their corp) is our supervisor's id here.
    await kit.ctx.deps.db
      .update(schema.users)
      .set({ wecomUserId: wecomId(ours.supervisor) })
      .where(eq(schema.users.id, theirs.supervisor.id));
    const [id] = await overdueCard(kit, theirs);
    await runOutbox(kit);
    expect(kit.stubs.wecom.phone(wecomId(ours.supervisor)).filter((e) => e.taskId === `crm-${id}`)).toHaveLength(0);
    const [row] = (await deliveriesOf(kit, [id as string])).filter((r) => r.channel === 'wecom');
    expect(row?.state).toBe('failed');
    expect(row?.lastError).toMatch(/wwanothercorp000/);
  });

  test('after N attempts a delivery is failed and admins (only) see it in the list', async () => {
    const tenant = await platformTenant(kit);
    const [id] = await overdueCard(kit, tenant);
    kit.stubs.wecom.faults.push({ kind: 'errcode', errcode: -1, count: 100, path: '/cgi-bin/message/send' });
    for (let i = 0; i < 12; i++) {
      await runOutbox(kit);
      kit.clock.advance(2 * 3_600_000);
    }
    kit.stubs.wecom.faults.clear();
    const [row] = (await deliveriesOf(kit, [id as string])).filter((r) => r.channel === 'wecom');
    expect(row?.state).toBe('failed');
    expect(row?.attempts).toBe(8);
    const list = await injectAs(kit.ctx, tenant.admin, { method: 'GET', url: '/api/deliveries?state=failed' });
    expect(list.statusCode).toBe(200);
    expect(list.json().map((r: { taskId: string }) => r.taskId)).toContain(id);
    const denied = await injectAs(kit.ctx, tenant.supervisor, { method: 'GET', url: '/api/deliveries?state=failed' });
    expect(denied.statusCode).toBe(403);
  });
});
