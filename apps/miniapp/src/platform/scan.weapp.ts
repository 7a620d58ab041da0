import Taro from '@tarojs/taro';
import type { ScanOutcome } from './types';

// wx.scanCode: `result` is the decoded text, `rawData` the bytes as base64 (helps when a
// card is GBK-encoded and `result` comes out garbled). The option object is required.
export async function scanCard(): Promise<ScanOutcome> {
  try {
    const res = (await Taro.scanCode({ scanType: ['qrCode', 'barCode'] })) as { result?: string; rawData?: string };
    // Never trust a resolve without `result` (Taro's H5 shim does exactly that).
    if (!res || typeof res.result !== 'string' || res.result === '') {
      return { kind: 'unavailable', reason: '没有读到二维码内容，请重试或手动输入。' };
    }
    return res.rawData
      ? { kind: 'scanned', payload: res.result, rawData: res.rawData }
      : { kind: 'scanned', payload: res.result };
  } catch (err) {
    const msg = String((err as { errMsg?: string })?.errMsg ?? err);
    if (/cancel/i.test(msg)) return { kind: 'cancelled' };
    return { kind: 'unavailable', reason: '无法打开扫码，请手动输入名片内容。' };
  }
}
