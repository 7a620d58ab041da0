// Pure rules of the outbox: retry schedule, per-member pacing, what an error means for a delivery.
import type { Channel, PlatformError } from '../../integrations/platform';

export const MAX_ATTEMPTS = 8;
/** A claimed row is someone's for this long; a sender that dies releases it by lease expiry. */
export const LEASE_MS = 60_000;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 3_600_000;

/** Exponential backoff with jitter: attempt 1 → 2.5–5 s, 2 → 5–10 s … capped at 1 h. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type PaceWindow = { windowMs: number; max: number };

/** WeCom drops messages silently beyond 30/min and 1000/h per member; DingTalk allows 500/day per user. */
export const PACE: Record<Channel, PaceWindow[]> = {
  wecom: [
    { windowMs: 60_000, max: 30 },
    { windowMs: 3_600_000, max: 1000 },
  ],
  dingtalk: [{ windowMs: 86_400_000, max: 500 }],
};

/** Sends already made (or in flight) to one member in each window, and the oldest send in it. */
export type WindowUsage = { count: number; oldestMs: number | null };

/**
 * How many more sends a member can take now, and if none, when the earliest window frees a slot.
 * `usage[i]` belongs to `limits[i]`.
 */
export function paceCapacity(
  limits: PaceWindow[],
  usage: WindowUsage[],
  nowMs: number,
): { capacity: number; retryAtMs: number } {
  let capacity = Number.POSITIVE_INFINITY;
  let retryAtMs = nowMs;
  limits.forEach((l, i) => {
    const u = usage[i] ?? { count: 0, oldestMs: null };
    const left = l.max - u.count;
    capacity = Math.min(capacity, Math.max(0, left));
    // In-flight sends have no sent_at yet: wait a little and look again.
    if (left <= 0)
      retryAtMs = Math.max(retryAtMs, u.oldestMs === null ? nowMs + 2_000 : u.oldestMs + l.windowMs + 1_000);
  });
  return { capacity, retryAtMs };
}

export type Outcome =
  | { state: 'sent' }
  | { state: 'pending'; nextAttemptAt: Date; error: string }
  | { state: 'failed'; error: string };

/** What a failed send means: retry later, or give up (visibly) now. */
export function afterFailure(err: PlatformError | Error, attempts: number, now: Date, random = Math.random): Outcome {
  const message = err.message.slice(0, 500);
  const kind = 'kind' in err ? err.kind : 'transient';
  if (kind === 'permanent') return { state: 'failed', error: message };
  if (attempts >= MAX_ATTEMPTS) return { state: 'failed', error: `gave up after ${attempts} attempts: ${message}` };
  const wait = Math.max(backoffMs(attempts, random), 'retryAfterMs' in err ? err.retryAfterMs : 0);
  return { state: 'pending', nextAttemptAt: new Date(now.getTime() + wait), error: message };
}
