import { createHash } from 'node:crypto';
import { schema } from '@crm/db';
import jwt from '@fastify/jwt';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppDeps } from '../deps';
import type { Actor } from '../shared/access';
import { AppError } from '../shared/errors';
import { createSessionUserCache } from './session-users';

/** How a route authenticates: a user's JWT (default), a tenant API key, or nothing. */
export type RouteAuth = 'user' | 'apiKey' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    actor: Actor;
    apiTenantId: string;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; tid: string; role: string };
  }
}

export const TOKEN_TTL_SECONDS = 12 * 3600;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

export const authPlugin = fp(async (app: FastifyInstance, { deps }: { deps: AppDeps }) => {
  await app.register(jwt, {
    secret: deps.config.jwtSecret,
    // HS256 only: "none" and every other algorithm are refused at verification.
    sign: { algorithm: 'HS256', expiresIn: TOKEN_TTL_SECONDS },
    // Verified tokens are cached (fast-jwt re-checks exp/nbf on a hit): the HMAC and the
    // JSON parse were a measurable part of every request.
    verify: { algorithms: ['HS256'], cache: 10_000 },
  });
  // Every authenticated request looks its user up: built once, and a named (server-side
  // prepared) statement, so neither drizzle nor PostgreSQL re-parses it per request.
  const userById = deps.db
    .select({
      id: schema.users.id,
      tenantId: schema.users.tenantId,
      role: schema.users.role,
      name: schema.users.name,
      supervisorId: schema.users.supervisorId,
      active: schema.users.active,
    })
    .from(schema.users)
    .where(and(eq(schema.users.tenantId, sql.placeholder('tid')), eq(schema.users.id, sql.placeholder('sub'))))
    .limit(1)
    .prepare('auth_user_by_id');
  const sessionUsers = createSessionUserCache(async (tid, sub) => (await userById.execute({ tid, sub }))[0], {
    ttlMs: deps.config.authUserCacheMs,
  });
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('apiTenantId', '');

  app.addHook('onRequest', async (request) => {
    const auth = request.routeOptions.config?.auth ?? 'user';
    const url = request.url;
    if (!url.startsWith('/api/') || auth === 'none' || !request.routeOptions.url) return;
    if (auth === 'apiKey') {
      const key = request.headers['x-api-key'];
      if (typeof key !== 'string' || key.length < 10 || key.length > 200)
        throw new AppError('UNAUTHORIZED', 'X-Api-Key header is missing or malformed');
      const [row] = await deps.db
        .select({ tenantId: schema.apiKeys.tenantId })
        .from(schema.apiKeys)
        .where(and(eq(schema.apiKeys.keyHash, hashApiKey(key)), isNull(schema.apiKeys.revokedAt)))
        .limit(1);
      if (!row) throw new AppError('UNAUTHORIZED', 'Unknown or revoked API key');
      request.apiTenantId = row.tenantId;
      return;
    }
    const token = bearer(request);
    if (!token) throw new AppError('UNAUTHORIZED', 'Log in first (Authorization: Bearer <token>)');
    let payload: { sub: string; tid: string };
    try {
      payload = app.jwt.verify<{ sub: string; tid: string; role: string }>(token);
    } catch {
      throw new AppError('UNAUTHORIZED', 'The session token is invalid or has expired; log in again');
    }
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.tid !== 'string' ||
      !isUuid(payload.sub) ||
      !isUuid(payload.tid)
    )
      throw new AppError('UNAUTHORIZED', 'The session token is invalid; log in again');
    const user = await sessionUsers.get(payload.tid, payload.sub);
    if (!user?.active) throw new AppError('UNAUTHORIZED', 'This account is no longer active');
    request.actor = {
      id: user.id,
      tenantId: user.tenantId,
      role: user.role,
      name: user.name,
      supervisorId: user.supervisorId,
    };
  });
});

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_RE.test(s);

/** Signs our session token for a user (the platform log-ins and dev log-in share it). */
export function signSession(app: FastifyInstance, user: { id: string; tenantId: string; role: string }): string {
  return app.jwt.sign({ sub: user.id, tid: user.tenantId, role: user.role });
}
