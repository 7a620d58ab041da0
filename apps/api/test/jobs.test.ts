// The scheduler and the runner under several instances, downtime and a crash.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { DatabaseHandle } from '@crm/db';
import { openTestDatabase } from '@crm/db/testing';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../src/config';
import { type AppDeps, createDeps } from '../src/deps';
import { overdueJob } from '../src/jobs/overdue.job';
import { startScheduler } from '../src/jobs/scheduler';
import { fixedClock } from '../src/shared/clock';
import { addCustomer, addVisit, DAY, deliveriesOf, jobRunsOf, MIN, setTenant, tasksOf, touch } from './alerts.fixtures';
import { createTestTenant, setupApp, type TestContext } from './helpers';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await setupApp();
});
afterAll(async () => ctx.close());

const onServer = Boolean(process.env.TEST_DATABASE_URL);
const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** n app instances on the same database: own connection pools on PostgreSQL; the one PGlite otherwise. */
async function instances(n: number, clock: ReturnType<typeof fixedClock>, logger = pino({ level: 'silent' })) {
  const out: { deps: AppDeps; handle: DatabaseHandle | null }[] = [];
  for (let i = 0; i < n; i++) {
    const handle = onServer ? await openTestDatabase() : null;
    const db = handle ? handle.db : ctx.deps.db;
    out.push({ deps: createDeps({ db, clock, logger, config: testConfig({ instanceId: `instance-${i}` }) }), handle });
  }
  return { list: out, close: () => Promise.all(out.map((o) => o.handle?.close())) };
}

// Asia/Shanghai wall clock → instant
const cst = (iso: string) => new Date(`${iso}+08:00`);

describe('three instances, cron active, a week on a controllable clock', () => {
  it('makes exactly one card per broken promise and per dormant customer', async () => {
    const t = await createTestTenant(ctx);
    // A 6 h window, so last Friday's slot (before this test world starts) is not caught up;
    // the default (6 days) is in 'downtime around the Friday slot'.
    await setTenant(ctx, t, { createdAt: new Date('2025-01-01T00:00:00Z'), settings: { catchUpHours: 6 } });
    const promises = [
      '2026-06-01T10:00',
      '2026-06-02T15:00',
      '2026-06-03T09:00',
      '2026-06-04T20:00',
      '2026-06-05T14:00',
    ];
    const broken: string[] = [];
    for (const p of promises) {
      const c = await addCustomer(ctx, t, { name: `承诺 ${p}` });
      await addVisit(ctx, t, {
        customerId: c.id,
        occurredAt: new Date(cst(p).getTime() - 2 * DAY),
        nextContactAt: cst(p),
      });
      broken.push(c.id);
    }
    const kept = await addCustomer(ctx, t, { name: '按时跟进' });
    await addVisit(ctx, t, {
      customerId: kept.id,
      occurredAt: cst('2026-05-31T10:00'),
      nextContactAt: cst('2026-06-02T12:00'),
    });
    const late = await addCustomer(ctx, t, { name: '卡片后跟进' });
    await addVisit(ctx, t, {
      customerId: late.id,
      occurredAt: cst('2026-05-30T10:00'),
      nextContactAt: cst('2026-06-01T12:00'),
    });
    const dormant: string[] = [];
    for (const d of [100, 200, 300]) {
      const c = await addCustomer(ctx, t, {
        name: `沉默 ${d}`,
        ltvCents: 600_000,
        lastInteractionAt: new Date(cst('2026-06-05T15:00').getTime() - d * DAY),
      });
      dormant.push(c.id);
    }
    await addCustomer(ctx, t, { name: '不够格', ltvCents: 500_000, lastInteractionAt: cst('2025-01-01T00:00') });

    const clock = fixedClock(cst('2026-06-01T00:00'));
    const { list, close } = await instances(3, clock);
    const schedulers = list.map((i) => startScheduler(i.deps, { tenantIds: [t.tenantId] }));
    try {
      await Promise.all(schedulers.map((s) => s.ready));
      const end = cst('2026-06-08T00:00').getTime();
      while (clock.now().getTime() < end) {
        clock.advance(30 * MIN);
        const at = clock.now().getTime();
        if (at === cst('2026-06-02T13:00').getTime()) await touch(ctx, t, kept.id, clock.now(), true);
        if (at === cst('2026-06-03T09:00').getTime()) await touch(ctx, t, late.id, clock.now(), true);
        // Every instance wakes up at the same moment, as their cron ticks would.
        await Promise.all(schedulers.flatMap((s) => [s.tick('overdue'), s.tick('dormant')]));
      }
    } finally {
      await Promise.all(schedulers.map((s) => s.stop()));
      await close();
    }

    const overdue = await tasksOf(ctx, t, 'overdue_followup');
    expect(overdue.map((k) => k.customerId).sort()).toEqual([...broken, late.id].sort());
    expect(overdue.find((k) => k.customerId === late.id)?.status).toBe('resolved');
    const wakeups = await tasksOf(ctx, t, 'dormant_wakeup');
    expect(wakeups.map((k) => k.customerId).sort()).toEqual([...dormant].sort());
    expect(await deliveriesOf(ctx, t)).toHaveLength(overdue.length + wakeups.length);
    const runs = await jobRunsOf(ctx, t, 'dormant');
    expect(runs.map((r) => [r.slot.toISOString(), r.status])).toEqual([
      ['2026-05-29T07:00:00.000Z', 'skipped'], // the test world starts after last Friday
      ['2026-06-05T07:00:00.000Z', 'done'],
    ]);
    expect(runs[1]?.counts).toMatchObject({ created: 3 });
  }, 120_000);
});

