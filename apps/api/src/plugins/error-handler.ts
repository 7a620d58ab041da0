import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, errorStatus } from '../shared/errors';

type ErrorBody = { error: { code: string; message: string; field?: string; requestId?: string } };

function validationField(err: FastifyError): string | undefined {
  const first = err.validation?.[0];
  if (!first) return undefined;
  const params = first.params as Record<string, unknown>;
  const base = (first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
  const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
  const leaf = missing ?? extra;
  if (leaf) return base ? `${base}.${leaf}` : leaf;
  return base || undefined;
}

function validationMessage(err: FastifyError, field: string | undefined): string {
  const first = err.validation?.[0];
  if (!first) return 'Invalid request';
  if (first.keyword === 'required') return `${field} is required`;
  if (first.keyword === 'additionalProperties') return `${field} is not an accepted field`;
  return field ? `${field} ${first.message ?? 'is invalid'}` : (first.message ?? 'Invalid request');
}

export const errorHandler = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const send = (status: number, body: ErrorBody) => reply.status(status).send(body);
    if (err instanceof AppError) {
      const { field, ...rest } = err.details;
      const body: ErrorBody = { error: { code: err.code, message: err.message, ...(field ? { field } : {}) } };
      return send(err.status, { error: { ...body.error, ...rest } } as ErrorBody);
    }
    if (err.validation) {
      const field = validationField(err);
      return send(422, {
        error: { code: 'VALIDATION_FAILED', message: validationMessage(err, field), ...(field ? { field } : {}) },
      });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError)
      return send(400, { error: { code: 'INVALID_JSON', message: 'The request body is not valid JSON' } });
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return send(413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' } });
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return send(415, { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send JSON (application/json)' } });
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return send(400, { error: { code: 'BAD_REQUEST', message: 'The JSON body is empty' } });
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        status === 401
          ? 'UNAUTHORIZED'
          : status === 404
            ? 'NOT_FOUND'
            : status === 429
              ? 'RATE_LIMITED'
              : 'BAD_REQUEST';
      // 4xx from Fastify itself carry safe messages; never echo internals.
      return send(status, { error: { code, message: err.message || code } });
    }
    request.log.error({ err }, 'unhandled error');
    return send(500, {
      error: {
        code: 'INTERNAL',
        message: 'Something went wrong on our side. Try again shortly.',
        requestId: request.id,
      },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
  });
});

export { errorStatus };
