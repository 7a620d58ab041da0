import { AttributionQuery, AttributionReport, ForecastReport, HealthQuery, HealthReport } from '@crm/contract';
import { schema } from '@crm/db';
import { monthKey, shiftMonth } from '@crm/domain';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';
import { ownedByVisible } from '../../shared/access';
import { tenantSettings } from '../signals/signals.repo';
import { attributionForMonth } from './attribution.service';
import { forecastReport } from './forecast.service';
import { healthReport } from './health.service';

// Routes of the reports domain: forecast, health score, attribution.
export const reportsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/reports/forecast', { schema: { tags: ['reports'], response: { 200: ForecastReport } } }, async (req) =>
    forecastReport(deps, req.actor),
  );
  app.get(
    '/reports/health',
    { schema: { tags: ['reports'], querystring: HealthQuery, response: { 200: HealthReport } } },
    async (req) => healthReport(deps, req.actor, req.query),
  );
  app.get(
    '/reports/attribution',
    { schema: { tags: ['reports'], querystring: AttributionQuery, response: { 200: AttributionReport } } },
    async (req) => {
      const now = deps.clock.now();
      const { timeZone } = await tenantSettings(deps.db, req.actor.tenantId);
      // Default: last month.
      const month = req.query.month ?? shiftMonth(monthKey(now, timeZone), -1);
      const ownerFilter =
        req.actor.role === 'admin' ? undefined : ownedByVisible(schema.opportunities.ownerId, req.actor);
      return attributionForMonth(deps.db, { tenantId: req.actor.tenantId, timeZone, ownerFilter }, month, now);
    },
  );
};
