import {
  AddSignalBody,
  ContractBody,
  CreateOpportunityBody,
  IdParams,
  Opportunity,
  Signal,
  UpdateOpportunityBody,
} from '@crm/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';
import { signalDto } from '../signals/signals.repo';
import { addSignal } from '../signals/signals.service';
import { createOpportunity, getOpportunity, patchOpportunity, putContract } from './opportunities.service';

export const opportunitiesRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/opportunities',
    { schema: { tags: ['opportunities'], body: CreateOpportunityBody, response: { 201: Opportunity } } },
    async (req, reply) => reply.status(201).send(await createOpportunity(deps, req.actor, req.body)),
  );
  app.get(
    '/opportunities/:id',
    { schema: { tags: ['opportunities'], params: IdParams, response: { 200: Opportunity } } },
    async (req) => getOpportunity(deps, req.actor, req.params.id),
  );
  app.patch(
    '/opportunities/:id',
    {
      schema: {
        tags: ['opportunities'],
        params: IdParams,
        body: UpdateOpportunityBody,
        response: { 200: Opportunity },
      },
    },
    async (req) => patchOpportunity(deps, req.actor, req.params.id, req.body),
  );
  app.put(
    '/opportunities/:id/contract',
    { schema: { tags: ['opportunities'], params: IdParams, body: ContractBody, response: { 200: Opportunity } } },
    async (req) => putContract(deps, req.actor, req.params.id, req.body),
  );
  app.post(
    '/opportunities/:id/signals',
    { schema: { tags: ['signals'], params: IdParams, body: AddSignalBody, response: { 201: Signal } } },
    async (req, reply) => reply.status(201).send(signalDto(await addSignal(deps, req.actor, req.params.id, req.body))),
  );
};
