// `npm run crm -- <command>`: the same code paths as the server.
import { Command } from 'commander';
import { registerDemoCommands } from './cli/demo.command';
import { registerImportCommands } from './cli/import.command';
import { registerJobsCommands } from './cli/jobs.command';
import { registerTenantCommands } from './cli/tenant.command';

const program = new Command('crm').description('Signal CRM command line').showHelpAfterError();
registerTenantCommands(program);
registerDemoCommands(program);
registerJobsCommands(program);
registerImportCommands(program);

program.parseAsync(process.argv).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
