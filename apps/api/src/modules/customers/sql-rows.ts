// Raw statements return { rows } on both drivers (node-postgres and PGlite).
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Instants come back as Date from columns and as text from json_*; both leave as ISO-8601 UTC. */
export function iso(v: Date | string): string;
export function iso(v: Date | string | null | undefined): string | null;
export function iso(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return (v instanceof Date ? v : new Date(v)).toISOString();
}
