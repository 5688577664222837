/**
 * What a log line is part of: the request (its id) or the background job's run (the job's
 * name and a run id). Set around each request (src/web/app.ts) and each job run
 * (src/jobs/scheduler.ts); the logger (src/logger.ts) adds it to every line written inside,
 * so a service's or a job's lines can be found with the request or run that caused them.
 * Ids only: never personal data.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  readonly reqId?: string;
  readonly job?: string;
  readonly jobRunId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `context` on every log line it writes (and the async work it starts). */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run(context, work);
}

/** The context of the code running now, if any. */
export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
