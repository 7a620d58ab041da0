// E-mails from the mail gateway → keyword rules → signal candidates on the customer's open
// opportunity, with the matching excerpt. A human confirms or rejects them (signals routes).

import type { IngestEmailItem, IngestEmailResult } from '@crm/contract';
import { schema } from '@crm/db';
import { confidenceFor, matchEmailKeywords, tenantEmailRules } from '@crm/domain';
import { and, eq, inArray } from 'drizzle-orm';
import type { AppDeps } from '../../deps';
import { latestOpenOpportunity } from '../opportunities/opportunities.repo';
import { tenantSettings } from '../signals/signals.repo';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'logger'>;

const lower = (s: string) => s.trim().toLowerCase();

/** The customer an e-mail is about: given by id, given by address, or the first known sender/recipient address. */
async function findCustomer(deps: Deps, tenantId: string, item: IngestEmailItem): Promise<string | undefined> {
  if (item.customer?.customerId) {
    const [c] = await deps.db
      .select({ id: schema.customers.id })
      .from(schema.customers)
      .where(and(eq(schema.customers.tenantId, tenantId), eq(schema.customers.id, item.customer.customerId)))
      .limit(1);
    return c?.id;
  }
  const addresses = [item.customer?.email, item.from, ...item.to].filter((a): a is string => Boolean(a)).map(lower);
  if (addresses.length === 0) return undefined;
  const ids = await deps.db
    .select({ customerId: schema.customerIdentities.customerId, value: schema.customerIdentities.value })
    .from(schema.customerIdentities)
    .where(
      and(
        eq(schema.customerIdentities.tenantId, tenantId),
        eq(schema.customerIdentities.kind, 'email'),
        inArray(schema.customerIdentities.value, addresses),
      ),
    );
  for (const a of addresses) {
    const hit = ids.find((r) => r.value === a);
    if (hit) return hit.customerId;
  }
  // Customers created without an identity row still carry their e-mails: the lower-cased
  // addresses the database keeps in customer_contact_keys (an index probe, not a read of
  // every customer of the tenant).
  const [byKey] = await deps.db
    .select({ id: schema.customerContactKeys.customerId })
    .from(schema.customerContactKeys)
    .where(
      and(
        eq(schema.customerContactKeys.tenantId, tenantId),
        eq(schema.customerContactKeys.kind, 'email'),
        inArray(schema.customerContactKeys.value, addresses),
      ),
    )
    .limit(1);
  return byKey?.id;
}

export async function ingestEmails(
  deps: Deps,
  tenantId: string,
  items: unknown[],
  validate: (x: unknown) => string | null,
) {
  const result: IngestEmailResult = {
    inserted: 0,
    updated: 0,
    duplicates: 0,
    candidates: 0,
    unmatched: 0,
    rejected: [],
  };
  const { settings } = await tenantSettings(deps.db, tenantId);
  const rules = tenantEmailRules(settings.emailKeywords);
  for (const [index, raw] of items.entries()) {
    const problem = validate(raw);
    if (problem) {
      result.rejected.push({ index, code: 'VALIDATION_FAILED', message: problem });
      continue;
    }
    const item = raw as IngestEmailItem;
    const messageId = item.messageId ?? item.externalId;
    if (!messageId) {
      result.rejected.push({ index, code: 'VALIDATION_FAILED', message: 'messageId is required', field: 'messageId' });
      continue;
    }
    try {
      const customerId = await findCustomer(deps, tenantId, item);
      const now = deps.clock.now();
      const created = await deps.db.transaction(async (tx) => {
        const [email] = await tx
          .insert(schema.emails)
          .values({
            tenantId,
            messageId,
            fromAddress: lower(item.from),
            toAddresses: item.to.map(lower),
            subject: item.subject ?? '',
            body: item.text ?? '',
            sentAt: new Date(item.date),
            customerId: customerId ?? null,
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: schema.emails.id });
        if (!email) return null;
        if (!customerId) return 0;
        const hits = matchEmailKeywords(item.subject ?? '', item.text ?? '', rules);
        if (hits.length === 0) return 0;
        const opp = await latestOpenOpportunity(tx, tenantId, customerId);
        const rows = await tx
          .insert(schema.signals)
          .values(
            hits.map((h) => ({
              tenantId,
              opportunityId: opp?.id ?? null,
              customerId,
              level: h.level,
              kind: h.kind,
              confidence: confidenceFor(h.level, settings),
              status: 'candidate' as const,
              source: 'email' as const,
              evidence: h.excerpt,
              sourceRef: messageId,
              observedAt: new Date(item.date),
              createdAt: now,
            })),
          )
          .onConflictDoNothing()
          .returning({ id: schema.signals.id });
        return rows.length;
      });
      if (created === null) {
        result.duplicates += 1;
        continue;
      }
      result.inserted += 1;
      result.candidates += created;
      if (!customerId) result.unmatched += 1;
    } catch (err) {
      result.rejected.push({ index, code: 'INTERNAL', message: 'could not store this e-mail' });
      deps.logger.error({ err, index }, 'email ingestion item failed');
    }
  }
  return result;
}
