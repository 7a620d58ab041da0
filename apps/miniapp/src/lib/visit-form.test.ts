import { toVisitBody, validateVisit } from './visit-form';

const now = new Date('2025-06-11T07:00:00Z');
const later = new Date('2025-06-12T02:00:00Z');
const ok = { customerId: 'c-1', coreNeed: '想要季度返利方案', nextContactAt: later };

describe('validateVisit', () => {
  test.each([
    ['all three filled', ok, {}],
    ['no customer', { ...ok, customerId: '' }, { customerId: '请先选择客户' }],
    ['empty core need', { ...ok, coreNeed: '' }, { coreNeed: '请填写本次沟通的核心诉求' }],
    ['blank core need', { ...ok, coreNeed: '  \n ' }, { coreNeed: '请填写本次沟通的核心诉求' }],
    [
      'core need too long',
      { ...ok, coreNeed: '需'.repeat(2001) },
      { coreNeed: '核心诉求最多 2000 字（现在 2001 字）' },
    ],
    ['no next contact', { ...ok, nextContactAt: null }, { nextContactAt: '请选择下次联系时间' }],
    ['next contact = now', { ...ok, nextContactAt: now }, { nextContactAt: '下次联系时间必须晚于现在' }],
    [
      'next contact in the past',
      { ...ok, nextContactAt: new Date('2025-06-10T00:00:00Z') },
      { nextContactAt: '下次联系时间必须晚于现在' },
    ],
    ['invalid date', { ...ok, nextContactAt: new Date('x') }, { nextContactAt: '请选择下次联系时间' }],
    [
      'everything missing',
      { customerId: ' ', coreNeed: '', nextContactAt: null },
      {
        customerId: '请先选择客户',
        coreNeed: '请填写本次沟通的核心诉求',
        nextContactAt: '请选择下次联系时间',
      },
    ],
  ])('%s', (_name, draft, expected) => {
    expect(validateVisit(draft, now)).toEqual(expected);
  });
});

test('toVisitBody trims, keeps the clientId and sends the optional action type only when chosen', () => {
  expect(toVisitBody({ ...ok, coreNeed: '  返利  ' }, 'cid-1', now)).toEqual({
    customerId: 'c-1',
    coreNeed: '返利',
    nextContactAt: later.toISOString(),
    occurredAt: now.toISOString(),
    clientId: 'cid-1',
  });
  expect(toVisitBody({ ...ok, actionType: 'solution_demo' }, 'cid-2', now).actionType).toBe('solution_demo');
});
