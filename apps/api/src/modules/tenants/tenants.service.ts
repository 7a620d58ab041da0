import { randomBytes } from 'node:crypto';
import { type DbOrTx, schema, type TenantSettings } from '@crm/db';
import { and, eq } from 'drizzle-orm';
import { hashApiKey } from '../../plugins/auth';
import { AppError } from '../../shared/errors';

export type CreateTenantInput = {
  slug: string;
  name: string;
  timeZone?: string;
  wecomCorpId?: string | undefined;
  dingtalkCorpId?: string | undefined;
  settings?: TenantSettings;
  isDemo?: boolean;
};

const SLUG_RE = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Issues a new API key for a tenant; only its hash is stored. Returns the key once. */
export async function issueApiKey(db: DbOrTx, tenantId: string, name = 'default'): Promise<string> {
  const key = `crm_${randomBytes(24).toString('base64url')}`;
  await db.insert(schema.apiKeys).values({ tenantId, name, keyHash: hashApiKey(key), prefix: key.slice(0, 8) });
  return key;
}

export async function createTenant(
  db: DbOrTx,
  input: CreateTenantInput,
): Promise<{ tenantId: string; apiKey: string }> {
  if (!SLUG_RE.test(input.slug))
    throw new AppError('VALIDATION_FAILED', `slug "${input.slug}" must be lower-case letters, digits and dashes`, {
      field: 'slug',
    });
  if (!input.name.trim()) throw new AppError('VALIDATION_FAILED', 'name is required', { field: 'name' });
  const timeZone = input.timeZone ?? 'Asia/Shanghai';
  if (!validTimeZone(timeZone))
    throw new AppError('VALIDATION_FAILED', `unknown time zone "${timeZone}"`, { field: 'tz' });
  const [existing] = await db.select().from(schema.tenants).where(eq(schema.tenants.slug, input.slug)).limit(1);
  if (existing) throw new AppError('CONFLICT', `tenant "${input.slug}" already exists`, { field: 'slug' });
  const [tenant] = await db
    .insert(schema.tenants)
    .values({
      slug: input.slug,
      name: input.name.trim(),
      timeZone,
      wecomCorpId: input.wecomCorpId ?? null,
      dingtalkCorpId: input.dingtalkCorpId ?? null,
      settings: input.settings ?? {},
      isDemo: input.isDemo ?? false,
    })
    .returning({ tenantId: schema.tenants.tenantId });
  if (!tenant) throw new Error('tenant insert returned nothing');
  const apiKey = await issueApiKey(db, tenant.tenantId);
  return { tenantId: tenant.tenantId, apiKey };
}

export type AddUserInput = {
  tenantSlug: string;
  name: string;
  role: 'rep' | 'supervisor' | 'admin';
  supervisorId?: string | undefined;
  wecomUserId?: string | undefined;
  dingtalkUserId?: string | undefined;
};

export async function tenantBySlug(db: DbOrTx, slug: string) {
  const [t] = await db.select().from(schema.tenants).where(eq(schema.tenants.slug, slug)).limit(1);
  if (!t) throw new AppError('NOT_FOUND', `tenant "${slug}" not found`, { field: 'tenant' });
  return t;
}

export async function addUser(db: DbOrTx, input: AddUserInput): Promise<{ userId: string }> {
  const tenant = await tenantBySlug(db, input.tenantSlug);
  if (!input.name.trim()) throw new AppError('VALIDATION_FAILED', 'name is required', { field: 'name' });
  if (input.supervisorId) {
    const [sup] = await db
      .select()
      .from(schema.users)
      .where(and(eq(schema.users.tenantId, tenant.tenantId), eq(schema.users.id, input.supervisorId)))
      .limit(1);
    if (!sup)
      throw new AppError('NOT_FOUND', `supervisor ${input.supervisorId} not found in this tenant`, {
        field: 'supervisor',
      });
    if (sup.role === 'rep')
      throw new AppError('VALIDATION_FAILED', 'a supervisor must have the supervisor or admin role', {
        field: 'supervisor',
      });
  }
  const [user] = await db
    .insert(schema.users)
    .values({
      tenantId: tenant.tenantId,
      name: input.name.trim(),
      role: input.role,
      supervisorId: input.supervisorId ?? null,
      wecomUserId: input.wecomUserId ?? null,
      dingtalkUserId: input.dingtalkUserId ?? null,
    })
    .returning({ id: schema.users.id });
  if (!user) throw new Error('user insert returned nothing');
  return { userId: user.id };
}
