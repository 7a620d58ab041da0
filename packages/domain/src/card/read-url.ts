// Card links: recognised by shape only, never fetched.
import type { CardLink } from './card-types';

/** Our own signed customer link: …/c/v1.<43 base64url>.<22 base64url> (verified by the API, not here). */
export const CRM_TOKEN = /^v1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22}$/;

type Rule = { kind: CardLink['kind']; host: RegExp; path: RegExp; app?: string; field?: 'id' | 'token' };

// The captured group becomes the link's id (or token).
const RULES: Rule[] = [
  { kind: 'wecom_member_card', host: /^work\.weixin\.qq\.com$/i, path: /^\/u\/(vc[0-9a-f]+)\/?$/i },
  { kind: 'wecom_contact_me', host: /^work\.weixin\.qq\.com$/i, path: /^\/(?:ca|kfid|gm)\/([A-Za-z0-9_-]+)\/?$/ },
  { kind: 'wecom_contact_me', host: /^wwm\.work\.weixin\.qq\.com$/i, path: /^\/.*?([A-Za-z0-9_-]{8,})\/?$/ },
  { kind: 'wechat_personal', host: /^u\.wechat\.com$/i, path: /^\/([A-Za-z0-9_-]{8,})\/?$/, field: 'token' },
  { kind: 'wechat_personal', host: /^weixin\.qq\.com$/i, path: /^\/r\/([A-Za-z0-9_-]{8,})\/?$/, field: 'token' },
  { kind: 'camcard_link', host: /(^|\.)camcard\.com$/i, path: /^\/info\/([A-Za-z0-9]+)\/?$/ },
  { kind: 'card_app_link', host: /(^|\.)camcard\.com$/i, path: /^\/.+/, app: 'camcard' },
  { kind: 'card_app_link', host: /(^|\.)maimai\.cn$/i, path: /^\/.+/, app: 'maimai' },
  { kind: 'card_app_link', host: /(^|\.)(mingpian|weimingpian)\.[a-z.]+$/i, path: /^\/.+/, app: 'mingpian' },
];

/** A payload that is one URL (http(s) or weixin://) → its link; null when it is not a single URL. */
export function readUrl(payload: string): CardLink | null {
  const t = payload.trim();
  if (/\s/.test(t) || t.length > 2048) return null;
  const wx = /^weixin:\/\/([a-z]+)\/([a-z]+)\/([^/?#]+)/i.exec(t);
  if (wx) return { kind: 'wechat_profile', url: t, id: decodeSafe(wx[3] as string) };
  if (/^weixin:\/\//i.test(t)) return { kind: 'wechat_profile', url: t };
  if (!/^https?:\/\//i.test(t)) return null;
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return null;
  }
  const token = /\/c\/([^/?#]+)\/?$/.exec(u.pathname)?.[1];
  if (token && CRM_TOKEN.test(token)) return { kind: 'crm_customer', url: t, token };
  for (const r of RULES) {
    if (!r.host.test(u.hostname)) continue;
    const m = r.path.exec(u.pathname);
    if (!m) continue;
    const link: CardLink = { kind: r.kind, url: t };
    if (r.app) link.app = r.app;
    if (m[1]) link[r.field ?? 'id'] = m[1];
    return link;
  }
  return { kind: 'website', url: t };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
