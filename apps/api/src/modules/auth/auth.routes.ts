import { DevLoginBody, ErrorBody, SessionResponse } from '@crm/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';
import { signSession } from '../../plugins/auth';
import { AppError } from '../../shared/errors';
import { createAuthRepo } from './auth.repo';

export const authRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const repo = createAuthRepo(deps.db);

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
        if (!user || !user.active) throw new AppError('NOT_FOUND', 'No such user');
        return {
          token: signSession(app, user),
          user: { id: user.id, name: user.name, role: user.role, tenantId: user.tenantId },
        };
      },
    );
  }
};
