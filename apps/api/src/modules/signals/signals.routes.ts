import {
  ConfirmSignalBody,
  DaySignalsQuery,
  IdParams,
  ListSignalsQuery,
  MorningScanBody,
  PlaceSignalBody,
  Signal,
} from '@crm/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../deps';
import { listVisibleSignals, signalDto } from './signals.repo';
import { confirmSignal, daySignals, placeSignal, postMorningScan, rejectSignal } from './signals.service';

const DaySignal = Type.Object({
  ...Signal.properties,
  customer: Type.Object({ id: Type.String(), name: Type.String() }),
  rep: Type.Object({ id: Type.String(), name: Type.String() }),
});

export const signalsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/signals',
    { schema: { tags: ['signals'], querystring: ListSignalsQuery, response: { 200: Type.Array(Signal) } } },
    async (req) => {
      const { limit = 50, ...filter } = req.query;
      return (await listVisibleSignals(deps.db, req.actor, filter, limit)).map(signalDto);
    },
  );
  app.post(
    '/signals/:id/confirm',
    {
      schema: {
        tags: ['signals'],
        params: IdParams,
        body: ConfirmSignalBody,
        response: { 200: Signal },
      },
      // The body is optional: a bare POST confirms the candidate as proposed.
      preValidation: async (req) => {
        req.body ??= {};
      },
    },
    async (req) => signalDto(await confirmSignal(deps, req.actor, req.params.id, req.body ?? {})),
  );
  app.post(
    '/signals/:id/reject',
    { schema: { tags: ['signals'], params: IdParams, response: { 200: Signal } } },
    async (req) => signalDto(await rejectSignal(deps, req.actor, req.params.id)),
  );
  app.post(
    '/signals/morning-scan',
    { schema: { tags: ['signals'], body: MorningScanBody, response: { 201: Signal } } },
    async (req, reply) => reply.status(201).send(signalDto(await postMorningScan(deps, req.actor, req.body))),
  );
  app.post(
    '/signals/:id/place',
    { schema: { tags: ['signals'], params: IdParams, body: PlaceSignalBody, response: { 200: Signal } } },
    async (req) => signalDto(await placeSignal(deps, req.actor, req.params.id, req.body.opportunityId)),
  );
  app.get(
    '/signals/day',
    {
      schema: {
        tags: ['signals'],
        querystring: DaySignalsQuery,
        response: { 200: Type.Object({ date: Type.String(), signals: Type.Array(DaySignal) }) },
      },
    },
    async (req) => {
      const { date, rows } = await daySignals(deps, req.actor, req.query.date);
      return {
        date,
        signals: rows.map((r) => ({
          ...signalDto(r.signal),
          customer: { id: r.signal.customerId, name: r.customerName },
          rep: { id: r.signal.createdById ?? '', name: r.repName },
        })),
      };
    },
  );
};
