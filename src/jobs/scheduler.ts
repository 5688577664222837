/**
 * Runs background jobs in the web process every so often: each job's runs never overlap,
 * a failing run is logged (its error type only) and the next one goes ahead, and `stop`
 * waits for the runs in progress.
 *
 * A job marked `oncePerInterval` runs once per interval across every process sharing the
 * database: each tick claims the period (`floor(now / intervalMs)`) in `job_run`
 * (src/jobs/job-claims.ts), and only the process that claims it runs the job. Other jobs
 * (the outbox worker) run in every process and must claim their work from the database.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../logger.ts';
import type { JobClaims } from './job-claims.ts';

export interface Job {
  readonly name: string;
  readonly intervalMs: number;
  /** Run in one process only for each interval (needs the scheduler's `claims`). */
  readonly oncePerInterval?: boolean;
  run(): Promise<unknown>;
}

export interface SchedulerOptions {
  /** Where `oncePerInterval` jobs claim their periods. */
  readonly claims?: JobClaims;
  /** Names this process in `job_run.claimed_by`. */
  readonly processId?: string;
  /** Real time: periods are wall-clock intervals whatever clock the services use. */
  readonly now?: () => Date;
}

export class Scheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly processId: string;
  private readonly now: () => Date;

  constructor(
    private readonly logger: Logger,
    private readonly options: SchedulerOptions = {},
  ) {
    this.processId = options.processId ?? `${hostname().slice(0, 40)}:${String(process.pid)}:${randomUUID().slice(0, 8)}`;
    this.now = options.now ?? (() => new Date());
  }

  start(jobs: readonly Job[]): void {
    for (const job of jobs) {
      const tick = (): void => {
        if (this.running.has(job.name)) return;
        const run = this.runIfClaimed(job)
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

  private async runIfClaimed(job: Job): Promise<void> {
    if (job.oncePerInterval === true && this.options.claims !== undefined) {
      const now = this.now();
      const period = String(Math.floor(now.getTime() / job.intervalMs));
      const isMine = await this.options.claims.claim(job.name, period, this.processId, now);
      this.logger.debug({ job: job.name, period, process: this.processId, isMine }, isMine ? 'scheduled job claimed' : 'scheduled job already claimed');
      if (!isMine) return;
    }
    await job.run();
  }
}
