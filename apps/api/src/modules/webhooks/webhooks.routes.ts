import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';
import { wechatPayWebhookRoutes } from './wechatpay.routes';
import { wecomWebhookRoutes } from './wecom.routes';

// Each provider's webhook is its own encapsulated plugin: its body parser
// (raw JSON for WeChat Pay signatures, XML for WeCom) stays inside it.
export const webhooksRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  await app.register(wecomWebhookRoutes, { deps });
  await app.register(wechatPayWebhookRoutes, { deps });
};
