// Every payload in test-fixtures/cards (a byte-exact copy of ../shared/cards) reads as EXPECTED.md says.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Card } from './card-types';
import { readCard } from './read-card';

const CARDS = join(import.meta.dirname, '..', '..', 'test-fixtures', 'cards');

type Phone = { e164: string; ext?: string; type?: Card['phones'][number]['type'] };
type Expect = {
  format: Card['format'];
  name?: string;
  family?: string;
  given?: string;
  org?: string;
  dept?: string[];
  title?: string;
  phones?: Phone[];
  emails?: string[];
  urls?: string[];
  address?: string;
  addressParts?: Card['addressParts'];
  note?: string;
  wechat?: string;
  link?: Card['link'];
  extra?: (c: Card) => void;
};

const none = { phones: [], emails: [] as string[] };

const TABLE: Record<string, Expect> = {
  '01-mecard-minimal-zh.txt': {
    format: 'mecard',
    name: '李雷',
    phones: [{ e164: '+8613800138000' }],
    emails: [],
    urls: [],
    extra: (c) => expect([c.org, c.title]).toEqual([undefined, undefined]),
  },
  '02-mecard-reordered-single-terminator-dup-adr.txt': {
    format: 'mecard',
    name: '王芳',
    org: '上海示例贸易有限公司',
    phones: [{ e164: '+862160002000' }, { e164: '+8613900139000' }],
    emails: ['wangfang@example.cn'],
    urls: ['http://example.cn'],
    address: '上海市浦东新区示例路1号',
    note: '2024进博会认识',
  },
  '03-mecard-backslash-escapes.txt': {
    format: 'mecard',
    name: '赵敏',
    org: '北京示例科技有限公司',
    dept: ['销售部'],
    phones: [{ e164: '+8618600186000' }],
    emails: ['zhao.min@example.com'],
    urls: ['https://www.example.cn'],
    note: '微信:zhaomin_example, 展会A3展位',
    wechat: 'zhaomin_example',
  },
  '05-bizcard-family-given-order.txt': {
    format: 'bizcard',
    name: '张伟',
    family: '张',
    given: '伟',
    org: '深圳示例电子有限公司',
    title: '销售总监',
    address: '深圳市南山区示例大道100号',
    phones: [
      { e164: '+8675580003000', type: 'work' },
      { e164: '+8613800138000', type: 'cell' },
      { e164: '+8675580003001', type: 'fax' },
    ],
    emails: ['zhangwei@example.cn'],
  },
  '06-vcard21-qp-utf8-softbreak-mid-char.txt': {
    format: 'vcard',
    name: '陈静',
    family: '陈',
    given: '静',
    org: '广州示例物流有限公司',
    dept: ['市场部'],
    title: '市场经理',
    phones: [
      { e164: '+8613800138000', type: 'cell' },
      { e164: '+862080004000', type: 'work' },
    ],
    emails: ['chenjing@example.cn'],
    urls: [],
    extra: (c) => {
      expect(c.nickname).toBe('静静');
      expect(JSON.stringify(c)).not.toMatch(/=E9|\uFFFD/);
    },
  },
  '09-vcard21-qp-adr-embedded-crlf-softbreaks.txt': {
    format: 'vcard',
    name: '吴敏',
    addressParts: {
      street: '苏州市工业园区示例路8号\nB座1201室',
      locality: '苏州市',
      region: '江苏省',
      postalCode: '215000',
      country: '中国',
    },
    phones: [
      { e164: '+8615800158000', type: 'cell' },
      { e164: '+8651260007000', type: 'work' },
    ],
    emails: ['wumin@example.cn'],
    extra: (c) => expect(c.org).toBeUndefined(),
  },
  '11-vcard30-folding-cjk-midword-tab.txt': {
    format: 'vcard',
    name: '马丽娟',
    family: '马',
    given: '丽娟',
    org: '西安示例航空设备制造有限公司',
    dept: ['国际业务部'],
    title: 'Regional Sales Manager',
    addressParts: {
      street: '高新区示例大道66号',
      locality: '西安市',
      region: '陕西省',
      postalCode: '710000',
      country: '中国',
    },
    phones: [{ e164: '+8617700177000' }],
    emails: ['malijuan@example.com'],
    note: "Met at the Xi'an expo, booth 12. The generator folded this note after a space.",
  },
  '12-vcard30-escapes-org-departments-url-colon.txt': {
    format: 'vcard',
    name: '欧阳晓',
    family: '欧阳',
    given: '晓',
    org: '示例(中国)投资有限公司, 上海分公司',
    dept: ['华东销售部', '大客户组'],
    title: '总监; 华东区',
    phones: [
      { e164: '+862160002000', type: 'work' },
      { e164: '+8618800188000', type: 'cell' },
    ],
    emails: ['ouyang.xiao@example.com'],
    urls: ['http://www.example.cn/ouyang'],
    note: '第一行\n第二行\n第三行\\结束',
    addressParts: {
      street: '淮海中路100号, 20楼',
      locality: '上海市',
      region: '上海市',
      postalCode: '200021',
      country: '中国',
    },
  },
  '13-vcard30-apple-item-groups-xablabel.txt': {
    format: 'vcard',
    name: '林晓东',
    org: '深圳示例智能硬件有限公司',
    dept: ['产品中心'],
    title: '产品总监',
    phones: [
      { e164: '+8613500135000', type: 'cell' },
      { e164: '+8675580003000' },
      { e164: '+8675580003000', ext: '8023' },
    ],
    emails: ['linxiaodong@example.com'],
    urls: ['https://www.example.cn'],
    addressParts: {
      street: '科技园南区示例路1号',
      locality: '深圳市',
      region: '广东省',
      postalCode: '518057',
      country: '中国',
    },
    extra: (c) => expect(c.phones.map((p) => p.label)).toEqual([undefined, '前台总机', '分机']),
  },
  '14-vcard30-multi-tel-types-ext-empty-dup.txt': {
    format: 'vcard',
    name: '郭强',
    org: '天津示例化工集团有限公司',
    dept: ['采购中心'],
    title: '采购经理',
    phones: [
      { e164: '+8613900139000', type: 'cell' },
      { e164: '+862280007000', ext: '8023', type: 'work' },
      { e164: '+862280007000', ext: '8024', type: 'work' },
      { e164: '+862280007001', type: 'fax' },
    ],
    emails: ['guoqiang@example.com'],
  },
  '17-vcard30-bom-trailing-garbage.txt': {
    format: 'vcard',
    name: '罗娜',
    org: '长沙示例教育科技有限公司',
    phones: [{ e164: '+8619900199000' }],
    emails: ['luona@example.com'],
  },
  '18-vcard30-duplicate-fields.txt': {
    format: 'vcard',
    name: '宋雨',
    family: '宋',
    given: '雨',
    org: '南京示例医疗器械有限公司',
    dept: ['销售部'],
    title: '区域经理',
    phones: [
      { e164: '+8616600166000', type: 'cell' },
      { e164: '+862580008000', type: 'work' },
    ],
    emails: ['songyu@example.cn'],
    addressParts: { street: '示例路9号', locality: '南京市', region: '江苏省', postalCode: '210000', country: '中国' },
    extra: (c) => expect(c.altNames).toEqual(['Yu Song']),
  },
  '20-vcard40-rfc6350-tel-uri-ext.txt': {
    format: 'vcard',
    name: '许文',
    family: '许',
    given: '文',
    org: '武汉示例光电股份有限公司',
    phones: [
      { e164: '+862780001234', ext: '102', type: 'work' },
      { e164: '+8613800138000', type: 'cell' },
    ],
    emails: ['xuwen@example.cn'],
    urls: ['https://xuwen.example.cn'],
    addressParts: {
      ext: 'B座2875室',
      street: '光谷大道示例号',
      locality: '武汉市',
      region: '湖北省',
      postalCode: '430000',
      country: '中国',
    },
    extra: (c) => expect(c.suffixes).toEqual(['博士', 'M.Sc.']),
  },
  '22-vcard30-lowercase-xprops-im-url-noscheme.txt': {
    format: 'vcard',
    name: '谢婷',
    org: '福州示例茶业有限公司',
    title: '电商运营',
    phones: [{ e164: '+8615000150000' }],
    emails: ['xieting@example.cn'],
    urls: ['http://www.example.cn', 'http://example.com.cn/shop', 'https://weibo.com/u/1000000000'],
    wechat: 'xieting_example',
    extra: (c) => expect(c.im).toContainEqual({ service: 'qq', id: '10001000' }),
  },
  '25-wecom-member-card-url.txt': {
    format: 'url',
    ...none,
    link: {
      kind: 'wecom_member_card',
      id: 'vc0a1b2c3d4e5f6a7b',
      url: 'https://work.weixin.qq.com/u/vc0a1b2c3d4e5f6a7b?v=4.1.20.26620&bb=0c1d2e3f4a',
    },
    extra: (c) => expect(c.name).toBeUndefined(),
  },
  '28-wechat-personal-u-wechat-url.txt': {
    format: 'url',
    ...none,
    link: {
      kind: 'wechat_personal',
      token: 'EXaMpLe0nLyT0kEn4TeStQA',
      url: 'https://u.wechat.com/EXaMpLe0nLyT0kEn4TeStQA?s=2',
    },
  },
  '29-camcard-share-url.txt': {
    format: 'url',
    ...none,
    link: {
      kind: 'camcard_link',
      id: 'l0e1f2a3b4c5d6e7f8a9b0c1d',
      url: 'https://www.camcard.com/info/l0e1f2a3b4c5d6e7f8a9b0c1d',
    },
  },
};

