// The keys WeChat Pay may sign notifications with, taken from configuration only:
// the WeChat Pay public key (serial "PUB_KEY_ID_…") and/or platform certificates (serial
// from each certificate). Nothing is ever fetched: an unknown serial is simply not here.
import { createPublicKey, X509Certificate } from 'node:crypto';
import type { WechatPayConfig } from '../../config';

export type VerifyKey = { serial: string; pem: string; mode: 'public_key' | 'certificate'; validTo?: Date };
export type Keyring = ReadonlyMap<string, VerifyKey>;

const CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function buildKeyring(cfg: Pick<WechatPayConfig, 'publicKeyId' | 'publicKey' | 'platformCerts'>): Keyring {
  const keys = new Map<string, VerifyKey>();
  if (cfg.publicKeyId && cfg.publicKey) {
    // Normalised to SPKI PEM; fails at start on a malformed key.
    const pem = createPublicKey(cfg.publicKey).export({ type: 'spki', format: 'pem' }).toString();
    keys.set(cfg.publicKeyId, { serial: cfg.publicKeyId, pem, mode: 'public_key' });
  }
  for (const block of cfg.platformCerts?.match(CERT_RE) ?? []) {
    const cert = new X509Certificate(block);
    // WeChat Pay sends the serial in upper-case hex.
    const serial = cert.serialNumber.toUpperCase();
    const pem = cert.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    keys.set(serial, { serial, pem, mode: 'certificate', validTo: new Date(cert.validTo) });
  }
  return keys;
}
