import { describe, expect, test } from 'vitest';
import {
  competitorSummary,
  dormantCutoff,
  isDormant,
  NO_COMPETITOR_NEWS,
  NO_SEASONAL_TIP,
  talkTrack,
  wakeupPack,
} from './dormant';
import { hoursOverdue, isPromiseBroken, ordersSummary, overdueRecipient, repTouchedSince } from './overdue';
import { alertSettings, DEFAULT_ALERT_SETTINGS } from './settings';

const MIN = 60_000;
const HOUR = 60 * MIN;
const promised = new Date('2026-06-01T02:00:00Z');
const visit = new Date('2026-05-30T02:00:00Z');

describe('broken promise (overdue)', () => {
  test.each([
    ['23 h 59 m after', 23 * HOUR + 59 * MIN, null, false],
    ['exactly 24 h after', 24 * HOUR, null, true],
    ['24 h 00 m 01 s after', 24 * HOUR + 1000, null, true],
    ['visit itself is the last touch', 30 * HOUR, visit, true],
    ['rep touched after the visit', 30 * HOUR, new Date(visit.getTime() + 1), false],
    ['rep touched before the visit', 30 * HOUR, new Date(visit.getTime() - HOUR), true],
  ])('%s', (_label, delta, lastRepTouchAt, broken) => {
    const now = new Date(promised.getTime() + delta);
    expect(isPromiseBroken({ nextContactAt: promised, visitOccurredAt: visit, lastRepTouchAt }, now, 24)).toBe(broken);
  });

  test.each([
    [0, 0],
    [HOUR - 1, 0],
    [25 * HOUR + 59 * MIN, 25],
    [-HOUR, 0],
  ])('hours overdue after %d ms = %d', (delta, hours) => {
    expect(hoursOverdue(promised, new Date(promised.getTime() + delta))).toBe(hours);
  });

  test.each([
    [{ supervisor: { id: 's', active: true }, admins: [{ id: 'a' }] }, 's'],
    [{ supervisor: { id: 's', active: false }, admins: [{ id: 'a' }, { id: 'b' }] }, 'a'],
    [{ supervisor: null, admins: [{ id: 'a' }] }, 'a'],
    [{ supervisor: null, admins: [] }, null],
  ])('recipient of %o is %s', (c, id) => {
    expect(overdueRecipient(c)).toBe(id);
  });

  test.each([
    [[], 'no orders'],
    [[{ orderedAt: promised, amountCents: 1, fulfilmentScore: 92 }], '92'],
    [
      [
        { orderedAt: promised, amountCents: 1, fulfilmentScore: 92 },
        { orderedAt: promised, amountCents: 1, fulfilmentScore: null },
        { orderedAt: promised, amountCents: 1, fulfilmentScore: 70 },
        { orderedAt: promised, amountCents: 1, fulfilmentScore: 10 },
      ],
      '92, n/a, 70',
    ],
  ])('orders summary %#', (orders, text) => {
    expect(ordersSummary(orders)).toBe(text);
  });

  test('a touch exactly at the visit time is the visit itself', () => {
    expect(repTouchedSince({ visitOccurredAt: visit, lastRepTouchAt: visit })).toBe(false);
  });
});

describe('dormant customer', () => {
  // Friday 2026-06-05 15:00 Asia/Shanghai
  const now = new Date('2026-06-05T07:00:00Z');
  const zone = 'Asia/Shanghai';
  const s = { dormantDays: 90, dormantLtvCents: 500_000 };
  const daysAgo = (d: number, extraMs = 0) => new Date(now.getTime() - d * 24 * HOUR + extraMs);

  test('the cutoff is local midnight 89 days before today', () => {
    expect(dormantCutoff(now, zone, 90).toISOString()).toBe('2026-03-07T16:00:00.000Z');
  });

  test.each([
    ['exactly 90 days, LTV 5,000.01', daysAgo(90), 500_001, true],
    ['exactly 90 days, LTV exactly 5,000.00', daysAgo(90), 500_000, false],
    ['89 days, LTV high', daysAgo(89), 9_999_999, false],
    ['90 tenant days (local date) but < 90×24 h', daysAgo(90, 8 * HOUR + 59 * MIN), 500_001, true],
    ['89 tenant days: local midnight of day −89', new Date('2026-03-07T16:00:00Z'), 500_001, false],
    ['400 days', daysAgo(400), 500_001, true],
    ['never interacted, created long ago', null, 500_001, true],
  ])('%s → %s', (_label, last, ltv, dormant) => {
    expect(isDormant({ lastInteractionAt: last, createdAt: daysAgo(500), ltvCents: ltv }, now, zone, s)).toBe(dormant);
  });
});

describe('wake-up pack', () => {
  const base = {
    zone: 'Asia/Shanghai',
    now: new Date('2026-06-05T07:00:00Z'),
    customer: { name: '张伟', title: '总监', org: '华东制造', tags: ['节能', '售后'] },
    lastOrder: { orderedAt: new Date('2026-01-10T02:00:00Z'), productName: '空压机 X1', category: 'compressor' },
    lastCoreNeed: '降低能耗',
    season: 'summer' as const,
    seasonalTip: '夏季高温注意散热，每周清洁滤网',
    news: [],
    lastInteractionAt: new Date('2026-01-10T02:00:00Z'),
  };

  test('talk track is built from the templates', () => {
    const t = talkTrack(base);
    expect(t).toContain('张伟总监您好');
    expect(t).toContain('2026-01-10');
    expect(t).toContain('空压机 X1');
    expect(t).toContain('降低能耗');
    expect(t).toContain('节能、售后');
    expect(t).toContain('夏季小贴士：夏季高温注意散热');
  });

  test.each([
    [[], NO_COMPETITOR_NEWS],
    [[{ competitor: '甲公司', title: '召回', summary: 's', publishedAt: new Date(), url: null }], '甲公司：召回'],
  ])('competitor summary %#', (news, text) => {
    expect(competitorSummary(news)).toBe(text);
  });

  test('missing tip and order are said explicitly', () => {
    const p = wakeupPack({
      ...base,
      lastOrder: null,
      seasonalTip: null,
      lastCoreNeed: null,
      customer: { ...base.customer, title: null, tags: [] },
    });
    expect(p.seasonalTip).toBe(NO_SEASONAL_TIP);
    expect(p.hasSeasonalTip).toBe(false);
    expect(p.competitorSummary).toBe(NO_COMPETITOR_NEWS);
    expect(p.talkTrack).toBe('张伟您好，好久没联系了，最近一切都好吗？');
  });
});

describe('settings', () => {
  test.each([
    [undefined, DEFAULT_ALERT_SETTINGS],
    [
      { dormantDays: 60, catchUpHours: 2 },
      { ...DEFAULT_ALERT_SETTINGS, dormantDays: 60, catchUpHours: 2 },
    ],
    [{ dormantHour: 24, dormantWeekday: 0, dormantDays: 1.5 }, DEFAULT_ALERT_SETTINGS],
    [{ dormantLtvCents: '9' }, DEFAULT_ALERT_SETTINGS],
  ])('%o', (raw, expected) => {
    expect(alertSettings(raw as never)).toEqual(expected);
  });
});
