import { schema } from '@crm/db';
import type { Command } from 'commander';
import { inArray } from 'drizzle-orm';
import { jobs } from '../jobs/registry';
import { AppError } from '../shared/errors';
import { printResult, withCli } from './context';

// `jobs run <name> [--now ISO] [--tenant slug…]`: the job's own run function, once.
export function registerJobsCommands(program: Command) {
  const cmd = program.command('jobs').description('Scheduled jobs');
  cmd
    .command('run')
    .argument('<name>', `one of: ${Object.keys(jobs).join(', ')}`)
    .option('--now <iso>', 'run as if the clock said this instant (ISO-8601)')
    .option('--tenant <slug...>', 'only these tenants (default: all)')
    .description('Run one job once and print its counts as JSON on the last line')
    .action(async (name: string, opts: { now?: string; tenant?: string[] }) => {
      const job = jobs[name];
      if (!job) {
        console.error(`Error: unknown job "${name}" (one of: ${Object.keys(jobs).join(', ')})`);
        process.exitCode = 1;
        return;
      }
      await withCli(
        async (deps) => {
          let tenantIds: string[] | undefined;
          if (opts.tenant) {
            const t = schema.tenants;
            const rows = await deps.db
              .select({ id: t.tenantId, slug: t.slug })
              .from(t)
              .where(inArray(t.slug, opts.tenant));
            const missing = opts.tenant.filter((s) => !rows.some((r) => r.slug === s));
            if (missing.length > 0) throw new AppError('NOT_FOUND', `tenant "${missing[0]}" not found`);
            tenantIds = rows.map((r) => r.id);
          }
          const now = deps.clock.now();
          const counts = await job.run({ now, deps, tenantIds, force: true });
          printResult({ job: name, now: now.toISOString(), ...counts });
        },
        opts.now ? { now: opts.now } : {},
      );
    });
}
