// POST /api/scan: read the card, look up the identity index, decide, and answer with the view.
import type { ScanResponse } from '@crm/contract';
import {
  type Card,
  decideMatch,
  type IdentityKey,
  identityKeysOf,
  type MatchCandidate,
  readCard,
  sameName,
} from '@crm/domain';
import type { AppDeps } from '../../deps';
import type { Actor } from '../../shared/access';
import { AppError } from '../../shared/errors';
import type { ViewRow } from '../customers/customer-view.repo';
import { customerViewFromRow, getCustomerView, TIMELINE_DEFAULT_LIMIT } from '../customers/customer-view.service';
import { verifyCardToken } from './card-token';
import { type CustomerBrief, createScanRepo, type ScanRepo } from './scan.repo';

const MAX_CANDIDATES = 10;

type Deps = Pick<AppDeps, 'db' | 'config'>;

/** Our own signed link → a strong card_token key, only when the MAC, the tenant and the issued row all agree. */
async function tokenKey(deps: Deps, repo: ScanRepo, actor: Actor, card: Card): Promise<IdentityKey | null> {
  const link = card.link;
  if (link?.kind !== 'crm_customer' || !link.token) return null;
  const ids = verifyCardToken(deps.config.jwtSecret, link.token);
  if (!ids || ids.tenantId !== actor.tenantId) return null;
  const [row] = await repo.identities(actor.tenantId, [{ kind: 'card_token', value: link.token }]);
  if (!row || row.customerId !== ids.customerId) return null;
  return { kind: 'card_token', value: link.token, strength: 'strong' };
}

/** The candidates with their briefs (name, org, owner, visibility), fetched along with the identity rows. */
async function findCandidates(
  repo: ScanRepo,
  actor: Actor,
  card: Card,
  keys: IdentityKey[],
): Promise<{ found: MatchCandidate[]; briefs: Map<string, CustomerBrief>; view: ViewRow | null }> {
  const strongKeys = keys.filter((k) => k.strength === 'strong');
  const { hits, view } = await repo.lookup(actor, strongKeys, TIMELINE_DEFAULT_LIMIT);
  const byId = new Map<string, MatchCandidate>();
  const briefs = new Map<string, CustomerBrief>();
  const entry = (id: string) => {
    let c = byId.get(id);
    if (!c) {
      c = { id, name: '', org: null, strongHits: [], weakHits: [] };
      byId.set(id, c);
    }
    return c;
  };
  for (const h of hits) {
    const key = strongKeys.find((k) => k.kind === h.kind && k.value === h.value);
    if (!key) continue;
    entry(h.customerId).strongHits.push(key);
    const { customerId: id, name, org, ownerId, ownerName, visible } = h;
    briefs.set(id, { id, name, org, ownerId, ownerName, visible });
  }
  // Weak keys are looked at only when nothing strong matched: they can confirm, never decide alone.
  if (byId.size === 0) {
    const weak = keys.filter((k) => k.strength === 'weak');
    // A desk number with an extension that nobody holds may be the extension of a customer
    // saved with the bare switchboard: its base number is a weak key too (name must agree).
    for (const k of keys) {
      const at = k.kind === 'phone' && k.strength === 'strong' ? k.value.indexOf(';ext=') : -1;
      const base = at > 0 ? k.value.slice(0, at) : null;
      if (base && !weak.some((w) => w.kind === 'phone' && w.value === base))
        weak.push({ kind: 'phone', value: base, strength: 'weak' });
    }
    const phones = weak.filter((k) => k.kind === 'phone').map((k) => k.value);
    const emails = weak.filter((k) => k.kind === 'email').map((k) => k.value);
    for (const holder of await repo.weakHolders(actor.tenantId, phones, emails)) {
      // A weak key never counts without an agreeing name (decideMatch), so the others are dropped here.
      if (!sameName(card.name, holder.name)) continue;
      const c = entry(holder.id);
      for (const k of weak)
        if ((k.kind === 'phone' && holder.phones.includes(k.value)) || holder.emails.includes(k.value))
          c.weakHits.push(k);
    }
    for (const b of await repo.briefs(actor, [...byId.keys()])) briefs.set(b.id, b);
  }
  const found = [...briefs.values()].map((b) => ({ ...(byId.get(b.id) as MatchCandidate), name: b.name, org: b.org }));
  return { found, briefs, view };
}

export function createScanService(deps: Deps) {
  const repo = createScanRepo(deps.db);
  return {
    async scan(actor: Actor, body: { payload: string; rawData?: string | undefined }): Promise<ScanResponse> {
      const read = readCard(body);
      if (!read.ok) throw new AppError('UNREADABLE_CARD', read.message, { field: 'payload', reason: read.reason });
      const card = read.card;
      const keys = identityKeysOf(card);
      const token = await tokenKey(deps, repo, actor, card);
      if (card.link?.kind === 'crm_customer') {
        card.link.verified = token !== null;
        // A tampered or foreign link carries nothing else: never someone else's record.
        if (!token && keys.length === 0 && !card.name)
          throw new AppError(
            'UNREADABLE_CARD',
            'This customer QR code is not valid for your company (it was altered, revoked or issued elsewhere).',
            { field: 'payload', reason: 'invalid_token' },
          );
      }
      if (token) keys.push(token);
      const { found, briefs, view } = await findCandidates(repo, actor, card, keys);
      const decision = decideMatch(card, found);
      if (decision.result === 'existing') {
        // The lookup already read the view when one customer held the keys (the usual scan).
        const customer =
          view?.id === decision.customerId
            ? customerViewFromRow(view, TIMELINE_DEFAULT_LIMIT)
            : await getCustomerView(deps, actor, decision.customerId);
        return { result: 'existing', card, customer };
      }
      if (decision.result === 'new') return { result: 'new', card };
      return {
        result: 'ambiguous',
        card,
        candidates: decision.candidates.slice(0, MAX_CANDIDATES).flatMap((c) => {
          const b = briefs.get(c.id);
          if (!b) return [];
          const matchedOn = [...new Set([...c.strongHits, ...c.weakHits].map((k) => k.kind as string))];
          if (c.nameAgrees) matchedOn.push('name');
          return [
            {
              id: b.id,
              name: b.name,
              org: b.org,
              owner: { id: b.ownerId, name: b.ownerName },
              access: b.visible ? ('full' as const) : ('limited' as const),
              matchedOn,
              score: c.score,
            },
          ];
        }),
      };
    },
  };
}
