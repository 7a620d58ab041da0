import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { detectEncoding, mapHeaders, toItem } from './csv-columns.rules';

describe('mapHeaders', () => {
  test.each([
    [
      ['订单号', '手机', '金额', '下单时间'],
      ['externalId', 'phone', 'amount', 'orderedAt'],
    ],
    [
      ['External ID', 'Phone', 'Amount', 'Ordered At', 'Colour'],
      ['externalId', 'phone', 'amount', 'orderedAt', null],
    ],
    [
      ['\uFEFF订单编号', '客户名称', '电话', '金额(分)', '日期', '履约评分'],
      ['externalId', 'name', 'phone', 'amountCents', 'orderedAt', 'fulfilmentScore'],
    ],
    [
      ['order_id', 'email', 'amount_cents', 'order date', 'SKU', 'Product Name', 'Category'],
      ['externalId', 'email', 'amountCents', 'orderedAt', 'sku', 'productName', 'category'],
    ],
  ])('%j', (headers, fields) => {
    expect(mapHeaders('orders', headers).fields).toEqual(fields);
  });

  test('names the missing column', () => {
    expect(() => mapHeaders('orders', ['订单号', '手机', '下单时间'])).toThrow(/amount \/ amountCents/);
    expect(() => mapHeaders('customers', ['姓名', '公司'])).toThrow(/phone \/ email/);
  });
});

describe('toItem', () => {
  test('orders: Chinese statuses, product, score as a number, blanks dropped', () => {
    expect(
      toItem('orders', {
        externalId: 'E1',
        phone: '13800138000',
        amount: '¥1,234.50',
        orderedAt: '2024/6/7 10:00',
        status: '已完成',
        fulfilmentScore: '92',
        sku: 'AC-1',
        productName: '空调',
      }),
    ).toEqual({
      externalId: 'E1',
      customer: { phone: '13800138000' },
      amount: '¥1,234.50',
      orderedAt: '2024/6/7 10:00',
      status: 'fulfilled',
      fulfilmentScore: 92,
      product: { sku: 'AC-1', name: '空调', category: '未分类' },
    });
  });
  test('chats: 员工 → out; customers: tags split on 、;,', () => {
    expect(
      toItem('chats', { externalId: 'm', direction: '员工', content: 'hi', sentAt: 'x', phone: '1' }),
    ).toMatchObject({ direction: 'out' });
    expect(toItem('customers', { name: '张', phone: '1', tags: '节能、复购; 大客户' })).toMatchObject({
      tags: ['节能', '复购', '大客户'],
    });
  });
});

describe('detectEncoding', () => {
  test.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('订单号,金额\n')]), 'utf8'],
    ['UTF-8', Buffer.from('订单号,金额\nA,1\n'), 'utf8'],
    ['ASCII', Buffer.from('externalId,amount\n'), 'utf8'],
    ['GBK', iconv.encode('订单号,金额\n张伟,1\n', 'gbk'), 'gb18030'],
    ['UTF-8 cut inside a character', Buffer.from('订单号').subarray(0, 7), 'utf8'],
  ])('%s', (_name, bytes, enc) => {
    expect(detectEncoding(bytes)).toBe(enc);
  });
});
