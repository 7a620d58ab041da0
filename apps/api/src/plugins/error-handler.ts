import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

type AjvError = NonNullable<FastifyError['validation']>[number];

/** The values a const/enum/anyOf-of-consts failure would have accepted, or [] if they cannot be told. */
function allowedValues(errors: AjvError[], first: AjvError): unknown[] {
  const out: unknown[] = [];
  for (const e of errors) {
    if (e.instancePath !== first.instancePath) continue;
    const p = e.params as { allowedValue?: unknown; allowedValues?: unknown };
    if (e.keyword === 'const' && 'allowedValue' in p) out.push(p.allowedValue);
    else if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) out.push(...p.allowedValues);
  }
  return [...new Set(out)];
}

function validationMessage(err: FastifyError, field: string | undefined): string {
  const errors = err.validation ?? [];
  const first = errors[0];
  if (!first) return 'Invalid request';
  const name = field ?? 'the value';
  if (first.keyword === 'required') return `${field} is required`;
  if (first.keyword === 'additionalProperties' || first.keyword === 'false schema')
    return `${name} is not an accepted field`;
  if (first.keyword === 'const' || first.keyword === 'enum' || first.keyword === 'anyOf') {
    const allowed = allowedValues(errors, first);
    return allowed.length
      ? `${name} must be one of: ${allowed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`
      : `${name} has a value that is not accepted`;
  }
  return field ? `${field} ${first.message ?? 'is invalid'}` : (first.message ?? 'Invalid request');
}

/** A body that is JSON but not an object (a bare string, a number, an array where an object is expected). */
function isRootBodyTypeError(err: FastifyError): boolean {
  const first = err.validation?.[0];
  return Boolean(
    first &&
      err.validationContext === 'body' &&
      !first.instancePath &&
      first.keyword === 'type' &&
      (first.params as { type?: unknown }).type === 'object',
  );
}

/** PostgreSQL codes for text it cannot store: 22021 (invalid byte sequence, e.g. 0x00), 22P05 (untranslatable character). */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);
function pgCode(err: unknown): string | undefined {
  for (let x: unknown = err, i = 0; x && typeof x === 'object' && i < 5; x = (x as { cause?: unknown }).cause, i++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (431 header overflow,
 * 400 malformed request, 408 timeout), answered on the socket in the contract shape.
 */
/**
 * Errors Fastify raises before routing (a malformed %-escape in the URL, FST_ERR_BAD_URL;
 * an unsupported Accept-Version) in the contract shape — not Fastify's own body.
 */
export function frameworkErrorHandler(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message = err.code === 'FST_ERR_BAD_URL' ? 'The address contains a malformed %-escape' : 'Bad request';
  reply.code(400).send({ error: { code: 'BAD_REQUEST', message } });
}

export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'The request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive']
        : [400, 'BAD_REQUEST', 'The request is not valid HTTP'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(err);
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
      if (isRootBodyTypeError(err))
        return send(422, {
          error: { code: 'VALIDATION_FAILED', message: 'the body must be a JSON object', field: 'body' },
        });
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
    const pg = pgCode(err);
    if (pg && UNSTORABLE_TEXT.has(pg)) {
      request.log.warn({ err }, 'unstorable text');
      return send(422, {
        error: { code: 'VALIDATION_FAILED', message: 'text contains characters that cannot be stored' },
      });
    }
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
