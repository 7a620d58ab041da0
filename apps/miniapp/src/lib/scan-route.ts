// Where a scan goes next, decided from the API's answer to POST /api/scan. Pure.

export type CardPhone = {
  e164: string | null;
  ext?: string | null;
  type?: string | null;
  raw: string;
  flags?: string[];
};
export type ScannedCard = {
  format: string;
  name?: string;
  family?: string;
  given?: string;
  org?: string;
  dept?: string[];
  title?: string;
  phones: CardPhone[];
  emails: string[];
  urls: string[];
  address?: string;
  note?: string;
  wechat?: string;
  link?: { kind: string; url: string };
};
export type Owner = { id: string; name: string };
export type CustomerBrief = {
  id: string;
  access: 'full' | 'limited';
  name: string;
  org: string | null;
  owner: Owner;
  title?: string | null;
};
export type ScanResponse = {
  result: 'existing' | 'ambiguous' | 'new';
  card: ScannedCard;
  customer?: CustomerBrief;
  candidates?: CustomerBrief[];
};

/** What the API call produced: a body, an HTTP error, or no network. */
export type ScanOutcome =
  | { ok: true; body: ScanResponse }
  | { ok: false; status: number; code: string; message: string };

export type ScanRoute =
  | { kind: 'existing'; customerId: string }
  | { kind: 'limited'; customer: CustomerBrief }
  | { kind: 'ambiguous'; candidates: CustomerBrief[]; card: ScannedCard }
  | { kind: 'new'; card: ScannedCard }
  | { kind: 'unreadable'; message: string }
  | { kind: 'error'; message: string };

export function routeScan(outcome: ScanOutcome): ScanRoute {
  if (!outcome.ok) {
    if (outcome.status === 422 || outcome.code === 'UNREADABLE_CARD') {
      return { kind: 'unreadable', message: '没有读出名片信息。可以重新扫描，或直接输入手机号查找。' };
    }
    if (outcome.status === 413)
      return { kind: 'unreadable', message: '二维码内容太长，不像是名片。可以直接输入手机号查找。' };
    if (outcome.status === 0) return { kind: 'error', message: '网络不可用，请联网后重试。' };
    return { kind: 'error', message: outcome.message || `识别失败（${outcome.status}）` };
  }
  const { body } = outcome;
  if (body.result === 'existing' && body.customer) {
    if (body.customer.access === 'limited') return { kind: 'limited', customer: body.customer };
    return { kind: 'existing', customerId: body.customer.id };
  }
  if (body.result === 'ambiguous' && body.candidates && body.candidates.length > 0) {
    // A single candidate is still the rep's choice: the API said it is not sure.
    return { kind: 'ambiguous', candidates: body.candidates, card: body.card };
  }
  return { kind: 'new', card: body.card };
}

/** The name to prefill on the new-customer form. */
export function cardDisplayName(card: ScannedCard): string {
  if (card.name) return card.name;
  return [card.family, card.given].filter(Boolean).join('');
}
