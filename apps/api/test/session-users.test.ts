import { schema } from '@crm/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionUserCache } from '../src/plugins/session-users';
import { createTestTenant, injectAs, setupApp, type TestContext } from './helpers';

/** A loader that counts its calls and answers from a table the test changes. */
function fakeLoader() {
  const users = new Map<string, string | undefined>([['t/u1', 'v1']]);
  const calls: string[] = [];
  let fail = false;
  const load = async (tid: string, uid: string) => {
    calls.push(`${tid}/${uid}`);
    if (fail) throw new Error('db down');
    return users.get(`${tid}/${uid}`);
  };
  return { load, users, calls, failNext: (v: boolean) => (fail = v) };
}

describe('session user cache (a plain function, fake clock)', () => {
  it.each([
    // [ttl, gap between the two reads in ms, loads expected]
    [2000, 0, 1],
    [2000, 1999, 1],
    [2000, 2000, 2],
    [2000, 5000, 2],
    [0, 0, 2],
  ])('ttl %i ms, second read after %i ms → %i load(s)', async (ttlMs, gap, loads) => {
    let t = 1000;
    const f = fakeLoader();
    const cache = createSessionUserCache(f.load, { ttlMs, now: () => t });
    expect(await cache.get('t', 'u1')).toBe('v1');
    t += gap;
    expect(await cache.get('t', 'u1')).toBe('v1');
    expect(f.calls).toHaveLength(loads);
  });

  it('a change is seen once the entry is older than the ttl', async () => {
    let t = 0;
    const f = fakeLoader();
    const cache = createSessionUserCache(f.load, { ttlMs: 100, now: () => t });
    await cache.get('t', 'u1');
    f.users.set('t/u1', 'v2');
    t = 99;
    expect(await cache.get('t', 'u1')).toBe('v1');
    t = 100;
    expect(await cache.get('t', 'u1')).toBe('v2');
  });

  it('concurrent reads of one user share one load', async () => {
    const f = fakeLoader();
    const cache = createSessionUserCache(f.load, { ttlMs: 1000, now: () => 0 });
    const all = await Promise.all(Array.from({ length: 20 }, () => cache.get('t', 'u1')));
    expect(new Set(all)).toEqual(new Set(['v1']));
    expect(f.calls).toHaveLength(1);
  });

  it('an unknown user and a failed load are not remembered', async () => {
    const f = fakeLoader();
    const cache = createSessionUserCache(f.load, { ttlMs: 1000, now: () => 0 });
    expect(await cache.get('t', 'nobody')).toBeUndefined();
    f.users.set('t/nobody', 'now-here');
    expect(await cache.get('t', 'nobody')).toBe('now-here');
    f.failNext(true);
    await expect(cache.get('t', 'u9')).rejects.toThrow('db down');
    f.failNext(false);
    f.users.set('t/u9', 'v9');
    expect(await cache.get('t', 'u9')).toBe('v9');
  });

  it('keeps at most `max` users, dropping the oldest', async () => {
    const f = fakeLoader();
    const cache = createSessionUserCache(f.load, { ttlMs: 1000, max: 2, now: () => 0 });
    for (const u of ['a', 'b', 'c']) f.users.set(`t/${u}`, u);
    for (const u of ['a', 'b', 'c']) await cache.get('t', u);
    await cache.get('t', 'c');
    await cache.get('t', 'b');
    expect(f.calls).toHaveLength(3);
    await cache.get('t', 'a');
    expect(f.calls).toHaveLength(4);
  });
});

describe('a deactivated user is locked out within AUTH_USER_CACHE_MS', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await setupApp({ config: { authUserCacheMs: 150 } });
  });
  afterAll(async () => ctx.close());

  it('401 once the cached entry has expired, on every route', async () => {
    const t = await createTestTenant(ctx);
    const me = () => injectAs(ctx, t.rep, { method: 'GET', url: '/api/me' });
    expect((await me()).statusCode).toBe(200);
    await ctx.deps.db.update(schema.users).set({ active: false }).where(eq(schema.users.id, t.rep.id));
    await new Promise((r) => setTimeout(r, 200));
    const res = await me();
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHORIZED');
  });
});
