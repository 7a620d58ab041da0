import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, setupApp, type TestContext, type TestTenant } from './helpers';

let ctx: TestContext;
let tenant: TestTenant;
beforeAll(async () => {
  ctx = await setupApp();
  tenant = await createTestTenant(ctx);
});
afterAll(async () => ctx.close());

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
function forge(header: object, payload: object, secret: string | null): string {
  const head = `${b64url(header)}.${b64url(payload)}`;
  if (secret === null) return `${head}.`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

describe('the guard on /api routes', () => {
  it('requires a token on every route that is not public (walks the route table)', async () => {
    // onRoute must be added before routes register, so rebuild with the hook first.
    const seen: { method: string; url: string; auth: string }[] = [];
    const app = await buildAppWithHook(seen);
    const userRoutes = seen.filter((r) => r.auth === 'user');
    expect(userRoutes.length).toBeGreaterThan(0);
    for (const r of userRoutes) {
      const url = r.url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      const res = await app.inject({ method: r.method as 'GET', url, payload: r.method === 'GET' ? undefined : {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
    }
    const keyRoutes = seen.filter((r) => r.auth === 'apiKey');
    for (const r of keyRoutes) {
      const res = await app.inject({ method: r.method as 'POST', url: r.url, payload: [] });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
    // Public routes are the short, known list.
    const publicRoutes = seen.filter((r) => r.auth === 'none').map((r) => r.url);
    for (const url of publicRoutes) expect(url).toMatch(/^\/api\/(health|auth\/|webhooks\/|demo\/)/);
    await app.close();
  });

  it.each([
    ['no token', undefined],
    ['garbage', 'Bearer abc.def.ghi'],
    ['alg none', 'NONE'],
    ['wrong key', 'WRONG'],
    ['expired', 'EXPIRED'],
    ['HS512', 'HS512'],
  ])('answers 401 (never 500) for %s', async (_name, kind) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: tenant.rep.id, tid: tenant.tenantId, role: 'rep', iat: now };
    const secret = ctx.deps.config.jwtSecret;
    const tokens: Record<string, string> = {
      NONE: `Bearer ${forge({ alg: 'none', typ: 'JWT' }, claims, null)}`,
      WRONG: `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, claims, 'another-secret-another-secret-0000')}`,
      EXPIRED: `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 7200, exp: now - 60 }, secret)}`,
      HS512: `Bearer ${forge({ alg: 'HS512', typ: 'JWT' }, claims, secret)}`,
    };
    const authorization = kind && tokens[kind] ? tokens[kind] : kind;
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: authorization ? { authorization } : {},
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHORIZED');
  });

  it('accepts a correctly signed token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = forge(
      { alg: 'HS256', typ: 'JWT' },
      { sub: tenant.rep.id, tid: tenant.tenantId, role: 'rep', iat: now, exp: now + 60 },
      ctx.deps.config.jwtSecret,
    );
    const res = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: tenant.rep.id, role: 'rep', tenantId: tenant.tenantId });
  });
});

async function buildAppWithHook(seen: { method: string; url: string; auth: string }[]) {
  const Fastify = (await import('fastify')).default;
  const { appPlugin } = await import('../src/app');
  const app = Fastify({ logger: false });
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const method of methods)
      if (method !== 'HEAD' && r.url.startsWith('/api/'))
        seen.push({ method, url: r.url, auth: (r.config as { auth?: string } | undefined)?.auth ?? 'user' });
  });
  await app.register(appPlugin, { deps: ctx.deps });
  await app.ready();
  return app;
}
