import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schema } from '@crm/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCardToken } from '../src/modules/scan/card-token';
import { type QueryLog, setupCountingApp } from './customers.fixtures';
import { createTestTenant, injectAs, type TestContext, type TestTenant, type TestUser } from './helpers';

const CARDS = join(import.meta.dirname, '..', '..', '..', 'packages', 'domain', 'test-fixtures', 'cards');
const corpus = (f: string) => readFileSync(join(CARDS, f), 'utf8');

let ctx: TestContext & { log: QueryLog };
beforeAll(async () => {
  ctx = await setupCountingApp();
});
afterAll(async () => ctx.close());

const scan = (user: TestUser | null, payload: unknown, rawData?: string) =>
  injectAs(ctx, user, { method: 'POST', url: '/api/scan', payload: { payload, ...(rawData ? { rawData } : {}) } });
const create = (user: TestUser, body: Record<string, unknown>) =>
  injectAs(ctx, user, { method: 'POST', url: '/api/customers', payload: body });

function draftBody(card: Record<string, unknown>) {
  const { name, org, dept, title, phones, emails, wechat, address, note } = card;
  return Object.fromEntries(
    Object.entries({ name, org, dept, title, phones, emails, wechat, address, note, card }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}

describe('POST /api/scan — unreadable and oversized', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTestTenant(ctx);
  });

  it('requires a session', async () => {
    expect((await scan(null, corpus('01-mecard-minimal-zh.txt'))).statusCode).toBe(401);
  });

  it.each([
    ['an empty string', ''],
    ['a product barcode', '6901234567892'],
    ['4 KiB of A', 'A'.repeat(4096)],
    ['binary', '\u0000\u0001\u0002\u0003PK\u0003\u0004\u0000\u0000\u0008\u0000'],
    ['a website', 'https://www.example.com/shop?id=1'],
  ])('%s → 422 UNREADABLE_CARD with a message a rep understands', async (_l, payload) => {
    const res = await scan(t.rep, payload);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'UNREADABLE_CARD', field: 'payload' });
    expect(res.json().error.message).toMatch(/card|code|QR/i);
  });

  it('over 4 KiB (bytes, not characters) → 413 in the contract shape', async () => {
    for (const payload of ['A'.repeat(4097), '名'.repeat(1366)]) {
      const res = await scan(t.rep, payload);
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({
        error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String), field: 'payload' },
      });
    }
  });

  it('a non-string payload → 422 naming the field', async () => {
    const res = await injectAs(ctx, t.rep, { method: 'POST', url: '/api/scan', payload: { payload: { a: 1 } } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.field).toBe('payload');
  });
});

