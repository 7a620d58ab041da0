import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@crm/db';
import { and, eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../src/modules/ingest/csv-import.service';
import { insertCustomer } from './customers.fixtures';
import { createTestTenant, setupApp, type TestContext, type TestTenant } from './helpers';

let ctx: TestContext;
let t: TestTenant;
let dir: string;
beforeAll(async () => {
  ctx = await setupApp({ now: '2026-06-05T02:00:00Z' });
  t = await createTestTenant(ctx);
  dir = mkdtempSync(join(tmpdir(), 'crm-import-'));
});
afterAll(async () => ctx.close());

const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const customerRow = async (id: string) =>
  (
    await ctx.deps.db
      .select()
      .from(schema.customers)
      .where(and(eq(schema.customers.tenantId, t.tenantId), eq(schema.customers.id, id)))
  )[0];

describe('import orders', () => {
  it('reads a UTF-8 (BOM) file with Chinese headers, rejects bad rows with the reason, and a re-import changes nothing', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613811112222' });
    const csv = [
      '订单号,手机,金额,下单时间,状态,履约评分,商品编码,商品名称,品类,备注',
      'E-1,138 1111 2222,"¥1,234.50",2024/6/7 10:00,已完成,92,AC-1,空调,hvac,x',
      'E-2,13811112222,88,2024-06-08T10:00+08:00,已付款,,,,,',
      'E-3,13811112222,12.345,2024/6/7 10:00,已付款,,,,,',
      'E-4,13811112222,10,2024/2/30 10:00,已付款,,,,,',
      'E-5,13900000009,10,2024/6/7 10:00,已付款,,,,,',
      'E-6,13811112222,10,45450.5,已取消,,,,,',
      'E-7,13811112222,"10,2024/6/7 10:00,已付款,,,,,',
      '',
    ].join('\r\n');
    const path = file('orders.csv', `\uFEFF${csv}`);
    const first = await importCsv(ctx.deps, { kind: 'orders', file: path, tenantId: t.tenantId });
    expect(first).toMatchObject({ encoding: 'utf8', inserted: 3, updated: 0, unchanged: 0, ignoredColumns: ['备注'] });
    expect(first.rejected).toBeGreaterThanOrEqual(3);
    const rejects = readFileSync(first.rejectsFile ?? '', 'utf8');
    expect(rejects.startsWith('\uFEFF订单号,手机,金额')).toBe(true);
    expect(rejects).toMatch(/E-3.*INVALID_AMOUNT: amount: amount ""12.345"" has 3 decimals/);
    expect(rejects).toMatch(/E-4.*INVALID_DATE/);
    expect(rejects).toMatch(/E-5.*UNKNOWN_CUSTOMER/);
    expect(first.rejectsFile).toBe(join(dir, 'orders.rejects.csv'));

    // ¥1,234.50 + 88 (E-6 cancelled): exact fen, tenant time zone for 2024/6/7 10:00.
    expect(await customerRow(c.id)).toMatchObject({ ltvCents: 132_250, orderCount: 2 });
    const [e1] = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.externalId, 'E-1'));
    expect(e1?.orderedAt.toISOString()).toBe('2024-06-07T02:00:00.000Z');
    expect(e1).toMatchObject({ status: 'fulfilled', fulfilmentScore: 92, amountCents: 123_450 });
    const [e6] = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.externalId, 'E-6'));
    expect(e6?.orderedAt.toISOString()).toBe('2024-06-07T04:00:00.000Z');

    const again = await importCsv(ctx.deps, { kind: 'orders', file: path, tenantId: t.tenantId });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, rejected: first.rejected });
    expect(await customerRow(c.id)).toMatchObject({ ltvCents: 132_250, orderCount: 2 });
  });

  it('detects GBK from Chinese Excel, or takes --encoding', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613822223333' });
    const csv =
      '订单编号,客户电话,订单金额,下单日期\r\nG-1,13822223333,"1,000.00",2024/6/7\r\nG-2,13822223333,5.5,2024/6/8\r\n';
    const gbk = file('gbk.csv', iconv.encode(csv, 'gbk'));
    const r = await importCsv(ctx.deps, { kind: 'orders', file: gbk, tenantId: t.tenantId });
    expect(r).toMatchObject({ encoding: 'gb18030', inserted: 2, rejected: 0, rejectsFile: null });
    expect(await customerRow(c.id)).toMatchObject({ ltvCents: 100_550 });
    const forced = await importCsv(ctx.deps, { kind: 'orders', file: gbk, tenantId: t.tenantId, encoding: 'gbk' });
    expect(forced).toMatchObject({ unchanged: 2 });
  });

  it('a stray quote in one row costs that row only: the rows after it are imported, in line order', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613822224444' });
    const csv = [
      '订单号,手机,金额,下单时间,备注',
      'SQ-1,13822224444,10,2026-05-05,ok',
      'SQ-2,13822224444,10,2026-05-05,"24" 显示器"',
      'SQ-3,13822224444,10,2026-05-05,ok',
      'SQ-4,13822224444,10,2026-05-05 "加急",ok',
      'SQ-5,13822224444,10,2026-05-05,"never closed',
      'SQ-6,13822224444,10,2026-05-05,ok',
    ].join('\n');
    const r = await importCsv(ctx.deps, { kind: 'orders', file: file('stray.csv', csv), tenantId: t.tenantId });
    expect(r).toMatchObject({ rows: 6, inserted: 3, rejected: 3 });
    expect(await customerRow(c.id)).toMatchObject({ ltvCents: 3_000, orderCount: 3 });
    const lines = readFileSync(r.rejectsFile ?? '', 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    expect(lines.map((l) => l.match(/,(\d+),"?[A-Z_]+:/)?.[1])).toEqual(['3', '5', '6']);
    expect(lines[0]).toContain('SQ-2');
    expect(lines[1]).toMatch(/SQ-4.*INVALID_DATE/);
    expect(lines[2]).toContain('SQ-5');
  });

  it('a GBK file whose first 64 KB are plain ASCII is still read as GBK', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613822225555' });
    const rows = ['externalId,phone,amount,orderedAt,shipAddress'];
    for (let i = 0; i < 1_500; i++) rows.push(`LA-${i},13822225555,1,2026-05-05,Room ${i} Tower A Science Park Road`);
    rows.push('LA-last,13822225555,1,2026-05-05,上海市徐汇区漕溪北路1号');
    const p = file('late-gbk.csv', iconv.encode(rows.join('\r\n'), 'gbk'));
    const r = await importCsv(ctx.deps, { kind: 'orders', file: p, tenantId: t.tenantId });
    expect(r).toMatchObject({ encoding: 'gb18030', inserted: 1_501, rejected: 0 });
    const [last] = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.externalId, 'LA-last'));
    expect(last?.shipAddress).toBe('上海市徐汇区漕溪北路1号');
    expect(last?.customerId).toBe(c.id);
  });

  it('a UTF-8 file whose first 64 KB are ASCII stays UTF-8; one bad byte later stops it naming the line', async () => {
    await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613822227777' });
    const rows = ['externalId,phone,amount,orderedAt,shipAddress'];
    for (let i = 0; i < 1_500; i++) rows.push(`LU-${i},13822227777,1,2026-05-05,Room ${i} Tower A Science Park Road`);
    rows.push('LU-zh,13822227777,1,2026-05-05,北京市朝阳区建国路1号');
    const good = Buffer.from(`${rows.join('\n')}\n`);
    const r = await importCsv(ctx.deps, { kind: 'orders', file: file('late-utf8.csv', good), tenantId: t.tenantId });
    expect(r).toMatchObject({ encoding: 'utf8', inserted: 1_501 });
    const [zh] = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.externalId, 'LU-zh'));
    expect(zh?.shipAddress).toBe('北京市朝阳区建国路1号');
    const bad = Buffer.concat([
      good,
      Buffer.from('LU-bad,13822227777,1,2026-05-05,Caf'),
      Buffer.from([0xe9]),
      Buffer.from(' 北京\n'),
    ]);
    await expect(
      importCsv(ctx.deps, { kind: 'orders', file: file('late-utf8-bad.csv', bad), tenantId: t.tenantId }),
    ).rejects.toThrow(/not valid UTF-8 \(line 1503\)/);
  });

  it('a file declared UTF-8 with bytes that are not stops, naming the line and --encoding gbk, instead of storing �', async () => {
    await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613822226666' });
    const head = Buffer.from('\uFEFFexternalId,phone,amount,orderedAt,shipAddress\nBU-1,13822226666,1,2026-05-05,ok\n');
    const bad = Buffer.concat([
      Buffer.from('BU-2,13822226666,1,2026-05-05,'),
      iconv.encode('上海', 'gbk'),
      Buffer.from('\n'),
    ]);
    const p = file('bad-utf8.csv', Buffer.concat([head, bad]));
    await expect(importCsv(ctx.deps, { kind: 'orders', file: p, tenantId: t.tenantId })).rejects.toThrow(
      /not valid UTF-8 \(line 3\).*--encoding gbk/,
    );
    const stored = await ctx.deps.db.select().from(schema.orders).where(eq(schema.orders.externalId, 'BU-2'));
    expect(stored).toEqual([]);
  });

  it('names a missing required column', async () => {
    const p = file('bad.csv', 'externalId,phone,orderedAt\nA,1,2024/1/1\n');
    await expect(importCsv(ctx.deps, { kind: 'orders', file: p, tenantId: t.tenantId })).rejects.toThrow(/amount/);
  });

  it('streams many rows in batches', async () => {
    await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613833334444' });
    const lines = ['externalId,phone,amountCents,orderedAt'];
    for (let i = 0; i < 5000; i++) lines.push(`S-${i},13833334444,${i},2024-06-07T10:00:00+08:00`);
    const p = file('many.csv', lines.join('\n'));
    const r = await importCsv(ctx.deps, { kind: 'orders', file: p, tenantId: t.tenantId, batchSize: 1000 });
    expect(r).toMatchObject({ rows: 5000, inserted: 5000, rejected: 0 });
  });
});

