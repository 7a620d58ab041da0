import type { PlatformCredential } from './types';

export const platformLabel = '浏览器';

// In a plain browser there is no host app to vouch for the user: the login page
// offers the demo picker (POST /api/auth/dev) instead.
export async function getPlatformCredential(): Promise<PlatformCredential | null> {
  return null;
}
