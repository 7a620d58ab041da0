type WxRandom = {
  getRandomValues?(opts: {
    length: number;
    success(res: { randomValues: ArrayBuffer }): void;
    fail(e: unknown): void;
  }): void;
};
declare const wx: WxRandom | undefined;

// wx.getRandomValues (base library ≥ 2.22) is a cryptographic source.
export async function randomBytes(n: number): Promise<Uint8Array> {
  const host = typeof wx !== 'undefined' ? wx : undefined;
  if (host?.getRandomValues) {
    const get = host.getRandomValues.bind(host);
    return new Promise((resolve, reject) =>
      get({ length: n, success: (r) => resolve(new Uint8Array(r.randomValues)), fail: reject }),
    );
  }
  return weakBytes(n);
}

// Old base libraries only: not cryptographic, but combined with the time it is still
// unique enough for an idempotency key (the server dedupes per tenant).
export function weakBytes(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  const t = Date.now();
  for (let i = 0; i < n; i++) bytes[i] = (Math.random() * 256) ^ ((t >> ((i % 6) * 8)) & 0xff);
  return bytes;
}