describe('scan → new → create → existing', () => {
  let t: TestTenant;
  let other: TestTenant;
  beforeAll(async () => {
    t = await createTestTenant(ctx);
    other = await createTestTenant(ctx);
  });

  it('reads the card, saves it with its identities, and finds it again', async () => {
    const payload = corpus('14-vcard30-multi-tel-types-ext-empty-dup.txt');
    const first = await scan(t.rep, payload);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ result: 'new', card: { name: '郭强', format: 'vcard' } });
    expect(first.json().customer).toBeUndefined();

    const created = await create(t.rep, draftBody(first.json().card));
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json();
    expect(view).toMatchObject({ name: '郭强', access: 'full', owner: { id: t.rep.id } });

    const ids = await ctx.deps.db
      .select({ kind: schema.customerIdentities.kind, value: schema.customerIdentities.value })
      .from(schema.customerIdentities)
      .where(
        and(eq(schema.customerIdentities.tenantId, t.tenantId), eq(schema.customerIdentities.customerId, view.id)),
      );
    // Mobile, both desk extensions and the e-mail are keys; the fax (a landline without ext) is not.
    expect(ids.map((r) => `${r.kind}:${r.value}`).sort()).toEqual([
      'email:guoqiang@example.com',
      'phone:+8613900139000',
      'phone:+862280007000;ext=8023',
      'phone:+862280007000;ext=8024',
    ]);

    const again = await scan(t.rep, payload);
    expect(again.json()).toMatchObject({ result: 'existing', customer: { id: view.id, access: 'full' } });
  });

  it('a known card is one statement after auth, and its customer is exactly the unified view', async () => {
    const payload = corpus('14-vcard30-multi-tel-types-ext-empty-dup.txt');
    const rep2 = await t.addUser('rep', '钱销售', t.supervisor.id);
    for (const who of [t.rep, t.supervisor, rep2]) {
      ctx.log.reset();
      const res = await scan(who, payload);
      expect(res.json().result).toBe('existing');
      // One for the session user, one for identity lookup + view together.
      expect(ctx.log.count).toBe(2);
      const id = res.json().customer.id;
      const viewed = await injectAs(ctx, who, { method: 'GET', url: `/api/customers/${id}` });
      expect(res.json().customer).toEqual(viewed.json());
    }
  });

  it('matches on a different spelling of the same mobile and the e-mail in another case', async () => {
    const res = await scan(t.rep, 'MECARD:N:郭强;TEL:+86 139 0013 9000;;');
    expect(res.json()).toMatchObject({ result: 'existing', customer: { name: '郭强' } });
    const byMail = await scan(t.rep, '姓名：郭强\n邮箱：GuoQiang@Example.COM');
    expect(byMail.json()).toMatchObject({ result: 'existing', customer: { name: '郭强' } });
  });

  it("another rep's customer comes back limited; another tenant never finds it", async () => {
    const rep2 = await t.addUser('rep', '赵销售', t.supervisor.id);
    const payload = corpus('14-vcard30-multi-tel-types-ext-empty-dup.txt');
    const res = await scan(rep2, payload);
    expect(res.json().result).toBe('existing');
    expect(res.json().customer).toMatchObject({ access: 'limited', name: '郭强', owner: { id: t.rep.id } });
    expect(res.json().customer.phones).toBeUndefined();

    const foreign = await scan(other.rep, payload);
    expect(foreign.json()).toMatchObject({ result: 'new' });
    expect(foreign.json().customer).toBeUndefined();
  });

  it('a duplicate identity on create → 409 with the existing id', async () => {
    const first = await scan(t.rep, corpus('17-vcard30-bom-trailing-garbage.txt'));
    const body = draftBody(first.json().card);
    const a = await create(t.rep, body);
    expect(a.statusCode).toBe(201);
    const b = await create(t.supervisor, { name: '罗娜', phones: ['+86 199-0019-9000'] });
    expect(b.statusCode).toBe(409);
    expect(b.json().error).toMatchObject({ code: 'DUPLICATE_IDENTITY', customerId: a.json().id, field: 'phones' });
    // Nothing half-written: the customer row of the failed create does not exist.
    const rows = await ctx.deps.db
      .select({ id: schema.customers.id })
      .from(schema.customers)
      .where(and(eq(schema.customers.tenantId, t.tenantId), eq(schema.customers.name, '罗娜')));
    expect(rows).toHaveLength(1);
  });
});

describe('switchboards and ambiguity', () => {
  let t: TestTenant;
  let lin: string;
  let colleague: string;
  beforeAll(async () => {
    t = await createTestTenant(ctx);
    lin = (
      await create(t.rep, {
        name: '林晓东',
        org: '深圳示例智能硬件有限公司',
        phones: ['0755 8000 3000', '13500135000'],
      })
    ).json().id;
    colleague = (
      await create(t.rep, { name: '王芳', org: '深圳示例智能硬件有限公司', phones: ['0755-8000 3000', '13600136000'] })
    ).json().id;
  });

  it('two customers can share a switchboard (it is not an identity row)', () => {
    expect(lin).toBeTruthy();
    expect(colleague).toBeTruthy();
  });

  it('a card with only the switchboard and another name → new, never merged', async () => {
    const res = await scan(t.rep, 'MECARD:N:陈静;TEL:0755-80003000;;');
    expect(res.json().result).toBe('new');
  });

  it('switchboard + the same name in traditional characters → existing', async () => {
    const res = await scan(t.rep, 'MECARD:N:林曉東;TEL:0755-80003000;;');
    expect(res.json()).toMatchObject({ result: 'existing', customer: { id: lin } });
  });

  it('the switchboard with an extension on the card + the same name → the customer saved with the bare switchboard', async () => {
    for (const payload of [
      'BEGIN:VCARD\nVERSION:3.0\nFN:林晓东\nTEL;TYPE=WORK:0755-8000 3000 转 8023\nEND:VCARD',
      'BEGIN:VCARD\nVERSION:4.0\nFN:林晓东\nTEL;VALUE=uri;TYPE=work:tel:+86-755-8000-3000;ext=8023\nEND:VCARD',
    ]) {
      const res = await scan(t.rep, payload);
      expect(res.json()).toMatchObject({ result: 'existing', customer: { id: lin } });
    }
    const stranger = await scan(t.rep, 'BEGIN:VCARD\nVERSION:3.0\nFN:陈静\nTEL:0755-8000 3000 转 8023\nEND:VCARD');
    expect(stranger.json().result).toBe('new');
  });

  it('keys of two different customers → ambiguous, best first', async () => {
    const res = await scan(t.rep, 'BEGIN:VCARD\nVERSION:3.0\nFN:林晓东\nTEL:13500135000\nTEL:13600136000\nEND:VCARD');
    expect(res.json().result).toBe('ambiguous');
    const c = res.json().candidates;
    expect(c.map((x: { id: string }) => x.id)).toEqual([lin, colleague]);
    expect(c[0]).toMatchObject({ access: 'full', matchedOn: ['phone', 'name'], owner: { id: t.rep.id } });
  });
});

