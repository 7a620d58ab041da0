import {
  couponPayload,
  orderReviewPayload,
  overduePayload,
  processDiagnosisPayload,
  zhMonthDayTime,
} from '@crm/domain';
import { describe, expect, test } from 'vitest';
import { renderDingtalkMsg } from '../src/integrations/dingtalk/dingtalk.cards';
import { classifyErrcode } from '../src/integrations/platform';
import { truncateBytes, truncateChars } from '../src/integrations/text';
import { renderWecomCard, taskIdFromWecom, wecomTaskId } from '../src/integrations/wecom/wecom.cards';
import { afterFailure, backoffMs, MAX_ATTEMPTS, PACE, paceCapacity } from '../src/modules/delivery/outbox.rules';

describe('safe truncation', () => {
  test.each([
    ['华东精密机械有限公司', 12, '华东精…'],
    ['abc', 3, 'abc'],
    ['👨‍👩‍👧‍👦家庭', 31, '👨‍👩‍👧‍👦家庭'],
    ['👨‍👩‍👧‍👦家庭', 30, '👨‍👩‍👧‍👦…'],
    ['👨‍👩‍👧‍👦家庭', 10, '…'],
  ])('truncateBytes(%s, %i) = %s', (s, n, out) => {
    expect(truncateBytes(s, n)).toBe(out);
    expect(Buffer.byteLength(truncateBytes(s, n))).toBeLessThanOrEqual(n);
  });
  test('truncateChars never splits a character', () => {
    expect(truncateChars('张伟👍🏽测试', 3)).toBe('张伟…');
    expect(truncateChars('短', 5)).toBe('短');
  });
});

describe('errcode decisions (never errmsg)', () => {
  test.each([
    ['wecom', -1, 'transient'],
    ['wecom', 40014, 'auth'],
    ['wecom', 42001, 'auth'],
    ['wecom', 40001, 'config'],
    ['wecom', 40013, 'config'],
    ['wecom', 45009, 'throttled'],
    ['wecom', 81013, 'permanent'],
    ['dingtalk', 143103, 'throttled'],
    ['dingtalk', 143104, 'throttled'],
    ['dingtalk', 90002, 'throttled'],
    ['dingtalk', 40078, 'permanent'],
  ] as const)('%s %i → %s', (p, code, kind) => {
    expect(classifyErrcode(p, code, 'ok, really').kind).toBe(kind);
  });
});

describe('retry schedule and pacing', () => {
  test('backoff grows exponentially with jitter, capped at an hour', () => {
    expect(backoffMs(1, () => 0)).toBe(2500);
    expect(backoffMs(1, () => 1)).toBe(5000);
    expect(backoffMs(3, () => 1)).toBe(20_000);
    expect(backoffMs(30, () => 1)).toBe(3_600_000);
  });
  test('permanent fails at once; others retry until MAX_ATTEMPTS; throttling waits ≥ 60 s', () => {
    const now = new Date('2026-06-05T00:00:00Z');
    expect(afterFailure(classifyErrcode('wecom', 81013, ''), 1, now).state).toBe('failed');
    expect(afterFailure(classifyErrcode('wecom', -1, ''), MAX_ATTEMPTS, now).state).toBe('failed');
    const t = afterFailure(classifyErrcode('wecom', 45009, ''), 1, now, () => 0);
    expect(t.state === 'pending' && t.nextAttemptAt.getTime() - now.getTime()).toBe(60_000);
  });
  test('capacity per member: 30/min and 1000/h; the next slot is when the oldest send leaves the window', () => {
    const now = 10_000_000;
    expect(
      paceCapacity(
        PACE.wecom,
        [
          { count: 10, oldestMs: now - 5000 },
          { count: 10, oldestMs: now - 5000 },
        ],
        now,
      ).capacity,
    ).toBe(20);
    const full = paceCapacity(
      PACE.wecom,
      [
        { count: 30, oldestMs: now - 20_000 },
        { count: 30, oldestMs: now - 20_000 },
      ],
      now,
    );
    expect(full).toEqual({ capacity: 0, retryAtMs: now + 41_000 });
    expect(
      paceCapacity(
        PACE.wecom,
        [
          { count: 0, oldestMs: null },
          { count: 1000, oldestMs: now - 60_000 },
        ],
        now,
      ).capacity,
    ).toBe(0);
  });
});

describe('card formats', () => {
  const card = {
    kind: 'overdue_followup',
    taskId: '0b6b0f7e-8a55-4f3c-9f43-3f1f4a1c2b7d',
    customer: { name: '欧阳'.repeat(40), org: '某某集团'.repeat(30) },
    rep: { name: '李销售' },
    promise: '需要报价单'.repeat(100),
    dueAt: new Date('2026-06-04T00:00:00Z'),
    overdueHours: 26,
    fulfilmentScores: [92, null, 60],
    link: 'http://127.0.0.1:3000/#/pages/tasks/index?taskId=x',
  };
  test('WeCom button card: task_id round-trips, three buttons, texts inside limits', () => {
    const c = renderWecomCard(card, wecomTaskId(card.taskId)) as Record<string, unknown>;
    expect(taskIdFromWecom(c.task_id as string)).toBe(card.taskId);
    expect((c.button_list as { text: string }[]).map((b) => b.text)).toEqual(['已提醒销售', '我来跟进', '已处理']);
    expect([...(c.sub_title_text as string)].length).toBeLessThanOrEqual(112);
    expect(JSON.stringify(c)).toContain('92 / — / 60');
  });
  test('DingTalk msg stays within 2048 bytes however long the texts', () => {
    const m = renderDingtalkMsg({ ...card, kind: 'dormant_wakeup', talkTrack: '您好'.repeat(2000) });
    expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThanOrEqual(2048);
    expect(JSON.stringify(m)).toContain('卡片编号 0b6b0f7e');
  });
});

