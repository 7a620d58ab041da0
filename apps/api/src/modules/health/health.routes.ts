import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { AppDeps } from '../../deps';

export const healthRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/health',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['health'],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), time: Type.String() }),
          503: Type.Object({ status: Type.Literal('degraded'), database: Type.String(), time: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      const time = deps.clock.now().toISOString();
      try {
        await deps.db.execute(sql`select 1`);
        return { status: 'ok' as const, database: 'up', time };
      } catch {
        return reply.status(503).send({ status: 'degraded' as const, database: 'down', time });
      }
    },
  );
};
