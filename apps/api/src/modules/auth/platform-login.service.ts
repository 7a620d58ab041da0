// WeCom / DingTalk mini-app log-in: the platform's code → platform user → our user.
// session_key never leaves the adapter; an unknown person gets USER_NOT_PROVISIONED.
import { type Db, schema } from '@crm/db';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Platforms } from '../../integrations/index';
import { PlatformError } from '../../integrations/platform';
import { AppError } from '../../shared/errors';
import { createAuthRepo } from './auth.repo';

type User = NonNullable<Awaited<ReturnType<ReturnType<typeof createAuthRepo>['userById']>>>;

function platformFailure(e: unknown, what: string): never {
  if (e instanceof PlatformError && e.kind === 'permanent')
    throw new AppError('UNAUTHORIZED', `The ${what} log-in code is invalid, expired or already used; log in again`);
  if (e instanceof PlatformError)
    throw new AppError('PLATFORM_UNAVAILABLE', `${what} did not answer the log-in check; try again shortly`);
  throw e;
}

const notProvisioned = (what: string, id: string) =>
  new AppError('USER_NOT_PROVISIONED', `${what} user "${id}" has no account here; ask your admin to add you`);

export function createPlatformLoginService(deps: { db: Db; platforms: Platforms }) {
  const repo = createAuthRepo(deps.db);
  return {
    async wecom(code: string): Promise<User> {
      const client = deps.platforms.wecom;
      if (!client) throw new AppError('NOT_FOUND', 'WeCom log-in is not configured on this server');
      const session = await client.codeToSession(code).catch((e) => platformFailure(e, 'WeCom'));
      const [tenant] = await deps.db
        .select({ id: schema.tenants.tenantId })
        .from(schema.tenants)
        .where(eq(schema.tenants.wecomCorpId, session.corpId))
        .limit(1);
      if (!tenant) throw notProvisioned('WeCom', session.userId);
      const user = await repo.userByPlatformId(tenant.id, 'wecom', session.userId);
      if (!user?.active) throw notProvisioned('WeCom', session.userId);
      return user;
    },
    async dingtalk(authCode: string): Promise<User> {
      const client = deps.platforms.dingtalk;
      if (!client) throw new AppError('NOT_FOUND', 'DingTalk log-in is not configured on this server');
      const { userId } = await client.authCodeToUser(authCode).catch((e) => platformFailure(e, 'DingTalk'));
      // getuserinfo names no corp: the app belongs to one corp, so look among tenants bound to DingTalk.
      const found = await deps.db
        .select({ user: schema.users })
        .from(schema.users)
        .innerJoin(schema.tenants, eq(schema.tenants.tenantId, schema.users.tenantId))
        .where(and(eq(schema.users.dingtalkUserId, userId), isNotNull(schema.tenants.dingtalkCorpId)))
        .limit(2);
      const user = found.length === 1 ? found[0]?.user : undefined;
      if (!user?.active) throw notProvisioned('DingTalk', userId);
      return user;
    },
  };
}
