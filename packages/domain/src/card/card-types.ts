// The contract's `card`: what a business-card QR payload says, normalised.
import type { NormalizedPhone } from '../phone/normalize-phone';

export type CardFormat = 'vcard' | 'mecard' | 'bizcard' | 'url' | 'text';

export type CardPhone = NormalizedPhone & { label?: string; pref?: boolean };

export type LinkKind =
  | 'wecom_member_card'
  | 'wecom_contact_me'
  | 'wechat_profile'
  | 'wechat_personal'
  | 'camcard_link'
  | 'card_app_link'
  | 'crm_customer'
  | 'website';

export type CardLink = {
  kind: LinkKind;
  url: string;
  id?: string;
  token?: string;
  app?: string;
  /** crm_customer only, set by the API after checking the signature and tenant. */
  verified?: boolean;
};

export type AddressParts = {
  poBox?: string;
  ext?: string;
  street?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
};

export type CardIm = { service: string; id: string };

/** Card-level notes about how the payload was read. */
export type CardFlag =
  | 'mojibake_repaired' // UTF-8 text had been read as a single-byte charset; repaired
  | 'decoded_raw_gb18030' // rawData was not UTF-8; decoded as GB18030
  | 'truncated' // BEGIN without END: read what was there
  | 'merged_cards' // several vCards of the same person (e.g. two languages)
  | 'extra_cards_ignored'; // several vCards of different people: the first one is read

export type Card = {
  format: CardFormat;
  name?: string;
  family?: string;
  given?: string;
  suffixes?: string[];
  altNames?: string[];
  nickname?: string;
  org?: string;
  dept?: string[];
  title?: string;
  altTitles?: string[];
  phones: CardPhone[];
  emails: string[];
  urls: string[];
  address?: string;
  addressParts?: AddressParts;
  note?: string;
  wechat?: string;
  im?: CardIm[];
  link?: CardLink;
  flags?: CardFlag[];
};

export type ReadResult = { ok: true; card: Card } | { ok: false; reason: UnreadableReason; message: string };

export type UnreadableReason = 'empty' | 'binary' | 'not_a_card' | 'website' | 'no_contact_fields';
