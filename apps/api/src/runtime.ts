// Opening the database the way the server and the CLI both need it.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type DatabaseHandle, openDatabase } from '@crm/db';
import type { Config } from './config';

export class DataDirBusyError extends Error {}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a single-connection database in this process: a second process on the
 * same folder would corrupt it. A pid file taken with O_EXCL keeps it to one owner.
 */
function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'owner.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {}
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8'));
      if (pid && pid !== process.pid && pidAlive(pid))
        throw new DataDirBusyError(
          `The embedded database in ${dir} is in use by another process (pid ${pid}). ` +
            'Stop it first, or set DATA_DIR to another folder, or DATABASE_URL to a PostgreSQL server.',
        );
      unlinkSync(file); // stale lock from a process that died
    }
  }
  throw new DataDirBusyError(`Could not lock ${dir}`);
}

export async function openRuntimeDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  opts: { poolSize?: number; applicationName?: string } = {},
): Promise<DatabaseHandle & { firstRun: boolean }> {
  if (config.databaseUrl) {
    const handle = openDatabase({ url: config.databaseUrl, ...opts });
    await handle.migrate();
    return { ...handle, firstRun: false };
  }
  const pgliteDir = join(config.dataDir, 'pglite');
  const firstRun = !existsSync(join(pgliteDir, 'PG_VERSION'));
  const unlock = lockDataDir(config.dataDir);
  try {
    const handle = openDatabase({ dataDir: pgliteDir });
    await handle.migrate();
    return {
      ...handle,
      firstRun,
      close: async () => {
        await handle.close();
        unlock();
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}
