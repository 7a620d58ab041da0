// AES-256-GCM decryption of a notification resource WITH the auth tag verified.
// (wechatpay-node-v3's decipher_gcm never calls final(), so it accepts tampered data.)
import { createDecipheriv } from 'node:crypto';

export type EncryptedResource = { ciphertext: string; nonce: string; associated_data?: string | null | undefined };

export class DecryptError extends Error {}

const TAG_BYTES = 16;

export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new DecryptError('the APIv3 key must be 32 bytes');
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= TAG_BYTES) throw new DecryptError('ciphertext too short');
  const nonce = Buffer.from(resource.nonce, 'utf8');
  if (nonce.length !== 12) throw new DecryptError('nonce must be 12 bytes');
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  try {
    const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
    return plain.toString('utf8');
  } catch {
    throw new DecryptError('the resource failed GCM authentication');
  }
}
