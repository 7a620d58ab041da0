// Access tokens per platform app (corp + app, not corp alone), refreshed ~5 minutes early,
// single-flight within the process, and shared through platform_tokens across instances:
// one instance claims the refresh (compare-and-swap on the token it saw), the others wait for it.
import { type Db, schema } from '@crm/db';
import { and, eq, lt } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock';

export const REFRESH_EARLY_MS = 5 * 60_000;
/** A claimed refresh older than this is abandoned (its instance died) and may be taken over. */
const CLAIM_STALE_MS = 15_000;
const WAIT_STEP_MS = 50;
const WAIT_STEPS = 100;
const EPOCH = new Date(0);

export type FetchedToken = { token: string; expiresInSeconds: number };

export type TokenCacheOptions = {
  provider: 'wecom' | 'dingtalk';
  /** The app: `corpId/agentId` for WeCom, the appKey for DingTalk. */
  appKey: string;
  /** The tenant whose platform_tokens row holds this app's token; undefined → this process only. */
  ownerTenant: () => Promise<string | undefined>;
  fetchToken: () => Promise<FetchedToken>;
};

export type TokenCache = {
  get(): Promise<string>;
  /** The platform rejected `token` (40014/42001): forget it here and for every instance. */
  invalidate(token: string): Promise<void>;
  /** gettoken calls made by this process. */
  readonly fetches: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createTokenCache(
  deps: { db: Db; clock: Clock; logger: Pick<Logger, 'info' | 'warn'> },
  opts: TokenCacheOptions,
): TokenCache {
  const t = schema.platformTokens;
  let memory: { token: string; expiresAt: Date } | undefined;
  let inflight: Promise<string> | undefined;
  let owner: string | undefined;
  let fetches = 0;
  const fresh = (expiresAt: Date) => expiresAt.getTime() - REFRESH_EARLY_MS > deps.clock.now().getTime();

  async function fetchNow(): Promise<{ token: string; expiresAt: Date }> {
    fetches += 1;
    const f = await opts.fetchToken();
    deps.logger.info({ provider: opts.provider, app: opts.appKey }, 'platform access token fetched');
    return { token: f.token, expiresAt: new Date(deps.clock.now().getTime() + f.expiresInSeconds * 1000) };
  }

  async function loadShared(tenantId: string): Promise<{ token: string; expiresAt: Date }> {
    const key = and(eq(t.tenantId, tenantId), eq(t.provider, opts.provider), eq(t.appKey, opts.appKey));
    for (let step = 0; step < WAIT_STEPS; step++) {
      const now = deps.clock.now();
      const [row] = await deps.db.select().from(t).where(key).limit(1);
      if (row?.accessToken && fresh(row.expiresAt)) return { token: row.accessToken, expiresAt: row.expiresAt };
      const claimed = row
        ? await deps.db
            .update(t)
            .set({ accessToken: '', expiresAt: EPOCH, fetchedAt: now })
            .where(
              and(
                key,
                eq(t.accessToken, row.accessToken),
                row.accessToken === ''
                  ? lt(t.fetchedAt, new Date(now.getTime() - CLAIM_STALE_MS))
                  : eq(t.expiresAt, row.expiresAt),
              ),
            )
            .returning({ appKey: t.appKey })
        : await deps.db
            .insert(t)
            .values({
              tenantId,
              provider: opts.provider,
              appKey: opts.appKey,
              accessToken: '',
              expiresAt: EPOCH,
              fetchedAt: now,
            })
            .onConflictDoNothing()
            .returning({ appKey: t.appKey });
      if (claimed.length > 0) {
        try {
          const got = await fetchNow();
          await deps.db
            .update(t)
            .set({ accessToken: got.token, expiresAt: got.expiresAt, fetchedAt: deps.clock.now() })
            .where(key);
          return got;
        } catch (e) {
          // Let the next caller (here or elsewhere) claim at once instead of waiting for staleness.
          await deps.db
            .update(t)
            .set({ fetchedAt: EPOCH })
            .where(and(key, eq(t.accessToken, '')))
            .catch(() => {});
          throw e;
        }
      }
      await sleep(WAIT_STEP_MS); // another instance is refreshing
    }
    deps.logger.warn({ provider: opts.provider }, 'token refresh by another instance takes too long; fetching here');
    return fetchNow();
  }

  async function load(): Promise<string> {
    owner ??= await opts.ownerTenant();
    memory = owner ? await loadShared(owner) : await fetchNow();
    return memory.token;
  }

  return {
    async get() {
      if (memory && fresh(memory.expiresAt)) return memory.token;
      inflight ??= load().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    async invalidate(token) {
      if (memory?.token === token) memory = undefined;
      if (!owner) return;
      await deps.db
        .update(t)
        .set({ expiresAt: EPOCH })
        .where(
          and(
            eq(t.tenantId, owner),
            eq(t.provider, opts.provider),
            eq(t.appKey, opts.appKey),
            eq(t.accessToken, token),
          ),
        );
    },
    get fetches() {
      return fetches;
    },
  };
}