const byKey = (a: Phone, b: Phone) => `${a.e164};${a.ext}`.localeCompare(`${b.e164};${b.ext}`);

describe('business-card corpus (../shared/cards, EXPECTED.md)', () => {
  it('covers every payload file in the corpus', () => {
    expect(
      readdirSync(CARDS)
        .filter((f) => f.endsWith('.txt'))
        .sort(),
    ).toEqual(Object.keys(TABLE).sort());
  });

  it.each(Object.entries(TABLE))('%s', (file, want) => {
    const res = readCard(readFileSync(join(CARDS, file), 'utf8'));
    if (!res.ok) throw new Error(`unreadable: ${res.message}`);
    const c = res.card;
    expect(c.format).toBe(want.format);
    for (const k of ['name', 'family', 'given', 'org', 'dept', 'title', 'address', 'note', 'wechat', 'link'] as const)
      if (want[k] !== undefined) expect(c[k], k).toEqual(want[k]);
    if (want.addressParts) expect(c.addressParts).toEqual(want.addressParts);
    if (want.phones) {
      const got = c.phones.map((p) => ({
        e164: p.e164 as string,
        ...(p.ext ? { ext: p.ext } : {}),
        ...(want.phones?.some((w) => w.e164 === p.e164 && w.type) ? { type: p.type } : {}),
      }));
      expect(got.sort(byKey)).toEqual([...want.phones].sort(byKey));
    }
    if (want.emails) expect(c.emails).toEqual(want.emails);
    if (want.urls) expect([...c.urls].sort()).toEqual([...want.urls].sort());
    // Empty values never become "" entries.
    expect(JSON.stringify(c)).not.toMatch(/:""|,""|\[""/);
    want.extra?.(c);
  });
});
