import {
  CustomerSearchQuery,
  CustomerSearchResponse,
  CustomerView,
  CustomerViewQuery,
  ErrorBody,
  IdParams,
  UpdateCustomerBody,
} from '@crm/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';
import { searchCustomerSummaries } from './customer-search.service';
import { updateCustomer } from './customer-update.service';
import { getCustomerView } from './customer-view.service';

const errors = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody };

// Routes of the customers domain (POST /customers lives in customer-create.*, owned by the scan issue).
export const customersRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/customers/:id',
    {
      schema: {
        tags: ['customers'],
        params: IdParams,
        querystring: CustomerViewQuery,
        response: { 200: CustomerView, ...errors },
      },
    },
    async (request) => {
      const { before, beforeId, limit } = request.query;
      return getCustomerView(deps, request.actor, request.params.id, {
        before: before ? new Date(before) : undefined,
        beforeId,
        limit,
      });
    },
  );

  app.get(
    '/customers',
    {
      schema: {
        tags: ['customers'],
        querystring: CustomerSearchQuery,
        response: { 200: CustomerSearchResponse, ...errors },
      },
    },
    async (request) => searchCustomerSummaries(deps, request.actor, request.query),
  );

  app.patch(
    '/customers/:id',
    {
      schema: {
        tags: ['customers'],
        params: IdParams,
        body: UpdateCustomerBody,
        response: { 200: CustomerView, ...errors },
      },
    },
    async (request) => updateCustomer(deps, request.actor, request.params.id, request.body),
  );
};
