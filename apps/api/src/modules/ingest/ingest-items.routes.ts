import { ErrorBody, IngestBatch, IngestResult } from '@crm/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';
import { checkBatchSize, INGESTERS, type IngestKind } from './ingest.service';

/** 1,000 items with long texts fit; the app-wide limit (1 MiB) would not. */
export const INGEST_BODY_LIMIT = 8 * 1024 * 1024;

// POST /api/ingest/orders | tickets | chats — X-Api-Key, ≤ 1000 items, one bad item never blocks the rest.
export const itemIngestRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  for (const kind of ['orders', 'tickets', 'chats'] as IngestKind[]) {
    app.post(
      `/ingest/${kind}`,
      {
        config: { auth: 'apiKey' },
        bodyLimit: INGEST_BODY_LIMIT,
        schema: {
          tags: ['ingest'],
          security: [{ apiKey: [] }],
          // Items are validated one by one (IngestOrderItem / IngestTicketItem / IngestChatItem).
          body: IngestBatch,
          response: { 200: IngestResult, 401: ErrorBody, 413: ErrorBody, 422: ErrorBody },
        },
      },
      async (request) => {
        checkBatchSize(request.body);
        return INGESTERS[kind](deps, request.apiTenantId, request.body);
      },
    );
  }
};
