// Links carried by WeCom / DingTalk message cards land on a page. Two forms are accepted:
//   H5:   https://host/#/pages/tasks/index?taskId=…   (Taro's hash router opens it as is)
//   both: ?go=task&id=…  |  ?go=customer&id=…  |  ?go=tasks
// `routeFromQuery` turns the second form into a page path. Pure.

export type LinkQuery = Record<string, string | undefined>;

const ID = /^[0-9a-fA-F-]{8,64}$/;

export type LinkTarget = { url: string; tab: boolean; taskId?: string };

export function routeFromQuery(query: LinkQuery): LinkTarget | null {
  const go = query.go;
  const id = query.id && ID.test(query.id) ? query.id : undefined;
  if (go === 'customer' && id) return { url: `/pages/customer/index?id=${id}`, tab: false };
  // Tab pages open with switchTab, which carries no query: the task id travels beside it.
  if (go === 'task' && id) return { url: '/pages/tasks/index', tab: true, taskId: id };
  if (go === 'task' || go === 'tasks') return { url: '/pages/tasks/index', tab: true };
  if (go === 'visit' && id) return { url: `/pages/visit/index?customerId=${id}`, tab: false };
  return null;
}

export function parseQueryString(search: string): LinkQuery {
  const out: LinkQuery = {};
  for (const part of search.replace(/^[?#]/, '').split('&')) {
    if (!part) continue;
    const [k, v = ''] = part.split('=');
    try {
      out[decodeURIComponent(k as string)] = decodeURIComponent(v.replace(/\+/g, ' '));
    } catch {
      // a malformed escape: skip that pair
    }
  }
  return out;
}

/**
 * The log-in page for a user who opened a link (a card, a customer QR) without a session:
 * after logging in they land where the link pointed, not on the home page.
 */
export function loginUrlFor(query: LinkQuery): string {
  const target = routeFromQuery(query);
  return target ? `/pages/login/index?redirect=${encodeURIComponent(target.url)}` : '/pages/login/index';
}
