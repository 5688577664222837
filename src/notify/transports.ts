/**
 * Ways an email leaves Redress, chosen by NOTIFY_TRANSPORT: SMTP (nodemailer), GOV.UK Notify
 * (its client library), or the log (development and tests: only the template key and a hash
 * of the address are written, never the address or the words). Each transport describes its
 * own failures for the outbox's `last_error` in codes only: a server's reply can quote the
 * address, so its text is never kept.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type Mail } from 'nodemailer';
import { NotifyClient } from 'notifications-node-client';
import type { NotifyConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Personalisation } from './templates.ts';

export interface OutgoingEmail {
  readonly outboxId: number;
  readonly templateKey: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  /** The template's values, for providers that fill templates themselves (Notify). */
  readonly personalisation: Personalisation;
}

export interface SendResult {
  readonly providerMessageId: string | null;
}

export interface Transport {
  readonly name: string;
  send(email: OutgoingEmail): Promise<SendResult>;
  /** A failure in codes only — no address, no message text — for the outbox and the log. */
  describeError(error: unknown): string;
  close(): Promise<void>;
}

/** A short, stable hash of an address, for logs that must tell messages apart without saying who. */
export function hashRecipient(address: string): string {
  return createHash('sha256').update(address.trim().toLowerCase()).digest('hex').slice(0, 12);
}

function codeOf(error: unknown, key: string): string | undefined {
  if (error === null || typeof error !== 'object' || !(key in error)) return undefined;
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function safeWord(text: string | undefined): string | undefined {
  return text === undefined ? undefined : text.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 60) || undefined;
}

export class SmtpTransport implements Transport {
  readonly name = 'smtp';
  private readonly transporter: Mail;

  constructor(
    url: string,
    private readonly from: string,
    requireTls: boolean,
  ) {
    this.transporter = nodemailer.createTransport({
      url,
      requireTLS: requireTls,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    });
  }

  async send(email: OutgoingEmail): Promise<SendResult> {
    const info = (await this.transporter.sendMail({
      from: this.from,
      to: email.to,
      subject: email.subject,
      text: email.body,
      headers: { 'X-Redress-Message': String(email.outboxId) },
    })) as { messageId?: unknown };
    return { providerMessageId: typeof info.messageId === 'string' ? info.messageId.slice(0, 200) : null };
  }

  describeError(error: unknown): string {
    const parts = ['smtp', safeWord(codeOf(error, 'code')), safeWord(codeOf(error, 'responseCode')), safeWord(codeOf(error, 'command'))].filter((p) => p !== undefined);
    return parts.join(' ');
  }

  close(): Promise<void> {
    this.transporter.close();
    return Promise.resolve();
  }
}

/**
 * GOV.UK Notify. A message with its own Notify template (GOVUK_NOTIFY_TEMPLATE_IDS) is sent
 * with the template's values as personalisation, and Notify fills it; any other is sent
 * through the general template (GOVUK_NOTIFY_TEMPLATE_ID, whose subject is ((subject)) and
 * body ((body))) with the words Redress filled from the administrators' templates. The
 * outbox id goes as Notify's `reference`.
 */
export class GovukNotifyTransport implements Transport {
  readonly name = 'govuk_notify';
  private readonly client: NotifyClient;

  constructor(
    apiKey: string,
    baseUrl: string | undefined,
    private readonly templateIds: Readonly<Record<string, string>>,
    private readonly defaultTemplateId: string | undefined,
  ) {
    this.client = baseUrl === undefined ? new NotifyClient(apiKey) : new NotifyClient(baseUrl, apiKey);
  }

  async send(email: OutgoingEmail): Promise<SendResult> {
    const ownTemplate = this.templateIds[email.templateKey];
    const templateId = ownTemplate ?? this.defaultTemplateId;
    if (templateId === undefined) throw new NotifyTemplateMissing(email.templateKey);
    const personalisation = ownTemplate !== undefined ? { ...email.personalisation } : { subject: email.subject, body: email.body };
    const response = await this.client.sendEmail(templateId, email.to, { personalisation, reference: `redress-${String(email.outboxId)}` });
    const id = (response.data as { id?: unknown }).id;
    return { providerMessageId: typeof id === 'string' ? id : null };
  }

  describeError(error: unknown): string {
    if (error instanceof NotifyTemplateMissing) return `govuk_notify no template id for ${error.templateKey}`;
    const response = error !== null && typeof error === 'object' && 'response' in error ? (error as { response?: { status?: unknown; data?: unknown } }).response : undefined;
    const status = typeof response?.status === 'number' ? String(response.status) : undefined;
    const errors = (response?.data as { errors?: { error?: unknown }[] } | undefined)?.errors;
    const kind = typeof errors?.[0]?.error === 'string' ? errors[0].error : undefined;
    return ['govuk_notify', status, safeWord(kind), status === undefined ? safeWord(codeOf(error, 'code')) : undefined].filter((p) => p !== undefined).join(' ');
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

class NotifyTemplateMissing extends Error {
  constructor(readonly templateKey: string) {
    super(`no GOV.UK Notify template id for ${templateKey}`);
  }
}

/** Keeps a whole copy of an email the `log` transport did not send (the Emails page shows them). */
export type EmailRecorder = (email: OutgoingEmail) => Promise<void>;

/**
 * Sends nothing: logs that a message would have gone, with its template key and a hash of the
 * address, and hands the whole message to `record` (when given) for the Emails page.
 */
export class LogTransport implements Transport {
  readonly name = 'log';

  constructor(
    private readonly logger: Logger,
    private readonly record?: EmailRecorder,
  ) {}

  async send(email: OutgoingEmail): Promise<SendResult> {
    await this.record?.(email);
    this.logger.info({ outboxId: email.outboxId, template: email.templateKey, recipient: hashRecipient(email.to) }, 'email recorded, not sent (NOTIFY_TRANSPORT=log)');
    return { providerMessageId: `log-${String(email.outboxId)}` };
  }

  describeError(): string {
    return 'log';
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The transport the configuration chooses; undefined when sending is disabled. */
export function createTransport(config: NotifyConfig, logger: Logger, record?: EmailRecorder): Transport | undefined {
  switch (config.transport) {
    case 'smtp':
      if (config.smtpUrl === undefined) throw new Error('SMTP_URL is not set');
      return new SmtpTransport(config.smtpUrl, config.mailFrom, config.smtpRequireTls);
    case 'govuk_notify':
      if (config.govukNotifyApiKey === undefined) throw new Error('GOVUK_NOTIFY_API_KEY is not set');
      return new GovukNotifyTransport(config.govukNotifyApiKey, config.govukNotifyBaseUrl, config.govukNotifyTemplateIds, config.govukNotifyDefaultTemplateId);
    case 'log':
      return new LogTransport(logger, record);
    case 'disabled':
      return undefined;
  }
}
