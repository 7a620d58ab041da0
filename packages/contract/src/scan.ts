import { type Static, Type } from 'typebox';
import { Uuid } from './common';

/** Scanner payloads are at most 4 KiB (UTF-8 bytes); larger → 413. */
export const SCAN_PAYLOAD_MAX_BYTES = 4096;

const Str = (maxLength: number) => Type.String({ maxLength });

export const PhoneType = Type.Union([
  Type.Literal('cell'),
  Type.Literal('work'),
  Type.Literal('home'),
  Type.Literal('fax'),
  Type.Null(),
]);

export const CardPhone = Type.Object({
  e164: Type.Union([Str(32), Type.Null()]),
  ext: Type.Optional(Str(16)),
  type: Type.Optional(PhoneType),
  raw: Str(128),
  flags: Type.Optional(Type.Array(Str(32), { maxItems: 8 })),
  label: Type.Optional(Str(64)),
  pref: Type.Optional(Type.Boolean()),
});

export const CardLink = Type.Object({
  kind: Str(32),
  url: Str(4096),
  id: Type.Optional(Str(256)),
  token: Type.Optional(Str(256)),
  app: Type.Optional(Str(32)),
  /** crm_customer links only: whether the signature and tenant checked out. */
  verified: Type.Optional(Type.Boolean()),
});

export const AddressParts = Type.Object({
  poBox: Type.Optional(Str(256)),
  ext: Type.Optional(Str(256)),
  street: Type.Optional(Str(512)),
  locality: Type.Optional(Str(256)),
  region: Type.Optional(Str(256)),
  postalCode: Type.Optional(Str(32)),
  country: Type.Optional(Str(128)),
});

export const Card = Type.Object({
  format: Type.Union([
    Type.Literal('vcard'),
    Type.Literal('mecard'),
    Type.Literal('bizcard'),
    Type.Literal('url'),
    Type.Literal('text'),
  ]),
  name: Type.Optional(Str(256)),
  family: Type.Optional(Str(128)),
  given: Type.Optional(Str(128)),
  suffixes: Type.Optional(Type.Array(Str(64), { maxItems: 10 })),
  altNames: Type.Optional(Type.Array(Str(256), { maxItems: 10 })),
  nickname: Type.Optional(Str(128)),
  org: Type.Optional(Str(256)),
  dept: Type.Optional(Type.Array(Str(256), { maxItems: 10 })),
  title: Type.Optional(Str(256)),
  altTitles: Type.Optional(Type.Array(Str(256), { maxItems: 10 })),
  phones: Type.Array(CardPhone, { maxItems: 50 }),
  emails: Type.Array(Str(254), { maxItems: 50 }),
  urls: Type.Array(Str(4096), { maxItems: 50 }),
  address: Type.Optional(Str(1024)),
  addressParts: Type.Optional(AddressParts),
  note: Type.Optional(Str(4096)),
  wechat: Type.Optional(Str(64)),
  im: Type.Optional(Type.Array(Type.Object({ service: Str(32), id: Str(256) }), { maxItems: 20 })),
  link: Type.Optional(CardLink),
  flags: Type.Optional(Type.Array(Str(32), { maxItems: 10 })),
});
export type Card = Static<typeof Card>;

export const ScanBody = Type.Object(
  {
    // Byte length is checked before validation (413); this bound is only the schema's ceiling.
    payload: Type.String({ maxLength: SCAN_PAYLOAD_MAX_BYTES }),
    rawData: Type.Optional(Type.String({ maxLength: 6000 })),
  },
  { additionalProperties: false },
);
export type ScanBody = Static<typeof ScanBody>;

/** The unified customer view; its full shape belongs to the customers module. */
export const ScanCustomerView = Type.Object(
  {
    id: Uuid,
    access: Type.Union([Type.Literal('full'), Type.Literal('limited')]),
    name: Type.String(),
    org: Type.Union([Type.String(), Type.Null()]),
    owner: Type.Object({ id: Uuid, name: Type.String() }),
  },
  { additionalProperties: true },
);

export const ScanCandidate = Type.Object({
  id: Uuid,
  name: Type.String(),
  org: Type.Union([Type.String(), Type.Null()]),
  owner: Type.Object({ id: Uuid, name: Type.String() }),
  access: Type.Union([Type.Literal('full'), Type.Literal('limited')]),
  /** Which keys of the card this customer holds ("phone", "email", "wechat", "card_token", "name"). */
  matchedOn: Type.Array(Str(32)),
  score: Type.Number(),
});

export const ScanResponse = Type.Object({
  result: Type.Union([Type.Literal('existing'), Type.Literal('ambiguous'), Type.Literal('new')]),
  card: Card,
  customer: Type.Optional(ScanCustomerView),
  candidates: Type.Optional(Type.Array(ScanCandidate)),
});
export type ScanResponse = Static<typeof ScanResponse>;

const PhoneInput = Type.Union([
  Str(64),
  Type.Object({
    raw: Type.String({ minLength: 1, maxLength: 64 }),
    ext: Type.Optional(Type.Union([Type.String({ maxLength: 16, pattern: '^[0-9]*$' }), Type.Null()])),
    type: Type.Optional(PhoneType),
    e164: Type.Optional(Type.Union([Str(32), Type.Null()])),
    flags: Type.Optional(Type.Array(Str(32), { maxItems: 8 })),
    label: Type.Optional(Str(64)),
    pref: Type.Optional(Type.Boolean()),
  }),
]);

export const CreateCustomerBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    org: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    dept: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 10 })),
    title: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    industry: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    phones: Type.Optional(Type.Array(PhoneInput, { maxItems: 20 })),
    emails: Type.Optional(Type.Array(Type.String({ maxLength: 254 }), { maxItems: 20 })),
    wechat: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    address: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 30 })),
    /** The scanned card this customer was drafted from (kept for audit and re-parsing). */
    card: Type.Optional(Card),
  },
  { additionalProperties: false },
);
export type CreateCustomerBody = Static<typeof CreateCustomerBody>;

/** 409 of POST /api/customers: the customer that already holds the phone/e-mail/chat id. */
export const DuplicateIdentityError = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
    customerId: Uuid,
  }),
});