describe('downtime around the Friday slot', () => {
  it('down from Friday 14:58 to 15:03: the run happens once after start', async () => {
    const t = await createTestTenant(ctx);
    await addCustomer(ctx, t, { ltvCents: 900_000, lastInteractionAt: cst('2026-01-01T00:00') });
    const clock = fixedClock(cst('2026-06-05T14:58'));
    const { list, close } = await instances(1, clock);
    const deps = (list[0] as { deps: AppDeps }).deps;
    try {
      const before = startScheduler(deps, { tenantIds: [t.tenantId], cron: false });
      await before.ready;
      await before.stop();
      expect(await tasksOf(ctx, t)).toHaveLength(0);

      clock.set(cst('2026-06-05T15:03'));
      const after = startScheduler(deps, { tenantIds: [t.tenantId], cron: false });
      await after.ready;
      clock.set(cst('2026-06-05T15:04'));
      await after.tick('dormant');
      clock.set(cst('2026-06-05T16:00'));
      await after.tick('dormant');
      await after.stop();
    } finally {
      await close();
    }
    expect(await tasksOf(ctx, t, 'dormant_wakeup')).toHaveLength(1);
    const runs = await jobRunsOf(ctx, t, 'dormant');
    expect(runs.map((r) => [r.slot.toISOString(), r.status, r.startedAt.toISOString()])).toEqual([
      ['2026-06-05T07:00:00.000Z', 'done', '2026-06-05T07:03:00.000Z'],
    ]);
  });

  it.each([
    ['Monday 09:00', '2026-06-08T09:00', 1],
    ['Thursday 14:59 (6 days late: still caught up)', '2026-06-11T14:59', 1],
    ['Thursday 15:01 (the next run, a day away, covers it)', '2026-06-11T15:01', 0],
  ])(
    'down over Friday 15:00 until %s (default window): last Friday runs once when it comes back',
    async (_l, back, runs) => {
      const t = await createTestTenant(ctx);
      await setTenant(ctx, t, { createdAt: new Date('2025-01-01T00:00:00Z') });
      await addCustomer(ctx, t, { ltvCents: 900_000, lastInteractionAt: cst('2026-01-01T00:00') });
      const clock = fixedClock(cst(back));
      const { list, close } = await instances(1, clock);
      const deps = (list[0] as { deps: AppDeps }).deps;
      try {
        for (let i = 0; i < 2; i++) {
          const s = startScheduler(deps, { tenantIds: [t.tenantId], cron: false });
          await s.ready;
          await s.tick('dormant');
          await s.stop();
          clock.advance(10 * MIN);
        }
      } finally {
        await close();
      }
      expect(await tasksOf(ctx, t, 'dormant_wakeup')).toHaveLength(runs);
      const done = (await jobRunsOf(ctx, t, 'dormant')).filter((r) => r.status === 'done');
      expect(done.map((r) => r.slot.toISOString())).toEqual(runs ? ['2026-06-05T07:00:00.000Z'] : []);
    },
  );

  it('down until Saturday 09:00 with a 6 h window: skipped and logged; older slots never replayed', async () => {
    const t = await createTestTenant(ctx);
    await setTenant(ctx, t, { createdAt: new Date('2025-01-01T00:00:00Z'), settings: { catchUpHours: 6 } });
    await addCustomer(ctx, t, { ltvCents: 900_000, lastInteractionAt: cst('2026-01-01T00:00') });
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
    const clock = fixedClock(cst('2026-06-06T09:00'));
    const { list, close } = await instances(1, clock, logger);
    const deps = (list[0] as { deps: AppDeps }).deps;
    try {
      const s = startScheduler(deps, { tenantIds: [t.tenantId], cron: false });
      await s.ready;
      clock.set(cst('2026-06-06T09:01'));
      await s.tick('dormant');
      expect(await tasksOf(ctx, t)).toHaveLength(0);
      const skips = lines.filter((l) => l.msg === 'missed run skipped');
      expect(skips).toHaveLength(1);
      expect(skips[0]).toMatchObject({
        job: 'dormant',
        tenantId: t.tenantId,
        slot: '2026-06-05T07:00:00.000Z',
        level: 40,
      });
      expect(String(skips[0]?.reason)).toMatch(/missed by 18\.0 h, beyond the 6 h catch-up window/);

      // The next Friday runs normally; the skipped one is never replayed.
      clock.set(cst('2026-06-12T15:00'));
      await s.tick('dormant');
      await s.stop();
    } finally {
      await close();
    }
    const runs = await jobRunsOf(ctx, t, 'dormant');
    expect(runs.map((r) => [r.slot.toISOString(), r.status])).toEqual([
      ['2026-06-05T07:00:00.000Z', 'skipped'],
      ['2026-06-12T07:00:00.000Z', 'done'],
    ]);
    expect((await tasksOf(ctx, t)).map((k) => k.dedupeKey.split(':')[2])).toEqual(['2026-W24']);
  });
});

