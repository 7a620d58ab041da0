// Listens, wires graceful shutdown and starts the scheduler. Everything else is in app.ts.
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { ensureDemoTenant } from './demo/ensure';
import { createDeps } from './deps';
import { startScheduler } from './jobs/scheduler';
import { createLogger } from './logger';
import { DataDirBusyError, openRuntimeDatabase } from './runtime';
import { systemClock } from './shared/clock';

async function main() {
  const started = Date.now();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error — ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  let handle: Awaited<ReturnType<typeof openRuntimeDatabase>>;
  try {
    handle = await openRuntimeDatabase(config, { applicationName: `signal-crm-${config.instanceId}` });
  } catch (e) {
    if (e instanceof DataDirBusyError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  logger.info({ database: handle.describe }, 'database ready');
  const deps = createDeps({ db: handle.db, config, clock: systemClock, logger });
  const demo = config.demo ? await ensureDemoTenant(deps) : undefined;
  const app = await buildApp(deps, { serveH5: true });
  await app.listen({ port: config.port, host: config.host });
  const scheduler = config.cron ? startScheduler(deps) : undefined;

  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await scheduler?.stop();
    await app.close();
    await handle.close();
  });

  const url = `http://${config.host}:${config.port}`;
  const lines = [
    '',
    `  Signal CRM is running at ${url}  (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  Database: ${handle.describe}`,
    `  API docs: ${url}/docs   Health: ${url}/api/health`,
  ];
  if (!config.wecom && !config.dingtalk)
    lines.push('  Demo mode: no WeCom/DingTalk credentials — cards go to the in-app inbox only.');
  if (demo) lines.push(...demo.hints.map((h) => `  ${h}`));
  console.log(lines.join('\n') + '\n');
}

main().catch((e) => {
  console.error('Failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
