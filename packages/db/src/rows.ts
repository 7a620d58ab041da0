import type { InferInsertModel, InferSelectModel } from 'drizzle-orm';
import type * as s from './schema/index';

export type Tenant = InferSelectModel<typeof s.tenants>;
export type User = InferSelectModel<typeof s.users>;
export type Customer = InferSelectModel<typeof s.customers>;
export type NewCustomer = InferInsertModel<typeof s.customers>;
export type Visit = InferSelectModel<typeof s.visits>;
export type Order = InferSelectModel<typeof s.orders>;
export type Task = InferSelectModel<typeof s.tasks>;
export type Delivery = InferSelectModel<typeof s.deliveries>;
export type JobRun = InferSelectModel<typeof s.jobRuns>;
export type Opportunity = InferSelectModel<typeof s.opportunities>;
export type Signal = InferSelectModel<typeof s.signals>;
export type UserRole = User['role'];
