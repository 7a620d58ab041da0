import { schema } from '@crm/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, injectAs, setupApp, type TestContext, type TestTenant } from './helpers';
import { addCustomer, addOpportunity, setTenantSettings } from './signals.fixtures';

let ctx: TestContext;
let t: TestTenant;
beforeAll(async () => {
  ctx = await setupApp({ now: '2026-06-05T02:00:00Z' });
  t = await createTestTenant(ctx);
  await setTenantSettings(ctx, t.tenantId, { emailKeywords: ['合同草案'] });
});
afterAll(async () => ctx.close());

const ingest = (items: unknown[], key = t.apiKey) =>
  ctx.app.inject({ method: 'POST', url: '/api/ingest/emails', headers: { 'x-api-key': key }, payload: items });

const mail = (messageId: string, from: string, subject: string, text: string) => ({
  messageId,
  from,
  to: ['li@our-company.cn'],
  subject,
  text,
  date: '2026-06-04T03:00:00Z',
});

describe('POST /api/ingest/emails', () => {
  it('creates candidates on the open opportunity with the excerpt; duplicates by message id are ignored', async () => {
    const c = await addCustomer(ctx, t.tenantId, t.rep.id, { emails: ['Zhang.Wei@Client.cn'] });
    await addOpportunity(ctx, t.tenantId, c.id, t.rep.id, { stage: 'won', closedAt: new Date('2026-05-01T00:00:00Z') });
    const open = await addOpportunity(ctx, t.tenantId, c.id, t.rep.id);
    const item = mail(
      '<m1@client.cn>',
      'zhang.wei@client.cn',
      '回复：報價',
      '您好，招標編號：ＺＢ－２０２６－０１，付款條件为验收后30天。另附合同草案。',
    );
    const res = await ingest([item]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ inserted: 1, updated: 0, duplicates: 0, candidates: 3, unmatched: 0, rejected: [] });
    const sigs = await ctx.deps.db.select().from(schema.signals).where(eq(schema.signals.customerId, c.id));
    expect(sigs.map((s) => [s.kind, s.level, s.confidence, s.status, s.opportunityId]).sort()).toEqual(
      [
        ['keyword:合同草案', 1, 0.3, 'candidate', open.id],
        ['payment_terms', 3, 0.8, 'candidate', open.id],
        ['tender_number', 2, 0.5, 'candidate', open.id],
      ].sort(),
    );
    expect(sigs.find((s) => s.kind === 'tender_number')?.evidence).toContain('招標編號：ＺＢ－２０２６－０１');

    const again = await ingest([item]);
    expect(again.json()).toMatchObject({ inserted: 0, duplicates: 1, candidates: 0 });

    // The rep sees them as candidates and confirms one.
    const list = await injectAs(ctx, t.rep, { method: 'GET', url: '/api/signals?status=candidate&source=email' });
    expect(list.json()).toHaveLength(3);
    const tender = list.json().find((s: { kind: string }) => s.kind === 'tender_number');
    const ok = await injectAs(ctx, t.rep, { method: 'POST', url: `/api/signals/${tender.id}/confirm` });
    expect(ok.json()).toMatchObject({ status: 'confirmed', confirmedById: t.rep.id });
  });

  it('stores an e-mail of an unknown sender without candidates and rejects bad items one by one', async () => {
    const res = await ingest([
      mail('<m2@x.cn>', 'nobody@x.cn', '比价', '比价'),
      { from: 'a@b.cn', to: [], date: '2026-06-04T03:00:00Z' },
      { ...mail('<m3@x.cn>', 'a@b.cn', '', ''), date: 'yesterday' },
    ]);
    expect(res.json()).toMatchObject({ inserted: 1, candidates: 0, unmatched: 1 });
    expect(res.json().rejected.map((r: { index: number }) => r.index)).toEqual([1, 2]);
  });

  it('needs the API key', async () => {
    expect((await ingest([], 'crm_wrongwrongwrong')).statusCode).toBe(401);
  });
});
