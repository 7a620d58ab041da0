import type { Db } from '@crm/db';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../apps/api/src/deps';
import type { BuiltTenant, Scale } from './build-tenant';
import type { BenchRow, ServerTimes } from './lib';

/** What every benchmark case gets: the big tenant, a running app and the baseline. */
export type BenchEnv = {
  db: Db;
  deps: AppDeps;
  app: FastifyInstance;
  url: string;
  tenant: BuiltTenant;
  /** A rep's session token. */
  token: string;
  now: Date;
  scale: Scale;
  duration: number;
  baselineRps: number;
  /** Handler-side latencies (Fastify's reply.elapsedTime) of the requests since the last reset. */
  serverTimes: ServerTimes;
};

/** A `*.bench.ts` file exports `cases: BenchCase[]`; bench/run.ts finds and runs them. */
export type BenchCase = {
  name: string;
  run: (env: BenchEnv) => Promise<BenchRow | BenchRow[]>;
  /** Runs only when `--only` names it (it changes the tenant for every case after it). */
  optIn?: boolean;
};
