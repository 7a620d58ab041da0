import { CreateVisitBody, ErrorBody, VisitResponse } from '@crm/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';
import { type RecordedVisit, recordVisit } from './visits.service';

const toResponse = (v: RecordedVisit) => ({
  id: v.id,
  customerId: v.customerId,
  repId: v.repId,
  coreNeed: v.coreNeed,
  nextContactAt: v.nextContactAt.toISOString(),
  occurredAt: v.occurredAt.toISOString(),
  recordedAt: v.recordedAt.toISOString(),
  actionType: v.actionType,
  channel: v.channel,
  location: v.location,
  clientId: v.clientId,
  promiseStatus: v.promiseStatus,
  closedPromise: v.closedPromise,
});

// Routes of the visits domain: the three-field record.
export const visitsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/visits',
    {
      schema: {
        tags: ['visits'],
        body: CreateVisitBody,
        response: {
          201: VisitResponse,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const visit = await recordVisit(deps, request.actor, request.body);
      // An offline retry gets the first record back, unchanged (same status, same body).
      if (visit.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(toResponse(visit));
    },
  );
};
