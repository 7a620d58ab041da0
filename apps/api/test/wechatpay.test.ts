// WeChat Pay notifications, signed and encrypted offline with keys made here.
import { execFileSync } from 'node:child_process';
import { createCipheriv, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@crm/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import Pay from 'wechatpay-node-v3';
import { applyPendingPayments } from '../src/modules/webhooks/wechatpay.service';
import { createTestTenant, setupApp, type TestContext, type TestTenant } from './helpers';
import { addCustomer, addOpportunity } from './signals.fixtures';

const NOW = '2026-06-05T02:00:00Z';
const NOW_S = Date.parse(NOW) / 1000;
const API_V3_KEY = 'k'.repeat(16) + 'K'.repeat(16);
const PUB_KEY_ID = 'PUB_KEY_ID_0114232136532025061700123400001234';
const CERT_SERIAL = '5A1B2C3D4E5F60718293A4B5C6D7E8F901234567';

const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const certKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rogue = generateKeyPairSync('rsa', { modulusLength: 2048 });
let certPem = '';

function encrypt(plain: object, aad = 'transaction', key = API_V3_KEY) {
  const nonce = randomBytes(6).toString('hex');
  const c = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
  c.setAAD(Buffer.from(aad));
  const enc = Buffer.concat([c.update(JSON.stringify(plain)), c.final(), c.getAuthTag()]);
  return {
    original_type: 'transaction',
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: enc.toString('base64'),
    associated_data: aad,
    nonce,
  };
}

function txn(outTradeNo: string, total: number, transactionId = `42000${randomBytes(8).toString('hex')}`) {
  return {
    mchid: '1900000001',
    appid: 'wxd678efh567hg6787',
    out_trade_no: outTradeNo,
    transaction_id: transactionId,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    success_time: '2026-06-05T09:58:00+08:00',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' },
  };
}

function body(resource: object) {
  return JSON.stringify({
    id: `EV-${randomBytes(6).toString('hex')}`,
    create_time: '2026-06-05T09:58:01+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource,
  });
}

function sign(raw: string, opts: { ts?: number; serial?: string; key?: typeof platform.privateKey } = {}) {
  const ts = String(opts.ts ?? NOW_S);
  const nonce = randomBytes(16).toString('hex');
  const s = createSign('RSA-SHA256');
  s.update(`${ts}\n${nonce}\n${raw}\n`);
  return {
    'content-type': 'application/json',
    'wechatpay-timestamp': ts,
    'wechatpay-nonce': nonce,
    'wechatpay-serial': opts.serial ?? PUB_KEY_ID,
    'wechatpay-signature': s.sign(opts.key ?? platform.privateKey, 'base64'),
    'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
  };
}

let ctx: TestContext;
let t: TestTenant;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxpay-'));
  const keyFile = join(dir, 'key.pem');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(keyFile, certKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  execFileSync('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    keyFile,
    '-out',
    join(dir, 'cert.pem'),
    '-days',
    '30',
    '-subj',
    '/CN=Tenpay.com Root CA test',
    '-set_serial',
    `0x${CERT_SERIAL}`,
  ]);
  certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
  ctx = await setupApp({
    now: NOW,
    config: {
      wechatPay: {
        mchId: '1900000001',
        apiV3Key: API_V3_KEY,
        publicKeyId: PUB_KEY_ID,
        publicKey: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        platformCerts: certPem,
      },
    },
  });
  t = await createTestTenant(ctx);
});
afterAll(async () => {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  ctx.clock.set(NOW);
});

async function order(externalId: string, amountCents: number, withOpportunity = true) {
  const c = await addCustomer(ctx, t.tenantId, t.rep.id);
  const [o] = await ctx.deps.db
    .insert(schema.orders)
    .values({
      tenantId: t.tenantId,
      externalId,
      customerId: c.id,
      amountCents,
      orderedAt: new Date('2026-06-04T00:00:00Z'),
    })
    .returning();
  const opp = withOpportunity
    ? await addOpportunity(ctx, t.tenantId, c.id, t.rep.id, { amountCents, orderExternalId: externalId })
    : undefined;
  return { customer: c, order: o!, opp };
}

const post = (raw: string, headers: Record<string, string>, url = '/api/webhooks/wechatpay') =>
  ctx.app.inject({ method: 'POST', url, headers, payload: raw });

const paymentsOf = (outTradeNo: string) =>
  ctx.deps.db
    .select()
    .from(schema.payments)
    .where(and(eq(schema.payments.tenantId, t.tenantId), eq(schema.payments.outTradeNo, outTradeNo)));

