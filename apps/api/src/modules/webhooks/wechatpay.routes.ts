// POST /api/webhooks/wechatpay[/:tenant] — WeChat Pay API v3 payment notifications.
// Verified on the raw body against configured keys only; replies in WeChat Pay's own shape.
import { schema as db } from '@crm/db';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../deps';
import { DecryptError, decryptResource } from '../../integrations/wechatpay/decrypt';
import { buildKeyring } from '../../integrations/wechatpay/keyring';
import { createVerifier } from '../../integrations/wechatpay/verifier';
import { recordWechatPayment, resolveTenant, tenantBySlug, type WechatTransaction } from './wechatpay.service';

type Notification = {
  id?: string;
  event_type?: string;
  resource?: {
    original_type?: string;
    algorithm?: string;
    ciphertext?: string;
    nonce?: string;
    associated_data?: string;
  };
};

const fail = (reply: FastifyReply, status: number, message: string) =>
  reply.status(status).send({ code: 'FAIL', message });
const ok = (reply: FastifyReply) => reply.status(200).send({ code: 'SUCCESS', message: '成功' });
const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function isTransaction(t: unknown): t is WechatTransaction {
  const x = t as WechatTransaction;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.out_trade_no === 'string' &&
    x.out_trade_no.length > 0 &&
    x.out_trade_no.length <= 100 &&
    typeof x.transaction_id === 'string' &&
    x.transaction_id.length > 0 &&
    x.transaction_id.length <= 100 &&
    typeof x.trade_state === 'string' &&
    typeof x.amount?.total === 'number' &&
    Number.isSafeInteger(x.amount.total) &&
    x.amount.total >= 0
  );
}

export const wechatPayWebhookRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const cfg = deps.config.wechatPay;
  const verifier = cfg ? createVerifier(buildKeyring(cfg), cfg.mchId, cfg.apiV3Key) : undefined;

  // The signature covers the exact bytes: keep the body as a string, parse after verifying.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: { statusCode?: number }, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) request.log.error({ err }, 'wechatpay notification failed');
    return fail(reply, status, status === 500 ? 'internal error, retry later' : 'bad request');
  });

  const handler = async (
    request: {
      body: unknown;
      headers: Record<string, string | string[] | undefined>;
      params: { tenant?: string };
      log: AppDeps['logger'];
    },
    reply: FastifyReply,
  ) => {
    if (!cfg || !verifier) return fail(reply, 503, 'WeChat Pay is not configured');
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const now = deps.clock.now();
    const h = request.headers;
    const verdict = await verifier.verify(
      {
        timestamp: header(h['wechatpay-timestamp']),
        nonce: header(h['wechatpay-nonce']),
        signature: header(h['wechatpay-signature']),
        serial: header(h['wechatpay-serial']),
        signatureType: header(h['wechatpay-signature-type']),
        rawBody,
      },
      now,
    );
    if (!verdict.ok) {
      request.log.warn({ reason: verdict.reason }, 'wechatpay notification rejected');
      return fail(reply, 401, `signature verification failed: ${verdict.reason}`);
    }
    let note: Notification;
    try {
      note = JSON.parse(rawBody) as Notification;
    } catch {
      return fail(reply, 400, 'body is not JSON');
    }
    const r = note.resource;
    // Other events (refunds …) are acknowledged and not handled here.
    if (note.event_type !== 'TRANSACTION.SUCCESS' || r?.original_type !== 'transaction') return ok(reply);
    if (r.algorithm !== 'AEAD_AES_256_GCM' || typeof r.ciphertext !== 'string' || typeof r.nonce !== 'string')
      return fail(reply, 400, 'unsupported resource');
    let txn: unknown;
    try {
      txn = JSON.parse(
        decryptResource({ ciphertext: r.ciphertext, nonce: r.nonce, associated_data: r.associated_data }, cfg.apiV3Key),
      );
    } catch (e) {
      if (e instanceof DecryptError) return fail(reply, 401, `resource decryption failed: ${e.message}`);
      return fail(reply, 400, 'resource is not JSON');
    }
    if (!isTransaction(txn)) return fail(reply, 400, 'resource is not a transaction');
    if (txn.mchid && txn.mchid !== cfg.mchId) return fail(reply, 400, 'notification is for another merchant');
    if (txn.trade_state !== 'SUCCESS') return ok(reply);

    const tenantId = request.params.tenant
      ? await tenantBySlug(deps.db, request.params.tenant)
      : await resolveTenant(deps.db, txn.out_trade_no);
    if (!tenantId) {
      // WeChat Pay retries for 24 h; the order may arrive meanwhile.
      request.log.error({ outTradeNo: txn.out_trade_no }, 'wechatpay notification: tenant not found');
      return fail(reply, request.params.tenant ? 404 : 500, 'cannot determine the tenant for this payment');
    }
    const result = await deps.db.transaction(async (tx) => {
      const res = await recordWechatPayment(tx, tenantId, txn as WechatTransaction, now, request.log);
      if (note.id)
        await tx
          .insert(db.webhookEvents)
          .values({
            tenantId,
            source: 'wechatpay',
            eventKey: note.id.slice(0, 100),
            receivedAt: now,
            payload: { transactionId: (txn as WechatTransaction).transaction_id },
          })
          .onConflictDoNothing();
      return res;
    });
    request.log.info({ outTradeNo: txn.out_trade_no, ...result }, 'wechatpay notification handled');
    return ok(reply);
  };

  const schema = { hide: false, tags: ['webhooks'] };
  const config = { auth: 'none' as const };
  app.post('/webhooks/wechatpay', { schema, config, bodyLimit: 64 * 1024 }, (req, reply) =>
    handler({ body: req.body, headers: req.headers, params: {}, log: req.log as AppDeps['logger'] }, reply),
  );
  app.post(
    '/webhooks/wechatpay/:tenant',
    {
      schema: { ...schema, params: Type.Object({ tenant: Type.String({ minLength: 2, maxLength: 63 }) }) },
      config,
      bodyLimit: 64 * 1024,
    },
    (req, reply) =>
      handler({ body: req.body, headers: req.headers, params: req.params, log: req.log as AppDeps['logger'] }, reply),
  );
};
