import type { AppDeps } from '../deps';

/** Loads the demo tenant into an empty database (demo mode only). Filled in by the demo generator. */
export async function ensureDemoTenant(_deps: AppDeps): Promise<{ hints: string[] } | undefined> {
  return undefined;
}
