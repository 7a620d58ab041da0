import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';
import { emailIngestRoutes } from './emails.routes';
import { itemIngestRoutes } from './ingest-items.routes';

// Ingestion for ERP / store / service-desk connectors (X-Api-Key).
export const ingestRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  await app.register(emailIngestRoutes, { deps });
  await app.register(itemIngestRoutes, { deps });
};
