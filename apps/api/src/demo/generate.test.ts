import { normalizePhone, phoneIdentityValue } from '@crm/domain';
import { describe, expect, it } from 'vitest';
import { generateDemo } from './generate';
import type { DemoDataset } from './types';

const NOW = new Date('2026-06-05T02:00:00Z');
const DAY = 86_400_000;
const small = generateDemo({ now: NOW, seed: 7, customers: 200, reps: 8 });

/** Open promises > 24 h overdue with no rep touch (nor any interaction) since the visit. */
function overduePromises(d: DemoDataset, now = NOW) {
  const customers = new Map(d.customers.map((c) => [c.id, c]));
  return d.visits.filter((v) => {
    const c = customers.get(v.customerId)!;
    return (
      v.promiseStatus === 'open' &&
      +v.nextContactAt < +now - DAY &&
      +c.lastRepTouchAt! <= +v.occurredAt &&
      +c.lastInteractionAt! <= +v.occurredAt
    );
  });
}

const dormantHighValue = (d: DemoDataset, now = NOW) =>
  d.customers.filter((c) => +c.lastInteractionAt! <= +now - 90 * DAY && c.ltvCents! > 500_000);

describe('demo generator', () => {
  it('is deterministic: same seed and now give identical rows', () => {
    const again = generateDemo({ now: NOW, seed: 7, customers: 200, reps: 8 });
    expect(again).toEqual(small);
    for (const table of ['customers', 'orders', 'visits', 'signals'] as const)
      expect(again[table].slice(0, 5)).toEqual(small[table].slice(0, 5));
  });

  it('differs with another seed, and moves with now', () => {
    const other = generateDemo({ now: NOW, seed: 8, customers: 200, reps: 8 });
    expect(other.customers[0]!.name + other.customers[0]!.id).not.toBe(
      small.customers[0]!.name + small.customers[0]!.id,
    );
    const later = generateDemo({ now: new Date(+NOW + 7 * DAY), seed: 7, customers: 200, reps: 8 });
    expect(+later.orders.at(-1)!.orderedAt).toBeGreaterThan(+small.orders.at(-1)!.orderedAt);
  });

  it('builds the organisation: admin, 4 supervisors, reps with supervisors and platform ids', () => {
    const roles = small.users.map((u) => u.role);
    expect(roles.filter((r) => r === 'admin')).toHaveLength(1);
    expect(roles.filter((r) => r === 'supervisor')).toHaveLength(4);
    const sups = new Set(small.users.filter((u) => u.role === 'supervisor').map((u) => u.id));
    for (const u of small.users) {
      expect(u.wecomUserId).toMatch(/^(admin|sup\d|rep\d\d)$/);
      expect(u.dingtalkUserId).toBe(u.wecomUserId);
      if (u.role === 'rep') expect(sups.has(u.supervisorId!)).toBe(true);
    }
    expect(small.tenants[0]).toMatchObject({
      slug: 'demo',
      name: '示例销售团队',
      timeZone: 'Asia/Shanghai',
      isDemo: true,
    });
  });

  it('gives every identity once, normalised the way the scanner reads the card', () => {
    const keys = small.customerIdentities.map((i) => `${i.kind}:${i.value}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const i of small.customerIdentities) {
      if (i.kind === 'email') {
        expect(i.value).toBe(i.value.toLowerCase());
        expect(i.value).toMatch(/@example\.(com|cn|com\.cn)$/);
        continue;
      }
      const n = normalizePhone(i.raw!);
      expect(n.flags ?? [], i.raw!).toEqual([]);
      expect(phoneIdentityValue(n), i.raw!).toBe(i.value);
    }
    for (const c of small.customers)
      for (const p of c.phones ?? [])
        expect(small.customerIdentities.some((i) => i.customerId === c.id && i.value.startsWith(p.e164!))).toBe(true);
  });

  it('keeps the cached customer columns equal to the generated rows', () => {
    for (const c of small.customers) {
      const orders = small.orders.filter((o) => o.customerId === c.id);
      const counted = orders.filter((o) => o.status !== 'cancelled' && o.status !== 'refunded');
      expect(c.ltvCents).toBe(counted.reduce((s, o) => s + o.amountCents, 0));
      expect(c.orderCount).toBe(counted.length);
      const visits = small.visits.filter((v) => v.customerId === c.id).map((v) => +v.occurredAt);
      const chats = small.chatMessages.filter((m) => m.customerId === c.id);
      const out = chats.filter((m) => m.direction === 'out').map((m) => +m.sentAt);
      const all = [
        ...visits,
        ...chats.map((m) => +m.sentAt),
        ...orders.map((o) => +o.orderedAt),
        ...small.tickets.filter((t) => t.customerId === c.id).map((t) => +t.openedAt),
      ];
      expect(+c.lastInteractionAt!).toBe(Math.max(...all));
      expect(+c.lastRepTouchAt!).toBe(Math.max(...visits, ...out));
    }
  });

  it('generates nothing after now, integer fen and scores in range', () => {
    for (const o of small.orders) {
      expect(Number.isInteger(o.amountCents)).toBe(true);
      expect(+o.orderedAt).toBeLessThanOrEqual(+NOW);
      expect(+o.orderedAt).toBeGreaterThanOrEqual(+NOW - 731 * DAY);
      if (o.fulfilmentScore != null) expect(o.fulfilmentScore).toBeGreaterThanOrEqual(0);
      if (o.fulfilmentScore != null) expect(o.fulfilmentScore).toBeLessThanOrEqual(100);
    }
    for (const v of small.visits) {
      expect(+v.recordedAt!).toBeLessThanOrEqual(+NOW);
      expect(+v.recordedAt!).toBeGreaterThanOrEqual(+v.occurredAt);
      expect(+v.nextContactAt).toBeGreaterThan(+v.occurredAt);
    }
    expect(new Set(small.orders.map((o) => o.externalId)).size).toBe(small.orders.length);
  });

  it('leaves only the latest visit of a customer open', () => {
    const latest = new Map<string, number>();
    for (const v of small.visits) latest.set(v.customerId, Math.max(latest.get(v.customerId) ?? 0, +v.occurredAt));
    const open = small.visits.filter((v) => v.promiseStatus === 'open');
    expect(open.length).toBeGreaterThan(0);
    for (const v of open) expect(+v.occurredAt).toBe(latest.get(v.customerId));
    for (const v of small.visits.filter((x) => x.promiseStatus !== 'open')) expect(v.promiseClosedAt).toBeTruthy();
  });

  it('has broken promises and dormant high-value customers relative to now', () => {
    expect(overduePromises(small).length).toBeGreaterThanOrEqual(3);
    expect(dormantHighValue(small).length).toBeGreaterThanOrEqual(3);
  });

  it('at full scale: ~5,000 customers, ≥ 30 broken promises, ≥ 40 dormant high-value customers', {
    timeout: 90_000,
  }, () => {
    const full = generateDemo({ now: NOW });
    expect(full.customers).toHaveLength(5_000);
    expect(full.users).toHaveLength(50);
    expect(full.orders.length).toBeGreaterThan(50_000);
    expect(full.visits.length).toBeGreaterThan(12_000);
    expect(full.chatMessages.length).toBeGreaterThan(16_000);
    expect(full.opportunities).toHaveLength(600);
    expect(overduePromises(full).length).toBeGreaterThanOrEqual(30);
    expect(dormantHighValue(full).length).toBeGreaterThanOrEqual(40);
    expect(full.signals.some((s) => s.status === 'candidate' && s.source === 'email')).toBe(true);
  });
});
