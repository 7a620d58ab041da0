// Configuration is parsed once, here; process.env is read nowhere else.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

export type WecomConfig = {
  corpId: string;
  agentId: number;
  secret: string;
  callbackToken?: string | undefined;
  callbackAesKey?: string | undefined;
};
export type DingtalkConfig = { appKey: string; appSecret: string; agentId: number };
export type WechatPayConfig = {
  mchId: string;
  apiV3Key: string;
  publicKeyId?: string | undefined;
  publicKey?: string | undefined;
  platformCerts?: string | undefined;
};

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string | undefined;
  dataDir: string;
  jwtSecret: string;
  tzDefault: string;
  demo: boolean;
  devLogin: boolean;
  cron: boolean;
  logLevel: string;
  instanceId: string;
  /** How long a session user (role, active) is cached per instance; 0 = read it on every request. */
  authUserCacheMs: number;
  publicBaseUrl: string;
  wecomApiBase: string;
  dingtalkApiBase: string;
  wecom?: WecomConfig | undefined;
  dingtalk?: DingtalkConfig | undefined;
  wechatPay?: WechatPayConfig | undefined;
};

type Env = Record<string, string | undefined>;

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const v = env[name];
  if (!present(v)) return fallback;
  const s = v.trim().toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(s)) return true;
  if (['off', 'false', '0', 'no'].includes(s)) return false;
  throw new ConfigError(name, `expected "on" or "off", got "${v}"`);
}

function integer(env: Env, name: string, fallback?: number): number {
  const v = env[name];
  if (!present(v)) {
    if (fallback === undefined) throw new ConfigError(name, 'is required');
    return fallback;
  }
  if (!/^\d+$/.test(v.trim())) throw new ConfigError(name, `expected a whole number, got "${v}"`);
  return Number(v.trim());
}

function required(env: Env, name: string, because: string): string {
  const v = env[name];
  if (!present(v)) throw new ConfigError(name, `is required ${because}`);
  return v.trim();
}

function timeZone(env: Env, name: string, fallback: string): string {
  const tz = present(env[name]) ? (env[name] as string).trim() : fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError(name, `unknown time zone "${tz}"`);
  }
  return tz;
}

function url(env: Env, name: string, fallback: string): string {
  const v = present(env[name]) ? (env[name] as string).trim() : fallback;
  try {
    const u = new URL(v);
    if (!['http:', 'https:', 'postgres:', 'postgresql:'].includes(u.protocol)) throw new Error();
  } catch {
    throw new ConfigError(name, `not a valid URL: "${v}"`);
  }
  return v.replace(/\/+$/, '');
}

function wecom(env: Env): WecomConfig | undefined {
  if (!present(env.WECOM_CORP_ID)) return undefined;
  const because = 'when WECOM_CORP_ID is set';
  const callbackToken = present(env.WECOM_CALLBACK_TOKEN) ? env.WECOM_CALLBACK_TOKEN.trim() : undefined;
  const callbackAesKey = present(env.WECOM_CALLBACK_AES_KEY) ? env.WECOM_CALLBACK_AES_KEY.trim() : undefined;
  if (callbackAesKey && !/^[A-Za-z0-9+/]{43}$/.test(callbackAesKey))
    throw new ConfigError('WECOM_CALLBACK_AES_KEY', 'must be the 43-character EncodingAESKey from the WeCom console');
  if (Boolean(callbackToken) !== Boolean(callbackAesKey))
    throw new ConfigError(
      callbackToken ? 'WECOM_CALLBACK_AES_KEY' : 'WECOM_CALLBACK_TOKEN',
      'callback token and AES key are set together',
    );
  return {
    corpId: env.WECOM_CORP_ID.trim(),
    agentId: integer(env, 'WECOM_AGENT_ID'),
    secret: required(env, 'WECOM_SECRET', because),
    callbackToken,
    callbackAesKey,
  };
}

function dingtalk(env: Env): DingtalkConfig | undefined {
  if (!present(env.DINGTALK_APP_KEY)) return undefined;
  return {
    appKey: env.DINGTALK_APP_KEY.trim(),
    appSecret: required(env, 'DINGTALK_APP_SECRET', 'when DINGTALK_APP_KEY is set'),
    agentId: integer(env, 'DINGTALK_AGENT_ID'),
  };
}

