// JSON over HTTP with a timeout on every call. Network trouble and non-JSON answers are
// "transient" platform errors: the caller (outbox) backs off and tries again.
import { type Channel, PlatformError } from './platform';

export const DEFAULT_TIMEOUT_MS = 5_000;

export type JsonAnswer = Record<string, unknown> & { errcode?: number; errmsg?: string };

export async function requestJson(
  platform: Channel,
  url: string,
  opts: { method?: 'GET' | 'POST'; body?: unknown; timeoutMs?: number } = {},
): Promise<JsonAnswer> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: opts.method ?? 'GET',
      headers: opts.body === undefined ? {} : { 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? 'timed out' : `network error (${(e as Error).message})`;
    throw new PlatformError(platform, 'transient', null, why);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 500) throw new PlatformError(platform, 'transient', null, `HTTP ${res.status}`);
  try {
    const json = JSON.parse(text) as JsonAnswer;
    if (json && typeof json === 'object') return json;
  } catch {}
  throw new PlatformError(platform, 'transient', null, `HTTP ${res.status}, not JSON`);
}

/** A URL with the query string built from the given pairs (access_token is never logged by us). */
export function withQuery(base: string, path: string, query: Record<string, string | number>): string {
  const u = new URL(path, `${base}/`);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, String(v));
  return u.toString();
}
