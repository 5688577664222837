/**
 * Notifications, wired: the templates in force, the outbox, the transport the configuration
 * chooses, the worker that delivers and the job that enqueues reminders, escalations and
 * digests. `serve` starts both on a timer (`start`) and stops them on shutdown (`stop`);
 * `redress notify run-once` runs each once.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../app/clock.ts';
import type { CalendarService } from '../app/calendar-service.ts';
import { runNotificationJobs, type NotificationJobResult } from '../jobs/notification-jobs.ts';
import { Scheduler } from '../jobs/scheduler.ts';
import { JobClaims } from '../jobs/job-claims.ts';
import { runQuestionnaireJobs, type QuestionnaireJobResult } from '../jobs/questionnaire-jobs.ts';
import { NotificationTemplateService } from './notification-template-service.ts';
import { OutboxRepository } from './outbox.ts';
import { OutboxWorker, type RunResult, type WorkerOptions } from './outbox-worker.ts';
import { createTransport, type Transport } from './transports.ts';

export class Notifications {
  readonly templates: NotificationTemplateService;
  readonly outbox: OutboxRepository;
  private transportInUse: Transport | undefined | null = null;
  private scheduler: Scheduler | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
    private readonly logger: Logger,
  ) {
    this.templates = new NotificationTemplateService(db, clock);
    this.outbox = new OutboxRepository(db);
  }

  /** The configured transport (made on first use); undefined when sending is disabled. */
  transport(): Transport | undefined {
    if (this.transportInUse === null) this.transportInUse = createTransport(this.config.notify, this.logger);
    return this.transportInUse;
  }

  /** A worker delivering through `transport` (default: the configured one). */
  worker(options: WorkerOptions = {}, transport: Transport | undefined = this.transport()): OutboxWorker | undefined {
    if (transport === undefined) return undefined;
    return new OutboxWorker(this.db, transport, this.templates, { councilName: this.config.councilName, baseUrl: this.config.publicBaseUrl }, this.clock, this.logger, options);
  }

  /** Enqueues today's reminders, escalations and digests (harmless to run again). */
  async runJobs(): Promise<NotificationJobResult> {
    const result = await runNotificationJobs(this.db, await this.calendars.calendar(), this.clock());
    const added = result.reminders + result.escalations + result.digests;
    if (added > 0) this.logger.info({ reminders: result.reminders, escalations: result.escalations, digests: result.digests }, 'notifications enqueued');
    return result;
  }

  /** Enqueues the one reminder for each satisfaction questionnaire unanswered after some days (harmless to run again). */
  async runQuestionnaireJobs(): Promise<QuestionnaireJobResult> {
    const result = await runQuestionnaireJobs(this.db, this.clock());
    if (result.reminders > 0) this.logger.info({ questionnaireReminders: result.reminders }, 'questionnaire reminders enqueued');
    return result;
  }

  /** Delivers what is due now, once. */
  async deliverOnce(): Promise<RunResult | undefined> {
    return this.worker()?.runOnce();
  }

  /** Starts the job and the worker on a timer (the worker only when a transport is configured). */
  start(): void {
    if (this.scheduler !== undefined) return;
    const intervalMs = this.config.notify.workerIntervalSeconds * 1000;
    const worker = this.worker();
    if (worker === undefined) this.logger.warn('NOTIFY_TRANSPORT is not set: emails wait in the outbox until a transport is configured');
    // The jobs run in one process per minute, whichever claims it; every process's worker delivers.
    this.scheduler = new Scheduler(this.logger, { claims: new JobClaims(this.db) });
    this.scheduler.start([
      { name: 'notification-jobs', intervalMs: Math.max(intervalMs, 60_000), oncePerInterval: true, run: () => this.runJobs() },
      { name: 'questionnaire-jobs', intervalMs: Math.max(intervalMs, 60_000), oncePerInterval: true, run: () => this.runQuestionnaireJobs() },
      ...(worker === undefined ? [] : [{ name: 'notification-outbox', intervalMs, run: () => worker.runOnce() }]),
    ]);
  }

  /** Stops the timers, waits for runs in progress and closes the transport. */
  async stop(): Promise<void> {
    await this.scheduler?.stop();
    this.scheduler = undefined;
    const transport = this.transportInUse;
    this.transportInUse = null;
    await transport?.close();
  }
}
