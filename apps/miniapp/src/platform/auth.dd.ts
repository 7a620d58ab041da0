import type { PlatformCredential } from './types';

export const platformLabel = '钉钉';

type DdAuth = {
  getAuthCode(opts: { success(res: { authCode: string }): void; fail(err: unknown): void }): void;
};
declare const dd: DdAuth | undefined;

// DingTalk mini-programs: dd.getAuthCode → a free-login code our API exchanges.
export async function getPlatformCredential(): Promise<PlatformCredential | null> {
  if (typeof dd === 'undefined' || !dd) return null;
  const host = dd;
  const authCode = await new Promise<string>((resolve, reject) =>
    host.getAuthCode({ success: (r) => resolve(r.authCode), fail: reject }),
  );
  return authCode ? { endpoint: '/api/auth/dingtalk', body: { authCode } } : null;
}
