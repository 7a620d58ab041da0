import Taro from '@tarojs/taro';
import type { ScanOutcome } from './types';

// Taro turns scanCode into dd.scan({type:'qr'}) and maps res.code → result. DingTalk
// gives no raw bytes. Cancel comes back as an error (code 10 / "cancel").
export async function scanCard(): Promise<ScanOutcome> {
  try {
    const res = (await Taro.scanCode({ scanType: ['qrCode'] })) as { result?: string; code?: string };
    const text = res?.result ?? res?.code;
    if (typeof text !== 'string' || text === '') {
      return { kind: 'unavailable', reason: '没有读到二维码内容，请重试或手动输入。' };
    }
    return { kind: 'scanned', payload: text };
  } catch (err) {
    const e = err as { errMsg?: string; errorMessage?: string; error?: number };
    const msg = String(e?.errMsg ?? e?.errorMessage ?? err);
    if (e?.error === 10 || e?.error === 11 || /cancel|取消/i.test(msg)) return { kind: 'cancelled' };
    return { kind: 'unavailable', reason: '无法打开扫码，请手动输入名片内容。' };
  }
}
