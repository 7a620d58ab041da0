import { IngestEmailItem, IngestEmailResult } from '@crm/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { AppDeps } from '../../deps';
import { findNul, nulMessage } from '../../shared/text-hygiene';
import { ingestEmails } from './emails.service';

const check = Compile(IngestEmailItem);

/** Item by item, so one bad e-mail never blocks the others. */
function validate(item: unknown): string | null {
  const nulAt = findNul(item);
  if (nulAt !== null) return nulMessage(nulAt || 'item');
  if (check.Check(item)) {
    const date = (item as IngestEmailItem).date;
    return Number.isNaN(Date.parse(date)) ? `date "${date}" is not an ISO-8601 instant` : null;
  }
  const first = check.Errors(item)[0];
  return first ? `${first.instancePath || 'item'} ${first.message}` : 'invalid item';
}

// POST /api/ingest/emails — from a mail gateway (X-Api-Key).
export const emailIngestRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/ingest/emails',
    {
      config: { auth: 'apiKey' },
      schema: {
        tags: ['ingest'],
        body: Type.Array(Type.Unknown(), { maxItems: 1000 }),
        response: { 200: IngestEmailResult },
      },
    },
    async (req) => ingestEmails(deps, req.apiTenantId, req.body, validate),
  );
};
