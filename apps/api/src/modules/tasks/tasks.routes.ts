import { ErrorBody, IdParams, TaskList, TasksQuery, TaskView } from '@crm/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';
import { createTasksService } from './tasks.service';

// Routes of the tasks domain: the current user's cards.
export const tasksRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const service = createTasksService(deps);
  const errors = { 401: ErrorBody, 404: ErrorBody, 422: ErrorBody };

  app.get(
    '/tasks',
    { schema: { tags: ['tasks'], querystring: TasksQuery, response: { 200: TaskList, ...errors } } },
    async (request) => service.list(request.actor, request.query),
  );

  app.post(
    '/tasks/:id/ack',
    { schema: { tags: ['tasks'], params: IdParams, response: { 200: TaskView, ...errors } } },
    async (request) => service.ack(request.actor, request.params.id),
  );

  app.post(
    '/tasks/:id/done',
    { schema: { tags: ['tasks'], params: IdParams, response: { 200: TaskView, ...errors } } },
    async (request) => service.done(request.actor, request.params.id),
  );
};
