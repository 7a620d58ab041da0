import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';

// Filled in by its issue.
export const wecomWebhookRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (_app, _opts) => {};
