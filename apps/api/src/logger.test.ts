import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT_PATHS } from './logger';

describe('log redaction', () => {
  it('never writes phones, e-mails, tokens or secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    log.info({
      customer: { phone: '+8613800138000', email: 'a@example.com', phones: ['+8613900139000'] },
      platform: { access_token: 'tok123', secret: 's3cr3t' },
      req: { headers: { authorization: 'Bearer abc', 'x-api-key': 'crm_key' } },
    });
    const out = lines.join('');
    for (const leaked of ['13800138000', 'a@example.com', '13900139000', 'tok123', 's3cr3t', 'Bearer abc', 'crm_key'])
      expect(out).not.toContain(leaked);
    expect(out).toContain('[redacted]');
  });
});
