/**
 * The outbox worker: claims due messages with a lease (a short conditional update per row,
 * so any number of workers in any number of processes can share one database), fills each
 * from the template in force, sends it and marks it sent. A failed attempt goes back to the
 * queue with a growing delay (src/notify/backoff.ts) for 48 hours from its first failure,
 * then it is `failed` with its last reason code and stays visible (`redress notify list
 * --status failed`, the admin page) until someone tries it again.
 *
 * Delivery is at least once: a message is sent twice only if a worker stops after the
 * provider accepted it and before it was marked sent (its lease then runs out and another
 * worker sends it again). Everything else — two workers, a worker run twice, a restart
 * while messages wait — sends each message once.
 *
 * Logs carry outbox ids, template keys and counts only.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../app/clock.ts';
import { OutboxRepository, type ClaimedMessage } from './outbox.ts';
import { afterFailure, RETRY_DELAYS_MS, RETRY_WINDOW_MS, type RetryPolicy } from './backoff.ts';
import { fillPlaceholders, isTemplateKey, oneLine, TEMPLATE_DEFINITIONS, type Personalisation } from './templates.ts';
import type { NotificationTemplateService } from './notification-template-service.ts';
import type { OutgoingEmail, Transport } from './transports.ts';
import { LinkNoLongerValid, withSecureLinkUrl } from './secure-link-email.ts';

export interface RenderContext {
  readonly councilName: string;
  /** Links start with this (no trailing slash). */
  readonly baseUrl: string;
}

export interface WorkerOptions {
  readonly workerId?: string;
  /** How long a claim lasts; a worker that stops for longer loses its messages to another. */
  readonly leaseMs?: number;
  readonly batchSize?: number;
  /** Give up after this many attempts even within the retry window (default: no limit). */
  readonly maxAttempts?: number;
  readonly retryDelaysMs?: readonly number[];
  /** How long after its first failure a message is still tried (default 48 hours). */
  readonly retryWindowMs?: number;
}

export interface RunResult {
  readonly claimed: number;
  readonly sent: number;
  readonly retrying: number;
  readonly failed: number;
}