function wechatPay(env: Env): WechatPayConfig | undefined {
  if (!present(env.WECHATPAY_MCHID)) return undefined;
  const apiV3Key = required(env, 'WECHATPAY_APIV3_KEY', 'when WECHATPAY_MCHID is set');
  if (Buffer.byteLength(apiV3Key) !== 32) throw new ConfigError('WECHATPAY_APIV3_KEY', 'must be exactly 32 bytes');
  const publicKeyId = present(env.WECHATPAY_PUBLIC_KEY_ID) ? env.WECHATPAY_PUBLIC_KEY_ID.trim() : undefined;
  const publicKey = present(env.WECHATPAY_PUBLIC_KEY) ? env.WECHATPAY_PUBLIC_KEY : undefined;
  const platformCerts = present(env.WECHATPAY_PLATFORM_CERTS) ? env.WECHATPAY_PLATFORM_CERTS : undefined;
  if (Boolean(publicKeyId) !== Boolean(publicKey))
    throw new ConfigError(
      publicKeyId ? 'WECHATPAY_PUBLIC_KEY' : 'WECHATPAY_PUBLIC_KEY_ID',
      'id and key are set together',
    );
  if (!publicKey && !platformCerts)
    throw new ConfigError(
      'WECHATPAY_PUBLIC_KEY',
      'or WECHATPAY_PLATFORM_CERTS is required when WECHATPAY_MCHID is set',
    );
  return { mchId: env.WECHATPAY_MCHID.trim(), apiV3Key, publicKeyId, publicKey, platformCerts };
}

/** The JWT secret of the embedded demo lives next to its data, so tokens survive a restart. */
function demoJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Env = process.env): Config {
  const wecomCfg = wecom(env);
  const dingtalkCfg = dingtalk(env);
  const wechatPayCfg = wechatPay(env);
  const hasPlatform = Boolean(wecomCfg || dingtalkCfg);
  const demo = onOff(env, 'DEMO', !hasPlatform);
  const dataDir = resolve(REPO_ROOT, present(env.DATA_DIR) ? env.DATA_DIR : '.data');
  const databaseUrl = present(env.DATABASE_URL) ? url(env, 'DATABASE_URL', '') : undefined;
  let jwtSecret = present(env.JWT_SECRET) ? env.JWT_SECRET.trim() : undefined;
  if (jwtSecret && jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  if (!jwtSecret) {
    if (!demo) throw new ConfigError('JWT_SECRET', 'is required outside demo mode');
    jwtSecret = demoJwtSecret(dataDir);
  }
  const port = integer(env, 'PORT', 3000);
  if (port > 65535) throw new ConfigError('PORT', `out of range: ${port}`);
  const host = present(env.HOST) ? env.HOST.trim() : '127.0.0.1';
  return {
    port,
    host,
    databaseUrl,
    dataDir,
    jwtSecret,
    tzDefault: timeZone(env, 'TZ_DEFAULT', 'Asia/Shanghai'),
    demo,
    devLogin: onOff(env, 'AUTH_DEV_LOGIN', demo),
    cron: onOff(env, 'CRON', true),
    logLevel: present(env.LOG_LEVEL) ? env.LOG_LEVEL.trim() : 'info',
    instanceId: present(env.INSTANCE_ID) ? env.INSTANCE_ID.trim() : `${process.pid}-${randomBytes(2).toString('hex')}`,
    authUserCacheMs: integer(env, 'AUTH_USER_CACHE_MS', 2000),
    publicBaseUrl: url(env, 'PUBLIC_BASE_URL', `http://${host}:${port}`),
    wecomApiBase: url(env, 'WECOM_API_BASE', 'https://qyapi.weixin.qq.com'),
    dingtalkApiBase: url(env, 'DINGTALK_API_BASE', 'https://oapi.dingtalk.com'),
    wecom: wecomCfg,
    dingtalk: dingtalkCfg,
    wechatPay: wechatPayCfg,
  };
}

/** A config for tests: no platforms, dev log-in on, fixed secret. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ DEMO: 'on', JWT_SECRET: 'test-secret-test-secret-test-secret-0000', CRON: 'off' }),
    ...overrides,
  };
}
