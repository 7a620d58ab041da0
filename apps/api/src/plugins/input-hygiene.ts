// Rejects request input PostgreSQL cannot store (U+0000 in a string) before validation,
// with a 422 naming the field, and makes lone surrogates U+FFFD (text-hygiene.ts). API-key
// ingestion routes are exempt from the NUL check of the body: there, one bad item must not
// block the batch, so each item is checked on its own (ingest rules).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { invalid } from '../shared/errors';
import { findNul, nulMessage, wellFormed } from '../shared/text-hygiene';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The body is raw scanned data, not stored text: NUL is allowed (the reader strips it). */
    rawBody?: boolean;
  }
}

export const inputHygiene = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request) => {
    // Only the API stores input; pages such as /c/:token answer a bad one with their own page.
    if (!request.url.startsWith('/api/')) return;
    if (request.body && typeof request.body === 'object') wellFormed(request.body);
    else if (typeof request.body === 'string') request.body = wellFormed(request.body);
    for (const [part, value] of [
      ['query', request.query],
      ['params', request.params],
    ] as const) {
      const at = findNul(value);
      if (at !== null) throw invalid(at || part, nulMessage(at || part));
    }
    const config = request.routeOptions.config;
    if (config?.auth === 'apiKey' || config?.rawBody) return;
    const at = findNul(request.body);
    if (at !== null) throw invalid(at || 'body', nulMessage(at || 'body'));
  });
});
