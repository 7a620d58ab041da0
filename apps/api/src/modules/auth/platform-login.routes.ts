import { DingtalkLoginBody, ErrorBody, SessionResponse, WecomLoginBody } from '@crm/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';
import { signSession } from '../../plugins/auth';
import { createPlatformLoginService } from './platform-login.service';

const responses = { 200: SessionResponse, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 502: ErrorBody };

// POST /api/auth/wecom {code}, POST /api/auth/dingtalk {authCode} → our session token.
export const platformLoginRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const service = createPlatformLoginService(deps);
  const session = (user: { id: string; name: string; role: 'rep' | 'supervisor' | 'admin'; tenantId: string }) => ({
    token: signSession(app, user),
    user: { id: user.id, name: user.name, role: user.role, tenantId: user.tenantId },
  });
  app.post(
    '/auth/wecom',
    { config: { auth: 'none' }, schema: { tags: ['auth'], body: WecomLoginBody, response: responses } },
    async (request) => session(await service.wecom(request.body.code)),
  );
  app.post(
    '/auth/dingtalk',
    { config: { auth: 'none' }, schema: { tags: ['auth'], body: DingtalkLoginBody, response: responses } },
    async (request) => session(await service.dingtalk(request.body.authCode)),
  );
};
