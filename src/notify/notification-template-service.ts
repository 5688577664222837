/**
 * The notification templates in force: the shipped subject and body of each message, or the
 * administrator's own where they have written one. Saving checks the placeholders (an
 * unknown one is refused) and the version (a save based on an older version is refused with
 * `stale_update`), and records an audit event; the text itself is never evaluated.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { DomainError } from '../domain/errors.ts';
import type { Actor, Clock } from '../app/clock.ts';
import { TEMPLATE_DEFINITIONS, TEMPLATE_KEYS, isTemplateKey, oneLine, templateTextProblems, type TemplateDefinition, type TemplateKey } from './templates.ts';

export interface TemplateInForce {
  readonly definition: TemplateDefinition;
  readonly subject: string;
  readonly body: string;
  /** 0 while the shipped text is in force; goes up by one with each save. */
  readonly version: number;
  readonly isCustomised: boolean;
  readonly updatedAt: string | null;
}

export const SUBJECT_MAX = 200;
export const BODY_MAX = 5000;

export class NotificationTemplateService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<TemplateInForce[]> {
    const rows = await this.db.selectFrom('notification_template').selectAll().execute();
    const byKey = new Map(rows.map((r) => [r.template_key, r]));
    return TEMPLATE_KEYS.map((key) => inForce(key, byKey.get(key)));
  }

  /** The template in force for `key`; `template_not_found` for a key Redress does not have. */
  async get(key: string, db: Kysely<Database> = this.db): Promise<TemplateInForce> {
    if (!isTemplateKey(key)) throw new DomainError('template_not_found', 'There is no notification template with that name');
    const row = await db.selectFrom('notification_template').selectAll().where('template_key', '=', key).executeTakeFirst();
    return inForce(key, row);
  }

  /** Every problem with a subject and body for `key` (empty when they would be saved). */
  problems(key: TemplateKey, input: { subject: string; body: string }): DomainError[] {
    const problems: DomainError[] = [];
    const subject = input.subject.trim();
    const body = input.body.trim();
    if (subject === '') problems.push(new DomainError('subject_required', 'Enter the subject', 'subject'));
    else if (subject.length > SUBJECT_MAX) problems.push(new DomainError('subject_too_long', `Subject must be ${SUBJECT_MAX} characters or fewer`, 'subject'));
    else if (/[\r\n]/.test(subject)) problems.push(new DomainError('subject_one_line', 'Subject must be one line', 'subject'));
    else problems.push(...templateTextProblems(key, 'subject', subject));
    if (body === '') problems.push(new DomainError('body_required', 'Enter the message', 'body'));
    else if (body.length > BODY_MAX) problems.push(new DomainError('body_too_long', `Message must be ${BODY_MAX} characters or fewer`, 'body'));
    else problems.push(...templateTextProblems(key, 'body', body));
    return problems;
  }

  /** Saves the administrator's subject and body, if the template is still at `expectedVersion`. */
  async save(key: string, input: { subject: string; body: string }, expectedVersion: number, actor: Actor): Promise<TemplateInForce> {
    if (!isTemplateKey(key)) throw new DomainError('template_not_found', 'There is no notification template with that name');
    const [problem] = this.problems(key, input);
    if (problem !== undefined) throw problem;
    const subject = oneLine(input.subject);
    const body = input.body.trim().replace(/\r\n?/g, '\n');
    const at = this.clock().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const current = await this.get(key, trx);
      if (current.version !== expectedVersion) throw staleTemplate();
      if (current.version === 0) {
        const inserted = await trx
          .insertInto('notification_template')
          .values({ template_key: key, subject, body, version: 1, updated_by: actor.userId, updated_at: at })
          .onConflict((oc) => oc.column('template_key').doNothing())
          .executeTakeFirst();
        if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) throw staleTemplate();
      } else {
        const updated = await trx
          .updateTable('notification_template')
          .set({ subject, body, version: expectedVersion + 1, updated_by: actor.userId, updated_at: at })
          .where('template_key', '=', key)
          .where('version', '=', expectedVersion)
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) throw staleTemplate();
      }
      await new AuditRepository(trx).record(
        { ...actor, action: 'notification_template_changed', entityType: 'notification_template', entityId: key, details: { version: expectedVersion + 1 } },
        at,
      );
      return this.get(key, trx);
    });
  }
}

function inForce(key: TemplateKey, row: { subject: string; body: string; version: number; updated_at: string } | undefined): TemplateInForce {
  const definition = TEMPLATE_DEFINITIONS[key];
  return row === undefined
    ? { definition, subject: definition.subject, body: definition.body, version: 0, isCustomised: false, updatedAt: null }
    : { definition, subject: row.subject, body: row.body, version: row.version, isCustomised: true, updatedAt: row.updated_at };
}

function staleTemplate(): DomainError {
  return new DomainError('stale_update', 'Someone else changed this template while you were working on it. Check it, then save your changes again.');
}
