import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const secret = 'x'.repeat(40);

describe('loadConfig', () => {
  it('defaults to demo mode with dev log-in when no platform is configured', () => {
    const c = loadConfig({ JWT_SECRET: secret });
    expect(c).toMatchObject({ demo: true, devLogin: true, port: 3000, tzDefault: 'Asia/Shanghai', wecom: undefined });
  });

  it('turns demo and dev log-in off when a platform is configured', () => {
    const c = loadConfig({ JWT_SECRET: secret, WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's' });
    expect(c.demo).toBe(false);
    expect(c.devLogin).toBe(false);
    expect(c.wecom).toEqual({
      corpId: 'ww1',
      agentId: 1000002,
      secret: 's',
      callbackToken: undefined,
      callbackAesKey: undefined,
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ TZ_DEFAULT: 'Mars/Base' }, 'TZ_DEFAULT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DEMO: 'maybe' }, 'DEMO'],
    [{ WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1' }, 'WECOM_SECRET'],
    [{ WECOM_CORP_ID: 'ww1', WECOM_SECRET: 's' }, 'WECOM_AGENT_ID'],
    [
      { WECOM_CORP_ID: 'ww1', WECOM_SECRET: 's', WECOM_AGENT_ID: '1', WECOM_CALLBACK_TOKEN: 't' },
      'WECOM_CALLBACK_AES_KEY',
    ],
    [{ DINGTALK_APP_KEY: 'k', DINGTALK_AGENT_ID: '1' }, 'DINGTALK_APP_SECRET'],
    [{ WECHATPAY_MCHID: '1900000001', WECHATPAY_APIV3_KEY: 'short' }, 'WECHATPAY_APIV3_KEY'],
    [{ WECHATPAY_MCHID: '1900000001', WECHATPAY_APIV3_KEY: 'a'.repeat(32) }, 'WECHATPAY_PUBLIC_KEY'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
  ])('fails naming the variable for %j', (env, variable) => {
    const run = () => loadConfig({ JWT_SECRET: secret, ...env });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (e) {
      expect((e as ConfigError).variable).toBe(variable);
      expect((e as Error).message).toContain(variable);
    }
  });

  it('requires JWT_SECRET outside demo mode', () => {
    expect(() => loadConfig({ DEMO: 'off' })).toThrow(/JWT_SECRET/);
  });
});
