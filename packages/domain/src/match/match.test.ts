import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../phone/normalize-phone';
import { foldOrg, foldText, sameName, sameOrg } from './compare-text';
import { decideMatch, type MatchCandidate } from './decide-match';
import { type IdentityKey, identityKeysOf, phoneStrength } from './identity-keys';

describe('tolerant comparison', () => {
  it.each([
    ['陳靜', '陈静'],
    ['歐陽曉', '欧阳晓'],
    ['张 伟', '张伟'],
    ['ＺＨＡＮＧ　Ｗｅｉ', 'zhang wei'],
    ['Wei Zhang', 'Zhang Wei'],
    ['欧阳·晓', '欧阳晓'],
  ])('%s = %s', (a, b) => expect(sameName(a, b)).toBe(true));

  it.each([
    ['张伟', '张玮'],
    ['张伟', ''],
    ['Wei', 'Wei Zhang'],
  ])('%s ≠ %s', (a, b) => expect(sameName(a, b)).toBe(false));

  it('organisations ignore the legal form, width and script', () => {
    expect(sameOrg('深圳示例電子有限公司', '深圳示例电子')).toBe(true);
    expect(sameOrg('Example Co., Ltd.', 'EXAMPLE')).toBe(true);
    expect(sameOrg('（深圳）示例', '(深圳)示例')).toBe(true);
    expect(sameOrg('深圳示例电子', '广州示例电子')).toBe(false);
    expect(foldOrg('有限公司')).toBe('');
    expect(sameOrg('有限公司', '公司')).toBe(false);
    expect(foldText(' Ａ Ｂ ')).toBe('ab');
  });
});

describe('identity strength', () => {
  it.each([
    ['138 0013 8000', 'strong'],
    ['022-80007000 转 8023', 'strong'],
    ['022-80007000', 'weak'],
    ['400-800-1234', 'weak'],
    ['+852 9123 4567', 'strong'],
    ['+852 2123 4567', 'weak'],
    ['+1 650 253 0000', 'strong'],
    ['8000 1000', null],
    ['10086', null],
    ['13800000000', null],
  ])('%s is %s', (raw, strength) => expect(phoneStrength(normalizePhone(raw))).toBe(strength));

  it('keys of a card: normalised values, role mailboxes weak, duplicates once', () => {
    const keys = identityKeysOf({
      phones: [
        normalizePhone('+86 138-0013-8000'),
        normalizePhone('022-80007000 ext 8023'),
        normalizePhone('022-80007000'),
      ],
      emails: ['GuoQiang@Example.COM', 'guoqiang@example.com', 'Sales@example.com'],
      wechat: 'gq_example',
    });
    expect(keys.map(({ kind, value, strength }) => [kind, value, strength])).toEqual([
      ['phone', '+8613800138000', 'strong'],
      ['phone', '+862280007000;ext=8023', 'strong'],
      ['phone', '+862280007000', 'weak'],
      ['email', 'guoqiang@example.com', 'strong'],
      ['email', 'sales@example.com', 'weak'],
      ['wechat', 'gq_example', 'strong'],
    ]);
  });
});

const mobile: IdentityKey = { kind: 'phone', value: '+8613800138000', strength: 'strong' };
const email: IdentityKey = { kind: 'email', value: 'zw@example.cn', strength: 'strong' };
const board: IdentityKey = { kind: 'phone', value: '+8675580003000', strength: 'weak' };
const token: IdentityKey = { kind: 'card_token', value: 't', strength: 'strong' };
const cand = (id: string, name: string, strongHits: IdentityKey[], weakHits: IdentityKey[] = []): MatchCandidate => ({
  id,
  name,
  org: '深圳示例电子有限公司',
  strongHits,
  weakHits,
});
const card = { name: '张伟', org: '深圳示例电子' };

describe('decideMatch', () => {
  it('one customer with a strong key → existing', () => {
    expect(decideMatch(card, [cand('a', '张伟', [mobile])])).toMatchObject({ result: 'existing', customerId: 'a' });
  });

  it('strong keys of two customers → ambiguous, the one with more keys first', () => {
    const d = decideMatch(card, [cand('a', '李娜', [email]), cand('b', '张伟', [mobile, email])]);
    expect(d.result).toBe('ambiguous');
    expect(d.candidates.map((c) => c.id)).toEqual(['b', 'a']);
  });

  it('a verified card token wins over other keys', () => {
    const d = decideMatch(card, [cand('a', '张伟', [mobile, email]), cand('b', '张伟', [token])]);
    expect(d).toMatchObject({ result: 'existing', customerId: 'b' });
  });

  it('a shared switchboard alone never merges two people', () => {
    expect(decideMatch(card, [cand('a', '李娜', [], [board])]).result).toBe('new');
    expect(decideMatch(card, [cand('a', '李娜', [], [board]), cand('b', '王芳', [], [board])]).result).toBe('new');
  });

  it('switchboard + the same name (tolerantly) → existing', () => {
    expect(decideMatch(card, [cand('a', '張 偉', [], [board]), cand('b', '李娜', [], [board])])).toMatchObject({
      result: 'existing',
      customerId: 'a',
    });
  });

  it('switchboard + two people of the same name → ambiguous', () => {
    expect(decideMatch(card, [cand('a', '张伟', [], [board]), cand('b', '张伟', [], [board])]).result).toBe(
      'ambiguous',
    );
  });

  it('nothing found → new', () => {
    expect(decideMatch(card, [])).toEqual({ result: 'new', candidates: [] });
  });
});
