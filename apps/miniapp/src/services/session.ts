import Taro from '@tarojs/taro';
import { loginUrlFor } from '../lib/deeplink';
import { getPlatformCredential } from '../platform/auth';
import { launchQuery } from '../platform/link';
import { api, setAuthHandlers } from './api';
import {
  clearDemoUserId,
  clearSession,
  getDemoUserId,
  getSession,
  type Session,
  saveSession,
  setDemoUserId,
} from './session-store';

export * from './session-store';

export async function loginWithPlatform(): Promise<Session | null> {
  const cred = await getPlatformCredential();
  if (!cred) return null;
  const session = await api<Session>('POST', cred.endpoint, { body: cred.body, auth: false });
  saveSession(session);
  return session;
}

export async function loginAsDemo(userId: string): Promise<Session> {
  const session = await api<Session>('POST', '/api/auth/dev', { body: { userId }, auth: false });
  saveSession(session);
  setDemoUserId(userId);
  return session;
}

export type DemoUser = { id: string; name: string; role: string; team?: string | null };
export const fetchDemoUsers = () => api<DemoUser[]>('GET', '/api/demo/users', { auth: false });

/** After a 401: the platform code again, else the remembered demo user. */
async function relogin(): Promise<boolean> {
  clearSession();
  try {
    if (await loginWithPlatform()) return true;
    const demo = getDemoUserId();
    if (demo) {
      await loginAsDemo(demo);
      return true;
    }
  } catch {}
  return false;
}

let redirecting = false;
function goToLogin(keepLaunchLink = false) {
  if (redirecting) return;
  redirecting = true;
  Taro.reLaunch({ url: keepLaunchLink ? loginUrlFor(launchQuery()) : '/pages/login/index' }).finally(() => {
    redirecting = false;
  });
}

export function logout() {
  clearSession();
  clearDemoUserId();
  goToLogin();
}

setAuthHandlers({ relogin, onLoggedOut: () => goToLogin() });

/** Pages call this on show: no session → the login page. */
export function requireSession(): boolean {
  if (getSession()) return true;
  goToLogin(true);
  return false;
}
