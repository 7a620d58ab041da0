// Signal levels and their confidence coefficients (BRIEF §6). Tenants may override the numbers.

export type SignalLevel = 1 | 2 | 3;

/** 1 = business licence provided, 2 = proposal passed first review, 3 = budget passed the finance committee. */
export const LEVEL_KINDS: Record<SignalLevel, string> = {
  1: 'business_licence',
  2: 'proposal_passed',
  3: 'budget_passed',
};

export const DEFAULT_CONFIDENCE: Record<SignalLevel, number> = { 1: 0.3, 2: 0.5, 3: 0.8 };

/** A payment received is the outcome itself, not a prediction of it. */
export const PAYMENT_SIGNAL = { kind: 'payment_received', level: 3 as SignalLevel, confidence: 1 };

export type ConfidenceSettings = { signalConfidence?: Partial<Record<'1' | '2' | '3', number>> } | null | undefined;

/** The tenant's confidence for a level; a missing or out-of-range override falls back to the default. */
export function confidenceFor(level: SignalLevel, settings: ConfidenceSettings): number {
  const v = settings?.signalConfidence?.[String(level) as '1' | '2' | '3'];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1 ? v : DEFAULT_CONFIDENCE[level];
}