describe('POST /api/webhooks/wechatpay', () => {
  it('accepts a valid notification: order paid, payment on the customer, payment signal, opportunity won', async () => {
    const { order: o, opp, customer } = await order('WX-1001', 12_800);
    const raw = body(encrypt(txn('WX-1001', 12_800, '4200000001')));
    const res = await post(raw, sign(raw));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: 'SUCCESS', message: '成功' });
    const [paid] = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.id, o.id));
    expect(paid).toMatchObject({ status: 'paid', paidAt: new Date('2026-06-05T01:58:00Z') });
    expect(await paymentsOf('WX-1001')).toEqual([
      expect.objectContaining({
        transactionId: '4200000001',
        amountCents: 12_800,
        orderId: o.id,
        customerId: customer.id,
      }),
    ]);
    const [won] = await ctx.deps.db.select().from(schema.opportunities).where(eq(schema.opportunities.id, opp!.id));
    expect(won).toMatchObject({ stage: 'won', closedAt: new Date('2026-06-05T01:58:00Z') });
    const sigs = await ctx.deps.db.select().from(schema.signals).where(eq(schema.signals.opportunityId, opp!.id));
    expect(sigs).toEqual([
      expect.objectContaining({
        source: 'payment',
        kind: 'payment_received',
        status: 'confirmed',
        sourceRef: '4200000001',
      }),
    ]);
  });

  it('accepts a notification signed in platform-certificate mode (serial from the certificate)', async () => {
    await order('WX-1002', 500, false);
    const raw = body(encrypt(txn('WX-1002', 500)));
    const res = await post(raw, sign(raw, { serial: CERT_SERIAL, key: certKeys.privateKey }));
    expect(res.statusCode).toBe(200);
    expect(await paymentsOf('WX-1002')).toHaveLength(1);
  });

  it('rejects a tampered body with 401 FAIL', async () => {
    await order('WX-1003', 900, false);
    const raw = body(encrypt(txn('WX-1003', 900)));
    const res = await post(raw.replace('支付成功', '支付成功 '), sign(raw));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'FAIL', message: expect.any(String) });
    expect(await paymentsOf('WX-1003')).toHaveLength(0);
  });

  it('rejects a changed GCM tag even when the body is correctly signed', async () => {
    await order('WX-1004', 900, false);
    const resource = encrypt(txn('WX-1004', 900));
    const bytes = Buffer.from(resource.ciphertext, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
    const raw = body({ ...resource, ciphertext: bytes.toString('base64') });
    const res = await post(raw, sign(raw));
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('FAIL');
    expect(await paymentsOf('WX-1004')).toHaveLength(0);
  });

  it('rejects a wrong associated_data (AAD)', async () => {
    await order('WX-1005', 900, false);
    const resource = encrypt(txn('WX-1005', 900), 'transaction');
    const raw = body({ ...resource, associated_data: 'certificate' });
    const res = await post(raw, sign(raw));
    expect(res.statusCode).toBe(401);
    expect(await paymentsOf('WX-1005')).toHaveLength(0);
  });

  it.each([
    ['more than 5 minutes old', NOW_S - 301, 401],
    ['more than 5 minutes ahead', NOW_S + 301, 401],
    ['just inside 5 minutes', NOW_S - 299, 200],
  ])('timestamp %s → %s', async (_n, ts, status) => {
    const raw = body(encrypt(txn(`WX-TS-${ts}`, 100)));
    // Other test files share the database: name the tenant, there is no order to find it by.
    expect((await post(raw, sign(raw, { ts }), `/api/webhooks/wechatpay/${t.slug}`)).statusCode).toBe(status);
  });

  it('rejects an unknown serial without any network call', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const proto = Pay.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    const pull = vi.spyOn(proto, 'fetchCertificates' as never);
    const getCerts = vi.spyOn(Pay.prototype, 'get_certificates');
    const raw = body(encrypt(txn('WX-1006', 100)));
    const res = await post(raw, sign(raw, { serial: 'ABCDEF0123456789', key: rogue.privateKey }));
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toContain('unknown serial');
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(pull).not.toHaveBeenCalled();
    expect(getCerts).not.toHaveBeenCalled();
  });

  it('rejects a key that is not the configured one', async () => {
    const raw = body(encrypt(txn('WX-1007', 100)));
    expect((await post(raw, sign(raw, { key: rogue.privateKey }))).statusCode).toBe(401);
  });

  it('fails the WECHATPAY/SIGNTEST/ probe', async () => {
    const raw = body(encrypt(txn('WX-1008', 100)));
    const headers = { ...sign(raw), 'wechatpay-signature': `WECHATPAY/SIGNTEST/${randomBytes(64).toString('base64')}` };
    const res = await post(raw, headers);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('FAIL');
  });

  it('applies a duplicate notification once and answers 200', async () => {
    const { opp } = await order('WX-1009', 2_000);
    const resource = encrypt(txn('WX-1009', 2_000, '4200000009'));
    for (let i = 0; i < 2; i++) {
      const raw = body(resource);
      expect((await post(raw, sign(raw))).statusCode).toBe(200);
    }
    expect(await paymentsOf('WX-1009')).toHaveLength(1);
    const sigs = await ctx.deps.db.select().from(schema.signals).where(eq(schema.signals.opportunityId, opp!.id));
    expect(sigs).toHaveLength(1);
  });

  it('keeps a payment that arrives before its order and applies it when the order arrives', async () => {
    const raw = body(encrypt(txn('WX-2001', 7_700, '4200002001')));
    const res = await post(raw, sign(raw), `/api/webhooks/wechatpay/${t.slug}`);
    expect(res.statusCode).toBe(200);
    expect(await paymentsOf('WX-2001')).toEqual([expect.objectContaining({ orderId: null, appliedAt: null })]);

    // The order ingestion inserts the order and calls the hook in its transaction.
    const { order: o, opp } = await order('WX-2001', 7_700);
    const r = await ctx.deps.db.transaction((tx) => applyPendingPayments(tx, t.tenantId, [o.id], ctx.clock.now()));
    expect(r).toEqual({ applied: 1, mismatched: 0 });
    const [paid] = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.id, o.id));
    expect(paid?.status).toBe('paid');
    expect(await paymentsOf('WX-2001')).toEqual([expect.objectContaining({ orderId: o.id, appliedAt: new Date(NOW) })]);
    const [won] = await ctx.deps.db.select().from(schema.opportunities).where(eq(schema.opportunities.id, opp!.id));
    expect(won?.stage).toBe('won');
    // Applying again is a no-op.
    expect(
      await ctx.deps.db.transaction((tx) => applyPendingPayments(tx, t.tenantId, [o.id], ctx.clock.now())),
    ).toEqual({
      applied: 0,
      mismatched: 0,
    });
  });

  it('applies a payment that came first when the order arrives through POST /api/ingest/orders', async () => {
    const raw = body(encrypt(txn('WX-2002', 12_300, '4200002002')));
    expect((await post(raw, sign(raw), `/api/webhooks/wechatpay/${t.slug}`)).statusCode).toBe(200);
    const c = await addCustomer(ctx, t.tenantId, t.rep.id);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/ingest/orders',
      headers: { 'x-api-key': t.apiKey },
      payload: [
        {
          externalId: 'WX-2002',
          customer: { customerId: c.id },
          amountCents: 12_300,
          orderedAt: '2026-06-04T08:00:00+08:00',
        },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 1, rejected: [] });
    const [o] = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.externalId, 'WX-2002'));
    expect(o?.status).toBe('paid');
    expect(await paymentsOf('WX-2002')).toEqual([
      expect.objectContaining({ orderId: o?.id, appliedAt: new Date(NOW) }),
    ]);
  });

  it('does not apply a payment whose amount differs from the order', async () => {
    const { order: o } = await order('WX-3001', 10_000, false);
    const raw = body(encrypt(txn('WX-3001', 9_999)));
    expect((await post(raw, sign(raw))).statusCode).toBe(200);
    const [still] = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.id, o.id));
    expect(still?.status).toBe('pending');
    expect(await paymentsOf('WX-3001')).toEqual([expect.objectContaining({ orderId: null, appliedAt: null })]);
  });

  it('acknowledges a non-SUCCESS trade state without recording it', async () => {
    const raw = body(encrypt({ ...txn('WX-4001', 100), trade_state: 'NOTPAY' }));
    expect((await post(raw, sign(raw))).statusCode).toBe(200);
    expect(await paymentsOf('WX-4001')).toHaveLength(0);
  });

  it('answers 503 FAIL when WeChat Pay is not configured', async () => {
    const bare = await setupApp({ now: NOW });
    try {
      const raw = body(encrypt(txn('WX-5001', 100)));
      const res = await bare.app.inject({
        method: 'POST',
        url: '/api/webhooks/wechatpay',
        headers: sign(raw),
        payload: raw,
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('FAIL');
    } finally {
      await bare.close();
    }
  });
});
