import Taro from '@tarojs/taro';
import type { PlatformCredential } from './types';

export const platformLabel = '企业微信';

type QyTaro = { qy?: { login(): Promise<{ code: string }> } };

// @tarojs/plugin-platform-weapp-qy adds Taro.qy.* (wx.qy.login → a WeCom code).
export async function getPlatformCredential(): Promise<PlatformCredential | null> {
  const qy = (Taro as unknown as QyTaro).qy;
  if (!qy) return null;
  const { code } = await qy.login();
  return code ? { endpoint: '/api/auth/wecom', body: { code } } : null;
}
