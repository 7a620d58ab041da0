// Tenant thresholds for the alert engine, with the brief's numbers as defaults.

export type AlertSettings = {
  overdueHours: number;
  dormantDays: number;
  /** Strictly greater than this LTV (fen) counts as high-value. 500000 = 5,000.00 CNY. */
  dormantLtvCents: number;
  dormantWeekday: number;
  dormantHour: number;
  dormantMinute: number;
  catchUpHours: number;
};

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  overdueHours: 24,
  dormantDays: 90,
  dormantLtvCents: 500_000,
  dormantWeekday: 5,
  dormantHour: 15,
  dormantMinute: 0,
  // BRIEF §5: a Friday run missed while the server was down "happens when it comes back,
  // once". Caught up for 6 days: within the last day before the next Friday run, that run
  // covers it (catching up then would hand reps two wake-up lists a few hours apart).
  catchUpHours: 24 * 6,
};

const LIMITS: Record<keyof AlertSettings, [number, number]> = {
  overdueHours: [1, 24 * 30],
  dormantDays: [1, 3650],
  dormantLtvCents: [0, Number.MAX_SAFE_INTEGER],
  dormantWeekday: [1, 7],
  dormantHour: [0, 23],
  dormantMinute: [0, 59],
  catchUpHours: [0, 24 * 7],
};

/** Tenant settings are free JSON: anything missing, non-integer or out of range falls back to the default. */
export function alertSettings(raw: Partial<Record<keyof AlertSettings, unknown>> | null | undefined): AlertSettings {
  const out = { ...DEFAULT_ALERT_SETTINGS };
  for (const key of Object.keys(LIMITS) as (keyof AlertSettings)[]) {
    const v = raw?.[key];
    const [min, max] = LIMITS[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) out[key] = v;
  }
  return out;
}
