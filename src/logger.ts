import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config.ts';
import { currentLogContext } from './log-context.ts';

/**
 * Structured logs. Request lines carry the request id, method, route pattern and status —
 * never bodies, query strings, cookies or headers that could hold personal data. Every line
 * written while a request or a background job runs carries its request id or job run id.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.logLevel,
    base: undefined,
    // The request id or job run id of the code logging (src/log-context.ts); a request's own logger already has its id.
    mixin: (_object, _level, logger) => {
      const context = currentLogContext();
      if (context === undefined) return {};
      return context.reqId !== undefined && 'reqId' in logger.bindings() ? {} : { ...context };
    },
    redact: { paths: ['req.headers', 'headers', 'body', 'password', 'email', '*.password', '*.email'], remove: true },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export type { Logger };
