import type { Command } from 'commander';
import { resetDemoTenant } from '../demo/ensure';
import { progressBar } from '../demo/progress';
import { printResult, withCli } from './context';

// `demo reset [--now ISO] [--seed n] [--customers n]`: re-creates the demo tenant.
export function registerDemoCommands(program: Command) {
  program
    .command('demo')
    .description('the demo tenant')
    .command('reset')
    .description('delete the demo tenant and generate it again')
    .option('--now <iso>', 'generate relative to this instant instead of the clock')
    .option('--seed <n>', 'PRNG seed (the same seed and --now give the same data)')
    .option('--customers <n>', 'number of customers (default 5000)')
    .action(async (o: { now?: string; seed?: string; customers?: string }) => {
      for (const [flag, v] of [
        ['--seed', o.seed],
        ['--customers', o.customers],
      ] as const)
        if (v !== undefined && !/^\d+$/.test(v)) {
          console.error(`Error: ${flag} must be a whole number (got "${v}")`);
          process.exitCode = 1;
          return;
        }
      const bar = progressBar();
      const result = await withCli(
        async (deps) => {
          try {
            return await resetDemoTenant(deps, {
              ...(o.seed ? { seed: Number(o.seed) } : {}),
              ...(o.customers ? { customers: Number(o.customers) } : {}),
              onProgress: bar.onProgress,
            });
          } finally {
            bar.stop();
          }
        },
        { now: o.now },
      );
      if (!result) return;
      for (const hint of result.hints) console.error(hint);
      printResult({ tenantId: result.tenantId, apiKey: result.apiKey, seconds: result.seconds, counts: result.counts });
    });
}
