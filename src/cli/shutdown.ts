/**
 * Stopping `serve` cleanly on SIGTERM or SIGINT: the web server stops taking connections and
 * finishes the requests in flight, the background jobs and the outbox worker stop after what
 * they are doing (a message being sent is finished, the rest of the batch given back), the
 * database is closed (SQLite's write-ahead log checkpointed into the file), and the process
 * exits 0. A second signal, or the time limit running out, ends it at once with exit code 1:
 * nothing is lost, as every change is committed or not, and unsent emails wait in the outbox.
 */
import type { Logger } from '../logger.ts';

export const SHUTDOWN_TIMEOUT_MS = 20_000;

export interface ShutdownOptions {
  readonly logger: Logger;
  /** Stops everything; resolves when it is safe to exit. */
  readonly stop: () => Promise<void>;
  readonly timeoutMs?: number;
  readonly exit?: (code: number) => void;
}

/**
 * Stops the process once: the first call (`signal`: what asked) stops everything cleanly; a
 * second ends it at once with 1, unless `isSecondIgnored` (a process of several, asked by both
 * the system and the process that started it).
 */
export function stopper(options: ShutdownOptions, isSecondIgnored = false): (signal: string) => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let isStopping = false;
  return (signal) => {
    if (isStopping) {
      if (isSecondIgnored) return;
      options.logger.warn({ signal }, 'second signal: stopping now');
      exit(1);
      return;
    }
    isStopping = true;
    const timeoutMs = options.timeoutMs ?? SHUTDOWN_TIMEOUT_MS;
    options.logger.info({ signal, timeoutMs }, 'stopping: finishing requests in flight and background work');
    const timer = setTimeout(() => {
      options.logger.error({ timeoutMs }, 'did not stop in time: stopping now');
      exit(1);
    }, timeoutMs);
    timer.unref();
    options.stop().then(
      () => {
        clearTimeout(timer);
        options.logger.info('stopped');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        options.logger.error({ err: { type: error instanceof Error ? error.name : 'unknown' } }, 'stopping failed');
        exit(1);
      },
    );
  };
}

/** Listens for SIGTERM and SIGINT, once each process lifetime. */
export function stopOnSignals(options: ShutdownOptions): void {
  const stop = stopper(options);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
