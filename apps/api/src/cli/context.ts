import { parseInstant } from '@crm/domain';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config';
import { type AppDeps, createDeps } from '../deps';
import { DataDirBusyError, openRuntimeDatabase } from '../runtime';
import { type Clock, fixedClock, systemClock } from '../shared/clock';
import { AppError } from '../shared/errors';

/** Opens config + database for one CLI command, runs it, closes, and prints errors plainly. */
export async function withCli<T>(fn: (deps: AppDeps) => Promise<T>, opts: { now?: string } = {}): Promise<T> {
  let handle: Awaited<ReturnType<typeof openRuntimeDatabase>> | undefined;
  try {
    const config = loadConfig();
    let clock: Clock = systemClock;
    if (opts.now) {
      // Strict: 2026-02-30 is refused (Date would roll it into March), and a time without an
      // offset is wall-clock time in TZ_DEFAULT (Asia/Shanghai), as the team reads it — not UTC.
      const r = parseInstant(opts.now, config.tzDefault);
      if (!r.ok) throw new AppError('VALIDATION_FAILED', `--now: ${r.message}`);
      clock = fixedClock(r.at);
    }
    handle = await openRuntimeDatabase(config, { poolSize: 4, applicationName: 'signal-crm-cli' });
    const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
    return await fn(createDeps({ db: handle.db, config, clock, logger }));
  } catch (e) {
    if (e instanceof ConfigError || e instanceof DataDirBusyError || e instanceof AppError) {
      console.error(`Error: ${e.message}`);
      process.exitCode = 1;
      return undefined as T;
    }
    throw e;
  } finally {
    await handle?.close();
  }
}

/** Prints the machine-readable result as JSON on the last line. */
export function printResult(result: unknown) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
