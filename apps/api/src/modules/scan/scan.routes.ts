import { ErrorBody, SCAN_PAYLOAD_MAX_BYTES, ScanBody, ScanResponse } from '@crm/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps';
import { AppError } from '../../shared/errors';
import { createScanService } from './scan.service';

// The app's body limit is 1 MiB; the scanner's payload has its own 4 KiB limit, checked
// before schema validation so an oversized payload is a 413, not a 422.
function checkSize(body: unknown): void {
  if (!body || typeof body !== 'object') return;
  const { payload, rawData } = body as { payload?: unknown; rawData?: unknown };
  if (typeof payload === 'string' && Buffer.byteLength(payload, 'utf8') > SCAN_PAYLOAD_MAX_BYTES)
    throw new AppError('PAYLOAD_TOO_LARGE', `The scanned code is larger than ${SCAN_PAYLOAD_MAX_BYTES} bytes`, {
      field: 'payload',
    });
  if (
    typeof rawData === 'string' &&
    Math.floor((rawData.replace(/[\s=]/g, '').length * 3) / 4) > SCAN_PAYLOAD_MAX_BYTES
  )
    throw new AppError('PAYLOAD_TOO_LARGE', `The scanned raw data is larger than ${SCAN_PAYLOAD_MAX_BYTES} bytes`, {
      field: 'rawData',
    });
}

export const scanRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const service = createScanService(deps);
  app.post(
    '/scan',
    {
      config: { rawBody: true },
      preValidation: async (request) => checkSize(request.body),
      schema: {
        tags: ['scan'],
        body: ScanBody,
        response: { 200: ScanResponse, 401: ErrorBody, 413: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => service.scan(request.actor, request.body),
  );
};
