import { sql } from 'drizzle-orm';
import { bigint, timestamp, uuid } from 'drizzle-orm/pg-core';

// Every instant is timestamptz read back as a Date; the database never guesses a zone.
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// Money is integer fen. bigint in "number" mode is exact up to 2^53 fen (≈ 90 trillion CNY).
export const fen = (name: string) => bigint(name, { mode: 'number' });

export const id = () => uuid('id').notNull().default(sql`gen_random_uuid()`);
export const tenantId = () => uuid('tenant_id').notNull();
export const createdAt = () => instant('created_at').notNull().defaultNow();
export const updatedAt = () => instant('updated_at').notNull().defaultNow();
