// The process TZ must play no part: the Friday 15:00 Asia/Shanghai boundary is the same
// instant with the process in UTC and in America/New_York (a DST zone).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dormantJob } from '../src/jobs/dormant.job';
import { overdueJob } from '../src/jobs/overdue.job';
import { addCustomer, addVisit, DAY, HOUR, MIN, setTenant, tasksOf } from './alerts.fixtures';
import { createTestTenant, setupApp, type TestContext } from './helpers';

let ctx: TestContext;
const originalTz = process.env.TZ;
beforeAll(async () => {
  ctx = await setupApp();
});
afterAll(async () => {
  process.env.TZ = originalTz;
  await ctx.close();
});

describe.each([
  ['UTC', 0],
  ['America/New_York', 240],
])('with the process in TZ=%s', (tz, offsetMinutes) => {
  it('Friday 14:59 Asia/Shanghai → no wake-up run; 15:00 → one', async () => {
    process.env.TZ = tz;
    expect(new Date('2026-06-05T07:00:00Z').getTimezoneOffset()).toBe(offsetMinutes); // the switch took effect
    const t = await createTestTenant(ctx, { timeZone: 'Asia/Shanghai' });
    await setTenant(ctx, t, { createdAt: new Date('2025-01-01T00:00:00Z') });
    const c = await addCustomer(ctx, t, { ltvCents: 500_001, lastInteractionAt: new Date('2026-03-07T07:00:00Z') });
    const run = (iso: string) => dormantJob.run({ now: new Date(iso), deps: ctx.deps, tenantIds: [t.tenantId] });

    expect(await run('2026-06-05T06:59:00Z')).toMatchObject({ ran: 0 });
    expect(await tasksOf(ctx, t)).toHaveLength(0);
    expect(await run('2026-06-05T07:00:00Z')).toMatchObject({ ran: 1, created: 1 });
    const [card] = await tasksOf(ctx, t);
    expect(card).toMatchObject({ customerId: c.id, dedupeKey: `dormant:${c.id}:2026-W23` });
  });

  it('overdue boundary is a duration, the same in any process zone', async () => {
    process.env.TZ = tz;
    const t = await createTestTenant(ctx);
    const c = await addCustomer(ctx, t);
    const promised = new Date('2026-03-08T06:30:00Z'); // the New York DST night
    await addVisit(ctx, t, {
      customerId: c.id,
      occurredAt: new Date(promised.getTime() - DAY),
      nextContactAt: promised,
    });
    const run = (ms: number) =>
      overdueJob.run({ now: new Date(promised.getTime() + ms), deps: ctx.deps, tenantIds: [t.tenantId] });
    expect(await run(23 * HOUR + 59 * MIN)).toMatchObject({ created: 0 });
    expect(await run(24 * HOUR + 1000)).toMatchObject({ created: 1 });
  });
});
