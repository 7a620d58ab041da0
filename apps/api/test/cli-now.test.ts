// `--now` of the CLI: strict, and wall-clock time in TZ_DEFAULT when it has no offset.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'apps/api/src/cli.ts', ...args], {
    cwd: ROOT,
    // An unreachable server: --now is checked before any database is opened.
    env: {
      ...process.env,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      JWT_SECRET: 'cli-secret-cli-secret-cli-secret-0000000',
      DEMO: 'off',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('jobs run --now', () => {
  it.each([
    ['2026-02-30T15:00:00+08:00', /has no such day/],
    ['next friday', /is not a date/],
  ])('%s → exit 1 with the reason, nothing run', (now, reason) => {
    const r = cli(['jobs', 'run', 'dormant', '--now', now]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--now: /);
    expect(r.stderr).toMatch(reason);
  });
});
