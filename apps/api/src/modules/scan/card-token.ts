// Our own customer QR: a link carrying tenant id + customer id, signed with HMAC-SHA256
// under the JWT secret. The reader recognises its shape (CRM_TOKEN); only this file trusts it.
import { createHmac, timingSafeEqual } from 'node:crypto';

const DOMAIN = 'crm-card-v1';
const MAC_BYTES = 16;

const uuidBytes = (u: string) => Buffer.from(u.replace(/-/g, ''), 'hex');
const bytesUuid = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${DOMAIN}.${body}`).digest().subarray(0, MAC_BYTES);
}

/** `v1.<base64url(tenant ‖ customer)>.<base64url(mac)>` — 69 characters. */
export function signCardToken(secret: string, tenantId: string, customerId: string): string {
  const body = Buffer.concat([uuidBytes(tenantId), uuidBytes(customerId)]).toString('base64url');
  return `v1.${body}.${mac(secret, body).toString('base64url')}`;
}

/** The ids in a token whose MAC checks out; null for anything tampered or malformed. */
export function verifyCardToken(secret: string, token: string): { tenantId: string; customerId: string } | null {
  const m = /^v1\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m?.[1] || !m[2]) return null;
  const given = Buffer.from(m[2], 'base64url');
  const want = mac(secret, m[1]);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return null;
  const ids = Buffer.from(m[1], 'base64url');
  if (ids.length !== 32) return null;
  return { tenantId: bytesUuid(ids.subarray(0, 16)), customerId: bytesUuid(ids.subarray(16)) };
}

export function cardLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/c/${token}`;
}
