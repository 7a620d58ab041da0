import type { Command } from 'commander';
import { addUser, createTenant } from '../modules/tenants/tenants.service';
import { printResult, withCli } from './context';

export function registerTenantCommands(program: Command) {
  program
    .command('tenant')
    .description('manage tenants')
    .command('create <slug>')
    .requiredOption('--name <name>', 'display name')
    .option('--tz <zone>', 'IANA time zone', 'Asia/Shanghai')
    .option('--wecom-corp-id <id>', 'WeCom corp id (platform log-ins map it to this tenant)')
    .option('--dingtalk-corp-id <id>', 'DingTalk corp id')
    .action(async (slug: string, o: { name: string; tz: string; wecomCorpId?: string; dingtalkCorpId?: string }) => {
      const result = await withCli((deps) =>
        createTenant(deps.db, {
          slug,
          name: o.name,
          timeZone: o.tz,
          wecomCorpId: o.wecomCorpId,
          dingtalkCorpId: o.dingtalkCorpId,
        }),
      );
      if (result) printResult(result);
    });

  program
    .command('user')
    .description('manage users')
    .command('add')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', 'rep | supervisor | admin')
    .option('--supervisor <userId>', "the rep's supervisor (user id)")
    .option('--wecom-userid <id>', 'WeCom userid')
    .option('--dingtalk-userid <id>', 'DingTalk userid')
    .action(
      async (o: {
        tenant: string;
        name: string;
        role: string;
        supervisor?: string;
        wecomUserid?: string;
        dingtalkUserid?: string;
      }) => {
        if (!['rep', 'supervisor', 'admin'].includes(o.role)) {
          console.error(`Error: --role must be rep, supervisor or admin (got "${o.role}")`);
          process.exitCode = 1;
          return;
        }
        const result = await withCli((deps) =>
          addUser(deps.db, {
            tenantSlug: o.tenant,
            name: o.name,
            role: o.role as 'rep' | 'supervisor' | 'admin',
            supervisorId: o.supervisor,
            wecomUserId: o.wecomUserid,
            dingtalkUserId: o.dingtalkUserid,
          }),
        );
        if (result) printResult(result);
      },
    );
}
