// WeCom (企业微信) stand-in: gettoken, miniprogram/jscode2session, message/send,
// message/update_template_card, and signed + encrypted template_card_event callbacks.
import { randomBytes } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { FaultSwitch, installFaults, RollingCounter, type StubClock, TokenStore } from './common';
import { wecomInboxPage } from './pages';

export type WecomStubApp = {
  corpId: string;
  secret: string;
  agentId: number;
  /** Known member userids; undefined = everyone exists. */
  users?: string[];
  callbackToken?: string;
  callbackAesKey?: string;
  /** Where `/_stub/press` POSTs callbacks (e.g. http://127.0.0.1:3000/api/webhooks/wecom). */
  callbackUrl?: string;
};

export type WecomInboxEntry = {
  msgid: string;
  agentId: number;
  userid: string;
  msgtype: string;
  body: Record<string, unknown>;
  taskId?: string;
  responseCode?: string;
  receivedAt: number;
  /** Silently dropped by the per-member limit: the API said ok, the phone shows nothing. */
  dropped: boolean;
  /** replace_name of the button after update_template_card. */
  replacedWith?: string;
  updates: number;
};

export type CallbackRequest = { query: Record<string, string>; body: string; contentType: string };

const MINUTE = 60_000;
const HOUR = 3_600_000;
const RESPONSE_CODE_TTL = 72 * HOUR;
const TASK_ID_RE = /^[0-9A-Za-z_\-@]{1,128}$/;

export type WecomStubOptions = {
  apps: WecomStubApp[];
  now?: StubClock;
  tokenTtlSeconds?: number;
  perMemberPerMinute?: number;
  perMemberPerHour?: number;
};

