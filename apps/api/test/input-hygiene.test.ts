// Input PostgreSQL cannot store (NUL), oversized headers, and validation messages that say something.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { rowsOf } from '../src/modules/customers/sql-rows';
import { errorHandler } from '../src/plugins/error-handler';
import { findNul, wellFormed } from '../src/shared/text-hygiene';
import { insertCustomer } from './customers.fixtures';
import { createTestTenant, injectAs, setupApp, type TestContext, type TestTenant } from './helpers';

let ctx: TestContext;
let t: TestTenant;
beforeAll(async () => {
  ctx = await setupApp({ now: '2026-06-05T02:00:00Z' });
  t = await createTestTenant(ctx);
});
afterAll(async () => ctx.close());

const post = (url: string, payload: unknown) =>
  injectAs(ctx, t.rep, { method: 'POST', url, payload: payload as object });
const expect422 = (res: { statusCode: number; json: () => { error: unknown } }, field: string) => {
  expect(res.statusCode).toBe(422);
  expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field, message: expect.stringMatching(/NUL/) });
};

describe('findNul', () => {
  it('returns the dotted path of the first string (or key) with U+0000', () => {
    expect(findNul({ a: 'x', b: ['ok', 'n\u0000ul'] })).toBe('b.1');
    expect(findNul({ customer: { name: '\u0000' } })).toBe('customer.name');
    expect(findNul('a\u0000')).toBe('');
    expect(findNul({ a: 1, b: null, c: [true, 'fine'] })).toBeNull();
    expect(findNul({ 'k\u0000': 1 })).toBe('k\\u0000');
  });
});

describe('a NUL character in input → 422 naming the field, never 500', () => {
  test.each([
    ['name', { name: 'QA\u0000x' }],
    ['emails.0', { name: 'QA', emails: ['qa\u0000@x.cn'] }],
    ['phones.0', { name: 'QA', phones: ['138\u000000000000'] }],
  ])('POST /api/customers: %s', async (field, body) => {
    expect422(await post('/api/customers', body), field);
  });

  test.each([
    ['coreNeed', { coreNeed: '需\u0000求' }],
    ['clientId', { clientId: 'c\u0000' }],
  ])('POST /api/visits: %s', async (field, override) => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id);
    const res = await post('/api/visits', {
      customerId: c.id,
      coreNeed: '需求',
      nextContactAt: '2026-06-08T02:00:00Z',
      ...override,
    });
    expect422(res, field);
  });

  it('POST /api/opportunities title, POST /api/opportunities/:id/signals evidence', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id);
    expect422(await post('/api/opportunities', { customerId: c.id, title: 'x\u0000', amountCents: 100 }), 'title');
    const opp = (await post('/api/opportunities', { customerId: c.id, title: 'x', amountCents: 100 })).json();
    expect422(await post(`/api/opportunities/${opp.id}/signals`, { level: 2, evidence: '纪要\u0000' }), 'evidence');
  });

  it('GET /api/customers?q=%00', async () => {
    const res = await injectAs(ctx, t.rep, { method: 'GET', url: '/api/customers?q=%00' });
    expect422(res, 'q');
  });

  it('POST /api/ingest/orders: the bad item is rejected by index, the good one is saved', async () => {
    await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613800001111' });
    const item = (externalId: string) => ({
      externalId,
      customer: { phone: '13800001111' },
      amountCents: 10_000,
      orderedAt: '2026-06-01T10:00:00+08:00',
      status: 'paid',
    });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/ingest/orders',
      headers: { 'x-api-key': t.apiKey },
      payload: [
        item('QA-n\u0000ul'),
        item('QA-ok'),
        { ...item('QA-name'), customer: { phone: '13800001111', name: '张\u0000' } },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.inserted).toBe(1);
    expect(body.rejected).toEqual([
      {
        index: 0,
        externalId: 'QA-n\u0000ul',
        code: 'INVALID_TEXT',
        message: expect.stringMatching(/externalId.*NUL/),
        field: 'externalId',
      },
      {
        index: 2,
        externalId: 'QA-name',
        code: 'INVALID_TEXT',
        message: expect.stringMatching(/NUL/),
        field: 'customer.name',
      },
    ]);
  });

  it('POST /api/ingest/emails: the bad e-mail is rejected by index', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/ingest/emails',
      headers: { 'x-api-key': t.apiKey },
      payload: [
        { messageId: 'm-1', from: 'a@b.cn', to: ['c@d.cn'], subject: '报价\u0000', date: '2026-06-01T10:00:00Z' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().rejected).toEqual([
      { index: 0, code: 'VALIDATION_FAILED', message: expect.stringMatching(/subject.*NUL/) },
    ]);
  });

  it('POST /api/scan: the draft carries no NUL or other control characters', async () => {
    const res = await post('/api/scan', { payload: 'MECARD:N:张\u0000三;ORG:宏\u0007达;TEL:13800138000;;' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/\\u00[01][0-9a-f]/i);
    expect(res.json().card).toMatchObject({ name: '张三', org: '宏达' });
  });

  it('a PostgreSQL "cannot store this text" error (22021 / 22P05) → 422, not 500', async () => {
    const dbErr = await ctx.deps.db.execute(sql`select ${'a\u0000b'}::text as x`).then(
      () => null,
      (e: unknown) => e,
    );
    const mini = Fastify();
    await mini.register(errorHandler);
    mini.get('/db', async () => {
      throw dbErr ?? Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    });
    mini.get('/wrapped', async () => {
      throw new Error('Failed query', { cause: Object.assign(new Error('untranslatable'), { code: '22P05' }) });
    });
    for (const url of ['/db', '/wrapped']) {
      const res = await mini.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({
        error: { code: 'VALIDATION_FAILED', message: 'text contains characters that cannot be stored' },
      });
    }
    await mini.close();
  });
});

