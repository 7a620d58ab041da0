// Loading the demo tenant: on first start into an empty database, and on `demo reset`.
import { type DbOrTx, schema } from '@crm/db';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { AppDeps } from '../deps';
import { issueApiKey } from '../modules/tenants/tenants.service';
import { AppError } from '../shared/errors';
import { DEMO_CUSTOMERS, DEMO_SEED, generateDemo, rowCounts } from './generate';
import { insertDemo, type ProgressFn, totalRows } from './load';
import { DEMO_SLUG } from './people';
import { progressBar } from './progress';
import { purgeTenant } from './purge';

// Two instances starting on one empty database: the second waits, then finds the demo there.
const DEMO_LOCK = 8_318_002;

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'logger'>;

export type DemoLoadOptions = { seed?: number; customers?: number; onProgress?: ProgressFn };

export type DemoLoadResult = {
  tenantId: string;
  apiKey: string;
  counts: Record<string, number>;
  deleted?: Record<string, number>;
  seconds: number;
  hints: string[];
};

type HintUser = { id: string; name: string; role: string; wecomUserId: string | null };

/** How to log in to the demo: an admin, a supervisor and a rep, and the ingestion key when known. */
export async function demoHints(db: DbOrTx, tenantId: string, devLogin: boolean, apiKey?: string): Promise<string[]> {
  const users: HintUser[] = await db
    .select({
      id: schema.users.id,
      name: schema.users.name,
      role: schema.users.role,
      wecomUserId: schema.users.wecomUserId,
    })
    .from(schema.users)
    .where(and(eq(schema.users.tenantId, tenantId), inArray(schema.users.wecomUserId, ['admin', 'sup1', 'rep01'])))
    .orderBy(asc(schema.users.wecomUserId));
  const label = { admin: 'admin', supervisor: 'supervisor', rep: 'rep' } as Record<string, string>;
  const hints = users
    .sort((a, b) => ['admin', 'supervisor', 'rep'].indexOf(a.role) - ['admin', 'supervisor', 'rep'].indexOf(b.role))
    .map((u) =>
      devLogin
        ? `Demo log-in: POST /api/auth/dev {"userId":"${u.id}"}  (${u.name}, ${label[u.role]})`
        : `Demo user ${u.name} (${label[u.role]}): WeCom/DingTalk userid "${u.wecomUserId}", id ${u.id}`,
    );
  hints.push(
    apiKey
      ? `Demo ingestion API key (X-Api-Key): ${apiKey}`
      : 'Demo ingestion API key: shown when the demo was loaded; `npm run crm -- demo reset` issues a new one',
  );
  return hints;
}

async function findDemo(db: DbOrTx) {
  const [t] = await db.select().from(schema.tenants).where(eq(schema.tenants.slug, DEMO_SLUG)).limit(1);
  if (t && !t.isDemo)
    throw new AppError('CONFLICT', `tenant "${DEMO_SLUG}" exists and is not the demo tenant; it was left alone`);
  return t;
}

/** Generates and inserts the demo in one transaction; with `replace`, the old demo goes first. */
async function loadDemo(deps: Deps, opts: DemoLoadOptions & { replace: boolean }): Promise<DemoLoadResult | null> {
  const started = Date.now();
  const now = deps.clock.now();
  const data = generateDemo({ now, seed: opts.seed ?? DEMO_SEED, customers: opts.customers ?? DEMO_CUSTOMERS });
  const tenantId = data.tenants[0]!.tenantId!;
  const result = await deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_LOCK})`);
    let deleted: Record<string, number> | undefined;
    if (opts.replace) {
      const old = await findDemo(tx);
      if (old) deleted = await purgeTenant(tx, old.tenantId);
    } else {
      const [any] = await tx.select({ id: schema.tenants.tenantId }).from(schema.tenants).limit(1);
      if (any) return null;
    }
    await insertDemo(tx, data, opts.onProgress);
    const apiKey = await issueApiKey(tx, tenantId, 'demo');
    return { apiKey, deleted };
  });
  if (!result) return null;
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  deps.logger.info({ rows: totalRows(data), seconds }, 'demo tenant loaded');
  return {
    tenantId,
    apiKey: result.apiKey,
    counts: rowCounts(data),
    ...(result.deleted ? { deleted: result.deleted } : {}),
    seconds,
    hints: [
      `Demo tenant "${data.tenants[0]!.name}" loaded: ${totalRows(data).toLocaleString('en')} rows in ${seconds} s`,
      ...(await demoHints(deps.db, tenantId, deps.config.devLogin, result.apiKey)),
    ],
  };
}

/** Loads the demo tenant into an empty database (demo mode only); otherwise only says how to log in to it. */
export async function ensureDemoTenant(
  deps: Deps,
  opts: Omit<DemoLoadOptions, 'onProgress'> = {},
): Promise<{ hints: string[] } | undefined> {
  const [any] = await deps.db.select({ id: schema.tenants.tenantId }).from(schema.tenants).limit(1);
  if (!any) {
    const bar = progressBar();
    try {
      const loaded = await loadDemo(deps, { ...opts, replace: false, onProgress: bar.onProgress });
      if (loaded) return { hints: loaded.hints };
    } finally {
      bar.stop();
    }
  }
  const demo = await findDemo(deps.db).catch(() => undefined);
  if (!demo) return { hints: [] };
  return { hints: await demoHints(deps.db, demo.tenantId, deps.config.devLogin) };
}

/** Deletes the demo tenant's rows from every table and generates it afresh (relative to clock.now()). */
export async function resetDemoTenant(deps: Deps, opts: DemoLoadOptions = {}): Promise<DemoLoadResult> {
  const loaded = await loadDemo(deps, { ...opts, replace: true });
  if (!loaded) throw new Error('demo reset loaded nothing');
  return loaded;
}
