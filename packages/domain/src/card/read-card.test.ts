import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import VCard from 'vcard-creator';
import { describe, expect, it } from 'vitest';
import type { Card, ReadResult } from './card-types';
import { readCard, scrubCard } from './read-card';

const CARDS = join(import.meta.dirname, '..', '..', 'test-fixtures', 'cards');
const corpus = readdirSync(CARDS)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(join(CARDS, f), 'utf8'));

function card(input: Parameters<typeof readCard>[0]): Card {
  const r = readCard(input);
  if (!r.ok) throw new Error(`unreadable: ${r.message}`);
  return r.card;
}

const qp = (s: string, charset = 'utf8') =>
  [...iconv.encode(s, charset)].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

describe('vCard variants beyond the corpus', () => {
  it('decodes QUOTED-PRINTABLE in GBK, GB2312 and Big5', () => {
    for (const [charset, enc, name] of [
      ['GBK', 'gbk', '张伟'],
      ['GB2312', 'gb2312', '李娜'],
      ['BIG5', 'big5', '陳靜'],
    ] as const) {
      const v = `BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=${charset};ENCODING=QUOTED-PRINTABLE:${qp(name, enc)}\r\nTEL;CELL:13800138000\r\nEND:VCARD`;
      expect(card(v).name).toBe(name);
    }
  });

  it('accepts bare 2.1 QUOTED-PRINTABLE and charset parameters', () => {
    const v = `BEGIN:VCARD\nVERSION:2.1\nN;GB18030;QUOTED-PRINTABLE:${qp('王', 'gb18030')};${qp('芳', 'gb18030')}\nTEL;WORK;VOICE:021-60002000\nEND:VCARD\n`;
    const c = card(v);
    expect(c.name).toBe('王芳');
    expect(c.phones[0]).toMatchObject({ e164: '+862160002000', type: 'work' });
  });

  it('unfolds 2.1 keeping the whitespace, with CR-only line ends', () => {
    const v = 'BEGIN:VCARD\rVERSION:2.1\rFN:John\r Smith\rTEL:13800138000\rEND:VCARD';
    expect(card(v).name).toBe('John Smith');
  });

  it('reads ALTID bilingual names as one person with an alternative name', () => {
    const v = [
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN;ALTID=1;LANGUAGE=zh:张伟',
      'FN;ALTID=1;LANGUAGE=en:Wei Zhang',
      'N;ALTID=1;LANGUAGE=zh:张;伟;;;',
      'N;ALTID=1;LANGUAGE=en:Zhang;Wei;;;',
      'TEL;TYPE=cell:tel:+86-138-0013-8000',
      'END:VCARD',
    ].join('\r\n');
    const c = card(v);
    expect(c.name).toBe('张伟');
    expect(c.altNames).toEqual(['Wei Zhang']);
  });

  it('merges two vCards of the same person in two languages into one card', () => {
    const zh = 'BEGIN:VCARD\nVERSION:3.0\nFN:张伟\nTEL;TYPE=CELL:13800138000\nEND:VCARD';
    const en =
      'BEGIN:VCARD\nVERSION:3.0\nFN:Wei Zhang\nTEL;TYPE=CELL:+86 138 0013 8000\nEMAIL:wei@example.com\nEND:VCARD';
    const c = card(`${zh}\n${en}`);
    expect(c.name).toBe('张伟');
    expect(c.altNames).toEqual(['Wei Zhang']);
    expect(c.phones).toHaveLength(1);
    expect(c.emails).toEqual(['wei@example.com']);
    expect(c.flags).toContain('merged_cards');
  });

  it('reads the first of two different people and says so', () => {
    const a = 'BEGIN:VCARD\nVERSION:3.0\nFN:张伟\nTEL:13800138000\nEND:VCARD';
    const b = 'BEGIN:VCARD\nVERSION:3.0\nFN:李娜\nTEL:13900139000\nEND:VCARD';
    const c = card(a + b);
    expect(c.name).toBe('张伟');
    expect(c.phones.map((p) => p.e164)).toEqual(['+8613800138000']);
    expect(c.flags).toContain('extra_cards_ignored');
  });

  it('reads a truncated card (no END) as far as it goes', () => {
    const c = card('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:罗娜\r\nTEL;TYPE=CELL:199 0019 9000\r\nEMAIL:luo');
    expect(c.name).toBe('罗娜');
    expect(c.phones[0]?.e164).toBe('+8619900199000');
    expect(c.emails).toEqual([]);
    expect(c.flags).toContain('truncated');
  });

  it('swaps "given family" FN of a Chinese name into family+given', () => {
    expect(card('BEGIN:VCARD\nVERSION:3.0\nN:张;伟;;;\nFN:伟 张\nEND:VCARD').name).toBe('张伟');
    expect(card('BEGIN:VCARD\nVERSION:3.0\nN:Doe;John;;;\nEND:VCARD').name).toBe('John Doe');
  });

  it('reads IMPP and X-WEIXIN chat ids', () => {
    const c = card('BEGIN:VCARD\nVERSION:4.0\nFN:A\nIMPP:weixin:abc_12345\nEND:VCARD');
    expect(c.wechat).toBe('abc_12345');
  });
});

