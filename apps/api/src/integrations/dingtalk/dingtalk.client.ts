// DingTalk adapter: access token (shared cache), work notices (asyncsend_v2, async task ids),
// send results, and the mini-app log-in (topapi/v2/user/getuserinfo).
import { type Db, schema } from '@crm/db';
import { asc, isNotNull } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { DingtalkConfig } from '../../config';
import type { Clock } from '../../shared/clock';
import { DEFAULT_TIMEOUT_MS, requestJson, withQuery } from '../http';
import { classifyErrcode, type MessagingProvider, PlatformError, TOKEN_REJECTED } from '../platform';
import { createTokenCache } from '../token-cache';
import { renderDingtalkMsg } from './dingtalk.cards';

export type DingtalkClientDeps = {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: DingtalkConfig;
  baseUrl: string;
  timeoutMs?: number;
};

export type DingtalkSendResult = { delivered: string[]; forbidden: string[]; invalid: string[]; failed: string[] };

export type DingtalkClient = MessagingProvider & {
  authCodeToUser(authCode: string): Promise<{ userId: string }>;
  sendResult(taskId: string): Promise<DingtalkSendResult>;
  readonly tokenFetches: number;
};

export function createDingtalkClient(deps: DingtalkClientDeps): DingtalkClient {
  const { config } = deps;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const tokens = createTokenCache(deps, {
    provider: 'dingtalk',
    appKey: config.appKey,
    // The app belongs to one corp; its token row lives with the first tenant bound to a DingTalk corp.
    ownerTenant: async () => {
      const [row] = await deps.db
        .select({ id: schema.tenants.tenantId })
        .from(schema.tenants)
        .where(isNotNull(schema.tenants.dingtalkCorpId))
        .orderBy(asc(schema.tenants.createdAt))
        .limit(1);
      return row?.id;
    },
    fetchToken: async () => {
      const url = withQuery(deps.baseUrl, 'gettoken', { appkey: config.appKey, appsecret: config.appSecret });
      const res = await requestJson('dingtalk', url, { timeoutMs });
      if (res.errcode || typeof res.access_token !== 'string') {
        const err = classifyErrcode('dingtalk', Number(res.errcode ?? -1), res.errmsg);
        if (err.kind === 'config' || err.kind === 'auth' || err.kind === 'permanent')
          throw new PlatformError(
            'dingtalk',
            'config',
            err.errcode,
            `gettoken refused: check DINGTALK_APP_KEY / DINGTALK_APP_SECRET (${err.message})`,
          );
        throw err;
      }
      return { token: res.access_token, expiresInSeconds: Number(res.expires_in ?? 7200) };
    },
  });

  async function post(path: string, body: unknown) {
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.get();
      const res = await requestJson('dingtalk', withQuery(deps.baseUrl, path, { access_token: token }), {
        method: 'POST',
        body,
        timeoutMs,
      });
      const code = Number(res.errcode ?? 0);
      if (code === 0) return res;
      if (TOKEN_REJECTED.has(code) && attempt === 0) {
        await tokens.invalidate(token);
        continue;
      }
      throw classifyErrcode('dingtalk', code, res.errmsg);
    }
  }

  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

  return {
    channel: 'dingtalk',
    get tokenFetches() {
      return tokens.fetches;
    },
    async sendCard({ platformUserId, card }) {
      const res = await post('topapi/message/corpconversation/asyncsend_v2', {
        agent_id: config.agentId,
        userid_list: platformUserId,
        msg: renderDingtalkMsg(card),
      });
      // Asynchronous: the task_id is the handle for getsendresult.
      return { duplicate: false, messageId: res.task_id === undefined ? undefined : String(res.task_id) };
    },
    async sendResult(taskId) {
      const res = await post('topapi/message/corpconversation/getsendresult', {
        agent_id: config.agentId,
        task_id: Number(taskId),
      });
      const r = (res.send_result ?? {}) as Record<string, unknown>;
      return {
        delivered: [...list(r.read_user_id_list), ...list(r.unread_user_id_list)],
        forbidden: list(r.forbidden_user_id_list),
        invalid: list(r.invalid_user_id_list),
        failed: list(r.failed_user_id_list),
      };
    },
    async authCodeToUser(authCode) {
      const res = await post('topapi/v2/user/getuserinfo', { code: authCode });
      const userId = (res.result as { userid?: unknown } | undefined)?.userid;
      if (typeof userId !== 'string' || !userId)
        throw new PlatformError('dingtalk', 'permanent', null, 'getuserinfo returned no userid');
      return { userId };
    },
  };
}
