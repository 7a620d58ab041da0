// Which parts of a card identify one person (identity rows), and which only hint.
//
// THE IDENTITY STRENGTH RULE
// strong — unique to a person; written to customer_identities (unique per tenant) and
//          enough on its own to say "existing":
//   • a mobile number (libphonenumber MOBILE / PERSONAL_NUMBER, and FIXED_LINE_OR_MOBILE
//     outside CN where the ranges are shared, e.g. +1);
//   • any landline WITH an extension (+862280007000;ext=8023 is one desk);
//   • an e-mail address, except role mailboxes (info@, sales@, service@ …);
//   • a WeChat id; our own signed card token.
// weak — shared by colleagues; kept in customers.phones / customers.emails, never an
//        identity row, and a match only when the NAME (or a strong e-mail) agrees too:
//   • a landline without extension (the company switchboard), 400/800 numbers;
//   • role mailboxes.
// none — never a key: numbers without e164 (no area code, short, invalid) and placeholders.
import { lineKindOf, phoneIdentityValue } from '../phone/normalize-phone';

export type IdentityKind = 'phone' | 'email' | 'wechat' | 'card_token' | 'wecom_external';
export type Strength = 'strong' | 'weak';
export type IdentityKey = { kind: IdentityKind; value: string; strength: Strength; raw?: string };

/** A card phone or a stored customers.phones entry. */
export type PhoneLike = { e164: string | null; ext?: string | null; raw?: string; flags?: readonly string[] };

export type KeySource = {
  phones?: PhoneLike[];
  emails?: string[];
  wechat?: string | null | undefined;
};

const ROLE_MAILBOX =
  /^(info|sales|service|services|support|contact|admin|office|hr|marketing|hello|enquiry|enquiries|kefu|business|bd|postmaster|noreply|no-reply|webmaster)$/i;

/** Lower-cased, trimmed: the stored form of an e-mail identity. */
export const emailIdentityValue = (email: string): string => email.trim().toLowerCase();

export function phoneStrength(p: PhoneLike): Strength | null {
  if (!p.e164 || p.flags?.includes('placeholder')) return null;
  if (p.flags?.includes('national_only')) return 'weak';
  if (p.ext) return 'strong';
  const kind = lineKindOf(p.e164);
  if (kind === 'mobile') return 'strong';
  if (kind === 'fixed_or_mobile' && !p.e164.startsWith('+86')) return 'strong';
  return 'weak';
}

export function emailStrength(email: string): Strength {
  const local = email.trim().split('@')[0] ?? '';
  return ROLE_MAILBOX.test(local) ? 'weak' : 'strong';
}

/** The keys of a card or customer, de-duplicated, strong and weak. */
export function identityKeysOf(src: KeySource): IdentityKey[] {
  const out: IdentityKey[] = [];
  const seen = new Set<string>();
  const push = (k: IdentityKey) => {
    const id = `${k.kind}:${k.value}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(k);
  };
  for (const p of src.phones ?? []) {
    const strength = phoneStrength(p);
    const value = phoneIdentityValue(p);
    if (strength && value) push({ kind: 'phone', value, strength, ...(p.raw ? { raw: p.raw } : {}) });
  }
  for (const e of src.emails ?? []) {
    const value = emailIdentityValue(e);
    if (value.includes('@')) push({ kind: 'email', value, strength: emailStrength(value), raw: e });
  }
  const w = src.wechat?.trim();
  if (w) push({ kind: 'wechat', value: w, strength: 'strong' });
  return out;
}
