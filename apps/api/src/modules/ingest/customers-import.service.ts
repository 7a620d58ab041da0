// `import customers`: one customer per person, found again by a strong identity (mobile,
// desk line with extension, e-mail) or, without one, by the same name and org — so
// re-importing the same file creates nothing twice and changes nothing.
import { randomUUID } from 'node:crypto';
import { type CustomerPhone, type DbOrTx, schema } from '@crm/db';
import { normalizePhone, searchKey } from '@crm/domain';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../deps';
import { rowsOf } from '../customers/sql-rows';
import { keyOf, resolveCustomers } from './customer-resolve.repo';
import { emailKey, isStrongPhoneKey, phoneKey } from './identity.adapter';
import type { CustomerKey, Rejection } from './ingest-items.rules';

export type CustomerImportItem = {
  name?: string;
  org?: string;
  phone?: string;
  email?: string;
  title?: string;
  industry?: string;
  address?: string;
  note?: string;
  wechat?: string;
  owner?: string;
  tags?: string[];
};

type Row = {
  index: number;
  id: string;
  isNew: boolean;
  name: string;
  org: string | null;
  fields: Record<string, unknown>;
  keys: CustomerKey[];
  ownerRef?: string | undefined;
};

const t = (v?: string) => v?.normalize('NFKC').trim() || null;

async function ownersOf(db: DbOrTx, tenantId: string) {
  const res =
    await db.execute(sql`select id::text, name, role, active, created_at from users where tenant_id = ${tenantId}
    order by (role = 'admin') desc, created_at, id`);
  const users = rowsOf<{ id: string; name: string; active: boolean }>(res).filter((u) => u.active);
  return {
    fallback: users[0]?.id ?? null,
    find: (ref: string) => users.find((u) => u.id === ref.toLowerCase() || u.name === ref)?.id ?? null,
  };
}