describe('mojibake and raw bytes', () => {
  const vcard = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:陈静\r\nORG:广州示例物流有限公司\r\nTEL:13800138000\r\nEND:VCARD\r\n';

  it('repairs UTF-8 read as Latin-1 and flags it', () => {
    const garbled = Buffer.from(vcard, 'utf8').toString('latin1');
    const c = card(garbled);
    expect(c.name).toBe('陈静');
    expect(c.org).toBe('广州示例物流有限公司');
    expect(c.flags).toContain('mojibake_repaired');
  });

  it('repairs UTF-8 read as Windows-1252', () => {
    // WHATWG windows-1252 (what browsers and WebViews use) keeps 0x81/0x8D/0x8F/0x90/0x9D as C1 controls.
    const garbled = new TextDecoder('windows-1252').decode(Buffer.from(vcard, 'utf8'));
    expect(card(garbled).name).toBe('陈静');
  });

  it('leaves real Latin-1 text alone', () => {
    const c = card('MECARD:N:Müller,José;TEL:+49 30 12345678;;');
    expect(c.name).toBe('José Müller');
    expect(c.flags).toBeUndefined();
  });

  it('prefers rawData: strict UTF-8', () => {
    const c = card({ payload: 'garbage ��', rawData: Buffer.from(vcard).toString('base64') });
    expect(c.name).toBe('陈静');
  });

  it('decodes GB18030 rawData when it is not UTF-8', () => {
    const c = card({ payload: '', rawData: iconv.encode(vcard, 'gb18030').toString('base64') });
    expect(c.name).toBe('陈静');
    expect(c.flags).toContain('decoded_raw_gb18030');
  });

  it('falls back to the payload when rawData is not base64', () => {
    expect(card({ payload: vcard, rawData: '%%%' }).name).toBe('陈静');
  });
});