export function createWecomStub(opts: WecomStubOptions) {
  const now = opts.now ?? Date.now;
  const perMinute = opts.perMemberPerMinute ?? 30;
  const perHour = opts.perMemberPerHour ?? 1000;
  const tokens = new TokenStore(now, opts.tokenTtlSeconds ?? 7200, false);
  const faults = new FaultSwitch();
  const rate = new RollingCounter();
  const inbox: WecomInboxEntry[] = [];
  const taskIds = new Set<string>();
  const responseCodes = new Map<
    string,
    { app: string; taskId?: string; userids: string[]; issuedAt: number; used: boolean }
  >();
  const loginCodes = new Map<string, { corpId: string; userid: string; issuedAt: number; used: boolean }>();
  const calls: Record<string, number> = {};
  const appKey = (a: WecomStubApp) => `${a.corpId}/${a.agentId}`;
  const appByKey = (k: string) => opts.apps.find((a) => appKey(a) === k);
  let msgSeq = 0;

  const app: FastifyInstance = Fastify({ logger: false });
  installFaults(app, faults);
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    calls[path] = (calls[path] ?? 0) + 1;
  });

  const tokenError = (token: string | undefined) => {
    const c = tokens.check(token);
    if (c.ok) return { app: appByKey(c.app) as WecomStubApp };
    return c.why === 'expired'
      ? { error: { errcode: 42001, errmsg: 'access_token expired' } }
      : { error: { errcode: 40014, errmsg: 'invalid access_token' } };
  };

  app.get<{ Querystring: { corpid?: string; corpsecret?: string } }>('/cgi-bin/gettoken', async (req) => {
    const byCorp = opts.apps.filter((a) => a.corpId === req.query.corpid);
    if (byCorp.length === 0) return { errcode: 40013, errmsg: 'invalid corpid' };
    const a = byCorp.find((x) => x.secret === req.query.corpsecret);
    if (!a) return { errcode: 40001, errmsg: 'invalid credential' };
    const t = tokens.issue(appKey(a));
    return { errcode: 0, errmsg: 'ok', access_token: t.token, expires_in: t.expiresIn };
  });

  app.get<{ Querystring: { access_token?: string; js_code?: string; grant_type?: string } }>(
    '/cgi-bin/miniprogram/jscode2session',
    async (req) => {
      const auth = tokenError(req.query.access_token);
      if ('error' in auth) return auth.error;
      if (req.query.grant_type !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
      const c = req.query.js_code ? loginCodes.get(req.query.js_code) : undefined;
      if (!c || c.used || c.issuedAt < now() - 5 * MINUTE) return { errcode: 40029, errmsg: 'invalid code' };
      c.used = true;
      return {
        errcode: 0,
        errmsg: 'ok',
        corpid: c.corpId,
        userid: c.userid,
        session_key: randomBytes(16).toString('base64'),
        deviceid: 'stub-device',
      };
    },
  );

  app.post<{ Querystring: { access_token?: string }; Body: Record<string, unknown> }>(
    '/cgi-bin/message/send',
    async (req) => {
      const auth = tokenError(req.query.access_token);
      if ('error' in auth) return auth.error;
      const a = auth.app;
      const body = req.body ?? {};
      if (Number(body.agentid) !== a.agentId) return { errcode: 40056, errmsg: 'invalid agentid' };
      const msgtype = String(body.msgtype ?? '');
      const card =
        msgtype === 'template_card' ? (body.template_card as Record<string, unknown> | undefined) : undefined;
      if (msgtype === 'template_card' && !card) return { errcode: 40008, errmsg: 'invalid message type' };
      const taskId = typeof card?.task_id === 'string' ? card.task_id : undefined;
      const interactive = card?.card_type === 'button_interaction';
      if (interactive && !taskId) return { errcode: 40058, errmsg: 'task_id required' };
      if (taskId !== undefined) {
        if (!TASK_ID_RE.test(taskId)) return { errcode: 40058, errmsg: 'invalid task_id' };
        const k = `${appKey(a)}:${taskId}`;
        if (taskIds.has(k)) return { errcode: 42014, errmsg: 'task_id exist' };
        taskIds.add(k);
      }
      const to = String(body.touser ?? '')
        .split('|')
        .filter(Boolean);
      const invalid = to.filter((u) => a.users && !a.users.includes(u));
      const valid = to.filter((u) => !invalid.includes(u));
      if (valid.length === 0) return { errcode: 81013, errmsg: 'user & party & tag all invalid' };
      const msgid = `stub-msg-${++msgSeq}-${randomBytes(4).toString('hex')}`;
      const responseCode = interactive ? randomBytes(24).toString('base64url') : undefined;
      if (responseCode)
        responseCodes.set(responseCode, { app: appKey(a), taskId, userids: valid, issuedAt: now(), used: false });
      const t = now();
      for (const userid of valid) {
        const key = `${appKey(a)}:${userid}`;
        const dropped = rate.count(key, MINUTE, t) >= perMinute || rate.count(key, HOUR, t) >= perHour;
        if (!dropped) rate.add(key, t);
        inbox.push({
          msgid,
          agentId: a.agentId,
          userid,
          msgtype,
          body,
          taskId,
          responseCode,
          receivedAt: t,
          dropped,
          updates: 0,
        });
      }
      return {
        errcode: 0,
        errmsg: 'ok',
        invaliduser: invalid.map((u) => u.toLowerCase()).join('|'),
        invalidparty: '',
        invalidtag: '',
        msgid,
        ...(responseCode ? { response_code: responseCode } : {}),
      };
    },
  );

  app.post<{ Querystring: { access_token?: string }; Body: Record<string, unknown> }>(
    '/cgi-bin/message/update_template_card',
    async (req) => {
      const auth = tokenError(req.query.access_token);
      if ('error' in auth) return auth.error;
      const body = req.body ?? {};
      if (Number(body.agentid) !== auth.app.agentId) return { errcode: 40056, errmsg: 'invalid agentid' };
      const code = typeof body.response_code === 'string' ? responseCodes.get(body.response_code) : undefined;
      // Each response_code works once, within 72 h (the exact errcode is the stand-in's choice).
      if (!code || code.used || code.issuedAt < now() - RESPONSE_CODE_TTL || code.app !== appKey(auth.app))
        return { errcode: 40058, errmsg: 'invalid response_code' };
      code.used = true;
      const userids = Array.isArray(body.userids) ? (body.userids as string[]) : code.userids;
      const replaceName = (body.button as { replace_name?: string } | undefined)?.replace_name;
      for (const e of inbox)
        if (e.taskId === code.taskId && userids.includes(e.userid) && !e.dropped) {
          e.updates += 1;
          if (replaceName) e.replacedWith = replaceName;
        }
      return { errcode: 0, errmsg: 'ok', invaliduser: [] };
    },
  );

  /** Builds the signed, encrypted callback WeCom would POST when `userid` presses `key` on card `taskId`. */
  function buildButtonCallback(p: {
    userid: string;
    taskId: string;
    key: string;
    createTime?: number;
  }): CallbackRequest {
    const entry = inbox.find((e) => e.taskId === p.taskId && e.userid === p.userid && !e.dropped);
    if (!entry) throw new Error(`no card ${p.taskId} in ${p.userid}'s inbox`);
    const a = opts.apps.find((x) => x.agentId === entry.agentId) as WecomStubApp;
    const responseCode = randomBytes(24).toString('base64url');
    responseCodes.set(responseCode, {
      app: appKey(a),
      taskId: p.taskId,
      userids: [p.userid],
      issuedAt: now(),
      used: false,
    });
    const createTime = p.createTime ?? Math.floor(now() / 1000);
    const xml =
      `<xml><ToUserName><![CDATA[${a.corpId}]]></ToUserName><FromUserName><![CDATA[${p.userid}]]></FromUserName>` +
      `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
      `<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${p.key}]]></EventKey>` +
      `<TaskId><![CDATA[${p.taskId}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>` +
      `<ResponseCode><![CDATA[${responseCode}]]></ResponseCode><AgentID>${a.agentId}</AgentID></xml>`;
    return sealCallback(a, xml);
  }

  /** Encrypts and signs any plaintext XML for the app's callback URL (tests forge variants with it). */
  function sealCallback(a: WecomStubApp, xml: string, over: { timestamp?: number; receiveId?: string } = {}) {
    if (!a.callbackToken || !a.callbackAesKey) throw new Error('the stub app has no callback token/AES key');
    const enc = encrypt(a.callbackAesKey, xml, over.receiveId ?? a.corpId);
    const timestamp = String(over.timestamp ?? Math.floor(now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    return {
      query: { msg_signature: getSignature(a.callbackToken, timestamp, nonce, enc), timestamp, nonce },
      body: `<xml><ToUserName><![CDATA[${a.corpId}]]></ToUserName><AgentID><![CDATA[${a.agentId}]]></AgentID><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`,
      contentType: 'text/xml',
    };
  }

  /** The GET URL-verification request WeCom sends when the callback URL is saved. */
  function buildVerification(a: WecomStubApp, echo = randomBytes(8).toString('hex')) {
    if (!a.callbackToken || !a.callbackAesKey) throw new Error('the stub app has no callback token/AES key');
    const echostr = encrypt(a.callbackAesKey, echo, a.corpId);
    const timestamp = String(Math.floor(now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    return {
      plaintext: echo,
      query: { msg_signature: getSignature(a.callbackToken, timestamp, nonce, echostr), timestamp, nonce, echostr },
    };
  }

  // Control routes for people and scripts (never part of the platform's API).
  app.get<{ Querystring: { userid?: string; all?: string } }>('/_stub/inbox', async (req) =>
    inbox.filter((e) => (!req.query.userid || e.userid === req.query.userid) && (req.query.all || !e.dropped)),
  );
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(wecomInboxPage(inbox)));
  app.get('/_stub/state', async () => ({
    tokenFetches: tokens.fetches,
    calls,
    dropped: inbox.filter((e) => e.dropped).length,
  }));
  app.post<{ Body: Parameters<FaultSwitch['push']>[0] }>('/_stub/faults', async (req) => {
    faults.push(req.body);
    return { ok: true };
  });
  app.delete('/_stub/faults', async () => {
    faults.clear();
    return { ok: true };
  });
  app.post('/_stub/revoke', async () => {
    tokens.revokeAll();
    return { ok: true };
  });
  app.post<{ Body: { userid: string; corpid?: string } }>('/_stub/login-code', async (req) => ({
    code: issueLoginCode(req.body.userid, req.body.corpid),
  }));
  app.post<{ Body: { userid: string; taskId: string; key: string } }>('/_stub/press', async (req, reply) => {
    const entry = inbox.find((e) => e.taskId === req.body.taskId && e.userid === req.body.userid);
    const a = opts.apps.find((x) => x.agentId === entry?.agentId);
    if (!a?.callbackUrl) return reply.code(400).send({ error: 'no card or no callbackUrl configured' });
    const cb = buildButtonCallback(req.body);
    const res = await fetch(`${a.callbackUrl}?${new URLSearchParams(cb.query)}`, {
      method: 'POST',
      headers: { 'content-type': cb.contentType },
      body: cb.body,
      signal: AbortSignal.timeout(5000),
    });
    return { status: res.status, body: await res.text() };
  });

  function issueLoginCode(userid: string, corpId = opts.apps[0]?.corpId ?? '') {
    const code = randomBytes(16).toString('hex');
    loginCodes.set(code, { corpId, userid, issuedAt: now(), used: false });
    return code;
  }

  return {
    app,
    faults,
    tokens,
    inbox,
    calls,
    /** What the user's phone shows: delivered (not dropped) messages, oldest first. */
    phone: (userid: string) => inbox.filter((e) => e.userid === userid && !e.dropped),
    issueLoginCode,
    buildButtonCallback,
    buildVerification,
    sealCallback,
  };
}

export type WecomStub = ReturnType<typeof createWecomStub>;
