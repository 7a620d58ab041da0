import { type DbOrTx, schema } from '@crm/db';
import { and, eq } from 'drizzle-orm';

export function createAuthRepo(db: DbOrTx) {
  return {
    async userById(userId: string) {
      const [u] = await db.select().from(schema.users).where(eq(schema.users.id, userId)).limit(1);
      return u;
    },
    async userByPlatformId(tenantId: string, platform: 'wecom' | 'dingtalk', platformUserId: string) {
      const column = platform === 'wecom' ? schema.users.wecomUserId : schema.users.dingtalkUserId;
      const [u] = await db
        .select()
        .from(schema.users)
        .where(and(eq(schema.users.tenantId, tenantId), eq(column, platformUserId)))
        .limit(1);
      return u;
    },
  };
}
