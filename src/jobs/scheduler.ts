/**
 * Runs background jobs in the web process every so often: each job's runs never overlap,
 * a failing run is logged (its error type only) and the next one goes ahead, and `stop`
 * waits for the runs in progress. Jobs must be safe to run in several processes at once:
 * they claim work from, or deduplicate in, the database.
 */
import type { Logger } from '../logger.ts';

export interface Job {
  readonly name: string;
  readonly intervalMs: number;
  run(): Promise<unknown>;
}

export class Scheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  start(jobs: readonly Job[]): void {
    for (const job of jobs) {
      const tick = (): void => {
        if (this.running.has(job.name)) return;
        const run = job
          .run()
          .catch((error: unknown) => {
            this.logger.error({ job: job.name, err: { type: error instanceof Error ? error.name : 'unknown' } }, 'background job failed');
          })
          .finally(() => this.running.delete(job.name));
        this.running.set(job.name, run);
      };
      const timer = setInterval(tick, job.intervalMs);
      timer.unref();
      this.timers.push(timer);
      tick();
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.all(this.running.values());
  }
}
