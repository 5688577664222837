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
import type { Actor, Clock } from '../app/clock.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import type { CalendarService } from '../app/calendar-service.ts';
import { runNotificationJobs, type NotificationJobResult } from '../jobs/notification-jobs.ts';
import { Scheduler } from '../jobs/scheduler.ts';
import { JobClaims } from '../jobs/job-claims.ts';
import { runQuestionnaireJobs, type QuestionnaireJobResult } from '../jobs/questionnaire-jobs.ts';
import { NotificationTemplateService } from './notification-template-service.ts';
import { OutboxRepository } from './outbox.ts';
import { OutboxWorker, type RenderContext, type RunResult, type WorkerOptions } from './outbox-worker.ts';
import { createTransport, LogTransport, type EmailRecorder, type Transport } from './transports.ts';
import { EmailCopyRepository } from '../db/email-copy-repository.ts';

export class Notifications {
  readonly templates: NotificationTemplateService;
  readonly outbox: OutboxRepository;
  private transportInUse: Transport | undefined | null = null;
  private scheduler: Scheduler | undefined;
  private runningWorker: OutboxWorker | undefined;

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
    if (this.transportInUse === null) this.transportInUse = createTransport(this.config.notify, this.logger, this.copyRecorder(this.clock));
    return this.transportInUse;
  }

  /** A worker delivering through `transport` (default: the configured one). */
  worker(options: WorkerOptions = {}, transport: Transport | undefined = this.transport()): OutboxWorker | undefined {
    if (transport === undefined) return undefined;
    return new OutboxWorker(this.db, transport, this.templates, this.renderContext(), this.clock, this.logger, options);
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

  /**
   * Puts every failed message back in the queue, to be tried now with a fresh 48 hours (after
   * an outage longer than that, once the mail server or Notify is back); records who did it.
   * How many were put back.
   */
  async retryAllFailed(actor: Actor): Promise<number> {
    const now = this.clock();
    const count = await this.db.transaction().execute(async (trx) => {
      const n = await new OutboxRepository(trx).retryAllFailed(now);
      await new AuditRepository(trx).record({ ...actor, action: 'notifications_retried', entityType: 'notification_outbox', entityId: null, details: { count: n } }, now.toISOString());
      return n;
    });
    this.logger.info({ count }, 'failed notifications put back in the queue');
    return count;
  }

  private renderContext(): RenderContext {
    return { councilName: this.config.councilName, baseUrl: this.config.publicBaseUrl };
  }

  /** Keeps a whole copy of each email the `log` transport records, dated by `clock`, for the Emails page. */
  private copyRecorder(clock: Clock): EmailRecorder {
    const copies = new EmailCopyRepository(this.db);
    return (email) => copies.add({ outboxId: email.outboxId, templateKey: email.templateKey, recipient: email.to, subject: email.subject, body: email.body, recordedAt: clock().toISOString() });
  }

  /**
   * Records — never sends — every message due by `clock`'s time, as the `log` transport would
   * have then, quietly. The demo runs it after each day of its made-up work, so that its emails
   * carry their own dates and their secure links were live when they went. How many it recorded.
   */
  async recordDueAsAt(clock: Clock): Promise<number> {
    const quiet = this.logger.child({}, { level: 'silent' });
    const batchSize = 100;
    const worker = new OutboxWorker(this.db, new LogTransport(quiet, this.copyRecorder(clock)), this.templates, this.renderContext(), clock, quiet, { batchSize });
    let recorded = 0;
    for (;;) {
      const { claimed } = await worker.runOnce();
      recorded += claimed;
      if (claimed < batchSize) return recorded;
    }
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
    this.runningWorker = worker;
    if (worker === undefined) this.logger.warn('NOTIFY_TRANSPORT is not set: emails wait in the outbox until a transport is configured');
    // The jobs run in one process per minute, whichever claims it; every process's worker delivers.
    this.scheduler = new Scheduler(this.logger, { claims: new JobClaims(this.db) });
    this.scheduler.start([
      { name: 'notification-jobs', intervalMs: Math.max(intervalMs, 60_000), oncePerInterval: true, run: () => this.runJobs() },
      { name: 'questionnaire-jobs', intervalMs: Math.max(intervalMs, 60_000), oncePerInterval: true, run: () => this.runQuestionnaireJobs() },
      ...(worker === undefined ? [] : [{ name: 'notification-outbox', intervalMs, run: () => worker.runOnce() }]),
    ]);
  }

  /** Resolves when the job and worker runs in progress have ended: after `start`, their first runs. */
  async idle(): Promise<void> {
    await this.scheduler?.idle();
  }

  /**
   * Stops the timers and waits for runs in progress — the worker stops after the message it is
   * sending and gives the rest of its batch back to the queue — then closes the transport.
   */
  async stop(): Promise<void> {
    this.runningWorker?.requestStop();
    this.runningWorker = undefined;
    await this.scheduler?.stop();
    this.scheduler = undefined;
    const transport = this.transportInUse;
    this.transportInUse = null;
    await transport?.close();
  }
}
