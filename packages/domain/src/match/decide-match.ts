// existing / ambiguous / new, from what the identity index and the weak lookups found.

import { sameName, sameOrg } from './compare-text';
import type { IdentityKey } from './identity-keys';

export type MatchCandidate = {
  id: string;
  name: string;
  org: string | null;
  /** Strong keys of the card that this customer holds (from customer_identities). */
  strongHits: IdentityKey[];
  /** Weak keys of the card that this customer also has (switchboard, role mailbox). */
  weakHits: IdentityKey[];
};

export type ScoredCandidate = MatchCandidate & { score: number; nameAgrees: boolean; orgAgrees: boolean };

export type MatchDecision =
  | { result: 'existing'; customerId: string; candidates: ScoredCandidate[] }
  | { result: 'ambiguous'; candidates: ScoredCandidate[] }
  | { result: 'new'; candidates: ScoredCandidate[] };

/** A signed card token names its customer outright: 1000 beats any number of other keys. */
const W = { token: 1000, strong: 100, name: 20, org: 5, weak: 1 } as const;

export function scoreCandidate(c: MatchCandidate, card: { name?: string; org?: string }): ScoredCandidate {
  const nameAgrees = sameName(card.name, c.name);
  const orgAgrees = sameOrg(card.org, c.org);
  const token = c.strongHits.some((k) => k.kind === 'card_token');
  const score =
    (token ? W.token : 0) +
    W.strong * c.strongHits.length +
    (nameAgrees ? W.name : 0) +
    (orgAgrees ? W.org : 0) +
    W.weak * c.weakHits.length;
  return { ...c, score, nameAgrees, orgAgrees };
}

/**
 * - One customer holds the card's strong keys → existing.
 * - Several customers hold different strong keys of the card → ambiguous, best first
 *   (unless a signed token names one of them).
 * - No strong hit: customers that share only a weak key (switchboard, role mailbox)
 *   count only when the name agrees too; one such → existing, several → ambiguous.
 *   A shared switchboard alone never merges two people → new.
 */
export function decideMatch(card: { name?: string; org?: string }, found: MatchCandidate[]): MatchDecision {
  const scored = found
    .map((c) => scoreCandidate(c, card))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const strong = scored.filter((c) => c.strongHits.length > 0);
  const tokenHit = strong.find((c) => c.strongHits.some((k) => k.kind === 'card_token'));
  if (tokenHit) return { result: 'existing', customerId: tokenHit.id, candidates: [tokenHit] };
  if (strong.length === 1 && strong[0]) return { result: 'existing', customerId: strong[0].id, candidates: strong };
  if (strong.length > 1) return { result: 'ambiguous', candidates: strong };
  const weakAgreeing = scored.filter((c) => c.weakHits.length > 0 && c.nameAgrees);
  if (weakAgreeing.length === 1 && weakAgreeing[0])
    return { result: 'existing', customerId: weakAgreeing[0].id, candidates: weakAgreeing };
  if (weakAgreeing.length > 1) return { result: 'ambiguous', candidates: weakAgreeing };
  return { result: 'new', candidates: [] };
}
