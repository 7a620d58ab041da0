import { ErrorBody } from '@crm/contract';
import { schema } from '@crm/db';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, desc, eq } from 'drizzle-orm';
import { Type } from 'typebox';
import type { AppDeps } from '../../deps';
import { AppError } from '../../shared/errors';

const State = Type.Union(['pending', 'sending', 'sent', 'failed'].map((s) => Type.Literal(s)));
const DeliveryItem = Type.Object({
  id: Type.String(),
  taskId: Type.String(),
  recipient: Type.Object({ id: Type.String(), name: Type.String() }),
  channel: Type.String(),
  state: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  nextAttemptAt: Type.String(),
  updatedAt: Type.String(),
});

// Admins see the outbox, above all what failed for good, so nothing is lost quietly.
export const deliveryRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const d = schema.deliveries;
  app.get(
    '/deliveries',
    {
      schema: {
        tags: ['deliveries'],
        querystring: Type.Object({
          state: Type.Optional(State),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: { 200: Type.Array(DeliveryItem), 403: ErrorBody },
      },
    },
    async (request) => {
      const actor = request.actor;
      if (actor.role !== 'admin') throw new AppError('FORBIDDEN', 'Only an admin can list deliveries');
      const rows = await deps.db
        .select({
          id: d.id,
          taskId: d.taskId,
          recipientId: d.recipientId,
          recipientName: schema.users.name,
          channel: d.channel,
          state: d.state,
          attempts: d.attempts,
          lastError: d.lastError,
          nextAttemptAt: d.nextAttemptAt,
          updatedAt: d.updatedAt,
        })
        .from(d)
        .innerJoin(schema.users, and(eq(schema.users.tenantId, d.tenantId), eq(schema.users.id, d.recipientId)))
        .where(
          and(
            eq(d.tenantId, actor.tenantId),
            request.query.state ? eq(d.state, request.query.state as 'failed') : undefined,
          ),
        )
        .orderBy(desc(d.updatedAt))
        .limit(request.query.limit ?? 100);
      return rows.map((r) => ({
        id: r.id,
        taskId: r.taskId,
        recipient: { id: r.recipientId, name: r.recipientName },
        channel: r.channel,
        state: r.state,
        attempts: r.attempts,
        lastError: r.lastError,
        nextAttemptAt: r.nextAttemptAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      }));
    },
  );
};
