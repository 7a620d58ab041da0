// Starts the WeCom and DingTalk stand-ins on loopback (ephemeral ports unless given).
import type { AddressInfo } from 'node:net';
import { createDingtalkStub, type DingtalkStubOptions } from './dingtalk';
import { createWecomStub, type WecomStubOptions } from './wecom';

export * from './common';
export * from './dingtalk';
export * from './wecom';

export type StubsOptions = {
  host?: string;
  wecomPort?: number;
  dingtalkPort?: number;
  now?: () => number;
  wecom: Omit<WecomStubOptions, 'now'>;
  dingtalk: Omit<DingtalkStubOptions, 'now'>;
};

export async function startStubs(opts: StubsOptions) {
  const host = opts.host ?? '127.0.0.1';
  const wecom = createWecomStub({ ...opts.wecom, now: opts.now });
  const dingtalk = createDingtalkStub({ ...opts.dingtalk, now: opts.now });
  await wecom.app.listen({ host, port: opts.wecomPort ?? 0 });
  await dingtalk.app.listen({ host, port: opts.dingtalkPort ?? 0 });
  const url = (a: AddressInfo) => `http://${host}:${a.port}`;
  return {
    wecom,
    dingtalk,
    wecomUrl: url(wecom.app.server.address() as AddressInfo),
    dingtalkUrl: url(dingtalk.app.server.address() as AddressInfo),
    close: async () => {
      await wecom.app.close();
      await dingtalk.app.close();
    },
  };
}

export type Stubs = Awaited<ReturnType<typeof startStubs>>;
