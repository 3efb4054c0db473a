import pino, { type Logger } from 'pino';

/** Personal data and secrets never reach the logs (docs/SECURITY.md). */
export const redactPaths = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-csrf-token"]',
    'req.headers["x-status-token"]',
    'res.headers["set-cookie"]',
    '*.password',
    '*.currentPassword',
    '*.newPassword',
    '*.token',
    '*.secret',
    '*.name',
    '*.nameKana',
    '*.email',
    '*.phone',
    '*.address',
  ],
  censor: '[redacted]',
};

export function createLogger(level: string): Logger {
  return pino({ level, redact: redactPaths });
}
