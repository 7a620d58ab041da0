// Scan → POST /api/scan → the right page, through the real api service and the H5
// storage, with Taro's request and navigation mocked.
import Taro from '@tarojs/taro';
import { identify, scanAndIdentify } from './scan-flow';
import { getScanResult } from './scan-session';
import { saveSession } from './session-store';

jest.mock('../platform/scan', () => ({ scanCard: jest.fn() }));
const { scanCard } = jest.requireMock('../platform/scan') as { scanCard: jest.Mock };

const request = Taro.request as unknown as jest.Mock;
const card = { format: 'vcard', name: '张伟', phones: [], emails: [], urls: [] };
const customer = {
  id: '0b9c6c1e-0000-4000-8000-000000000001',
  access: 'full',
  name: '张伟',
  org: null,
  owner: { id: 'u', name: '我' },
};

beforeEach(() => {
  jest.clearAllMocks();
  saveSession({ token: 't-1', user: { id: 'u', name: '我', role: 'rep', tenantId: 't' } });
});

const answer = (statusCode: number, data: unknown) => request.mockResolvedValueOnce({ statusCode, data });

test('existing → straight to the customer page; payload, rawData and token are sent', async () => {
  answer(200, { result: 'existing', card, customer });
  await identify('BEGIN:VCARD…', 'QkVHSU4=');
  expect(request).toHaveBeenCalledWith(
    expect.objectContaining({
      url: '/api/scan',
      method: 'POST',
      data: { payload: 'BEGIN:VCARD…', rawData: 'QkVHSU4=' },
      header: expect.objectContaining({ Authorization: 'Bearer t-1' }),
    }),
  );
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/pages/customer/index?id=${customer.id}` });
});

test.each([
  ['ambiguous', 200, { result: 'ambiguous', card, candidates: [customer, { ...customer, id: 'x' }] }],
  ['new', 200, { result: 'new', card }],
  ['limited', 200, { result: 'existing', card, customer: { ...customer, access: 'limited' } }],
  ['unreadable', 422, { error: { code: 'UNREADABLE_CARD', message: 'nothing identifiable' } }],
])('%s → the scan result page with the route kept for it', async (kind, status, data) => {
  answer(status, data);
  await identify('whatever');
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/scan/index' });
  expect(getScanResult()?.route.kind).toBe(kind);
});

test('no network → the result page says so', async () => {
  request.mockRejectedValueOnce(new Error('Failed to fetch'));
  await identify('x');
  expect(getScanResult()?.route).toEqual({ kind: 'error', message: '网络不可用，请联网后重试。' });
});

test('a cancelled scan does nothing; an unavailable camera returns the reason for the paste box', async () => {
  scanCard.mockResolvedValueOnce({ kind: 'cancelled' });
  expect(await scanAndIdentify()).toBeNull();
  scanCard.mockResolvedValueOnce({ kind: 'unavailable', reason: '此浏览器不能使用摄像头' });
  expect(await scanAndIdentify()).toBe('此浏览器不能使用摄像头');
  expect(request).not.toHaveBeenCalled();
});

test('401 → logs in again (demo user remembered) and retries once', async () => {
  const { setDemoUserId } = jest.requireActual('./session-store') as typeof import('./session-store');
  require('./session'); // wires the re-login handler
  setDemoUserId('0b9c6c1e-0000-4000-8000-00000000000a');
  answer(401, { error: { code: 'UNAUTHORIZED', message: 'expired' } });
  answer(200, { token: 't-2', user: { id: 'u', name: '我', role: 'rep', tenantId: 't' } });
  answer(200, { result: 'existing', card, customer });
  await identify('x');
  expect(request.mock.calls.map((c) => [c[0].url, c[0].header.Authorization])).toEqual([
    ['/api/scan', 'Bearer t-1'],
    ['/api/auth/dev', undefined],
    ['/api/scan', 'Bearer t-2'],
  ]);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/pages/customer/index?id=${customer.id}` });
});