describe('MECARD, BIZCARD, URLs, text', () => {
  it('MECARD: Latin N family,given and escaped colon', () => {
    const c = card('MECARD:N:Owen,Sean;TEL:+12125551212;EMAIL:srowen@example.com;NOTE:a\\:b;');
    expect(c.name).toBe('Sean Owen');
    expect(c.note).toBe('a:b');
    expect(c.phones[0]?.e164).toBe('+12125551212');
  });

  it('weixin:// profile link and our signed customer link', () => {
    expect(card('weixin://contacts/profile/wxid_example').link).toMatchObject({
      kind: 'wechat_profile',
      id: 'wxid_example',
    });
    const token = `v1.${'A'.repeat(43)}.${'B'.repeat(22)}`;
    expect(card(`https://crm.example.cn/c/${token}`).link).toEqual({
      kind: 'crm_customer',
      url: `https://crm.example.cn/c/${token}`,
      token,
    });
  });

  it('WeCom contact-me and old personal WeChat links', () => {
    expect(card('https://work.weixin.qq.com/ca/cawcde1234567890').link?.kind).toBe('wecom_contact_me');
    expect(card('http://weixin.qq.com/r/ExAmPlEtOkEn12345678').link).toMatchObject({ kind: 'wechat_personal' });
  });

  it('plain text with labelled lines', () => {
    const c = card(
      '姓名：张伟\n手机：138 0013 8000\n电话：0755-8000 3000 转 8023\n邮箱：ZhangWei@Example.CN\n公司：深圳示例电子有限公司\n职位：销售总监\n微信：zhangwei_sz',
    );
    expect(c).toMatchObject({
      format: 'text',
      name: '张伟',
      org: '深圳示例电子有限公司',
      title: '销售总监',
      emails: ['ZhangWei@example.cn'],
      wechat: 'zhangwei_sz',
    });
    expect(c.phones).toEqual([
      { e164: '+8613800138000', raw: '138 0013 8000', type: 'cell' },
      { e164: '+8675580003000', ext: '8023', raw: '0755-8000 3000 转 8023', type: 'work' },
    ]);
  });

  it.each([
    ['empty', '', 'empty'],
    ['spaces', '  \r\n ', 'empty'],
    ['EAN-13 barcode', '6901234567892', 'not_a_card'],
    ['4 KiB of A', 'A'.repeat(4096), 'not_a_card'],
    ['binary', '\u0000\u0001\u0002\u0003\u0004\u0005garbage\u0006\u0007', 'binary'],
    ['a website', 'https://www.example.com/product/123', 'website'],
    ['an empty vCard', 'BEGIN:VCARD\nVERSION:3.0\nEND:VCARD', 'no_contact_fields'],
    ['a name-less MECARD with an unusable phone', 'MECARD:TEL:10086;;', 'no_contact_fields'],
  ])('%s is unreadable', (_label, payload, reason) => {
    const r = readCard(payload);
    expect(r).toMatchObject({ ok: false, reason, message: expect.any(String) });
  });
});

describe('vcard-creator round trip', () => {
  const han = fc.constantFrom(
    ...'张王李赵陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈'.split(''),
  );
  const given = fc.array(fc.constantFrom(...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰'.split('')), {
    minLength: 1,
    maxLength: 2,
  });
  const title = fc.constantFrom(
    '销售总监',
    '采购经理',
    '总经理',
    'Regional Sales Manager',
    '市场部经理; 华东',
    '工程师, 高级',
  );
  const mobile = fc.tuple(
    fc.constantFrom('138', '139', '150', '186', '199', '177'),
    fc.integer({ min: 1, max: 99_999_998 }),
  );

  it('reads generated vCards back to the same fields', () => {
    fc.assert(
      fc.property(han, given, title, mobile, fc.boolean(), (family, g, t, [prefix, n], withOrg) => {
        const number = `${prefix}${String(n).padStart(8, '0')}`;
        const v = new VCard();
        v.addName({ familyName: family, givenName: g.join('') });
        if (withOrg) v.addCompany({ name: `${family}氏示例(中国)有限公司, 分部`, department: '销售部' });
        v.addJobtitle(t);
        v.addPhoneNumber({ number: `+86 ${number}`, type: ['cell'] });
        v.addEmail({ address: `u${n}@example.cn` });
        const c = card(v.toString());
        expect(c.name).toBe(family + g.join(''));
        expect(c.title).toBe(t);
        if (withOrg) {
          expect(c.org).toBe(`${family}氏示例(中国)有限公司, 分部`);
          expect(c.dept).toEqual(['销售部']);
        }
        expect(c.phones.map((p) => p.e164)).toEqual([`+86${number}`]);
        expect(c.emails).toEqual([`u${n}@example.cn`]);
      }),
      { numRuns: 300 },
    );
  });
});

