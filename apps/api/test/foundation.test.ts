import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, injectAs, setupApp, type TestContext } from './helpers';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await setupApp();
});
afterAll(async () => ctx.close());

describe('health and errors', () => {
  it('reports the database as up', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('answers unknown routes with 404 in the contract shape', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('rejects malformed JSON with 400 and no stack trace', async () => {
    const t = await createTestTenant(ctx);
    const res = await injectAs(ctx, t.rep, {
      method: 'POST',
      url: '/api/auth/dev',
      headers: { 'content-type': 'application/json' },
      payload: '{"userId": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_JSON');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('rejects a body over the limit with 413', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/dev',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ userId: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('names the field on a wrong type with 422', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/dev', payload: { userId: 'not-a-uuid' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'userId' });
  });
});

describe('API documentation', () => {
  it('serves the OpenAPI document of every route', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const spec = res.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/scan', '/api/visits', '/api/ingest/orders']));
  });
});

describe('dev log-in', () => {
  it('issues a token that authenticates the user', async () => {
    const t = await createTestTenant(ctx);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/dev', payload: { userId: t.rep.id } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toEqual({ id: t.rep.id, name: '李销售', role: 'rep', tenantId: t.tenantId });
    expect(typeof body.token).toBe('string');
  });

  it('is 404 when AUTH_DEV_LOGIN is off', async () => {
    const off = await setupApp({ config: { devLogin: false } });
    try {
      const res = await off.app.inject({
        method: 'POST',
        url: '/api/auth/dev',
        payload: { userId: crypto.randomUUID() },
      });
      expect(res.statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
