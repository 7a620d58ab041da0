// crypto.getRandomValues works in insecure contexts too (unlike crypto.randomUUID).
export async function randomBytes(n: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(n);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}