describe('a switchboard shared by a whole company', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTestTenant(ctx);
    // 40 colleagues behind one switchboard and one role mailbox, created in name order, so
    // the one named on the card comes after any small fixed page of holders.
    for (let i = 0; i < 40; i++)
      expect(
        (
          await create(t.rep, {
            name: i === 39 ? '钟晓岚' : `同事${String(i).padStart(2, '0')}`,
            org: '杭州示例集团',
            phones: ['0571-8800 0000'],
            emails: ['Info@Example-Group.cn'],
          })
        ).statusCode,
      ).toBe(201);
  });

  it('finds the one whose name agrees, by the switchboard or by the role mailbox in another case', async () => {
    for (const payload of ['MECARD:N:钟晓岚;TEL:0571-88000000;;', 'MECARD:N:鍾曉嵐;EMAIL:INFO@example-group.CN;;']) {
      const res = await scan(t.rep, payload);
      expect(res.json()).toMatchObject({ result: 'existing', customer: { name: '钟晓岚', access: 'full' } });
    }
    expect((await scan(t.rep, 'MECARD:N:无关人;TEL:0571-88000000;;')).json().result).toBe('new');
  });

  it('the weak lookup conditions can use the GIN indexes (the planner is told not to scan the table)', async () => {
    const plan = await ctx.deps.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const res = await tx.execute(sql`explain select id from customers where
        phones @> '[{"e164":"+867188000000"}]'::jsonb or crm_lower_emails(emails) && array['info@example-group.cn']::text[]`);
      return (res as unknown as { rows: { 'QUERY PLAN': string }[] }).rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('customers_phones_gin');
    expect(plan).toContain('customers_emails_lower_gin');
  });
});

