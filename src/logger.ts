import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

/**
 * Structured logs. Request lines carry the request id, method, route pattern and status —
 * never bodies, query strings, cookies or headers that could hold personal data.
 */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: undefined,
    redact: { paths: ['req.headers', 'headers', 'body', 'password', 'email', '*.password', '*.email'], remove: true },
  });
}

export type { Logger };
