import Taro from '@tarojs/taro';
import { apiBase } from './config';
import { getToken } from './session-store';

// The one HTTP service. JSON in and out, Bearer token from storage, API errors turned
// into ApiError (status 0 = no network). On 401 it asks the session to log in again
// (silently where the platform allows) and retries once.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isNetworkError = (e: unknown) => e instanceof ApiError && e.status === 0;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Options = { body?: unknown; query?: Record<string, string | number | undefined>; auth?: boolean };

let relogin: (() => Promise<boolean>) | null = null;
let onLoggedOut: (() => void) | null = null;

/** Wired by the session module (kept apart to avoid an import cycle). */
export function setAuthHandlers(handlers: { relogin: () => Promise<boolean>; onLoggedOut: () => void }) {
  relogin = handlers.relogin;
  onLoggedOut = handlers.onLoggedOut;
}

function withQuery(path: string, query?: Options['query']): string {
  if (!query) return path;
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

async function send(method: Method, url: string, body: unknown, token: string | undefined) {
  const header: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) header['Content-Type'] = 'application/json';
  if (token) header.Authorization = `Bearer ${token}`;
  try {
    return await Taro.request({ url, method, data: body as never, header, dataType: 'json', timeout: 15_000 });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络不可用', undefined);
  }
}

export async function api<T>(method: Method, path: string, opts: Options = {}): Promise<T> {
  const url = apiBase() + withQuery(path, opts.query);
  const auth = opts.auth !== false;
  let res = await send(method, url, opts.body, auth ? getToken() : undefined);
  if (res.statusCode === 401 && auth && relogin) {
    if (await relogin()) res = await send(method, url, opts.body, getToken());
    if (res.statusCode === 401) onLoggedOut?.();
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data as T;
  const err = (res.data as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
  throw new ApiError(
    res.statusCode,
    err?.code ?? `HTTP_${res.statusCode}`,
    err?.message ?? `请求失败（${res.statusCode}）`,
    err?.field,
  );
}
