// WeCom callback security: msg_signature in constant time, freshness, AES-256-CBC decryption
// (@wecom/crypto) and the receive-id checked against our corp id — the library checks neither.
import { timingSafeEqual } from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';
import { XMLParser } from 'fast-xml-parser';

export const MAX_SKEW_MS = 5 * 60_000;

export type Verified = { ok: true; message: string } | { ok: false; reason: string };

export function verifyAndDecrypt(p: {
  token: string;
  aesKey: string;
  corpId: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
  encrypt: string;
  nowMs: number;
}): Verified {
  const expected = Buffer.from(getSignature(p.token, p.timestamp, p.nonce, p.encrypt));
  const given = Buffer.from(p.msgSignature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad signature' };
  const ts = Number(p.timestamp);
  if (!/^\d{1,12}$/.test(p.timestamp) || Math.abs(p.nowMs - ts * 1000) > MAX_SKEW_MS)
    return { ok: false, reason: 'stale or missing timestamp' };
  let plain: { message: string; id: string };
  try {
    plain = decrypt(p.aesKey, p.encrypt);
  } catch {
    return { ok: false, reason: 'cannot decrypt' };
  }
  if (plain.id !== p.corpId) return { ok: false, reason: 'receive-id is not our corp id' };
  return { ok: true, message: plain.message };
}

// No entity expansion, every value a string (CreateTime stays exact).
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: false,
  trimValues: true,
});

export function parseWecomXml(xml: string): Record<string, string> {
  let doc: { xml?: Record<string, unknown> };
  try {
    doc = parser.parse(xml) as { xml?: Record<string, unknown> };
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc?.xml ?? {}))
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  return out;
}
