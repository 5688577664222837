/**
 * Runs background jobs in the web process every so often: each job's runs never overlap,
 * a failing run is logged (its error type only) and the next one goes ahead, and `stop`
 * waits for the runs in progress.
 *
 * A job marked `oncePerInterval` runs once per interval across every process sharing the
 * database: each tick claims the period (`floor(now / intervalMs)`) in `job_run`
 * (src/jobs/job-claims.ts), and only the process that claims it runs the job. Other jobs
 * (the outbox worker) run in every process and must claim their work from the database.
 *
 * Each run gets a run id carried on every log line it writes (src/log-context.ts), and is
 * counted by outcome for /metrics (`jobRunCounts`: this process's runs since it started).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../logger.ts';
import type { JobClaims } from './job-claims.ts';
import { withLogContext } from '../log-context.ts';

/** How a job's tick ended: it ran, it failed, or another process had claimed the period. */
export type JobOutcome = 'succeeded' | 'failed' | 'skipped';

const runCounts = new Map<string, { job: string; outcome: JobOutcome; count: number }>();

function countRun(job: string, outcome: JobOutcome): void {
  const key = `${job}\u0000${outcome}`;
  const entry = runCounts.get(key);
  if (entry === undefined) runCounts.set(key, { job, outcome, count: 1 });
  else entry.count += 1;
}

/** This process's job runs since it started, by job and outcome (for /metrics). */
export function jobRunCounts(): readonly { readonly job: string; readonly outcome: JobOutcome; readonly count: number }[] {
  return [...runCounts.values()].map((e) => ({ ...e }));
}

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
        const run = withLogContext({ job: job.name, jobRunId: randomUUID() }, () =>
          this.runIfClaimed(job).then(
            (ran) => {
              countRun(job.name, ran ? 'succeeded' : 'skipped');
            },
            (error: unknown) => {
              countRun(job.name, 'failed');
              this.logger.error({ job: job.name, err: { type: error instanceof Error ? error.name : 'unknown' } }, 'background job failed');
            },
          ),
        ).finally(() => this.running.delete(job.name));
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
    await this.idle();
  }

  /** Resolves when the runs in progress have ended (after `start`, the first run of each job). */
  async idle(): Promise<void> {
    await Promise.all(this.running.values());
  }

  /** Runs the job unless another process claimed this period; whether it ran. */
  private async runIfClaimed(job: Job): Promise<boolean> {
    if (job.oncePerInterval === true && this.options.claims !== undefined) {
      const now = this.now();
      const period = String(Math.floor(now.getTime() / job.intervalMs));
      const isMine = await this.options.claims.claim(job.name, period, this.processId, now);
      this.logger.debug({ job: job.name, period, process: this.processId, isMine }, isMine ? 'scheduled job claimed' : 'scheduled job already claimed');
      if (!isMine) return false;
    }
    await job.run();
    return true;
  }
}
