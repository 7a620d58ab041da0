// The platform adapters configured for this server. No credentials → none: demo mode,
// cards reach the in-app inbox only.
import type { Db } from '@crm/db';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Clock } from '../shared/clock';
import { createDingtalkClient, type DingtalkClient } from './dingtalk/dingtalk.client';
import type { Channel, MessagingProvider } from './platform';
import { createWecomClient, type WecomClient } from './wecom/wecom.client';

export type Platforms = {
  wecom?: WecomClient | undefined;
  dingtalk?: DingtalkClient | undefined;
};

export function createPlatforms(deps: { db: Db; config: Config; clock: Clock; logger: Logger }): Platforms {
  const { config } = deps;
  return {
    wecom: config.wecom
      ? createWecomClient({ ...deps, config: config.wecom, baseUrl: config.wecomApiBase })
      : undefined,
    dingtalk: config.dingtalk
      ? createDingtalkClient({ ...deps, config: config.dingtalk, baseUrl: config.dingtalkApiBase })
      : undefined,
  };
}

/** The messaging channels that can send right now. */
export function activeProviders(p: Platforms): Partial<Record<Channel, MessagingProvider>> {
  return { ...(p.wecom ? { wecom: p.wecom } : {}), ...(p.dingtalk ? { dingtalk: p.dingtalk } : {}) };
}