describe('crash in the middle of a sweep', () => {
  it.skipIf(!onServer)(
    'SIGKILL mid-sweep: the next run completes it with no duplicates',
    async () => {
      const t = await createTestTenant(ctx);
      const total = 3000;
      const visitAt = new Date('2026-06-01T02:00:00Z');
      const promised = new Date('2026-06-02T02:00:00Z');
      const db = ctx.deps.db;
      await db.execute(sql`
      insert into customers (tenant_id, owner_id, name, last_interaction_at, last_rep_touch_at)
      select ${t.tenantId}::uuid, ${t.rep.id}::uuid, '客户' || g, ${visitAt.toISOString()}::timestamptz, ${visitAt.toISOString()}::timestamptz
      from generate_series(1, ${total}) g`);
      await db.execute(sql`
      insert into visits (tenant_id, customer_id, rep_id, core_need, next_contact_at, occurred_at)
      select tenant_id, id, owner_id, '需求', ${promised.toISOString()}::timestamptz, ${visitAt.toISOString()}::timestamptz
      from customers where tenant_id = ${t.tenantId}::uuid`);
      const now = new Date('2026-06-05T02:00:00Z');
      const count = async () => (await tasksOf(ctx, t)).length;

      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'apps/api/src/cli.ts',
          'jobs',
          'run',
          'overdue',
          '--now',
          now.toISOString(),
          '--tenant',
          t.slug,
        ],
        {
          cwd: REPO_ROOT,
          env: {
            ...process.env,
            DATABASE_URL: process.env.TEST_DATABASE_URL,
            JWT_SECRET: 'child-secret-child-secret-child-secret-00',
            DEMO: 'off',
            LOG_LEVEL: 'silent',
          },
          stdio: 'ignore',
        },
      );
      const exited = new Promise((r) => child.on('exit', r));
      const spawnedAt = Date.now();
      let seen = 0;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        seen = await count();
        if (seen > 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      child.kill('SIGKILL');
      await exited;
      console.log(`[crash test] killed ${Date.now() - spawnedAt} ms after spawn, ${seen} cards seen`);
      const partial = await count();
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(total); // really killed mid-sweep
      expect((await jobRunsOf(ctx, t, 'overdue')).map((r) => r.status)).toEqual(['running']);

      // The next run (same slot, no force) reclaims the slot once the dead session's lock is gone.
      let counts: Record<string, number> = {};
      const resumedAt = Date.now();
      for (let i = 0; i < 100; i++) {
        counts = await overdueJob.run({ now: new Date(now.getTime() + MIN), deps: ctx.deps, tenantIds: [t.tenantId] });
        if (counts.ran === 1) {
          console.log(
            `[crash test] slot reclaimed after ${i} busy attempt(s); ${counts.created} cards in ${Date.now() - resumedAt} ms`,
          );
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(counts).toMatchObject({ ran: 1, created: total - partial });
      const cards = await tasksOf(ctx, t);
      expect(cards).toHaveLength(total);
      expect(new Set(cards.map((c) => c.visitId)).size).toBe(total);
      expect(await deliveriesOf(ctx, t)).toHaveLength(total);
      const runs = await jobRunsOf(ctx, t, 'overdue');
      expect(runs.map((r) => r.status)).toEqual(['done']);
      expect(runs[0]?.instance).not.toBe(null);
    },
    120_000,
  );
});