export async function importCustomers(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  tenantId: string,
  items: unknown[],
): Promise<{ inserted: number; updated: number; unchanged: number; rejected: Rejection[] }> {
  const now = deps.clock.now();
  const rejected: Rejection[] = [];
  return deps.db.transaction(async (tx) => {
    const owners = await ownersOf(tx, tenantId);
    const parsed: Omit<Row, 'id' | 'isNew'>[] = [];
    const seenKeys = new Map<string, number>();
    for (const [index, raw] of items.entries()) {
      const it = raw as CustomerImportItem;
      const reject = (code: string, message: string, field?: string) =>
        rejected.push({ index, code, message, ...(field ? { field } : {}) });
      const name = t(it.name);
      if (!name || name.length > 100) {
        reject('VALIDATION_FAILED', 'name is required (at most 100 characters)', 'name');
        continue;
      }
      const phone = it.phone ? normalizePhone(it.phone) : null;
      const pKey = it.phone ? phoneKey(it.phone) : null;
      const eKey = it.email ? emailKey(it.email) : null;
      if (it.email && !eKey) {
        reject('INVALID_EMAIL', `email "${it.email}" is not an e-mail address`, 'email');
        continue;
      }
      if (!pKey && !eKey) {
        reject('VALIDATION_FAILED', `a usable phone or e-mail is required (phone "${it.phone ?? ''}")`, 'phone');
        continue;
      }
      const keys: CustomerKey[] = [
        ...(pKey && isStrongPhoneKey(pKey) ? [{ kind: 'phone' as const, value: pKey, raw: it.phone ?? '' }] : []),
        ...(eKey ? [{ kind: 'email' as const, value: eKey, raw: it.email ?? '' }] : []),
      ];
      const dup = keys.map((k) => seenKeys.get(keyOf(k))).find((i) => i !== undefined);
      if (dup !== undefined) {
        reject('DUPLICATE_IN_BATCH', `same phone or e-mail as row index ${dup}`);
        continue;
      }
      for (const k of keys) seenKeys.set(keyOf(k), index);
      const phones: CustomerPhone[] = phone
        ? [{ e164: phone.e164, ext: phone.ext ?? null, raw: phone.raw, type: phone.type ?? null }]
        : [];
      const org = t(it.org);
      parsed.push({
        index,
        name,
        org,
        keys,
        ownerRef: t(it.owner) ?? undefined,
        fields: {
          name,
          org,
          search_key: searchKey(name, org),
          title: t(it.title),
          industry: t(it.industry),
          address: t(it.address),
          note: t(it.note),
          wechat: t(it.wechat),
          tags: [...new Set((it.tags ?? []).map((s) => s.trim()).filter(Boolean))],
          phones,
          emails: eKey ? [eKey] : [],
        },
      });
    }

    const byKey = await resolveCustomers(
      tx,
      tenantId,
      parsed.flatMap((p) => p.keys),
    );
    // Without a strong key: the same name and org is the same customer.
    const weak = parsed.filter((p) => p.keys.length === 0);
    const byName = new Map<string, string>();
    if (weak.length > 0) {
      const res = await tx.execute(sql`
        with w as (select * from jsonb_to_recordset(${JSON.stringify(weak.map((p) => ({ name: p.name, org: p.org ?? '' })))}::jsonb) as w(name text, org text))
        select c.id, c.name, coalesce(c.org, '') as org from customers c join w
          on c.tenant_id = ${tenantId} and c.name = w.name and coalesce(c.org, '') = w.org`);
      for (const r of rowsOf<{ id: string; name: string; org: string }>(res))
        byName.set(`${r.name}\u0000${r.org}`, r.id);
    }
    const rows: Row[] = [];
    for (const p of parsed) {
      const existing =
        p.keys.map((k) => byKey.get(keyOf(k))).find(Boolean) ?? byName.get(`${p.name}\u0000${p.org ?? ''}`);
      let ownerId = owners.fallback;
      if (p.ownerRef) {
        ownerId = owners.find(p.ownerRef);
        if (!ownerId) {
          rejected.push({
            index: p.index,
            code: 'UNKNOWN_USER',
            message: `no user "${p.ownerRef}" in this tenant`,
            field: 'owner',
          });
          continue;
        }
      }
      rows.push({ ...p, id: existing ?? randomUUID(), isNew: !existing, fields: { ...p.fields, owner_id: ownerId } });
    }
    const fresh = rows.filter((r) => r.isNew);
    const known = rows.filter((r) => !r.isNew);
    const recordType = sql.raw(
      'id uuid, owner_id uuid, name text, org text, search_key text, title text, industry text, address text, note text, wechat text, tags text[], phones jsonb, emails text[]',
    );
    if (fresh.length > 0) {
      await tx.execute(sql`
        insert into customers (tenant_id, id, owner_id, name, org, search_key, title, industry, address, note, wechat, tags, phones, emails, created_at, updated_at)
        select ${tenantId}, id, owner_id, name, org, search_key, title, industry, address, note, wechat, tags, phones, emails, ${now}, ${now}
        from jsonb_to_recordset(${JSON.stringify(fresh.map((r) => ({ id: r.id, ...r.fields })))}::jsonb) as r(${recordType})`);
      const idents = fresh.flatMap((r) =>
        r.keys.map((k) => ({ customer_id: r.id, kind: k.kind, value: k.value, raw: k.raw })),
      );
      if (idents.length > 0)
        await tx.execute(sql`
          insert into ${schema.customerIdentities} (tenant_id, customer_id, kind, value, raw)
          select ${tenantId}, customer_id, kind::identity_kind, value, raw
          from jsonb_to_recordset(${JSON.stringify(idents)}::jsonb) as r(customer_id uuid, kind text, value text, raw text)
          on conflict do nothing`);
    }
    let updated = 0;
    if (known.length > 0) {
      // Profile fields from the file; owner, phones and e-mails of a known customer stay as they are.
      const res = await tx.execute(sql`
        with r as (select * from jsonb_to_recordset(${JSON.stringify(known.map((r) => ({ id: r.id, ...r.fields })))}::jsonb) as r(${recordType}))
        update customers c set name = r.name, org = r.org, search_key = r.search_key,
          title = coalesce(r.title, c.title), industry = coalesce(r.industry, c.industry),
          address = coalesce(r.address, c.address), note = coalesce(r.note, c.note), wechat = coalesce(r.wechat, c.wechat),
          tags = case when cardinality(r.tags) > 0 then r.tags else c.tags end, updated_at = ${now}
        from r
        where c.tenant_id = ${tenantId} and c.id = r.id
          and (c.name, c.org, c.title, c.industry, c.address, c.note, c.wechat, c.tags) is distinct from
              (r.name, r.org, coalesce(r.title, c.title), coalesce(r.industry, c.industry), coalesce(r.address, c.address),
               coalesce(r.note, c.note), coalesce(r.wechat, c.wechat), case when cardinality(r.tags) > 0 then r.tags else c.tags end)
        returning c.id`);
      updated = rowsOf(res).length;
    }
    return {
      inserted: fresh.length,
      updated,
      unchanged: known.length - updated,
      rejected: rejected.sort((a, b) => a.index - b.index),
    };
  });
}
