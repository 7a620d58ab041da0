import Taro from '@tarojs/taro';
import type { PlatformCredential } from './types';

export const platformLabel = '企业微信';

type QyLogin = { login(opts: { success(res: { code: string }): void; fail(err: unknown): void }): void };
declare const wx: { qy?: QyLogin } | undefined;

// A weapp build opened inside WeCom has wx.qy.login (a WeCom code, which our API
// exchanges via code2session); plain WeChat only has wx.login, whose code our API
// would reject, so we still send it and let the server say no.
export async function getPlatformCredential(): Promise<PlatformCredential | null> {
  const qy = typeof wx !== 'undefined' ? wx?.qy : undefined;
  const code = qy
    ? await new Promise<string>((resolve, reject) => qy.login({ success: (r) => resolve(r.code), fail: reject }))
    : (await Taro.login()).code;
  if (!code) return null;
  return { endpoint: '/api/auth/wecom', body: { code } };
}
