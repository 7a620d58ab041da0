import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../deps';
import { createWecomCallbackService } from './wecom-callback.service';

const Query = Type.Object({
  msg_signature: Type.String({ minLength: 1, maxLength: 128 }),
  timestamp: Type.String({ minLength: 1, maxLength: 20 }),
  nonce: Type.String({ minLength: 1, maxLength: 128 }),
  echostr: Type.Optional(Type.String({ maxLength: 4096 })),
});

// GET|POST /api/webhooks/wecom — the WeCom callback URL. Only when a callback token/AES key is configured.
export const wecomWebhookRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const cfg = deps.config.wecom;
  if (!cfg?.callbackToken || !cfg.callbackAesKey) return;
  const service = createWecomCallbackService(deps, cfg);
  // WeCom posts XML; this parser lives only inside this plugin.
  app.addContentTypeParser(
    ['text/xml', 'application/xml'],
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.get(
    '/webhooks/wecom',
    {
      config: { auth: 'none' },
      schema: { hide: true, querystring: Type.Intersect([Query, Type.Object({ echostr: Type.String() })]) },
    },
    async (request, reply) => reply.type('text/plain; charset=utf-8').send(service.verifyUrl(request.query)),
  );

  app.post(
    '/webhooks/wecom',
    { config: { auth: 'none' }, schema: { hide: true, querystring: Query } },
    async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const outcome = await service.receive(request.query, body);
      request.log.info({ outcome }, 'WeCom callback');
      return reply.type('text/plain; charset=utf-8').send('');
    },
  );
};
