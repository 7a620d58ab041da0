import { afterAll, beforeAll, expect, test } from 'vitest';
import { dingtalkId, type PlatformKit, platformTenant, setupPlatforms, wecomId } from './delivery.kit';
import { setupApp } from './helpers';

let kit: PlatformKit;
beforeAll(async () => {
  kit = await setupPlatforms();
});
afterAll(async () => kit?.close());

test('WeCom: code → jscode2session → our user and JWT; session_key never sent; the code works once', async () => {
  const tenant = await platformTenant(kit);
  const code = kit.stubs.wecom.issueLoginCode(wecomId(tenant.rep), kit.corpId);
  const res = await kit.ctx.app.inject({ method: 'POST', url: '/api/auth/wecom', payload: { code } });
  expect(res.statusCode).toBe(200);
  expect(res.json().user).toMatchObject({ id: tenant.rep.id, role: 'rep', tenantId: tenant.tenantId });
  expect(res.body).not.toMatch(/session_key|sessionKey/);
  const me = await kit.ctx.app.inject({
    method: 'GET',
    url: '/api/deliveries',
    headers: { authorization: `Bearer ${res.json().token}` },
  });
  expect(me.statusCode).toBe(403); // authenticated (a rep), not an admin
  const again = await kit.ctx.app.inject({ method: 'POST', url: '/api/auth/wecom', payload: { code } });
  expect(again.statusCode).toBe(401);
});

test('WeCom: an unknown member → 403 USER_NOT_PROVISIONED; unknown corp too', async () => {
  const code = kit.stubs.wecom.issueLoginCode('nobody', kit.corpId);
  const res = await kit.ctx.app.inject({ method: 'POST', url: '/api/auth/wecom', payload: { code } });
  expect(res.statusCode).toBe(403);
  expect(res.json().error.code).toBe('USER_NOT_PROVISIONED');
  const other = kit.stubs.wecom.issueLoginCode('x', 'wwothercorp');
  const res2 = await kit.ctx.app.inject({ method: 'POST', url: '/api/auth/wecom', payload: { code: other } });
  expect(res2.json().error.code).toBe('USER_NOT_PROVISIONED');
});

test('WeCom down → 502, never a stack trace', async () => {
  kit.stubs.wecom.faults.push({ kind: 'http500', count: 1, path: '/cgi-bin/miniprogram' });
  const code = kit.stubs.wecom.issueLoginCode('whoever', kit.corpId);
  const res = await kit.ctx.app.inject({ method: 'POST', url: '/api/auth/wecom', payload: { code } });
  expect(res.statusCode).toBe(502);
  expect(res.json().error.code).toBe('PLATFORM_UNAVAILABLE');
});

test('DingTalk: authCode → getuserinfo → our user; single use; unknown → 403', async () => {
  const tenant = await platformTenant(kit, { dingtalk: true });
  const authCode = kit.stubs.dingtalk.issueAuthCode(dingtalkId(tenant.supervisor));
  const res = await kit.ctx.app.inject({ method: 'POST', url: '/api/auth/dingtalk', payload: { authCode } });
  expect(res.statusCode).toBe(200);
  expect(res.json().user.id).toBe(tenant.supervisor.id);
  const again = await kit.ctx.app.inject({ method: 'POST', url: '/api/auth/dingtalk', payload: { authCode } });
  expect(again.statusCode).toBe(401);
  const stranger = kit.stubs.dingtalk.issueAuthCode('stranger');
  const res3 = await kit.ctx.app.inject({ method: 'POST', url: '/api/auth/dingtalk', payload: { authCode: stranger } });
  expect(res3.statusCode).toBe(403);
  expect(res3.json().error.code).toBe('USER_NOT_PROVISIONED');
});

test('demo mode (no credentials): platform log-ins are 404 and only in-app deliveries exist', async () => {
  const ctx = await setupApp();
  try {
    expect(ctx.deps.platforms.wecom).toBeUndefined();
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/wecom', payload: { code: 'x' } });
    expect(res.statusCode).toBe(404);
  } finally {
    await ctx.close();
  }
});
