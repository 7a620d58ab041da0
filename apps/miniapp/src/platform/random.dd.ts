import { weakBytes } from './random.weapp';

// DingTalk's JS engine may expose crypto.getRandomValues; there is no dd.* equivalent.
export async function randomBytes(n: number): Promise<Uint8Array> {
  const c = (globalThis as { crypto?: { getRandomValues?(b: Uint8Array): Uint8Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(new Uint8Array(n));
  return weakBytes(n);
}