/** Invariants every successful read keeps, whatever came in. */
function checkInvariants(r: ReadResult): void {
  if (!r.ok) {
    expect(r.message.length).toBeGreaterThan(10);
    return;
  }
  const c = r.card;
  expect(['vcard', 'mecard', 'bizcard', 'url', 'text']).toContain(c.format);
  for (const p of c.phones) {
    expect(typeof p.raw).toBe('string');
    expect(p.raw.length).toBeGreaterThan(0);
    if (p.e164 !== null) expect(p.e164).toMatch(/^\+[1-9]\d{4,14}$/);
    else expect(p.flags?.length).toBeGreaterThan(0);
  }
  for (const e of c.emails) expect(e).toMatch(/@/);
  expect(JSON.stringify(c)).not.toMatch(/:""|\[""|,""/);
}

describe('property: the reader never throws', () => {
  const mutate = fc.tuple(
    fc.constantFrom(...corpus),
    fc.array(
      fc.record({
        op: fc.constantFrom('insert', 'delete', 'replace', 'truncate', 'dup'),
        at: fc.nat(),
        s: fc.string({ unit: 'binary', maxLength: 8 }),
      }),
      { maxLength: 6 },
    ),
  );

  it('random strings (5,000)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 400 }),
          fc.string({ unit: 'grapheme', maxLength: 400 }),
          fc.string({ unit: fc.constantFrom(...'BEGIN:VCARD\r\n;:=\\,.ENDTELN0123456789+MECARD'.split('')) }),
        ),
        (s) => checkInvariants(readCard(s)),
      ),
      { numRuns: 5_000 },
    );
  });

  it('mutated corpus payloads (5,000)', () => {
    fc.assert(
      fc.property(mutate, ([base, ops]) => {
        let s = base;
        for (const { op, at, s: x } of ops) {
          const i = at % (s.length + 1);
          if (op === 'insert') s = s.slice(0, i) + x + s.slice(i);
          else if (op === 'delete') s = s.slice(0, i) + s.slice(i + x.length + 1);
          else if (op === 'replace') s = s.slice(0, i) + x + s.slice(i + x.length);
          else if (op === 'truncate') s = s.slice(0, i);
          else s = s.slice(0, i) + s.slice(i, i + 40) + s.slice(i);
        }
        checkInvariants(readCard(s));
      }),
      { numRuns: 5_000 },
    );
  });

  it('random raw bytes as rawData (1,000)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 50 }), (bytes, payload) =>
        checkInvariants(readCard({ payload, rawData: Buffer.from(bytes).toString('base64') })),
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('control characters never reach the card', () => {
  it('strips NUL and other C0 controls from every field', () => {
    const r = readCard('MECARD:N:张\u0000三;ORG:宏\u0007达;TEL:13800138000;EMAIL:a@b.cn;;');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.card).toMatchObject({ name: '张三', org: '宏达', emails: ['a@b.cn'] });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(JSON.stringify(r.card)).not.toMatch(/[\u0000-\u001f]/);
  });

  it('keeps a newline in note and address only', () => {
    const card = scrubCard({
      format: 'vcard',
      name: '张\n三\t',
      note: '第一行\r\n第二\u0000行',
      address: '示例路8号\nB座\u0007',
      addressParts: { street: '示例路8号\nB座' },
      phones: [],
      emails: ['\u0000', ''],
      urls: [],
    });
    expect(card).toEqual({
      format: 'vcard',
      name: '张 三',
      note: '第一行\n第二行',
      address: '示例路8号\nB座',
      addressParts: { street: '示例路8号\nB座' },
      phones: [],
      emails: [''],
      urls: [],
    });
  });
});
