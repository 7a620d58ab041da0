// Signature verification of WeChat Pay notifications through wechatpay-node-v3, with its
// network fallback fenced off: only serials in our keyring ever reach Pay.verifySign.
import type Pay from 'wechatpay-node-v3';
import type { Keyring } from './keyring';

export const SIGNATURE_TYPE = 'WECHATPAY2-SHA256-RSA2048';
export const MAX_SKEW_SECONDS = 300;
const PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

export type SignedRequest = {
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
  serial: string | undefined;
  signatureType: string | undefined;
  rawBody: string;
};

export type VerifyResult = { ok: true; serial: string } | { ok: false; reason: string };

export type NotificationVerifier = { verify: (req: SignedRequest, now: Date) => Promise<VerifyResult> };

type PayClass = typeof Pay;
let loading: Promise<PayClass> | undefined;
// Loaded on first use: the package costs about half a second at start-up and matters
// only where WeChat Pay is configured.
const loadPay = () =>
  (loading ??= import('wechatpay-node-v3').then((m) => ((m as { default?: PayClass }).default ?? m) as PayClass));

// Pay keeps its keys in a static, process-wide map (typed protected).
function useKey(PayCtor: PayClass, serial: string, pem: string) {
  (PayCtor as unknown as { certificates: Record<string, string> }).certificates[serial] = pem;
}

export function createVerifier(keyring: Keyring, mchId: string, apiV3Key: string): NotificationVerifier {
  // The client never signs requests here; the merchant key material is a placeholder.
  const payReady = loadPay().then((PayCtor) => ({
    PayCtor,
    pay: new PayCtor({
      appid: 'notifications-only',
      mchid: mchId,
      publicKey: Buffer.from('unused'),
      privateKey: Buffer.from('unused'),
      serial_no: 'unused',
      key: apiV3Key,
    }),
  }));
  return {
    async verify(req, now) {
      const { timestamp, nonce, signature, serial } = req;
      if (!timestamp || !nonce || !signature || !serial) return { ok: false, reason: 'missing Wechatpay-* headers' };
      if (req.signatureType && req.signatureType !== SIGNATURE_TYPE)
        return { ok: false, reason: `unsupported signature type "${req.signatureType.slice(0, 40)}"` };
      if (signature.startsWith(PROBE_PREFIX)) return { ok: false, reason: 'signature probe' };
      if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
      if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
        return { ok: false, reason: 'timestamp outside 5 minutes' };
      const key = keyring.get(serial);
      // Checked before Pay sees it: an unknown serial would make Pay fetch certificates.
      if (!key) return { ok: false, reason: `unknown serial "${serial.slice(0, 64)}"` };
      if (key.validTo && key.validTo < now) return { ok: false, reason: 'platform certificate expired' };
      // verifySign reads the static map synchronously before its first await, so setting
      // the configured key right before the call cannot be interleaved by another request.
      const { PayCtor, pay } = await payReady;
      useKey(PayCtor, serial, key.pem);
      try {
        const ok = await pay.verifySign({ timestamp, nonce, body: req.rawBody, serial, signature });
        return ok ? { ok: true, serial } : { ok: false, reason: 'bad signature' };
      } catch {
        return { ok: false, reason: 'bad signature' };
      }
    },
  };
}
