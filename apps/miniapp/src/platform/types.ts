// The one interface every platform implements. Files are picked by Taro per target:
// `auth.weapp.ts`, `auth.qywx.ts`, `auth.dd.ts`, `auth.h5.ts`; the plain `auth.ts` is what
// TypeScript and jest see (it re-exports the H5 flavour, the one that runs in a browser).

export type PlatformCredential =
  | { endpoint: '/api/auth/wecom'; body: { code: string } }
  | { endpoint: '/api/auth/dingtalk'; body: { authCode: string } };

export type AuthModule = {
  /** '企业微信' | '钉钉' | '浏览器' */
  platformLabel: string;
  /** A one-time code from the host app, or null where there is none (H5 → demo picker). */
  getPlatformCredential(): Promise<PlatformCredential | null>;
};

export type ScanOutcome =
  | { kind: 'scanned'; payload: string; rawData?: string }
  | { kind: 'cancelled' }
  | { kind: 'unavailable'; reason: string };

export type ScanModule = {
  scanCard(): Promise<ScanOutcome>;
};

export type StorageModule = {
  getItem<T>(key: string): T | undefined;
  setItem(key: string, value: unknown): void;
  removeItem(key: string): void;
};

export type LinkModule = {
  /** Query of the link that opened the app (card button), if any. */
  launchQuery(): Record<string, string | undefined>;
  /** Open a web link found on a card: a browser tab on H5, copied to the clipboard in mini-programs. */
  openExternal(url: string): Promise<void>;
  /** Copy text (talk tracks). */
  copyText(text: string): Promise<void>;
};

export type RandomModule = {
  randomBytes(n: number): Promise<Uint8Array>;
};
