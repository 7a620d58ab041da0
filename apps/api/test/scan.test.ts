import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schema } from '@crm/db';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchCondition } from '../src/modules/customers/customer-search.repo';
import { arrayParam } from '../src/modules/ingest/ingest.repo';
import { signCardToken } from '../src/modules/scan/card-token';
import { weakHolderCondition } from '../src/modules/scan/scan.repo';
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

  it('the weak lookup reads ranges of customer_contact_keys by its primary key, then customers by theirs (no scan)', async () => {
    // A tenant of some size (at 41 customers, reading them all is rightly the cheaper plan),
    // and whether 40 customers hold the keys or one does: the holders first, then their rows.
    await ctx.deps.db.execute(sql`
      insert into customers (tenant_id, owner_id, name, phones, emails)
      select ${t.tenantId}, ${t.rep.id}, '客户' || g,
             jsonb_build_array(jsonb_build_object('e164', '+86139' || lpad(g::text, 8, '0'), 'raw', '139' || g)),
             array['c' || g || '@example.com']
      from generate_series(1, 3000) g`);
    const solo = await create(t.rep, { name: '独立', phones: ['0571-8899 0000'], emails: ['solo@example-group.cn'] });
    expect(solo.statusCode).toBe(201);
    for (const [phone, email] of [
      ['+8657188000000', 'info@example-group.cn'],
      ['+8657188990000', 'solo@example-group.cn'],
    ] as const) {
      const plan = await explain(sql`select ${schema.customers.id} from ${schema.customers}
        where ${schema.customers.tenantId} = ${t.tenantId} and ${weakHolderCondition(t.tenantId, [phone], [email])}`);
      // One range per kind of customer_contact_keys' primary key (tenant_id, kind, value, …).
      // An index-only scan or a bitmap scan of the same index, depending on the visibility map.
      const keyScans = plan.match(
        /(?:(?:Index Only Scan|Index Scan) using|Bitmap Index Scan on) customer_contact_keys_tenant_id_kind_value_customer_id_pk/g,
      );
      expect(keyScans, plan).toHaveLength(2);
      expect(plan).toMatch(
        /Index Cond: \(\(tenant_id = '[^']+'::uuid\) AND \(kind = 'phone'::text\) AND \(value = ANY /,
      );
      expect(plan).toMatch(
        /Index Cond: \(\(tenant_id = '[^']+'::uuid\) AND \(kind = 'email'::text\) AND \(value = ANY /,
      );
      // Then the holders' rows by their key: customers is never read as a whole.
      expect(plan).toMatch(
        /customers_tenant_id_id_pk[^\n]*\n\s*Index Cond: \(\(tenant_id = '[^']+'::uuid\) AND \(id = ANY /,
      );
      expect(plan).not.toMatch(/Seq Scan|Filter:/);
    }
    expect(await weakHolderIds(['+8657188000000'], ['info@example-group.cn'])).toHaveLength(40);
    expect(await weakHolderIds(['+8657188000000'], [])).toHaveLength(40);
    expect(await weakHolderIds([], ['info@example-group.cn'])).toHaveLength(40);
    expect(await weakHolderIds([], [])).toHaveLength(0);
    expect(await weakHolderIds(['+8657188990000'], ['solo@example-group.cn'])).toEqual([solo.json().id]);
  });

  it('the search by a whole number typed as printed reads the key once for the tenant (hashed), not per customer', async () => {
    const match = searchCondition('0571-8800 0000', t.tenantId);
    if (!match) throw new Error('no condition');
    const plan = await explain(sql`select ${schema.customers.id} from ${schema.customers}
      where ${schema.customers.tenantId} = ${t.tenantId} and ${match}`);
    expect(plan).toMatch(/hashed SubPlan/);
    expect(plan).toMatch(
      /(?:(?:Index Only Scan|Index Scan) using|Bitmap Index Scan on) customer_contact_keys_tenant_id_kind_value_customer_id_pk[\s\S]*Index Cond: \(\(tenant_id = '[^']+'::uuid\) AND \(kind = 'phone'::text\) AND \(value = '\+8657188000000'::text\)\)/,
    );
    const res = await injectAs(ctx, t.rep, {
      method: 'GET',
      url: `/api/customers?q=${encodeURIComponent('(0571) 8800 0000')}&limit=50`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(40);
  });

  async function weakHolderIds(phones: string[], emails: string[]) {
    const rows = await ctx.deps.db
      .select({ id: schema.customers.id })
      .from(schema.customers)
      .where(and(eq(schema.customers.tenantId, t.tenantId), weakHolderCondition(t.tenantId, phones, emails)));
    return rows.map((r) => r.id);
  }
});

/** EXPLAIN on fresh statistics, the planner told not to scan tables sequentially (test tables are tiny). */
async function explain(query: SQL): Promise<string> {
  await ctx.deps.db.execute(sql`analyze customers, customer_contact_keys`);
  return ctx.deps.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const res = await tx.execute(sql`explain ${query}`);
    return (res as unknown as { rows: { 'QUERY PLAN': string }[] }).rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

describe('customer_contact_keys follows customers.phones/emails (trigger)', () => {
  let t: TestTenant;
  let other: TestTenant;
  type KeyRow = { kind: string; value: string; ctid: string; xmin: string };
  const keysOf = async (customerId: string, tenantId = t.tenantId): Promise<KeyRow[]> => {
    const res = await ctx.deps.db.execute(sql`
      select kind, value, ctid::text as ctid, xmin::text as xmin from customer_contact_keys
      where tenant_id = ${tenantId} and customer_id = ${customerId} order by kind, value`);
    return (res as unknown as { rows: KeyRow[] }).rows;
  };
  const pairs = (rows: KeyRow[]) => rows.map((r) => `${r.kind} ${r.value}`);
  const insertCustomer = async (phones: unknown, emails: string[]): Promise<string> => {
    const res = await ctx.deps.db.execute(sql`
      insert into customers (tenant_id, owner_id, name, phones, emails)
      values (${t.tenantId}, ${t.rep.id}, '触发器', ${JSON.stringify(phones)}::jsonb, ${arrayParam(emails, 'text')})
      returning id`);
    return (res as unknown as { rows: { id: string }[] }).rows[0]?.id as string;
  };
  beforeAll(async () => {
    t = await createTestTenant(ctx);
    other = await createTestTenant(ctx);
  });

  it('an insert (API or bulk SQL) writes one row per distinct e164 and lower-cased e-mail; a phone without e164 gives none', async () => {
    const viaApi = await create(t.rep, {
      name: '宋雨',
      phones: ['0571-8800 0000', '138 0013 8000', '8000 1000'],
      emails: ['Info@Example-Group.cn', 'song@example.com'],
    });
    expect(viaApi.statusCode).toBe(201);
    expect(pairs(await keysOf(viaApi.json().id))).toEqual([
      'email info@example-group.cn',
      'email song@example.com',
      'phone +8613800138000',
      'phone +8657188000000',
    ]);
    // Several customers in one statement, as ingestion and the CSV import write them.
    const res = await ctx.deps.db.execute(sql`
      insert into customers (tenant_id, owner_id, name, phones, emails)
      values (${t.tenantId}, ${t.rep.id}, '批量一', ${JSON.stringify([
        { e164: '+8657188000000', raw: '0571-88000000' },
        { e164: '+8657188000000', ext: '8023', raw: '0571-88000000 转 8023' },
        { e164: null, raw: '8000 1000' },
        { raw: 'no e164 at all' },
      ])}::jsonb, array['A@Example.com', 'a@example.com']),
      (${t.tenantId}, ${t.rep.id}, '批量二', '[]'::jsonb, array['b@example.com']),
      (${t.tenantId}, ${t.rep.id}, '批量三', '[]'::jsonb, '{}')
      returning id`);
    const [one, two, three] = (res as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
    expect(pairs(await keysOf(one as string))).toEqual(['email a@example.com', 'phone +8657188000000']);
    expect(pairs(await keysOf(two as string))).toEqual(['email b@example.com']);
    expect(await keysOf(three as string)).toEqual([]);
    // Another tenant's customer with the same number: a key of that tenant only.
    const foreign = await create(other.rep, { name: '宋雨', phones: ['0571-8800 0000'] });
    expect(foreign.statusCode).toBe(201);
    expect(pairs(await keysOf(foreign.json().id, other.tenantId))).toEqual(['phone +8657188000000']);
    expect(await keysOf(foreign.json().id)).toEqual([]);
  });

  it('an update of phones/emails replaces the keys (old ones gone), keeping the rows of unchanged keys', async () => {
    const id = await insertCustomer(
      [
        { e164: '+8657188001111', raw: 'a' },
        { e164: '+8613900139000', raw: 'b' },
      ],
      ['old@example.com', 'kept@example.com'],
    );
    const before = await keysOf(id);
    await ctx.deps.db.execute(sql`update customers
      set phones = '[{"e164":"+8613900139000","raw":"b"},{"e164":"+8657188002222","raw":"c"}]'::jsonb,
          emails = array['Kept@Example.com', 'New@Example.com']
      where tenant_id = ${t.tenantId} and id = ${id}`);
    const after = await keysOf(id);
    expect(pairs(after)).toEqual([
      'email kept@example.com',
      'email new@example.com',
      'phone +8613900139000',
      'phone +8657188002222',
    ]);
    for (const kept of ['email kept@example.com', 'phone +8613900139000'])
      expect(after.find((r) => `${r.kind} ${r.value}` === kept)?.ctid).toBe(
        before.find((r) => `${r.kind} ${r.value}` === kept)?.ctid,
      );
    // Emptied: no keys left.
    await ctx.deps.db.execute(sql`update customers set phones = '[]'::jsonb, emails = '{}'
      where tenant_id = ${t.tenantId} and id = ${id}`);
    expect(await keysOf(id)).toEqual([]);
  });

  it('an update of other columns (the ingestion rollups), or one that sets phones/emails to what they were, never touches the side rows', async () => {
    const id = await insertCustomer([{ e164: '+8657188003333', raw: 'a' }], ['rollup@example.com']);
    const before = await keysOf(id);
    expect(before).toHaveLength(2);
    // Calls of the update trigger's function in a transaction of updates (counted per transaction).
    const replaceCalls = (...updates: SQL[]) =>
      ctx.deps.db.transaction(async (tx) => {
        await tx.execute(sql`set local track_functions = 'pl'`);
        for (const u of updates) await tx.execute(u);
        const res = await tx.execute(sql`select coalesce(sum(calls), 0)::int as calls from pg_stat_xact_user_functions
          where funcname = 'crm_replace_customer_contact_keys'`);
        return (res as unknown as { rows: { calls: number }[] }).rows[0]?.calls;
      });
    const where = sql`where tenant_id = ${t.tenantId} and id = ${id}`;
    expect(
      await replaceCalls(
        sql`update customers set ltv_cents = ltv_cents + 100, order_count = order_count + 1,
          last_interaction_at = now(), updated_at = now() ${where}`,
        sql`update customers set phones = phones, emails = emails, name = '改名' ${where}`,
      ),
    ).toBe(0);
    expect(await keysOf(id)).toEqual(before); // same ctid and xmin: not rewritten
    // (The count is live: a real change of phones calls it once.)
    const changed = sql`update customers set phones = phones || '[{"e164":"+8657188005555","raw":"b"}]'::jsonb ${where}`;
    expect(await replaceCalls(changed)).toBe(1);
  });

  it('a delete of the customer removes its keys (cascade)', async () => {
    const id = await insertCustomer([{ e164: '+8657188004444', raw: 'a' }], ['gone@example.com']);
    expect(await keysOf(id)).toHaveLength(2);
    await ctx.deps.db.execute(sql`delete from customers where tenant_id = ${t.tenantId} and id = ${id}`);
    expect(await keysOf(id)).toEqual([]);
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