describe('import tickets, chats and customers', () => {
  it('tickets and chats with English headers', async () => {
    const c = await insertCustomer(ctx, t.tenantId, t.rep.id, { phone: '+8613844445555', email: 'it@corp.cn' });
    const tickets = file(
      'tickets.csv',
      'Ticket ID,Email,Subject,Priority,Opened At\nK-1,IT@corp.cn,Printer jam,high,2024/6/7 10:00\nK-2,it@corp.cn,,low,2024/6/7\n',
    );
    expect(await importCsv(ctx.deps, { kind: 'tickets', file: tickets, tenantId: t.tenantId })).toMatchObject({
      inserted: 1,
      rejected: 1,
    });
    const chats = file(
      'chats.csv',
      `msgid,phone,direction,content,sent_at,wecom_userid\nM-1,13844445555,员工,您好,2024-06-09 09:00,\nM-2,13844445555,客户,在的,2024-06-09 09:05,\n`,
    );
    expect(await importCsv(ctx.deps, { kind: 'chats', file: chats, tenantId: t.tenantId })).toMatchObject({
      inserted: 2,
      rejected: 0,
    });
    const row = await customerRow(c.id);
    expect(row?.lastInteractionAt?.toISOString()).toBe('2024-06-09T01:05:00.000Z');
    expect(row?.lastRepTouchAt?.toISOString()).toBe('2024-06-09T01:00:00.000Z');
  });

  it('customers: found again by identity or by name + org; a re-import changes nothing', async () => {
    const s = await createTestTenant(ctx);
    const csv = [
      '姓名,公司,职位,手机,邮箱,标签,负责人',
      `张伟,示例科技,采购经理,13855556666,,节能、复购,${s.rep.name}`,
      '李娜,华南贸易,,,lina@hn.cn,,',
      '王强,总机公司,,0755-88889999,,,',
      '赵六,,,,,,',
      '钱七,某公司,,13855556666,,,',
      `孙八,某公司,,13855557777,,,不存在的人`,
    ].join('\n');
    const p = file('customers.csv', csv);
    const first = await importCsv(ctx.deps, { kind: 'customers', file: p, tenantId: s.tenantId });
    expect(first).toMatchObject({ inserted: 3, updated: 0, rejected: 3 });
    const rejects = readFileSync(first.rejectsFile ?? '', 'utf8');
    expect(rejects).toMatch(/赵六.*phone or e-mail/);
    expect(rejects).toMatch(/钱七.*DUPLICATE_IN_BATCH/);
    expect(rejects).toMatch(/孙八.*UNKNOWN_USER/);
    const rows = await ctx.deps.db.select().from(schema.customers).where(eq(schema.customers.tenantId, s.tenantId));
    const zw = rows.find((r) => r.name === '张伟');
    expect(zw).toMatchObject({ ownerId: s.rep.id, title: '采购经理', tags: ['节能', '复购'] });
    expect(zw?.searchKey).toContain('zw');
    expect(rows.find((r) => r.name === '李娜')?.ownerId).toBe(s.admin.id);
    const again = await importCsv(ctx.deps, { kind: 'customers', file: p, tenantId: s.tenantId });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(
      await ctx.deps.db.select().from(schema.customers).where(eq(schema.customers.tenantId, s.tenantId)),
    ).toHaveLength(3);
  });
});
