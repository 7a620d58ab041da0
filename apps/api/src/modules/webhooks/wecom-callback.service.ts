// The WeCom callback: URL verification and template_card_event → task change → card update (once).
import { schema } from '@crm/db';
import { and, eq } from 'drizzle-orm';
import type { WecomConfig } from '../../config';
import type { AppDeps } from '../../deps';
import { taskIdFromWecom, WECOM_BUTTONS, type WecomButtonKey } from '../../integrations/wecom/wecom.cards';
import { AppError } from '../../shared/errors';
import { parseWecomXml, verifyAndDecrypt } from './wecom-crypto';
import { applyCardEvent, recentWecomDelivery, taskOf } from './wecom-events.repo';

const UPDATE_WINDOW_MS = 72 * 3_600_000;

export type CallbackQuery = { msg_signature: string; timestamp: string; nonce: string; echostr?: string };

export function createWecomCallbackService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'logger' | 'platforms'>,
  cfg: WecomConfig,
) {
  const token = cfg.callbackToken as string;
  const aesKey = cfg.callbackAesKey as string;
  const open = (q: CallbackQuery, encrypt: string) => {
    const v = verifyAndDecrypt({
      token,
      aesKey,
      corpId: cfg.corpId,
      msgSignature: q.msg_signature,
      timestamp: q.timestamp,
      nonce: q.nonce,
      encrypt,
      nowMs: deps.clock.now().getTime(),
    });
    if (!v.ok) {
      deps.logger.warn({ reason: v.reason }, 'WeCom callback rejected');
      throw new AppError('UNAUTHORIZED', 'Callback signature check failed');
    }
    return v.message;
  };

  return {
    /** GET: the decrypted echostr, exactly. */
    verifyUrl: (q: CallbackQuery) => open(q, q.echostr ?? ''),

    /** POST: returns what happened (for logs and tests); the HTTP answer is an empty 200 either way. */
    async receive(q: CallbackQuery, body: string): Promise<string> {
      const outer = parseWecomXml(body);
      const ev = parseWecomXml(open(q, outer.Encrypt ?? ''));
      if (ev.MsgType !== 'event' || ev.Event !== 'template_card_event') return 'ignored';
      const key = ev.EventKey as WecomButtonKey;
      const taskId = taskIdFromWecom(ev.TaskId ?? '');
      if (!taskId || !(key in WECOM_BUTTONS) || !ev.FromUserName || !/^\d+$/.test(ev.CreateTime ?? ''))
        return 'ignored';
      const [tenant] = await deps.db
        .select({ id: schema.tenants.tenantId })
        .from(schema.tenants)
        .where(eq(schema.tenants.wecomCorpId, cfg.corpId))
        .limit(1);
      if (!tenant) return 'ignored';
      const [user] = await deps.db
        .select({ id: schema.users.id })
        .from(schema.users)
        .where(and(eq(schema.users.tenantId, tenant.id), eq(schema.users.wecomUserId, ev.FromUserName)))
        .limit(1);
      const task = await taskOf(deps.db, tenant.id, taskId);
      if (!user || !task || task.recipientId !== user.id) return 'ignored';
      const now = deps.clock.now();
      const result = await applyCardEvent(deps.db, {
        tenantId: tenant.id,
        userId: user.id,
        taskId,
        action: key,
        eventKey: `${ev.FromUserName}:${ev.CreateTime}`,
        now,
        payload: { taskId: ev.TaskId, key, createTime: ev.CreateTime },
      });
      if (result === 'duplicate') return 'duplicate';
      // After commit, outside any transaction: grey the button, once, inside the 72 h window.
      const sent = await recentWecomDelivery(deps.db, tenant.id, taskId, new Date(now.getTime() - UPDATE_WINDOW_MS));
      if (sent && ev.ResponseCode && deps.platforms.wecom) {
        await deps.platforms.wecom
          .updateButton({
            userIds: [ev.FromUserName],
            responseCode: ev.ResponseCode,
            replaceName: WECOM_BUTTONS[key].done,
          })
          .catch((e) => deps.logger.warn({ err: (e as Error).message, taskId }, 'update_template_card failed'));
      }
      return 'applied';
    },
  };
}
