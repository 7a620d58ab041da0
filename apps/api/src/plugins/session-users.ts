// The session user (role, supervisor, active) of every authenticated request, cached for a
// moment. Reading it is a database round trip on every request — on the scanner's path it
// was one of two. A deactivated or re-assigned user is seen by every instance within
// `ttlMs` (default 2 s, AUTH_USER_CACHE_MS; 0 turns the cache off), which is short next to
// the 12 h a session token lives.

export type SessionUserCache<T> = {
  get(tenantId: string, userId: string): Promise<T | undefined>;
};

export function createSessionUserCache<T>(
  load: (tenantId: string, userId: string) => Promise<T | undefined>,
  opts: { ttlMs: number; max?: number; now?: () => number },
): SessionUserCache<T> {
  const max = opts.max ?? 10_000;
  const now = opts.now ?? (() => performance.now());
  // Insertion-ordered: the oldest entry is the first key. Pending loads are shared, so a
  // burst of requests by one user costs one query.
  const entries = new Map<string, { at: number; value: Promise<T | undefined> }>();
  const key = (tenantId: string, userId: string) => `${tenantId}/${userId}`;
  return {
    get(tenantId, userId) {
      if (opts.ttlMs <= 0) return load(tenantId, userId);
      const k = key(tenantId, userId);
      const hit = entries.get(k);
      const t = now();
      if (hit && t - hit.at < opts.ttlMs) return hit.value;
      entries.delete(k);
      const value = load(tenantId, userId);
      entries.set(k, { at: t, value });
      // A failed or empty load is not remembered: the next request asks the database again.
      value.then(
        (v) => v === undefined && entries.get(k)?.value === value && entries.delete(k),
        () => entries.get(k)?.value === value && entries.delete(k),
      );
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
      return value;
    },
  };
}
