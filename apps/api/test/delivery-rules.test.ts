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
