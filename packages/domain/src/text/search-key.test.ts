import { describe, expect, test } from 'vitest';
import { pinyinOf, searchKey } from './search-key';

describe('searchKey', () => {
  test.each([
    ['张伟', null, 'zw zhangwei'],
    ['张伟', undefined, 'zw zhangwei'],
    ['张伟', '', 'zw zhangwei'],
    ['张伟', '示例科技', 'zw zhangwei slkj shilikeji'],
    ['欧阳娜娜', '华东贸易有限公司', 'oynn ouyangnana hdmyyxgs huadongmaoyiyouxiangongsi'],
    ['司马光', null, 'smg simaguang'],
    // Surname readings: 曾 is "zeng", 单 is "shan" at the head of a name.
    ['曾小贤', null, 'zxx zengxiaoxian'],
    ['单田芳', null, 'stf shantianfang'],
    // ü is written v, as typed on a pinyin keyboard.
    ['吕布', null, 'lb lvbu'],
    // Latin words and digits stay whole; punctuation and spaces go.
    ['Tom Lee', '3M 中国', 'tomlee 3mzg 3mzhongguo'],
    ['李 娜', '(示例)·科技', 'ln lina slkj shilikeji'],
    ['', '示例科技', 'slkj shilikeji'],
    ['   ', null, ''],
  ])('%s / %s → %s', (name, org, expected) => {
    expect(searchKey(name, org)).toBe(expected);
  });

  test('pinyinOf joins syllables without tones', () => {
    expect(pinyinOf('重庆')).toBe('chongqing');
    expect(pinyinOf('Zhang 伟')).toBe('zhangwei');
  });
});
