// The same instant must come back identical whatever the process time zone is.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(__dirname, 'fixtures', 'roundtrip-instant.ts');

describe('instants under different process time zones', () => {
  it('reads back the same ISO instant under TZ=UTC and TZ=Asia/Shanghai', () => {
    const run = (tz: string) =>
      execFileSync(process.execPath, ['--import', 'tsx', script], {
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .at(-1);
    const utc = run('UTC');
    const shanghai = run('Asia/Shanghai');
    expect(utc).toBe('2024-01-31T16:00:00.000Z|2024-01-31T16:00:00.000Z');
    expect(shanghai).toBe(utc);
  });
});
