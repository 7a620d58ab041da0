// A progress bar on stderr while the demo loads, only when a person is watching (stdout is a TTY).
import cliProgress from 'cli-progress';
import type { ProgressFn } from './load';

export function progressBar(enabled = Boolean(process.stdout.isTTY)): { onProgress?: ProgressFn; stop: () => void } {
  if (!enabled) return { stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'Loading demo |{bar}| {percentage}% {value}/{total} rows  {table}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: ({ table, done, total }) => {
      if (!started) {
        bar.start(total, 0, { table });
        started = true;
      }
      bar.update(done, { table });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