describe('our own customer QR', () => {
  let t: TestTenant;
  let other: TestTenant;
  let customerId: string;
  beforeAll(async () => {
    t = await createTestTenant(ctx);
    other = await createTestTenant(ctx);
    customerId = (await create(t.rep, { name: '许文', phones: ['13800138000'] })).json().id;
  });
  const secret = () => ctx.deps.config.jwtSecret;
  const link = (token: string) => `${ctx.deps.config.publicBaseUrl}/c/${token}`;

  it('GET /customers/:id/qr is a PNG; the link it encodes resolves to the customer', async () => {
    const before = await scan(t.rep, link(signCardToken(secret(), t.tenantId, customerId)));
    expect(before.statusCode).toBe(422); // not issued yet: a token alone is not trusted

    const res = await injectAs(ctx, t.rep, { method: 'GET', url: `/api/customers/${customerId}/qr` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    const after = await scan(t.rep, link(signCardToken(secret(), t.tenantId, customerId)));
    expect(after.json()).toMatchObject({
      result: 'existing',
      customer: { id: customerId },
      card: { format: 'url', link: { kind: 'crm_customer', verified: true } },
    });
  });

  it('a tampered token → 422, never a record', async () => {
    const token = signCardToken(secret(), t.tenantId, customerId);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    const res = await scan(t.rep, link(token.slice(0, -1) + last));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('UNREADABLE_CARD');
  });

  it('a token signed with another secret → 422', async () => {
    const res = await scan(t.rep, link(signCardToken('another-secret-another-secret-0000', t.tenantId, customerId)));
    expect(res.statusCode).toBe(422);
  });

  it("another tenant's user scanning the QR never sees the record", async () => {
    await injectAs(ctx, t.rep, { method: 'GET', url: `/api/customers/${customerId}/qr` });
    const res = await scan(other.rep, link(signCardToken(secret(), t.tenantId, customerId)));
    expect(res.statusCode).toBe(422);
    expect(res.body).not.toContain(customerId);
  });

  it('a token that names another tenant with our customer id → 422', async () => {
    const res = await scan(t.rep, link(signCardToken(secret(), other.tenantId, customerId)));
    expect(res.statusCode).toBe(422);
  });

  it('the link opened by a phone camera: issued → into the app at the customer; anything else → a page that reveals nothing', async () => {
    await injectAs(ctx, t.rep, { method: 'GET', url: `/api/customers/${customerId}/qr` });
    const open = (token: string) => ctx.app.inject({ method: 'GET', url: `/c/${token}` });
    const good = await open(signCardToken(secret(), t.tenantId, customerId));
    expect(good.statusCode).toBe(302);
    expect(good.headers.location).toBe(`/?go=customer&id=${customerId}`);

    const issued = signCardToken(secret(), t.tenantId, customerId);
    const bad = [
      issued.slice(0, -1) + (issued.at(-1) === 'A' ? 'B' : 'A'),
      signCardToken('another-secret-another-secret-0000', t.tenantId, customerId),
      signCardToken(secret(), other.tenantId, customerId),
      'x'.repeat(90),
      'x'.repeat(500),
      `${issued}/extra`,
      encodeURIComponent(`${issued}\u0000`),
      '%E4%BD%A0',
    ];
    for (const token of bad) {
      const res = await open(token);
      expect(res.statusCode, token.slice(0, 40)).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('二维码无效');
      expect(res.body).not.toContain(customerId);
      expect(res.body).not.toContain('许文');
    }

    // Revoked (its identity row deleted) → no longer opens.
    await ctx.deps.db
      .delete(schema.customerIdentities)
      .where(and(eq(schema.customerIdentities.tenantId, t.tenantId), eq(schema.customerIdentities.value, issued)));
    expect((await open(issued)).statusCode).toBe(404);
    await injectAs(ctx, t.rep, { method: 'GET', url: `/api/customers/${customerId}/qr` });
    expect((await open(issued)).statusCode).toBe(302);
  });

  it("QR of another tenant's customer → 404; of another rep's → 403", async () => {
    expect((await injectAs(ctx, other.rep, { method: 'GET', url: `/api/customers/${customerId}/qr` })).statusCode).toBe(
      404,
    );
    const rep2 = await t.addUser('rep');
    expect((await injectAs(ctx, rep2, { method: 'GET', url: `/api/customers/${customerId}/qr` })).statusCode).toBe(403);
  });
});

describe('POST /api/customers validation', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTestTenant(ctx);
  });

  it.each([
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ name: '张伟', org: 'x'.repeat(201) }, 'org'],
    [{ name: '张伟', emails: ['not-an-email'] }, 'emails.0'],
    [{ name: '张伟', phones: ['x'.repeat(65)] }, 'phones.0'],
    [{ name: '张伟', tags: Array(31).fill('a') }, 'tags'],
    [{ name: '张伟', ownerId: crypto.randomUUID() }, 'ownerId'],
  ])('%j → 422 naming %s', async (body, field) => {
    const res = await create(t.rep, body);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  it('re-normalises phones on the server and keeps unusable ones raw', async () => {
    const res = await create(t.rep, {
      name: '张伟',
      phones: [{ raw: '138 0013 8000', e164: '+8619999999999', type: 'cell' }, '8000 1000'],
    });
    expect(res.statusCode).toBe(201);
    const [row] = await ctx.deps.db
      .select({ phones: schema.customers.phones, ownerId: schema.customers.ownerId })
      .from(schema.customers)
      .where(and(eq(schema.customers.tenantId, t.tenantId), eq(schema.customers.id, res.json().id)));
    expect(row?.ownerId).toBe(t.rep.id);
    expect(row?.phones).toEqual([
      { e164: '+8613800138000', raw: '138 0013 8000', type: 'cell' },
      { e164: null, raw: '8000 1000', type: null, flags: ['no_area_code'] },
    ]);
  });
});
