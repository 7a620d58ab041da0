// GET /c/:token — our customer QR opened by a phone's own camera (WeChat, WeCom, DingTalk
// or a browser) instead of the in-app scanner. A valid, unrevoked token sends the browser
// into the mini-app at that customer, where the usual session and access rules apply (a
// colleague's customer is limited, another company's never shown). Anything else gets a
// page that says the code is not valid and reveals nothing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../deps';
import { verifyCardToken } from './card-token';
import { createScanRepo } from './scan.repo';

const page = (title: string, text: string) =>
  `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><body style="font-family:sans-serif;padding:2em;line-height:1.6"><h2>${title}</h2><p>${text}</p><p><a href="/">打开应用</a></p></body></html>`;

const INVALID = page(
  '二维码无效',
  '这个客户二维码无效或已停用（可能被改动过、被撤销，或来自其他公司）。请让客户负责人重新生成，或在应用内扫描客户名片。',
);

export const cardLinkRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const repo = createScanRepo(deps.db);
  app.get(
    '/c/:token',
    {
      config: { auth: 'none' },
      schema: { hide: true, params: Type.Object({ token: Type.String({ maxLength: 200 }) }) },
      // A wrong or over-long token is the same "invalid" page, not a JSON validation error.
      attachValidation: true,
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const token = request.validationError ? '' : request.params.token;
      const ids = verifyCardToken(deps.config.jwtSecret, token);
      const [issued] = ids ? await repo.identities(ids.tenantId, [{ kind: 'card_token', value: token }]) : [];
      if (!ids || issued?.customerId !== ids.customerId)
        return reply.code(404).type('text/html; charset=utf-8').send(INVALID);
      return reply.redirect(`/?go=customer&id=${ids.customerId}`, 302);
    },
  );
  // Longer than a route parameter may be, or more path segments: not ours either.
  app.get('/c/*', { config: { auth: 'none' }, schema: { hide: true } }, async (_request, reply) =>
    reply.code(404).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(INVALID),
  );
};
