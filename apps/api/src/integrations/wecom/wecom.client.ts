// WeCom adapter: access token (shared cache), message/send, update_template_card, jscode2session.
import type { Db } from '@crm/db';
import { schema } from '@crm/db';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { WecomConfig } from '../../config';
import type { Clock } from '../../shared/clock';
import { DEFAULT_TIMEOUT_MS, requestJson, withQuery } from '../http';
import { classifyErrcode, type MessagingProvider, PlatformError, TOKEN_REJECTED } from '../platform';
import { createTokenCache } from '../token-cache';
import { renderWecomCard } from './wecom.cards';

export type WecomClientDeps = {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: WecomConfig;
  baseUrl: string;
  timeoutMs?: number;
};

export type WecomClient = MessagingProvider & {
  corpId: string;
  agentId: number;
  /** jscode2session: the mini-program code → corp and member; session_key stays here. */
  codeToSession(code: string): Promise<{ corpId: string; userId: string }>;
  updateButton(input: { userIds: string[]; responseCode: string; replaceName: string }): Promise<void>;
  readonly tokenFetches: number;
};

const DUPLICATE_TASK_ID = 42014;

export function createWecomClient(deps: WecomClientDeps): WecomClient {
  const { config } = deps;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const tokens = createTokenCache(deps, {
    provider: 'wecom',
    appKey: `${config.corpId}/${config.agentId}`,
    ownerTenant: async () => {
      const [row] = await deps.db
        .select({ id: schema.tenants.tenantId })
        .from(schema.tenants)
        .where(eq(schema.tenants.wecomCorpId, config.corpId))
        .limit(1);
      return row?.id;
    },
    fetchToken: async () => {
      const url = withQuery(deps.baseUrl, 'cgi-bin/gettoken', { corpid: config.corpId, corpsecret: config.secret });
      const res = await requestJson('wecom', url, { timeoutMs });
      if (res.errcode || typeof res.access_token !== 'string') {
        const err = classifyErrcode('wecom', Number(res.errcode ?? -1), res.errmsg);
        // A rejected secret/corp id is a configuration error: say so loudly, do not loop.
        if (err.kind === 'config' || err.kind === 'auth')
          throw new PlatformError(
            'wecom',
            'config',
            err.errcode,
            `gettoken refused: check WECOM_CORP_ID / WECOM_SECRET (${err.message})`,
          );
        throw err;
      }
      return { token: res.access_token, expiresInSeconds: Number(res.expires_in ?? 7200) };
    },
  });

  /** One API call: on a rejected token, drop it, refresh once and retry once; then surface the error. */
  async function call(path: string, opts: { method: 'GET' | 'POST'; query?: Record<string, string>; body?: unknown }) {
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.get();
      const url = withQuery(deps.baseUrl, path, { ...(opts.query ?? {}), access_token: token });
      const res = await requestJson('wecom', url, { method: opts.method, body: opts.body, timeoutMs });
      const code = Number(res.errcode ?? 0);
      if (code === 0) return { res, code };
      if (TOKEN_REJECTED.has(code) && attempt === 0) {
        await tokens.invalidate(token);
        continue;
      }
      if (code === DUPLICATE_TASK_ID) return { res, code };
      throw classifyErrcode('wecom', code, res.errmsg);
    }
  }

  return {
    channel: 'wecom',
    corpId: config.corpId,
    agentId: config.agentId,
    get tokenFetches() {
      return tokens.fetches;
    },
    async sendCard({ platformUserId, card, idempotencyKey }) {
      const { res, code } = await call('cgi-bin/message/send', {
        method: 'POST',
        body: {
          touser: platformUserId,
          msgtype: 'template_card',
          agentid: config.agentId,
          template_card: renderWecomCard(card, idempotencyKey),
          enable_id_trans: 0,
          enable_duplicate_check: 0,
        },
      });
      // 42014: this task_id was accepted before — an earlier attempt delivered the card.
      if (code === DUPLICATE_TASK_ID) return { duplicate: true };
      const invalid = String(res.invaliduser ?? '')
        .split('|')
        .filter(Boolean);
      if (invalid.includes(platformUserId.toLowerCase()))
        throw new PlatformError('wecom', 'permanent', 81013, `recipient ${platformUserId} is not a member`);
      return {
        duplicate: false,
        messageId: typeof res.msgid === 'string' ? res.msgid : undefined,
        responseCode: typeof res.response_code === 'string' ? res.response_code : undefined,
      };
    },
    async updateButton({ userIds, responseCode, replaceName }) {
      await call('cgi-bin/message/update_template_card', {
        method: 'POST',
        body: {
          userids: userIds,
          agentid: config.agentId,
          response_code: responseCode,
          button: { replace_name: replaceName },
        },
      });
    },
    async codeToSession(code) {
      const { res } = await call('cgi-bin/miniprogram/jscode2session', {
        method: 'GET',
        query: { js_code: code, grant_type: 'authorization_code' },
      });
      // session_key is deliberately dropped here: it never leaves this function.
      const corpId = typeof res.corpid === 'string' ? res.corpid : '';
      const userId = typeof res.userid === 'string' ? res.userid : '';
      if (!corpId || !userId)
        throw new PlatformError('wecom', 'permanent', null, 'jscode2session returned no corpid/userid');
      return { corpId, userId };
    },
  };
}
