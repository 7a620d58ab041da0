import { DevLoginBody, ErrorBody, PublicUser, SessionResponse } from '@crm/contract';
import { schema } from '@crm/db';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, asc, eq } from 'drizzle-orm';
import { Type } from 'typebox';
import type { AppDeps } from '../../deps';
import { signSession } from '../../plugins/auth';
import { AppError } from '../../shared/errors';
import { createAuthRepo } from './auth.repo';
import { platformLoginRoutes } from './platform-login.routes';

export const authRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const repo = createAuthRepo(deps.db);
  await app.register(platformLoginRoutes, { deps });

  app.get('/me', { schema: { tags: ['auth'], response: { 200: PublicUser } } }, async (request) => ({
    id: request.actor.id,
    name: request.actor.name,
    role: request.actor.role,
    tenantId: request.actor.tenantId,
  }));

  // Demo/dev log-in: only when AUTH_DEV_LOGIN is on; otherwise the route does not exist.
  if (deps.config.devLogin) {
    app.post(
      '/auth/dev',
      {
        config: { auth: 'none' },
        schema: { tags: ['auth'], body: DevLoginBody, response: { 200: SessionResponse, 404: ErrorBody } },
      },
      async (request) => {
        const user = await repo.userById(request.body.userId);
        if (!user?.active) throw new AppError('NOT_FOUND', 'No such user');
        return {
          token: signSession(app, user),
          user: { id: user.id, name: user.name, role: user.role, tenantId: user.tenantId },
        };
      },
    );

    // The H5 demo's user picker: a few users of each role of the demo tenant.
    app.get(
      '/demo/users',
      {
        config: { auth: 'none' },
        schema: {
          tags: ['auth'],
          response: {
            200: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                role: Type.String(),
                team: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          },
        },
      },
      async () => {
        const [demo] = await deps.db.select().from(schema.tenants).where(eq(schema.tenants.isDemo, true)).limit(1);
        if (!demo) return [];
        const rows = await deps.db
          .select({
            id: schema.users.id,
            name: schema.users.name,
            role: schema.users.role,
            supervisorId: schema.users.supervisorId,
          })
          .from(schema.users)
          .where(and(eq(schema.users.tenantId, demo.tenantId), eq(schema.users.active, true)))
          .orderBy(asc(schema.users.role), asc(schema.users.name));
        const names = new Map(rows.map((r) => [r.id, r.name]));
        const pick = (role: string, n: number) => rows.filter((r) => r.role === role).slice(0, n);
        return [...pick('rep', 6), ...pick('supervisor', 4), ...pick('admin', 1)].map((r) => ({
          id: r.id,
          name: r.name,
          role: r.role,
          team: r.supervisorId ? `${names.get(r.supervisorId) ?? ''}组` : null,
        }));
      },
    );
  }
};