describe('errors from the HTTP parser in the contract shape', () => {
  let port = 0;
  beforeAll(async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = ctx.app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
  });

  it('an oversized Authorization header → 431 HEADERS_TOO_LARGE', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/api/customers', headers: { authorization: `Bearer ${'x'.repeat(40_000)}` } },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
    expect(JSON.parse(body)).toEqual({ error: { code: 'HEADERS_TOO_LARGE', message: expect.any(String) } });
  });

  it('a malformed request → 400 BAD_REQUEST', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => s.write('NOT HTTP AT ALL\r\n\r\n'));
      let out = '';
      s.on('data', (c) => {
        out += c;
      });
      s.on('close', () => resolve(out));
      s.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'BAD_REQUEST', message: expect.any(String) },
    });
  });
});

describe('validation messages that say what is wrong', () => {
  it('a literal union → "<field> must be one of: …"', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id);
    const res = await post('/api/visits', {
      customerId: c.id,
      coreNeed: '需求',
      nextContactAt: '2026-06-08T02:00:00Z',
      actionType: 'cold_call',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.field).toBe('actionType');
    expect(res.json().error.message).toMatch(/^actionType must be one of: .*objection_handling/);
  });

  it('an unknown field → "<field> is not an accepted field"', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id);
    const res = await post('/api/visits', {
      customerId: c.id,
      coreNeed: '需求',
      nextContactAt: '2026-06-08T02:00:00Z',
      bogus: 1,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toEqual({
      code: 'VALIDATION_FAILED',
      field: 'bogus',
      message: 'bogus is not an accepted field',
    });
  });

  it('a property the schema forbids (false schema) → "<field> is not an accepted field"', async () => {
    const mini = Fastify({ ajv: { customOptions: { allErrors: false } } });
    await mini.register(errorHandler);
    mini.post('/x', { schema: { body: { type: 'object', properties: { bogus: false } } } }, async () => ({}));
    const res = await mini.inject({ method: 'POST', url: '/x', payload: { bogus: 1 } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toEqual({
      code: 'VALIDATION_FAILED',
      field: 'bogus',
      message: 'bogus is not an accepted field',
    });
    await mini.close();
  });

  it('a bare string body → field "body", "the body must be a JSON object"', async () => {
    const res = await injectAs(ctx, t.rep, {
      method: 'POST',
      url: '/api/customers',
      headers: { 'content-type': 'application/json' },
      payload: '"just a string"',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toEqual({
      code: 'VALIDATION_FAILED',
      field: 'body',
      message: 'the body must be a JSON object',
    });
  });
});

describe('JSON bodies are typed; query strings are text coerced to the schema', () => {
  test.each([
    ['/api/customers', { name: 12345 }, 'name'],
    ['/api/customers', { name: '张伟', emails: 'zw@example.cn' }, 'emails'],
    ['/api/customers', { name: true }, 'name'],
    ['/api/visits', { customerId: 1, coreNeed: '报价', nextContactAt: '2026-06-10T02:00:00Z' }, 'customerId'],
    ['/api/scan', { payload: 42 }, 'payload'],
  ])('POST %s %j → 422 naming %s, nothing saved', async (url, body, field) => {
    const count = async () =>
      rowsOf<{ n: number }>(
        await ctx.deps.db.execute(sql`select count(*)::int as n from customers where tenant_id = ${t.tenantId}`),
      )[0]?.n;
    const before = await count();
    const res = await post(url, body);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: expect.any(String), field });
    expect(await count()).toEqual(before);
  });

  it('a number in the query string still reaches the route as a number', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id);
    const res = await injectAs(ctx, t.rep, { method: 'GET', url: `/api/customers/${c.id}?limit=5` });
    expect(res.statusCode).toBe(200);
    expect((await injectAs(ctx, t.rep, { method: 'GET', url: `/api/customers/${c.id}?limit=five` })).statusCode).toBe(
      422,
    );
  });
});

describe('errors Fastify raises before routing are in the contract shape', () => {
  it.each(['/api/customers/%E0%A4%A', '/c/%E0%A4%A'])('GET %s → 400 BAD_REQUEST', async (url) => {
    const res = await injectAs(ctx, t.rep, { method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/%-escape/) } });
  });
});

describe('a lone surrogate (half an emoji) is stored as U+FFFD, never a 500', () => {
  const bad = 'a\ud800b\udc00c';
  it('in a customer, its phones (jsonb) and a visit', async () => {
    const res = await post('/api/customers', {
      name: `张${bad}`,
      org: bad,
      phones: [`138${bad}`],
      tags: [bad],
      note: bad,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().name).toBe('张a\ufffdb\ufffdc');
    expect(JSON.stringify(res.json().phones)).toContain('\ufffd');
    const visit = await post('/api/visits', {
      customerId: res.json().id,
      coreNeed: `😀${bad}`,
      nextContactAt: '2026-06-10T02:00:00Z',
    });
    expect(visit.statusCode, visit.body).toBe(201);
  });

  test('wellFormed keeps pairs, replaces halves, fixes keys', () => {
    expect(wellFormed({ 'k\ud800': ['😀', '\udc00x', 1, null] })).toEqual({ 'k\ufffd': ['😀', '\ufffdx', 1, null] });
  });
});
