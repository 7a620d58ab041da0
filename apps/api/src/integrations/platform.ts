// The one typed interface every messaging platform adapter implements, and the
// errcode classification they share (decisions on errcode, never on errmsg).

export type Channel = 'wecom' | 'dingtalk';

/** A card as the delivery module describes it, platform-neutral; each adapter renders its own format. */
export type CardView = {
  kind: string;
  taskId: string;
  customer: { name: string; org?: string | null };
  rep?: { name: string } | null;
  /** The promise the rep made (the visit's core need) and when it was due. */
  promise?: string | null;
  dueAt?: Date | null;
  overdueHours?: number | null;
  /** Fulfilment scores of the customer's most recent orders, newest first (at most 3). */
  fulfilmentScores: (number | null)[];
  talkTrack?: string | null;
  seasonalTip?: string | null;
  /** The card's own title and text (payload.title / payload.text): what other kinds show. */
  title?: string | null;
  text?: string | null;
  /** The tenant's IANA zone: instants on the card are read on its wall clock. */
  timeZone?: string | null;
  /** Where the card opens in the mini-app (H5 URL). */
  link: string;
};

export type SendOutcome = {
  /** Platform message id (WeCom msgid) or async task id (DingTalk task_id). */
  messageId?: string;
  /** WeCom response_code for update_template_card (interactive cards only). */
  responseCode?: string;
  /** The platform already had this idempotency key (WeCom 42014): sent by an earlier attempt. */
  duplicate: boolean;
};

export type MessagingProvider = {
  channel: Channel;
  /**
   * The organisation this server's app sends into (WeCom corp id), when the platform says.
   * A tenant bound to another organisation is never sent through it: platform user ids are
   * only unique inside one organisation, so "zhangsan" there may be someone else here.
   */
  corpId?: string;
  /** `idempotencyKey` is stored before the call and reused on every retry (WeCom task_id). */
  sendCard(input: { platformUserId: string; card: CardView; idempotencyKey: string }): Promise<SendOutcome>;
};

export type PlatformErrorKind = 'config' | 'auth' | 'throttled' | 'transient' | 'permanent';

export class PlatformError extends Error {
  constructor(
    readonly platform: Channel,
    readonly kind: PlatformErrorKind,
    readonly errcode: number | null,
    message: string,
    /** For throttling: the least time to wait before trying again. */
    readonly retryAfterMs = 0,
  ) {
    super(`${platform} ${kind}${errcode === null ? '' : ` errcode ${errcode}`}: ${message}`);
    this.name = 'PlatformError';
  }
}

/** Codes meaning "this access_token is no good": drop it, refresh once, retry once. */
export const TOKEN_REJECTED = new Set([40014, 42001]);

const CONFIG: Record<Channel, Set<number>> = {
  // 40001 secret, 40013 corpid, 40056 agentid, 60020 server IP not trusted
  wecom: new Set([40001, 40013, 40056, 60020]),
  // 40089 appkey/appsecret, 40056 agent_id, 88 auth failure (sub_code, e.g. 60011 no permission)
  dingtalk: new Set([40001, 40089, 40056, 88]),
};
const THROTTLED: Record<Channel, Set<number>> = {
  wecom: new Set([45009, 45033]),
  dingtalk: new Set([90002, 90018, 143103, 143104, 45009]),
};
/** WeCom's minute limits block for 60 s; we wait at least that long. */
export const THROTTLE_WAIT_MS = 60_000;

export function classifyErrcode(platform: Channel, errcode: number, errmsg: unknown): PlatformError {
  const msg = typeof errmsg === 'string' ? errmsg.slice(0, 200) : '';
  if (errcode === -1) return new PlatformError(platform, 'transient', errcode, msg || 'system busy');
  if (TOKEN_REJECTED.has(errcode)) return new PlatformError(platform, 'auth', errcode, msg || 'access_token rejected');
  if (CONFIG[platform].has(errcode))
    return new PlatformError(platform, 'config', errcode, msg || 'configuration error');
  if (THROTTLED[platform].has(errcode))
    return new PlatformError(platform, 'throttled', errcode, msg || 'rate limited', THROTTLE_WAIT_MS);
  return new PlatformError(platform, 'permanent', errcode, msg || 'rejected');
}
