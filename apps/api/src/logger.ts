import pino, { type Logger } from 'pino';

// Phones, e-mails, tokens and secrets never reach the logs.
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  '*.phone',
  '*.phones',
  '*.email',
  '*.emails',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.secret',
  '*.password',
  '*.session_key',
  '*.apiKey',
];

export function createLogger(level = 'info'): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