/** The values every message can use beside its own: the council's name and links built from the case reference. */
export function withContext(templateKey: string, values: Personalisation, context: RenderContext): Personalisation {
  const extra: Record<string, string> = { council_name: context.councilName };
  if (typeof values.reference === 'string') extra.case_url = `${context.baseUrl}/cases/${encodeURIComponent(values.reference)}`;
  if (templateKey === 'daily_digest') extra.cases_url = `${context.baseUrl}/cases`;
  const shown: Record<string, string | number> = {};
  for (const [key, value] of Object.entries({ ...values, ...extra })) shown[key] = typeof value === 'string' ? longDate(value) : value;
  // Only what the message's template may use: a provider that fills templates itself (Notify) gets no more.
  if (!isTemplateKey(templateKey)) return shown;
  const allowed = TEMPLATE_DEFINITIONS[templateKey].placeholders;
  return Object.fromEntries(Object.entries(shown).filter(([key]) => Object.hasOwn(allowed, key)));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-12-30` as GOV.UK writes dates, `30 December 2026`; any other text as it is. */
export function longDate(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const month = match === null ? undefined : MONTHS[Number(match[2]) - 1];
  if (match === null || month === undefined) return text;
  return `${String(Number(match[3]))} ${month} ${match[1] ?? ''}`;
}

export class OutboxWorker {
  readonly workerId: string;
  private readonly outbox: OutboxRepository;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly retryPolicy: RetryPolicy;
  private isStopping = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly transport: Transport,
    private readonly templates: NotificationTemplateService,
    private readonly context: RenderContext,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: WorkerOptions = {},
  ) {
    this.outbox = new OutboxRepository(db);
    this.workerId = options.workerId ?? `${hostname().slice(0, 40)}:${String(process.pid)}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.batchSize = options.batchSize ?? 20;
    this.retryPolicy = {
      delaysMs: options.retryDelaysMs ?? RETRY_DELAYS_MS,
      windowMs: options.retryWindowMs ?? RETRY_WINDOW_MS,
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    };
  }

  /**
   * Asks a run in progress to stop after the message it is sending: the batch's other messages
   * are given back to the queue untried, and later runs claim nothing. (The message being sent
   * finishes; its lease is checked just before sending, as ever.)
   */
  requestStop(): void {
    this.isStopping = true;
  }

  private hasStopBeenRequested(): boolean {
    return this.isStopping;
  }

  /** Claims the messages due now and tries each once. */
  async runOnce(): Promise<RunResult> {
    if (this.hasStopBeenRequested()) return { claimed: 0, sent: 0, retrying: 0, failed: 0 };
    const now = this.clock();
    const claimed = await this.outbox.claim(this.workerId, now, new Date(now.getTime() + this.leaseMs), this.batchSize);
    let sent = 0;
    let retrying = 0;
    let failed = 0;
    let released = 0;
    for (const [index, message] of claimed.entries()) {
      // Each message is a few writes: on SQLite (synchronous) other requests run in between.
      if (index > 0) await new Promise((resolve) => setImmediate(resolve));
      if (this.hasStopBeenRequested()) {
        if (await this.outbox.release(message.id, this.workerId, this.clock())) released += 1;
        continue;
      }
      const outcome = await this.deliver(message);
      if (outcome === 'sent') sent += 1;
      else if (outcome === 'pending') retrying += 1;
      else if (outcome === 'failed') failed += 1;
    }
    if (claimed.length > 0) this.logger.info({ worker: this.workerId, claimed: claimed.length, sent, retrying, failed, ...(released > 0 ? { released } : {}) }, 'notification outbox run');
    return { claimed: claimed.length, sent, retrying, failed };
  }

  private async deliver(message: ClaimedMessage): Promise<'sent' | 'pending' | 'failed' | 'lost'> {
    let email: OutgoingEmail;
    try {
      email = await this.render(message);
    } catch (error) {
      // A link used or expired before its email went out will not work on a later try either.
      if (error instanceof LinkNoLongerValid) return this.fail(message, 'secure link used or expired', { isFinal: true });
      return this.fail(message, 'render failed');
    }
    // A worker whose lease ran out (a slow batch, a paused process) must not send: another may have claimed it.
    const now = this.clock();
    if (!(await this.outbox.renewLease(message.id, this.workerId, now, new Date(now.getTime() + this.leaseMs)))) {
      this.logger.warn({ outboxId: message.id, worker: this.workerId }, 'notification not sent: its lease ran out');
      return 'lost';
    }
    try {
      const { providerMessageId } = await this.transport.send(email);
      const marked = await this.outbox.markSent(message.id, this.workerId, providerMessageId, this.clock());
      if (!marked) this.logger.warn({ outboxId: message.id, worker: this.workerId }, 'notification sent after its lease ran out');
      return 'sent';
    } catch (error) {
      return this.fail(message, this.transport.describeError(error));
    }
  }

  private async fail(message: ClaimedMessage, reason: string, options: { isFinal?: boolean } = {}): Promise<'pending' | 'failed'> {
    const now = this.clock();
    const failingSince = message.failingSince ?? now;
    const next = options.isFinal === true ? ({ status: 'failed' } as const) : afterFailure(message.attempts, now, failingSince, this.retryPolicy);
    await this.outbox.markFailed(message.id, this.workerId, reason, next, now, failingSince);
    this.logger.warn({ outboxId: message.id, template: message.templateKey, attempts: message.attempts, status: next.status, reason }, 'notification not sent');
    return next.status;
  }

  private async render(message: ClaimedMessage): Promise<OutgoingEmail> {
    if (!isTemplateKey(message.templateKey)) throw new Error('unknown template');
    const template = await this.templates.get(message.templateKey);
    // A message with a secure link gets the link's token now, as it is sent (src/notify/secure-link-email.ts).
    const personalisation = await withSecureLinkUrl(this.db, message.personalisation, this.context.baseUrl, this.clock());
    const values = withContext(message.templateKey, personalisation, this.context);
    return {
      outboxId: message.id,
      templateKey: message.templateKey,
      to: message.recipient,
      subject: oneLine(fillPlaceholders(template.subject, values)),
      body: fillPlaceholders(template.body, values),
      personalisation: values,
    };
  }
}
