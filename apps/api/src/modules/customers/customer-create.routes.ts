// POST /api/customers and GET /api/customers/:id/qr (our own signed card QR).
import { CreateCustomerBody, DuplicateIdentityError, ErrorBody, IdParams, ScanCustomerView } from '@crm/contract';
import { schema } from '@crm/db';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import type { AppDeps } from '../../deps';
import { ownedByVisible } from '../../shared/access';
import { AppError } from '../../shared/errors';
import { cardLink, signCardToken } from '../scan/card-token';
import { createCustomer } from './customer-create.service';

export const customerCreateRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/customers',
    {
      schema: {
        tags: ['customers'],
        body: CreateCustomerBody,
        response: { 201: ScanCustomerView, 409: DuplicateIdentityError, 422: ErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await createCustomer(deps, request.actor, request.body)),
  );

  app.get(
    '/customers/:id/qr',
    {
      schema: {
        tags: ['customers'],
        params: IdParams,
        response: {
          200: Type.Unknown({ description: 'PNG image of the signed customer link' }),
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      const cu = schema.customers;
      const [row] = await deps.db
        .select({ id: cu.id, visible: ownedByVisible(cu.ownerId, actor).mapWith(Boolean) })
        .from(cu)
        .where(and(eq(cu.tenantId, actor.tenantId), eq(cu.id, request.params.id)))
        .limit(1);
      if (!row) throw new AppError('NOT_FOUND', 'Customer not found');
      if (!row.visible) throw new AppError('FORBIDDEN', "Only the customer's owner (or their supervisor) can share it");
      const token = signCardToken(deps.config.jwtSecret, actor.tenantId, row.id);
      // The identity row makes the token resolvable by the scanner (and revocable by deleting it).
      await deps.db
        .insert(schema.customerIdentities)
        .values({ tenantId: actor.tenantId, customerId: row.id, kind: 'card_token', value: token })
        .onConflictDoNothing();
      const png = await QRCode.toBuffer(cardLink(deps.config.publicBaseUrl, token), {
        type: 'png',
        errorCorrectionLevel: 'M',
        margin: 2,
        width: 480,
      });
      return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(png);
    },
  );
};
