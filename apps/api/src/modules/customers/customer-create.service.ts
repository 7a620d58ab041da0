// POST /api/customers: a customer and its identity rows in one transaction; the rep creating owns it.
import type { CreateCustomerBody } from '@crm/contract';
import { type CustomerPhone, schema, type Tx } from '@crm/db';
import { cleanEmail, identityKeysOf, normalizePhone, type PhoneType, searchKey } from '@crm/domain';
import { and, eq, inArray } from 'drizzle-orm';
import type { AppDeps } from '../../deps';
import type { Actor } from '../../shared/access';
import { AppError, invalid } from '../../shared/errors';
import { type CustomerView, getCustomerView } from './customer-view.service';

type Deps = Pick<AppDeps, 'db'>;
type PhoneInput = NonNullable<CreateCustomerBody['phones']>[number];

/** Numbers are re-read from `raw` on the server: a client's e164 is never trusted. */
function phonesOf(input: PhoneInput[]): CustomerPhone[] {
  const out: CustomerPhone[] = [];
  input.forEach((p, i) => {
    const raw = typeof p === 'string' ? p : p.raw;
    if (!raw.trim()) throw invalid(`phones.${i}`, `phones.${i} is empty`);
    const type: PhoneType = typeof p === 'string' ? null : (p.type ?? null);
    const ext = typeof p === 'string' ? undefined : (p.ext ?? undefined);
    const n = normalizePhone(raw, { type, ...(ext ? { ext } : {}) });
    if (!out.some((o) => o.e164 === n.e164 && o.ext === n.ext && (n.e164 || o.raw === n.raw))) out.push(n);
  });
  return out;
}

function emailsOf(input: string[]): string[] {
  const out: string[] = [];
  input.forEach((e, i) => {
    const c = cleanEmail(e);
    if (!c) throw invalid(`emails.${i}`, `emails.${i} "${e.slice(0, 80)}" is not an e-mail address`);
    if (!out.some((o) => o.toLowerCase() === c.toLowerCase())) out.push(c);
  });
  return out;
}

const isUniqueViolation = (e: unknown): boolean => {
  for (let x: unknown = e, i = 0; x && i < 4; x = (x as { cause?: unknown }).cause, i++)
    if ((x as { code?: unknown }).code === '23505') return true;
  return false;
};

async function conflicting(tx: Pick<Tx, 'select'>, tenantId: string, keys: { kind: string; value: string }[]) {
  if (keys.length === 0) return undefined;
  const ci = schema.customerIdentities;
  const rows = await tx
    .select({ customerId: ci.customerId, kind: ci.kind, value: ci.value })
    .from(ci)
    .where(
      and(
        eq(ci.tenantId, tenantId),
        inArray(
          ci.kind,
          keys.map((k) => k.kind as 'phone'),
        ),
        inArray(
          ci.value,
          keys.map((k) => k.value),
        ),
      ),
    );
  return rows.find((r) => keys.some((k) => k.kind === r.kind && k.value === r.value));
}

function duplicate(hit: { customerId: string; kind: string; value: string }): AppError {
  const field = hit.kind === 'phone' ? 'phones' : hit.kind === 'email' ? 'emails' : hit.kind;
  return new AppError('DUPLICATE_IDENTITY', `A customer with ${hit.kind} ${hit.value} already exists`, {
    field,
    customerId: hit.customerId,
  });
}

export async function createCustomer(deps: Deps, actor: Actor, body: CreateCustomerBody): Promise<CustomerView> {
  const name = body.name.trim();
  if (!name) throw invalid('name', 'name is blank');
  const phones = phonesOf(body.phones ?? []);
  const emails = emailsOf(body.emails ?? []);
  const wechat = body.wechat?.trim() || null;
  const org = body.org?.trim() || null;
  // Only strong keys become identity rows; weak ones (switchboards, role mailboxes) stay in phones/emails.
  const keys = identityKeysOf({ phones, emails, wechat }).filter((k) => k.strength === 'strong');

  let id: string;
  try {
    id = await deps.db.transaction(async (tx) => {
      const hit = await conflicting(tx, actor.tenantId, keys);
      if (hit) throw duplicate(hit);
      const [row] = await tx
        .insert(schema.customers)
        .values({
          tenantId: actor.tenantId,
          ownerId: actor.id,
          name,
          searchKey: searchKey(name, org),
          org,
          dept: (body.dept ?? []).map((d) => d.trim()).filter(Boolean),
          title: body.title?.trim() || null,
          industry: body.industry?.trim() || null,
          phones,
          emails,
          tags: [...new Set(body.tags ?? [])],
          address: body.address?.trim() || null,
          note: body.note?.trim() || null,
          wechat,
          card: body.card ?? null,
        })
        .returning({ id: schema.customers.id });
      if (!row) throw new Error('customer insert returned nothing');
      if (keys.length)
        await tx.insert(schema.customerIdentities).values(
          keys.map((k) => ({
            tenantId: actor.tenantId,
            customerId: row.id,
            kind: k.kind,
            value: k.value,
            raw: k.raw ?? null,
          })),
        );
      return row.id;
    });
  } catch (e) {
    // Two reps saving the same card at once: the unique index decides, the loser gets a 409.
    if (!isUniqueViolation(e)) throw e;
    const hit = await conflicting(deps.db, actor.tenantId, keys);
    if (!hit) throw e;
    throw duplicate(hit);
  }
  return getCustomerView(deps, actor, id);
}
