// When is a weekly job due, in a tenant's zone, and may a missed slot still run?
import { addDays, fromLocal, toLocal } from './zoned';

export type WeeklySpec = {
  /** ISO weekday 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
  minute: number;
};

/** The latest slot (weekday hh:mm wall clock in `zone`) at or before `now`. */
export function latestWeeklySlot(now: Date, zone: string, spec: WeeklySpec): Date {
  const local = toLocal(now, zone);
  const back = (local.weekday - spec.weekday + 7) % 7;
  for (const extra of [0, 7, 14]) {
    const day = addDays(local, -(back + extra));
    const slot = fromLocal({ ...day, hour: spec.hour, minute: spec.minute }, zone);
    if (slot.getTime() <= now.getTime()) return slot;
  }
  throw new Error('unreachable: no weekly slot in the last three weeks');
}

export type SlotDecision =
  | { action: 'run'; slot: Date; lateMs: number }
  | { action: 'skip'; slot: Date; lateMs: number; reason: string };

/**
 * node-cron never replays a missed tick, so every tick (and the start) asks this:
 * the latest slot runs if it is no older than the catch-up window; older slots are
 * never replayed. Whether the slot already ran is the ledger's business, not this.
 */
export function decideWeeklySlot(args: {
  now: Date;
  zone: string;
  spec: WeeklySpec;
  catchUpHours: number;
}): SlotDecision {
  const slot = latestWeeklySlot(args.now, args.zone, args.spec);
  const lateMs = args.now.getTime() - slot.getTime();
  if (lateMs <= args.catchUpHours * 3_600_000) return { action: 'run', slot, lateMs };
  const hours = (lateMs / 3_600_000).toFixed(1);
  return {
    action: 'skip',
    slot,
    lateMs,
    reason: `slot ${slot.toISOString()} missed by ${hours} h, beyond the ${args.catchUpHours} h catch-up window`,
  };
}

/** Fixed-interval slots (UTC based, so DST never pauses them): floor(now / every). */
export function intervalSlot(now: Date, everyMs: number): Date {
  return new Date(Math.floor(now.getTime() / everyMs) * everyMs);
}
