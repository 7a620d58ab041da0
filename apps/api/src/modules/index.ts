import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../deps';
import { authRoutes } from './auth/auth.routes';
import { customerCreateRoutes } from './customers/customer-create.routes';
import { customersRoutes } from './customers/customers.routes';
import { deliveryRoutes } from './delivery/delivery.routes';
import { healthRoutes } from './health/health.routes';
import { ingestRoutes } from './ingest/ingest.routes';
import { opportunitiesRoutes } from './opportunities/opportunities.routes';
import { reportsRoutes } from './reports/reports.routes';
import { scanRoutes } from './scan/scan.routes';
import { signalsRoutes } from './signals/signals.routes';
import { tasksRoutes } from './tasks/tasks.routes';
import { visitsRoutes } from './visits/visits.routes';
import { webhooksRoutes } from './webhooks/webhooks.routes';

/** Every domain's routes under /api, each an encapsulated plugin. */
export const apiRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  for (const plugin of [
    healthRoutes,
    authRoutes,
    scanRoutes,
    customersRoutes,
    customerCreateRoutes,
    visitsRoutes,
    tasksRoutes,
    opportunitiesRoutes,
    signalsRoutes,
    reportsRoutes,
    ingestRoutes,
    webhooksRoutes,
    deliveryRoutes,
  ]) {
    await app.register(plugin, { deps });
  }
};
