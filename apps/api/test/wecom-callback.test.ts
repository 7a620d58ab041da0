import { schema } from '@crm/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { overdueCard, type PlatformKit, platformTenant, runOutbox, setupPlatforms, wecomId } from './delivery.kit';

let kit: PlatformKit;
beforeAll(async () => {
  kit = await setupPlatforms();
});
afterAll(async () => kit?.close());

const stubApp = () => ({
  corpId: kit.corpId,
  agentId: kit.agentId,
  secret: 'wecom-secret',
  callbackToken: 'cbtoken',
  callbackAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
});
const post = (cb: { query: Record<string, string>; body: string }) =>
  kit.ctx.app.inject({
    method: 'POST',
    url: `/api/webhooks/wecom?${new URLSearchParams(cb.query)}`,
    headers: { 'content-type': 'text/xml' },
    payload: cb.body,
  });
const taskRow = async (id: string) =>
  (await kit.ctx.deps.db.select().from(schema.tasks).where(eq(schema.tasks.id, id)))[0];

test('URL verification returns the decrypted echostr exactly; a forged one is 401', async () => {
  const v = kit.stubs.wecom.buildVerification(stubApp());
  const res = await kit.ctx.app.inject({ method: 'GET', url: `/api/webhooks/wecom?${new URLSearchParams(v.query)}` });
  expect(res.statusCode).toBe(200);
  expect(res.body).toBe(v.plaintext);
  const forged = { ...v.query, msg_signature: 'f'.repeat(40) };
  const bad = await kit.ctx.app.inject({ method: 'GET', url: `/api/webhooks/wecom?${new URLSearchParams(forged)}` });
  expect(bad.statusCode).toBe(401);
  expect(bad.body).not.toContain(v.plaintext);
});

test('a button press updates the task and the card exactly once, duplicates applied once', async () => {
  const tenant = await platformTenant(kit);
  const [id] = (await overdueCard(kit, tenant)) as [string];
  await runOutbox(kit);
  const cb = kit.stubs.wecom.buildButtonCallback({
    userid: wecomId(tenant.supervisor),
    taskId: `crm-${id}`,
    key: 'take_over',
  });
  const res = await post(cb);
  expect(res.statusCode).toBe(200);
  expect(res.body).toBe('');
  const t = await taskRow(id);
  expect(t?.status).toBe('acked');
  expect(t?.actedById).toBe(tenant.supervisor.id);
  expect(t?.resolution).toContain('接手');
  // WeCom retries (same user + create time): applied once, the card is not updated again.
  expect((await post(cb)).statusCode).toBe(200);
  const entry = kit.stubs.wecom.phone(wecomId(tenant.supervisor)).find((e) => e.taskId === `crm-${id}`);
  expect(entry?.replacedWith).toBe('已由我跟进');
  expect(entry?.updates).toBe(1);
  const events = await kit.ctx.deps.db
    .select()
    .from(schema.webhookEvents)
    .where(eq(schema.webhookEvents.tenantId, tenant.tenantId));
  expect(events.filter((e) => e.source === 'wecom')).toHaveLength(1);
  // A later press of 已处理 (new create time) closes the card.
  kit.clock.advance(1000);
  const done = kit.stubs.wecom.buildButtonCallback({
    userid: wecomId(tenant.supervisor),
    taskId: `crm-${id}`,
    key: 'done',
  });
  expect((await post(done)).statusCode).toBe(200);
  expect((await taskRow(id))?.status).toBe('done');
});

test('forged, tampered, stale and wrong-corp callbacks are rejected with no state change', async () => {
  const tenant = await platformTenant(kit);
  const [id] = (await overdueCard(kit, tenant)) as [string];
  await runOutbox(kit);
  const userid = wecomId(tenant.supervisor);
  const xml = (t: number) =>
    `<xml><ToUserName><![CDATA[${kit.corpId}]]></ToUserName><FromUserName><![CDATA[${userid}]]></FromUserName><CreateTime>${t}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[done]]></EventKey><TaskId><![CDATA[crm-${id}]]></TaskId><ResponseCode><![CDATA[x]]></ResponseCode></xml>`;
  const nowS = Math.floor(kit.clock.now().getTime() / 1000);
  const good = kit.stubs.wecom.sealCallback(stubApp(), xml(nowS));
  const attempts = [
    {
      ...good,
      query: { ...good.query, msg_signature: good.query.msg_signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) },
    },
    {
      ...good,
      body: good.body.replace(/<Encrypt><!\[CDATA\[(.)/, (_m, c) => `<Encrypt><![CDATA[${c === 'A' ? 'B' : 'A'}`),
    },
    kit.stubs.wecom.sealCallback(stubApp(), xml(nowS - 3600), { timestamp: nowS - 3600 }),
    kit.stubs.wecom.sealCallback(stubApp(), xml(nowS), { receiveId: 'wwsomeothercorp' }),
    { ...good, body: '<xml><Encrypt>garbage</Encrypt></xml>' },
  ];
  for (const a of attempts) expect((await post(a)).statusCode).toBe(401);
  expect((await taskRow(id))?.status).toBe('open');
  // The genuine one still works afterwards.
  expect((await post(good)).statusCode).toBe(200);
  expect((await taskRow(id))?.status).toBe('done');
});
