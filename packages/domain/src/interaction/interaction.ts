// What counts as an interaction with a customer. One definition, used by the visit
// record, ingestion (which caches it on the customer) and the alert jobs.

export type InteractionKind = 'visit' | 'call' | 'chat' | 'order' | 'ticket' | 'payment' | 'signal' | 'email';

export type InteractionEvent = {
  kind: InteractionKind;
  /** Chats and e-mails: "out" = sent by our side (the rep), "in" = sent by the customer. */
  direction?: 'in' | 'out' | null;
};

/**
 * - `promise`: does this keep (or break late) a rep's promised next contact? Only a touch by the
 *   rep's side: a visit, a call, an outgoing chat.
 * - `dormancy`: is the customer still active? Any visit or call, a chat either way, an order, a ticket.
 */
export type InteractionPurpose = 'promise' | 'dormancy';

export function countsAsInteraction(purpose: InteractionPurpose, event: InteractionEvent): boolean {
  switch (event.kind) {
    case 'visit':
    case 'call':
      return true;
    case 'chat':
      return purpose === 'dormancy' || event.direction === 'out';
    case 'order':
    case 'ticket':
      return purpose === 'dormancy';
    default:
      // Payments, signals and e-mails are evidence, not contact.
      return false;
  }
}

/** Which cached instants on the customer an event moves (customers.last_interaction_at / last_rep_touch_at). */
export function interactionEffects(event: InteractionEvent): { lastInteraction: boolean; lastRepTouch: boolean } {
  return {
    lastInteraction: countsAsInteraction('dormancy', event),
    lastRepTouch: countsAsInteraction('promise', event),
  };
}

export const PROMISE_GRACE_HOURS = 24;

/** A promise closed by a touch: kept when the touch came before due + grace (24 h), late otherwise. */
export function promiseOutcome(dueAt: Date, touchAt: Date, graceHours = PROMISE_GRACE_HOURS): 'kept' | 'late' {
  return touchAt.getTime() < dueAt.getTime() + graceHours * 3_600_000 ? 'kept' : 'late';
}
