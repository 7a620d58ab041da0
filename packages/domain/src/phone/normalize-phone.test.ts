import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { isPlaceholderNumber, lineKindOf, normalizePhone, phoneIdentityValue } from './normalize-phone';

describe('normalizePhone', () => {
  it.each([
    ['138 0013 8000', '+8613800138000', undefined],
    ['+86 138-0013-8000', '+8613800138000', undefined],
    ['0086 138 0013 8000', '+8613800138000', undefined],
    ['8613800138000', '+8613800138000', undefined],
    ['１３８００１３８０００', '+8613800138000', undefined],
    ['（０２１）６０００ ２０００', '+862160002000', undefined],
    ['+86 (0)10 6500 1234', '+861065001234', undefined],
    ['010-65001234', '+861065001234', undefined],
    ['0755-8000 3000 转 8023', '+8675580003000', '8023'],
    ['0755-80003000分机8023', '+8675580003000', '8023'],
    ['0755-80003000 分机号：8023', '+8675580003000', '8023'],
    ['+86-22-8000-7000 ext. 8023', '+862280007000', '8023'],
    ['+86-22-8000-7000 x8023', '+862280007000', '8023'],
    ['022-80007000#8023', '+862280007000', '8023'],
    ['tel:+86-22-8000-7000;ext=8024', '+862280007000', '8024'],
    ['0755-80003000,,8023', '+8675580003000', '8023'],
    ['010-65001234-8023', '+861065001234', '8023'],
    ['+852 2123 4567', '+85221234567', undefined],
    ['+853 2888 1234', '+85328881234', undefined],
    ['+1 650 253 0000', '+16502530000', undefined],
    ['+44 (0)20 7946 0000', '+442079460000', undefined],
  ])('%s → %s ext %s', (raw, e164, ext) => {
    const p = normalizePhone(raw);
    expect(p.e164).toBe(e164);
    expect(p.ext).toBe(ext);
    expect(p.raw).toBe(raw);
  });

  it.each([
    ['400-800-1234', '+864008001234'],
    ['800-810-1234', '+868008101234'],
  ])('flags %s as national-only', (raw, e164) => {
    expect(normalizePhone(raw)).toMatchObject({ e164, flags: ['national_only'] });
  });

  it.each([
    ['8000 1000', 'no_area_code'],
    ['10086', 'short_number'],
    ['95588', 'short_number'],
    ['110', 'short_number'],
    ['12345', 'short_number'],
    ['6901234567892', 'invalid'],
    ['abc', 'invalid'],
    ['', 'invalid'],
  ])('keeps %s raw with e164 null and flag %s', (raw, flag) => {
    const p = normalizePhone(raw);
    expect(p.e164).toBeNull();
    expect(p.raw).toBe(raw);
    expect(p.flags).toContain(flag);
  });

  it.each(['11111111111', '13800000000', '12345678901', '0000 0000'])('flags %s as a placeholder', (raw) => {
    expect(normalizePhone(raw).flags).toContain('placeholder');
  });

  it('the example numbers of the corpus are not placeholders', () => {
    expect(isPlaceholderNumber('13800138000')).toBe(false);
    expect(isPlaceholderNumber('2280007000')).toBe(false);
  });

  it('keeps the type it is given', () => {
    expect(normalizePhone('13800138000', { type: 'cell' }).type).toBe('cell');
  });

  it('line kinds', () => {
    expect(lineKindOf('+8613800138000')).toBe('mobile');
    expect(lineKindOf('+862160002000')).toBe('fixed');
    expect(lineKindOf('+864008001234')).toBe('shared');
    expect(lineKindOf('+16502530000')).toBe('fixed_or_mobile');
  });

  it('identity value is E.164 plus ;ext=', () => {
    expect(phoneIdentityValue({ e164: '+862280007000', ext: '8023' })).toBe('+862280007000;ext=8023');
    expect(phoneIdentityValue({ e164: '+8613800138000' })).toBe('+8613800138000');
    expect(phoneIdentityValue({ e164: null })).toBeNull();
  });

  it('the CN fast path gives exactly what a full libphonenumber parse gives', () => {
    const number = fc.oneof(
      fc.stringMatching(/^1[0-9]{10}$/),
      fc.stringMatching(/^0(10|2[0-9]|[3-9][0-9]{2})[0-9]{7,8}$/),
      fc.stringMatching(/^[1-9][0-9]{6,11}$/),
    );
    fc.assert(
      fc.property(fc.constantFrom('', '+86 ', '+86-'), number, fc.constantFrom('', ' ', '-'), (prefix, digits, sep) => {
        const national = prefix && digits.startsWith('0') ? digits.slice(1) : digits;
        const raw = `${prefix}${national.slice(0, 3)}${sep}${national.slice(3)}`;
        const full = parsePhoneNumberFromString(raw, 'CN');
        const want = full?.isValid() ? full.number : null;
        const got = normalizePhone(raw);
        if (got.ext) return; // a trailing group read as an extension: not the fast path
        expect(got.e164).toBe(want);
      }),
      { numRuns: 5_000 },
    );
  });
});
