// The permission matrix: who may do what with one rep's customer, decided inside the queries.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertCustomer, seedHistory } from './customers.fixtures';
import { createTestTenant, injectAs, setupApp, type TestContext, type TestUser } from './helpers';

type Who = 'rep' | 'other rep' | 'supervisor of the rep' | 'other supervisor' | 'admin' | 'user of another tenant';
type Row = {
  who: Who;
  view: 'full' | 'limited' | 404;
  page: 'items' | 'limited' | 404;
  visit: 201 | 403 | 404;
  update: 200 | 403 | 404;
  search: 'full' | 'limited' | 'absent';
};

const matrix: Row[] = [
  { who: 'rep', view: 'full', page: 'items', visit: 201, update: 200, search: 'full' },
  { who: 'other rep', view: 'limited', page: 'limited', visit: 403, update: 403, search: 'limited' },
  { who: 'supervisor of the rep', view: 'full', page: 'items', visit: 201, update: 200, search: 'full' },
  { who: 'other supervisor', view: 'limited', page: 'limited', visit: 403, update: 403, search: 'limited' },
  { who: 'admin', view: 'full', page: 'items', visit: 201, update: 200, search: 'full' },
  { who: 'user of another tenant', view: 404, page: 404, visit: 404, update: 404, search: 'absent' },
];

let ctx: TestContext;
let customerId: string;
const users = {} as Record<Who, TestUser>;

beforeAll(async () => {
  ctx = await setupApp();
  const t = await createTestTenant(ctx);
  const otherSupervisor = await t.addUser('supervisor', '周主管');
  users.rep = t.rep;
  users['other rep'] = await t.addUser('rep', '孙销售', otherSupervisor.id);
  users['supervisor of the rep'] = t.supervisor;
  users['other supervisor'] = otherSupervisor;
  users.admin = t.admin;
  users['user of another tenant'] = (await createTestTenant(ctx)).admin;
  const c = await insertCustomer(ctx, t.tenantId, t.rep.id, { name: '欧阳娜娜', org: '矩阵测试有限公司' });
  customerId = c.id;
  await seedHistory(ctx, t.tenantId, c.id, t.rep.id, 30);
});
afterAll(async () => ctx.close());

describe('customer access matrix', () => {
  test.each(matrix)('$who: view → $view', async ({ who, view }) => {
    const res = await injectAs(ctx, users[who], { method: 'GET', url: `/api/customers/${customerId}` });
    if (view === 404) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      return;
    }
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.access).toBe(view);
    if (view === 'limited') {
      // id, name, org and owner only: the rep learns the customer is taken, nothing more.
      expect(Object.keys(body).sort()).toEqual(['access', 'id', 'name', 'org', 'owner']);
      expect(body.owner.id).toBe(users.rep.id);
    } else {
      expect(body.ltv).toBeDefined();
      expect(body.phones.length).toBe(1);
    }
  });

  test.each(matrix)('$who: timeline page → $page', async ({ who, page }) => {
    const res = await injectAs(ctx, users[who], {
      method: 'GET',
      url: `/api/customers/${customerId}?before=2026-05-31T23:50:00Z&limit=5`,
    });
    if (page === 404) return expect(res.statusCode).toBe(404);
    expect(res.statusCode).toBe(200);
    if (page === 'limited') return expect(res.json().timeline).toBeUndefined();
    const timeline = res.json().timeline as { at: string }[];
    expect(timeline).toHaveLength(5);
    expect(timeline.every((i) => i.at < '2026-05-31T23:50:00.000Z')).toBe(true);
  });

  test.each(matrix)('$who: record a visit → $visit', async ({ who, visit }) => {
    const res = await injectAs(ctx, users[who], {
      method: 'POST',
      url: '/api/visits',
      payload: { customerId, coreNeed: `${who} 的拜访`, nextContactAt: '2026-06-10T02:00:00Z' },
    });
    expect(res.statusCode).toBe(visit);
    if (visit === 403) expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', field: 'customerId' });
  });

  test.each(matrix)('$who: update → $update', async ({ who, update }) => {
    const res = await injectAs(ctx, users[who], {
      method: 'PATCH',
      url: `/api/customers/${customerId}`,
      payload: { tags: [`by ${who}`] },
    });
    expect(res.statusCode).toBe(update);
    if (update === 200) expect(res.json().tags).toEqual([`by ${who}`]);
  });

  test.each(matrix)('$who: search → $search', async ({ who, search }) => {
    const res = await injectAs(ctx, users[who], {
      method: 'GET',
      url: `/api/customers?q=${encodeURIComponent('欧阳')}`,
    });
    expect(res.statusCode).toBe(200);
    const hit = (res.json().items as { id: string; access: string; phones?: unknown }[]).find(
      (i) => i.id === customerId,
    );
    if (search === 'absent') return expect(hit).toBeUndefined();
    expect(hit?.access).toBe(search);
  });
});
