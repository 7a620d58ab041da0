// The composition root: every service is a factory wired here by hand.
import type { Db } from '@crm/db';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createPlatforms, type Platforms } from './integrations/index';
import type { Clock } from './shared/clock';

export type AppDeps = {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
  /** WeCom / DingTalk adapters; empty in demo mode (no credentials). */
  platforms: Platforms;
};

export function createDeps(base: Omit<AppDeps, 'platforms'> & { platforms?: Platforms }): AppDeps {
  return { ...base, platforms: base.platforms ?? createPlatforms(base) };
}
