// Pieces both stand-ins share: a clock, switchable faults, access tokens, rolling-window counters.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export type StubClock = () => number;

/**
 * A fault applies to the next `count` API calls (optionally only to paths starting with `path`).
 * - `http500`: HTTP 500 with an HTML body, like a gateway in trouble
 * - `errcode`: HTTP 200 with `{errcode, errmsg}` (-1 busy, 45009 / 143103 / 90002 throttled …)
 * - `reset`: the TCP connection is destroyed without an answer
 * - `hang`: no answer for `ms` milliseconds (a client timeout)
 */
export type Fault =
  | { kind: 'http500'; count: number; path?: string }
  | { kind: 'errcode'; errcode: number; count: number; path?: string }
  | { kind: 'reset'; count: number; path?: string }
  | { kind: 'hang'; ms: number; count: number; path?: string };

export class FaultSwitch {
  private queue: Fault[] = [];
  /** Latency added to every API call, in ms. */
  latencyMs = 0;
  push(f: Fault) {
    this.queue.push({ ...f });
  }
  clear() {
    this.queue = [];
    this.latencyMs = 0;
  }
  take(path: string): Fault | undefined {
    const f = this.queue.find((q) => q.count > 0 && (!q.path || path.startsWith(q.path)));
    if (!f) return undefined;
    f.count -= 1;
    this.queue = this.queue.filter((q) => q.count > 0);
    return f;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Installs the fault switch on every route but the stub's own control routes (/_stub…). */
export function installFaults(app: FastifyInstance, faults: FaultSwitch) {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/_stub') || path === '/') return;
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const f = faults.take(path);
    if (!f) return;
    if (f.kind === 'reset') {
      request.raw.socket.destroy();
      return reply.hijack();
    }
    if (f.kind === 'hang') {
      await sleep(f.ms);
      return reply.code(504).type('text/html').send('<html>gateway timeout</html>');
    }
    if (f.kind === 'http500') return reply.code(500).type('text/html').send('<html>500 Internal Server Error</html>');
    return reply.send({ errcode: f.errcode, errmsg: `stub fault ${f.errcode}` });
  });
}

type TokenRow = { token: string; app: string; expiresAt: number; revoked: boolean };

/** Access tokens of one platform. `extendOnFetch`: DingTalk extends a live token on every gettoken. */
export class TokenStore {
  private byToken = new Map<string, TokenRow>();
  private current = new Map<string, TokenRow>();
  fetches = 0;
  constructor(
    private readonly now: StubClock,
    private readonly ttlSeconds: number,
    private readonly extendOnFetch: boolean,
  ) {}
  issue(app: string): { token: string; expiresIn: number } {
    this.fetches += 1;
    const t = this.now();
    const live = this.current.get(app);
    if (live && !live.revoked && live.expiresAt > t) {
      if (this.extendOnFetch) live.expiresAt = t + this.ttlSeconds * 1000;
      return { token: live.token, expiresIn: Math.floor((live.expiresAt - t) / 1000) };
    }
    const row = {
      token: randomBytes(48).toString('base64url'),
      app,
      expiresAt: t + this.ttlSeconds * 1000,
      revoked: false,
    };
    this.byToken.set(row.token, row);
    this.current.set(app, row);
    return { token: row.token, expiresIn: this.ttlSeconds };
  }
  /** 'invalid' (unknown or revoked), 'expired', or the app the token belongs to. */
  check(token: string | undefined): { ok: true; app: string } | { ok: false; why: 'invalid' | 'expired' } {
    const row = token ? this.byToken.get(token) : undefined;
    if (!row || row.revoked) return { ok: false, why: 'invalid' };
    if (row.expiresAt <= this.now()) return { ok: false, why: 'expired' };
    return { ok: true, app: row.app };
  }
  /** Early revocation, as the platform may do at any time. */
  revokeAll() {
    for (const row of this.byToken.values()) row.revoked = true;
    this.current.clear();
  }
  /** Forces expiry (the token's clock ran out). */
  expireAll() {
    for (const row of this.byToken.values()) row.expiresAt = Math.min(row.expiresAt, this.now());
  }
}

/** Per-key timestamps for rolling-window limits. */
export class RollingCounter {
  private hits = new Map<string, number[]>();
  count(key: string, windowMs: number, now: number): number {
    const list = this.hits.get(key) ?? [];
    return list.filter((t) => t > now - windowMs).length;
  }
  add(key: string, now: number) {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - 86_400_000);
    list.push(now);
    this.hits.set(key, list);
  }
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
