// Integration-test kit: a real database (the run's throw-away PostgreSQL database,
// or in-memory PGlite), the real app through app.inject, and users to act as.
import { randomBytes } from 'node:crypto';
import { type DatabaseHandle, schema } from '@crm/db';
import { openTestDatabase } from '@crm/db/testing';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pino from 'pino';
import { buildApp } from '../src/app';
import { type Config, testConfig } from '../src/config';
import { type AppDeps, createDeps } from '../src/deps';
import { createTenant } from '../src/modules/tenants/tenants.service';
import { signSession } from '../src/plugins/auth';
import { type Clock, fixedClock } from '../src/shared/clock';

export type TestContext = {
  handle: DatabaseHandle;
  deps: AppDeps;
  app: FastifyInstance;
  clock: ReturnType<typeof fixedClock>;
  close: () => Promise<void>;
};

export async function setupApp(
  opts: { config?: Partial<Config>; now?: string; clock?: Clock; logger?: boolean } = {},
): Promise<TestContext> {
  const handle = await openTestDatabase();
  const clock = fixedClock(opts.now ?? '2026-06-05T02:00:00Z');
  const deps = createDeps({
    db: handle.db,
    config: testConfig(opts.config),
    clock: opts.clock ?? clock,
    logger: pino({ level: opts.logger ? 'debug' : 'silent' }),
  });
  const app = await buildApp(deps);
  await app.ready();
  return {
    handle,
    deps,
    app,
    clock,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

export type TestUser = {
  id: string;
  tenantId: string;
  role: 'rep' | 'supervisor' | 'admin';
  name: string;
  token: string;
};

export type TestTenant = {
  tenantId: string;
  slug: string;
  apiKey: string;
  admin: TestUser;
  supervisor: TestUser;
  rep: TestUser;
  /** Adds another user to this tenant. */
  addUser: (role: TestUser['role'], name?: string, supervisorId?: string | null) => Promise<TestUser>;
};

/** A fresh tenant with an admin, a supervisor and one of their reps. Tests isolate by tenant. */
export async function createTestTenant(ctx: TestContext, opts: { timeZone?: string } = {}): Promise<TestTenant> {
  const slug = `t-${randomBytes(5).toString('hex')}`;
  const { tenantId, apiKey } = await createTenant(ctx.deps.db, {
    slug,
    name: `测试企业 ${slug}`,
    timeZone: opts.timeZone,
  });
  const addUser = async (
    role: TestUser['role'],
    name = `${role}-${randomBytes(2).toString('hex')}`,
    supervisorId: string | null = null,
  ) => {
    const [u] = await ctx.deps.db.insert(schema.users).values({ tenantId, name, role, supervisorId }).returning();
    if (!u) throw new Error('user insert failed');
    return { id: u.id, tenantId, role, name, token: signSession(ctx.app, u) };
  };
  const admin = await addUser('admin', '管理员');
  const supervisor = await addUser('supervisor', '王主管', null);
  const rep = await addUser('rep', '李销售', supervisor.id);
  return { tenantId, slug, apiKey, admin, supervisor, rep, addUser };
}

/** app.inject as a user (Bearer token). */
export function injectAs(ctx: TestContext, user: Pick<TestUser, 'token'> | null, opts: InjectOptions) {
  const headers = { ...(opts.headers ?? {}), ...(user ? { authorization: `Bearer ${user.token}` } : {}) };
  return ctx.app.inject({ ...opts, headers });
}
