// `npm run stubs`: both stand-ins on loopback with a demo corp, and the variables that point the API at them.
import { startStubs } from './index';

const env = process.env;
const corpId = env.WECOM_CORP_ID ?? 'wwstubcorp0001';
const agentId = Number(env.WECOM_AGENT_ID ?? 1000002);
const secret = env.WECOM_SECRET ?? 'stub-wecom-secret';
const token = env.WECOM_CALLBACK_TOKEN ?? 'stubcallbacktoken';
const aesKey = env.WECOM_CALLBACK_AES_KEY ?? 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const apiUrl = env.STUB_CALLBACK_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}/api/webhooks/wecom`;
const dd = { appKey: env.DINGTALK_APP_KEY ?? 'stub-dd-key', appSecret: env.DINGTALK_APP_SECRET ?? 'stub-dd-secret' };
const ddAgent = Number(env.DINGTALK_AGENT_ID ?? 2000001);

const stubs = await startStubs({
  wecomPort: Number(env.STUB_WECOM_PORT ?? 4001),
  dingtalkPort: Number(env.STUB_DINGTALK_PORT ?? 4002),
  wecom: {
    apps: [{ corpId, agentId, secret, callbackToken: token, callbackAesKey: aesKey, callbackUrl: apiUrl }],
  },
  dingtalk: { apps: [{ ...dd, agentId: ddAgent }] },
});

console.log(`
  WeCom stand-in:    ${stubs.wecomUrl}   (inbox page: ${stubs.wecomUrl}/)
  DingTalk stand-in: ${stubs.dingtalkUrl}   (inbox page: ${stubs.dingtalkUrl}/)

  Point the API at them (another terminal):
    WECOM_API_BASE=${stubs.wecomUrl} WECOM_CORP_ID=${corpId} WECOM_AGENT_ID=${agentId} WECOM_SECRET=${secret} \\
    WECOM_CALLBACK_TOKEN=${token} WECOM_CALLBACK_AES_KEY=${aesKey} \\
    DINGTALK_API_BASE=${stubs.dingtalkUrl} DINGTALK_APP_KEY=${dd.appKey} DINGTALK_APP_SECRET=${dd.appSecret} DINGTALK_AGENT_ID=${ddAgent} \\
    JWT_SECRET=<32+ chars> DEMO=on npm start

  Control: POST /_stub/login-code {userid}  POST /_stub/press {userid, taskId, key}  POST /_stub/faults {kind, count, ...}
           POST /_stub/revoke  DELETE /_stub/faults  GET /_stub/inbox?userid=  GET /_stub/state
`);

const stop = async () => {
  await stubs.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
