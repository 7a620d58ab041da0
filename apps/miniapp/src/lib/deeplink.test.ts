import { loginUrlFor, parseQueryString, routeFromQuery } from './deeplink';

const ID = '0b9c6c1e-0000-4000-8000-000000000001';

test.each([
  [`?go=customer&id=${ID}`, { url: `/pages/customer/index?id=${ID}`, tab: false }],
  [`?go=task&id=${ID}`, { url: '/pages/tasks/index', tab: true, taskId: ID }],
  ['?go=tasks', { url: '/pages/tasks/index', tab: true }],
  [`?go=visit&id=${ID}`, { url: `/pages/visit/index?customerId=${ID}`, tab: false }],
  ['?go=customer&id=../../etc', null],
  ['?go=elsewhere', null],
  ['', null],
])('%s → %o', (search, expected) => {
  expect(routeFromQuery(parseQueryString(search))).toEqual(expected);
});

test('parseQueryString decodes and survives bad escapes', () => {
  expect(parseQueryString('?a=%E5%AE%A2%E6%88%B7&b=x+y&c=%E0%A4%A')).toEqual({ a: '客户', b: 'x y' });
});

test.each([
  [`?go=customer&id=${ID}`, `/pages/login/index?redirect=${encodeURIComponent(`/pages/customer/index?id=${ID}`)}`],
  ['?go=tasks', `/pages/login/index?redirect=${encodeURIComponent('/pages/tasks/index')}`],
  ['?go=customer&id=<script>', '/pages/login/index'],
  ['', '/pages/login/index'],
])('no session, opened with %s → %s', (search, expected) => {
  expect(loginUrlFor(parseQueryString(search))).toBe(expected);
});
