import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AjvCompiler } from '@fastify/ajv-compiler';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { REPO_ROOT } from './config';
import type { AppDeps } from './deps';
import { apiRoutes } from './modules/index';
import { cardLinkRoutes } from './modules/scan/card-link.routes';
import { authPlugin } from './plugins/auth';
import { clientErrorHandler, errorHandler, frameworkErrorHandler } from './plugins/error-handler';
import { inputHygiene } from './plugins/input-hygiene';

export const BODY_LIMIT = 1024 * 1024;
export const H5_DIR = join(REPO_ROOT, 'apps', 'miniapp', 'dist', 'h5');

export type BuildOptions = {
  logger?: FastifyServerOptions['loggerInstance'];
  /** Serve the H5 build of the mini-app at / (the server does; tests need not). */
  serveH5?: boolean;
};

/** The whole app as one plugin: external → app plugins → routes. */
export const appPlugin = fp(async (app: FastifyInstance, { deps, serveH5 }: { deps: AppDeps; serveH5?: boolean }) => {
  await app.register(errorHandler);
  await app.register(inputHygiene);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Signal CRM API', version: '1.0.0', description: 'See docs/architecture.md' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(authPlugin, { deps });
  await app.register(apiRoutes, { prefix: '/api', deps });
  await app.register(cardLinkRoutes, { deps });
  if (serveH5) {
    if (existsSync(join(H5_DIR, 'index.html'))) {
      await app.register(fastifyStatic, { root: H5_DIR, prefix: '/', wildcard: true });
    } else {
      app.get('/', { schema: { hide: true }, config: { auth: 'none' } }, async (_req, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .send(
            '<!doctype html><meta charset="utf-8"><title>Signal CRM</title><p>API is running. The mini-app H5 build is not present; API docs at <a href="/docs">/docs</a>.</p>',
          ),
      );
    }
  }
});

const AJV_OPTIONS = { allErrors: false, useDefaults: true, removeAdditional: false } as const;
const ajvCompilerPool = AjvCompiler();

/**
 * JSON bodies are typed: `{"name": 12345}` is a 422 naming the field, never the string
 * "12345" (Fastify's single Ajv coerces every part). Query strings, params and headers
 * arrive as text and are still coerced to the schema's types.
 */
const schemaController: FastifyServerOptions['schemaController'] = {
  compilersFactory: {
    buildValidator(externalSchemas, ajvServerOption) {
      const options = (coerceTypes: false | 'array') => ({
        plugins: ajvServerOption?.plugins ?? [],
        customOptions: { ...AJV_OPTIONS, coerceTypes },
      });
      const body = ajvCompilerPool(externalSchemas, options(false));
      const text = ajvCompilerPool(externalSchemas, options('array'));
      return (route) => (route.httpPart === 'body' ? body(route) : text(route));
    },
  },
};

export async function buildApp(deps: AppDeps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger ?? deps.logger,
    bodyLimit: BODY_LIMIT,
    trustProxy: true,
    // Errors from Node's HTTP parser (431 oversized headers, 400 malformed) in the contract shape.
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
    schemaController,
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(appPlugin, { deps, serveH5: opts.serveH5 ?? false });
  return app;
}
