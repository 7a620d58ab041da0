import { boolean, foreignKey, index, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId } from './columns';
import { tenants } from './tenants';

export const userRole = pgEnum('user_role', ['rep', 'supervisor', 'admin']);

export const users = pgTable(
  'users',
  {
    tenantId: tenantId().references(() => tenants.tenantId),
    id: id(),
    name: text('name').notNull(),
    role: userRole('role').notNull(),
    supervisorId: uuid('supervisor_id'),
    wecomUserId: text('wecom_userid'),
    dingtalkUserId: text('dingtalk_userid'),
    phone: text('phone'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.supervisorId], foreignColumns: [t.tenantId, t.id] }),
    index('users_supervisor_idx').on(t.tenantId, t.supervisorId),
    uniqueIndex('users_wecom_uq').on(t.tenantId, t.wecomUserId),
    uniqueIndex('users_dingtalk_uq').on(t.tenantId, t.dingtalkUserId),
  ],
);
