import { routeScan, type ScannedCard, type ScanResponse } from './scan-route';

const card: ScannedCard = {
  format: 'vcard',
  name: '张伟',
  org: '华东贸易',
  phones: [{ e164: '+8613800138000', raw: '13800138000' }],
  emails: [],
  urls: [],
};
const owner = { id: 'u-2', name: '李娜' };
const full = { id: 'c-1', access: 'full' as const, name: '张伟', org: '华东贸易', owner };
const limited = { ...full, access: 'limited' as const };
const ok = (body: ScanResponse) => ({ ok: true as const, body });
const fail = (status: number, code = 'X', message = '') => ({ ok: false as const, status, code, message });

describe('routeScan', () => {
  test.each([
    [
      'existing, full access → customer page',
      ok({ result: 'existing', card, customer: full }),
      { kind: 'existing', customerId: 'c-1' },
    ],
    [
      'existing, another rep’s customer → limited, no history',
      ok({ result: 'existing', card, customer: limited }),
      { kind: 'limited', customer: limited },
    ],
    [
      'ambiguous → the candidates',
      ok({ result: 'ambiguous', card, candidates: [full, limited] }),
      { kind: 'ambiguous', candidates: [full, limited], card },
    ],
    ['ambiguous without candidates → new', ok({ result: 'ambiguous', card, candidates: [] }), { kind: 'new', card }],
    ['new → the pre-filled form', ok({ result: 'new', card }), { kind: 'new', card }],
    ['existing without a customer (defensive) → new', ok({ result: 'existing', card }), { kind: 'new', card }],
  ])('%s', (_name, outcome, expected) => {
    expect(routeScan(outcome)).toEqual(expected);
  });

  test.each([
    ['422 UNREADABLE_CARD', fail(422, 'UNREADABLE_CARD'), 'unreadable', /输入手机号/],
    ['413 payload too large', fail(413, 'PAYLOAD_TOO_LARGE'), 'unreadable', /太长/],
    ['no network', fail(0, 'NETWORK', '网络不可用'), 'error', /网络不可用/],
    ['server error keeps its message', fail(500, 'INTERNAL', '服务器开小差了'), 'error', /服务器开小差了/],
  ])('%s', (_name, outcome, kind, message) => {
    const route = routeScan(outcome);
    expect(route.kind).toBe(kind);
    expect((route as { message: string }).message).toMatch(message);
  });
});
