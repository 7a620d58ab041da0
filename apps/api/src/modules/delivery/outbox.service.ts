// Dispatching the outbox: claim (short transaction), send (no transaction), settle each row.
import type { Db } from '@crm/db';
import type { Logger } from 'pino';
import { activeProviders, type Platforms } from '../../integrations/index';
import { type Channel, PlatformError } from '../../integrations/platform';
import type { Clock } from '../../shared/clock';
import { type CardTarget, loadCardTargets } from './card-view.repo';
import { type ClaimedDelivery, claimDue, markFailed, markRetry } from './outbox.repo';
import { afterFailure } from './outbox.rules';
import { createSentRecorder } from './sent-recorder';

export type OutboxDeps = {
  db: Db;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  platforms: Platforms;
  publicBaseUrl: string;
};

export type DispatchCounts = {
  claimed: number;
  sent: number;
  duplicate: number;
  retried: number;
  failed: number;
  paced: number;
  configErrors: number;
};

export type DispatchOptions = { batchSize?: number; concurrency?: number; maxBatches?: number; random?: () => number };

export function createOutboxService(deps: OutboxDeps) {
  const providers = activeProviders(deps.platforms);
  const channels = Object.keys(providers) as Channel[];
  const recorder = createSentRecorder(deps.db);

  async function sendOne(
    row: ClaimedDelivery,
    target: CardTarget | undefined,
    counts: DispatchCounts,
    random: () => number,
  ) {
    const provider = providers[row.channel];
    const userId = row.channel === 'wecom' ? target?.wecomUserId : target?.dingtalkUserId;
    try {
      if (!provider || !target || !userId)
        throw new PlatformError(row.channel, 'permanent', null, 'the recipient no longer has this channel');
      const tenantCorp = row.channel === 'wecom' ? target.wecomCorpId : target.dingtalkCorpId;
      if (provider.corpId && tenantCorp !== provider.corpId)
        throw new PlatformError(
          row.channel,
          'permanent',
          null,
          `the tenant's organisation (${tenantCorp ?? 'none'}) is not the one this server's app sends into (${provider.corpId}): not sent`,
        );
      const r = await provider.sendCard({
        platformUserId: userId,
        card: target,
        idempotencyKey: row.providerTaskId ?? row.id,
      });
      // Record at once: between the platform's answer and this write is the only window left (docs/delivery.md).
      await recorder.record({
        tenantId: row.tenantId,
        id: row.id,
        now: deps.clock.now(),
        messageId: r.messageId,
        responseCode: r.responseCode,
        ...(r.duplicate ? { note: 'already accepted by the platform (duplicate task_id): not sent again' } : {}),
      });
      counts.sent += 1;
      if (r.duplicate) counts.duplicate += 1;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const now = deps.clock.now();
      if (err instanceof PlatformError && err.kind === 'config') {
        counts.configErrors += 1;
        deps.logger.error(
          { channel: row.channel, errcode: err.errcode },
          `platform configuration error: ${err.message}`,
        );
      }
      const next = afterFailure(err, row.attempts, now, random);
      if (next.state === 'failed') {
        counts.failed += 1;
        deps.logger.warn({ delivery: row.id, channel: row.channel, error: next.error }, 'delivery failed for good');
        await markFailed(deps.db, row, { now, error: next.error });
      } else if (next.state === 'pending') {
        counts.retried += 1;
        await markRetry(deps.db, row, { now, nextAttemptAt: next.nextAttemptAt, error: next.error });
      }
    }
  }

  return {
    channels,
    /** Sends everything due at `now` (batch after batch), pacing per member. */
    async dispatch(now: Date, opts: DispatchOptions = {}): Promise<DispatchCounts> {
      const counts: DispatchCounts = {
        claimed: 0,
        sent: 0,
        duplicate: 0,
        retried: 0,
        failed: 0,
        paced: 0,
        configErrors: 0,
      };
      const random = opts.random ?? Math.random;
      const concurrency = opts.concurrency ?? 16;
      for (let batch = 0; batch < (opts.maxBatches ?? 50); batch++) {
        const { claimed, paced } = await claimDue(deps.db, { now, channels, limit: opts.batchSize ?? 200 });
        counts.claimed += claimed.length;
        counts.paced += paced;
        if (claimed.length === 0) break;
        const targets = await loadCardTargets(
          deps.db,
          [...new Set(claimed.map((r) => r.taskId))],
          now,
          deps.publicBaseUrl,
        );
        let next = 0;
        const worker = async () => {
          while (next < claimed.length) {
            const row = claimed[next++] as ClaimedDelivery;
            await sendOne(row, targets.get(row.taskId), counts, random);
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
      }
      return counts;
    },
  };
}
