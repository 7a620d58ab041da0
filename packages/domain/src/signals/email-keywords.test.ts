import { describe, expect, test } from 'vitest';
import { DEFAULT_EMAIL_RULES, foldForMatching, matchEmailKeywords, tenantEmailRules } from './email-keywords';

describe('matchEmailKeywords', () => {
  test.each([
    ['plain simplified', '', '请提供比价单', ['price_comparison']],
    ['traditional characters', '', '本次招標編號為 ZB-2026-01', ['tender_number']],
    ['full-width and spaces between characters', '', '付 款　条 件：３０天', ['payment_terms']],
    ['in the subject', '关于比價的回复', '见附件', ['price_comparison']],
    ['all three', '招标编号 A1', '比价后确认付款條件', ['price_comparison', 'tender_number', 'payment_terms']],
    ['nothing', '你好', '下周见', []],
    ['a near miss is no hit', '', '付款和条件', []],
  ])('%s', (_name, subject, text, kinds) => {
    expect(matchEmailKeywords(subject, text, DEFAULT_EMAIL_RULES).map((h) => h.kind)).toEqual(kinds);
  });

  test('the excerpt quotes the original text around the match', () => {
    const text = `${'前文'.repeat(40)}我们的付款條件是验收后30天。${'后文'.repeat(40)}`;
    const [hit] = matchEmailKeywords('', text, DEFAULT_EMAIL_RULES);
    expect(hit?.excerpt).toContain('付款條件是验收后30天');
    expect(hit?.excerpt.startsWith('…')).toBe(true);
    expect(hit?.excerpt.endsWith('…')).toBe(true);
  });

  test('tenant keywords are added once and folded the same way', () => {
    const rules = tenantEmailRules(['合同草案', '比價', '  ']);
    expect(rules.map((r) => r.kind)).toEqual([
      'price_comparison',
      'tender_number',
      'payment_terms',
      'keyword:合同草案',
    ]);
    expect(matchEmailKeywords('', '附上合同草案', rules).map((h) => h.kind)).toEqual(['keyword:合同草案']);
  });

  test('folding keeps the map to original positions', () => {
    const f = foldForMatching('Ａ Ｂ');
    expect(f.text).toBe('ab');
    expect(f.origin).toEqual([0, 2]);
  });
});
