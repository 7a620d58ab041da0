// The composition root: every service is a factory wired here by hand.
import type { Db } from '@crm/db';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Clock } from './shared/clock';

export type AppDeps = {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
};

export function createDeps(base: AppDeps): AppDeps {
  return base;
}