describe('card titles and texts', () => {
  const customer = { id: 'c1', name: '王芳', org: '小王便利店' };
  test.each([
    [
      'coupon',
      couponPayload({ customer, averageCents: 6_250, orders: 4 }),
      '优惠券推送建议',
      ['王芳（小王便利店）', '客单价 62.50 元', '共 4 单', '85.00 元', '建议：'],
    ],
    [
      'order_review',
      orderReviewPayload({
        day: '2026-11-27',
        address: '上海市徐汇区漕溪北路 1 号',
        orders: Array.from({ length: 6 }, (_, k) => ({ id: `o${k}`, externalId: null })),
      }),
      '异常订单待复核',
      ['上海市徐汇区漕溪北路 1 号', '2026-11-27', '共有 6 笔订单'],
    ],
    [
      'process_diagnosis',
      processDiagnosisPayload({ months: ['2026-09', '2026-10'], budgetPassedShares: [0.5, 0.625] }),
      '销售流程需要诊断',
      ['2026-09 50%', '2026-10 63%', '低于 65%', '目标 76%'],
    ],
  ])('%s: Chinese title and a text with its figures', (_kind, payload, title, parts) => {
    expect(payload.title).toBe(title);
    for (const part of parts) expect(payload.text).toContain(part);
  });

  test('the payload keeps the raw figures the mini-app reads', () => {
    expect(couponPayload({ customer, averageCents: 6_250, orders: 4 })).toMatchObject({
      averageCents: 6_250,
      orders: 4,
      thresholdCents: 8_500,
    });
    expect(
      orderReviewPayload({ day: '2026-11-27', address: 'x', orders: [{ id: 'o1', externalId: 'E1' }] }),
    ).toMatchObject({ count: 1, orders: [{ id: 'o1', externalId: 'E1' }] });
  });

  test.each([
    ['2026-11-27T06:33:21.227Z', 'Asia/Shanghai', '11月27日 14:33'],
    ['2026-11-27T16:05:00Z', 'Asia/Shanghai', '11月28日 00:05'],
    ['2026-01-01T00:00:00Z', 'America/New_York', '12月31日 19:00'],
    ['2026-07-01T00:00:00Z', 'Europe/Berlin', '7月1日 02:00'],
  ])('instant %s in %s reads %s', (iso, zone, want) => {
    expect(zhMonthDayTime(new Date(iso), zone)).toBe(want);
  });

  test('overdue text: the promise on the tenant wall clock, no UTC ISO instant', () => {
    const p = overduePayload({
      customer,
      rep: { id: 'r1', name: '李销售' },
      visitId: 'v1',
      coreNeed: '补发样品',
      promisedAt: new Date('2026-11-27T06:33:21.227Z'),
      now: new Date('2026-11-28T08:00:00Z'),
      timeZone: 'Asia/Shanghai',
      orders: [],
    });
    expect(p.text).toContain('李销售 承诺于 11月27日 14:33 联系 王芳（小王便利店），已超时 25 小时。');
    expect(p.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(p.promisedAt).toBe('2026-11-27T06:33:21.227Z'); // the machine field stays an instant
  });

  const base = {
    taskId: '0b6b0f7e-8a55-4f3c-9f43-3f1f4a1c2b7d',
    customer: { name: '王芳', org: '小王便利店' },
    fulfilmentScores: [],
    link: 'http://127.0.0.1:3000/#/pages/tasks/index?taskId=x',
  };
  test.each([
    ['coupon', '优惠券推送建议', '客单价 62.50 元'],
    ['order_review', '异常订单待复核', '共有 6 笔订单'],
    ['process_diagnosis', '销售流程需要诊断', '2026-10 63%'],
  ])('%s delivers its own title and text on WeCom and DingTalk', (kind, title, text) => {
    const card = { ...base, kind, title, text: `……${text}……` };
    const w = JSON.stringify(renderWecomCard(card, wecomTaskId(card.taskId)));
    expect(w).toContain(title);
    expect(w).toContain(text);
    expect(w).not.toContain('唤醒沉睡客户');
    const d = JSON.stringify(renderDingtalkMsg(card));
    expect(d).toContain(title);
    expect(d).toContain(text);
    expect(d).not.toContain('唤醒沉睡客户');
  });

  test('WeCom overdue card: due time on the tenant wall clock', () => {
    const card = {
      ...base,
      kind: 'overdue_followup',
      dueAt: new Date('2026-11-27T06:33:21.227Z'),
      overdueHours: 25,
      timeZone: 'Asia/Shanghai',
    };
    expect(JSON.stringify(renderWecomCard(card, wecomTaskId(card.taskId)))).toContain('11月27日 14:33');
    expect(JSON.stringify(renderWecomCard({ ...card, timeZone: 'Europe/Berlin' }, 'x'))).toContain('11月27日 07:33');
  });
});
