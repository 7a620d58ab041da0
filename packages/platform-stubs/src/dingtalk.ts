// DingTalk (钉钉) stand-in: gettoken, topapi/v2/user/getuserinfo, work notices
// (corpconversation/asyncsend_v2) and their send results (getsendresult).
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { FaultSwitch, installFaults, RollingCounter, type StubClock, TokenStore } from './common';
import { dingtalkInboxPage } from './pages';

export type DingtalkStubApp = { appKey: string; appSecret: string; agentId: number; users?: string[] };

export type DingtalkInboxEntry = {
  taskId: number;
  agentId: number;
  userid: string;
  msg: Record<string, unknown>;
  receivedAt: number;
  /** Not delivered: same content to the same user today, or over 500 a day. */
  forbidden: boolean;
};

const DAY = 86_400_000;
const MSG_MAX_BYTES = 2048;

export type DingtalkStubOptions = { apps: DingtalkStubApp[]; now?: StubClock; tokenTtlSeconds?: number };

export function createDingtalkStub(opts: DingtalkStubOptions) {
  const now = opts.now ?? Date.now;
  // A repeat gettoken returns the same token and extends it.
  const tokens = new TokenStore(now, opts.tokenTtlSeconds ?? 7200, true);
  const faults = new FaultSwitch();
  const perDay = new RollingCounter();
  const inbox: DingtalkInboxEntry[] = [];
  const sameContent = new Map<string, number>();
  const authCodes = new Map<string, { userid: string; issuedAt: number; used: boolean }>();
  const calls: Record<string, number> = {};
  let taskSeq = 100_000;

  const app: FastifyInstance = Fastify({ logger: false });
  installFaults(app, faults);
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    calls[path] = (calls[path] ?? 0) + 1;
  });
  const appOf = (token: string | undefined) => {
    const c = tokens.check(token);
    if (c.ok) return { app: opts.apps.find((a) => a.appKey === c.app) as DingtalkStubApp };
    return c.why === 'expired'
      ? { error: { errcode: 42001, errmsg: 'access_token超时' } }
      : { error: { errcode: 40014, errmsg: '不合法的access_token' } };
  };

  app.get<{ Querystring: { appkey?: string; appsecret?: string } }>('/gettoken', async (req) => {
    const a = opts.apps.find((x) => x.appKey === req.query.appkey && x.appSecret === req.query.appsecret);
    if (!a) return { errcode: 40089, errmsg: '不合法的corpid或corpsecret' };
    const t = tokens.issue(a.appKey);
    return { errcode: 0, errmsg: 'ok', access_token: t.token, expires_in: t.expiresIn };
  });

  app.post<{ Querystring: { access_token?: string }; Body: { code?: string } }>(
    '/topapi/v2/user/getuserinfo',
    async (req) => {
      const auth = appOf(req.query.access_token);
      if ('error' in auth) return auth.error;
      const c = req.body?.code ? authCodes.get(req.body.code) : undefined;
      if (!c || c.used || c.issuedAt < now() - 5 * 60_000) return { errcode: 40078, errmsg: '不存在的临时授权码' };
      c.used = true;
      return {
        errcode: 0,
        errmsg: 'ok',
        result: {
          userid: c.userid,
          name: c.userid,
          unionid: `u-${c.userid}`,
          associated_unionid: '',
          device_id: 'stub-device',
          sys: false,
          sys_level: 0,
        },
        request_id: randomBytes(6).toString('hex'),
      };
    },
  );

  app.post<{ Querystring: { access_token?: string }; Body: Record<string, unknown> }>(
    '/topapi/message/corpconversation/asyncsend_v2',
    async (req) => {
      const auth = appOf(req.query.access_token);
      if ('error' in auth) return auth.error;
      const body = req.body ?? {};
      if (Number(body.agent_id) !== auth.app.agentId) return { errcode: 40056, errmsg: '不合法的agentid' };
      const msg = body.msg as Record<string, unknown> | undefined;
      const raw = JSON.stringify(msg ?? null);
      if (!msg || Buffer.byteLength(raw) > MSG_MAX_BYTES) return { errcode: 40035, errmsg: '不合法的参数' };
      const users = String(body.userid_list ?? '')
        .split(',')
        .filter(Boolean);
      if (users.length === 0 || users.length > 100) return { errcode: 40035, errmsg: '不合法的参数' };
      const taskId = ++taskSeq;
      const t = now();
      for (const userid of users) {
        const day = Math.floor(t / DAY);
        const contentKey = `${auth.app.appKey}:${userid}:${day}:${raw}`;
        const key = `${auth.app.appKey}:${userid}`;
        const forbidden = sameContent.has(contentKey) || perDay.count(key, DAY, t) >= 500;
        if (!forbidden) {
          sameContent.set(contentKey, taskId);
          perDay.add(key, t);
        }
        inbox.push({ taskId, agentId: auth.app.agentId, userid, msg, receivedAt: t, forbidden });
      }
      return { errcode: 0, errmsg: 'ok', task_id: taskId, request_id: randomBytes(6).toString('hex') };
    },
  );

  app.post<{ Querystring: { access_token?: string }; Body: { agent_id?: number; task_id?: number } }>(
    '/topapi/message/corpconversation/getsendresult',
    async (req) => {
      const auth = appOf(req.query.access_token);
      if ('error' in auth) return auth.error;
      const rows = inbox.filter((e) => e.taskId === Number(req.body?.task_id) && e.agentId === auth.app.agentId);
      const users = (f: (e: DingtalkInboxEntry) => boolean) => rows.filter(f).map((e) => e.userid);
      return {
        errcode: 0,
        errmsg: 'ok',
        send_result: {
          invalid_user_id_list: users((e) => Boolean(auth.app.users && !auth.app.users.includes(e.userid))),
          forbidden_user_id_list: users((e) => e.forbidden),
          failed_user_id_list: [],
          read_user_id_list: [],
          unread_user_id_list: users((e) => !e.forbidden),
          invalid_dept_id_list: [],
          forbidden_list: [],
        },
      };
    },
  );

  app.get<{ Querystring: { userid?: string } }>('/_stub/inbox', async (req) =>
    inbox.filter((e) => !req.query.userid || e.userid === req.query.userid),
  );
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(dingtalkInboxPage(inbox)));
  app.get('/_stub/state', async () => ({ tokenFetches: tokens.fetches, calls }));
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
  app.post<{ Body: { userid: string } }>('/_stub/auth-code', async (req) => ({
    authCode: issueAuthCode(req.body.userid),
  }));

  function issueAuthCode(userid: string) {
    const code = randomBytes(16).toString('hex');
    authCodes.set(code, { userid, issuedAt: now(), used: false });
    return code;
  }

  return {
    app,
    faults,
    tokens,
    inbox,
    calls,
    phone: (userid: string) => inbox.filter((e) => e.userid === userid && !e.forbidden),
    issueAuthCode,
  };
}

export type DingtalkStub = ReturnType<typeof createDingtalkStub>;
