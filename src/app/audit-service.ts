/**
 * The audit trail for information governance: who looked at or changed which case, when and
 * from where, filtered by user, case, person and dates, newest first, and as CSV. Reading the
 * trail and exporting it are themselves audited — with ids and filter names only, never the
 * words typed in the person filter, so the trail holds no personal data of its own.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuditRepository, type AuditEntry, type AuditFilter } from '../db/audit-repository.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { DomainError } from '../domain/errors.ts';
import { isIsoDate } from '../domain/calendar/iso-date.ts';
import { auditActionText } from '../domain/audit/audit-actions.ts';
import type { Actor, Clock } from './clock.ts';
import { QUESTIONNAIRE_SUBJECT } from './questionnaire-service.ts';

export const AUDIT_TRAIL_SUBJECT = 'audit_trail';

/** What the audit page asks for; every field optional. Dates are whole days (UTC), inclusive. */
export interface AuditQuery {
  readonly userId?: number;
  readonly caseReference?: string;
  /** A young person's id as recorded, or a complainant's name or email address. */
  readonly person?: string;
  readonly from?: string;
  readonly to?: string;
  readonly before?: number;
}

export interface AuditRow {
  readonly id: number;
  readonly occurredAt: string;
  readonly userId: number | null;
  /** The user's name, or who acted when no one was signed in. */
  readonly who: string;
  readonly action: string;
  readonly actionText: string;
  readonly entityType: string;
  readonly entityId: string | null;
  /** The case the entry is about, when it is about one. */
  readonly caseReference: string | undefined;
  /** What the entry is about, in words. */
  readonly about: string;
  readonly ip: string | null;
  readonly requestId: string | null;
}

export interface AuditPage {
  readonly rows: readonly AuditRow[];
  /** The `before` of the next (older) page, when there is one. */
  readonly olderBefore: number | undefined;
}

const PAGE_SIZE = 50;
const CSV_BATCH = 1000;
const CSV_COLUMNS = ['id', 'occurred_at', 'user_id', 'user_name', 'action', 'action_text', 'entity_type', 'entity_id', 'case_reference', 'ip', 'request_id'] as const;

export class AuditService {
  private readonly audit: AuditRepository;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {
    this.audit = new AuditRepository(db);
  }

  /** Everyone who can appear as "who", for the user filter. */
  async users(): Promise<{ id: number; name: string; email: string }[]> {
    return this.db.selectFrom('app_user').select(['id', 'name', 'email']).orderBy('name').orderBy('id').execute();
  }

  /** One page of entries, newest first; the look is audited. */
  async page(query: AuditQuery, viewer: Actor, pageSize = PAGE_SIZE): Promise<AuditPage> {
    const filter = await this.filterFor(query);
    const found = await this.audit.search(filter, pageSize);
    const rows = await this.present(found.entries);
    await this.audit.record({ ...viewer, action: 'audit_trail_viewed', entityType: AUDIT_TRAIL_SUBJECT, entityId: null, details: auditedFilter(query, filter) }, this.clock().toISOString());
    const last = rows.at(-1);
    return { rows, olderBefore: found.hasMore && last !== undefined ? last.id : undefined };
  }

  /** Every entry the query matches as CSV (formula-like cells escaped), newest first; the export is audited. */
  async csv(query: AuditQuery, viewer: Actor): Promise<string> {
    const filter = await this.filterFor({ ...query, before: undefined });
    const lines: string[] = [CSV_COLUMNS.join(',')];
    let before: number | undefined;
    let count = 0;
    for (;;) {
      const found = await this.audit.search({ ...filter, ...(before === undefined ? {} : { beforeId: before }) }, CSV_BATCH);
      for (const row of await this.present(found.entries)) {
        lines.push(
          [String(row.id), row.occurredAt, row.userId === null ? '' : String(row.userId), row.who, row.action, row.actionText, row.entityType, row.entityId ?? '', row.caseReference ?? '', row.ip ?? '', row.requestId ?? '']
            .map(csvCell)
            .join(','),
        );
        count += 1;
      }
      const last = found.entries.at(-1);
      if (!found.hasMore || last === undefined) break;
      before = last.id;
    }
    await this.audit.record({ ...viewer, action: 'audit_trail_exported', entityType: AUDIT_TRAIL_SUBJECT, entityId: null, details: { ...auditedFilter(query, filter), rows: count } }, this.clock().toISOString());
    return `${lines.join('\r\n')}\r\n`;
  }

  /** Turns the query into the repository's filter; a case or person that matches nothing gives an empty filter. */
  private async filterFor(query: AuditQuery): Promise<AuditFilter> {
    if (query.from !== undefined && !isIsoDate(query.from)) throw new DomainError('invalid_date', 'Enter a real date for "from"', 'from');
    if (query.to !== undefined && !isIsoDate(query.to)) throw new DomainError('invalid_date', 'Enter a real date for "to"', 'to');
    if (query.from !== undefined && query.to !== undefined && query.to < query.from) throw new DomainError('invalid_date', 'The "to" date must be the same as or after the "from" date', 'to');
    let representationIds: number[] | undefined;
    if (query.caseReference !== undefined) {
      const row = await this.db.selectFrom('representation').select('id').where('reference', '=', query.caseReference.trim().toUpperCase()).executeTakeFirst();
      representationIds = row === undefined ? [] : [row.id];
    }
    if (query.person !== undefined) {
      const ids = await casesOfPerson(this.db, query.person);
      representationIds = representationIds === undefined ? ids : representationIds.filter((id) => ids.includes(id));
    }
    let entities: AuditFilter['entities'];
    if (representationIds !== undefined) {
      const questionnaires =
        representationIds.length === 0 ? [] : await this.db.selectFrom('questionnaire').select('id').where('representation_id', 'in', representationIds).execute();
      entities = [...representationIds.map((id) => ({ type: REPRESENTATION_SUBJECT, id: String(id) })), ...questionnaires.map((q) => ({ type: QUESTIONNAIRE_SUBJECT, id: String(q.id) }))];
    }
    return {
      ...(query.userId === undefined ? {} : { userId: query.userId }),
      ...(entities === undefined ? {} : { entities }),
      ...(query.from === undefined ? {} : { from: `${query.from}T00:00:00.000Z` }),
      ...(query.to === undefined ? {} : { to: `${query.to}T23:59:59.999Z` }),
      ...(query.before === undefined ? {} : { beforeId: query.before }),
    };
  }

  private async present(entries: readonly AuditEntry[]): Promise<AuditRow[]> {
    const userIds = [...new Set(entries.flatMap((e) => (e.userId === null ? [] : [e.userId])).concat(entries.filter((e) => e.entityType === 'user' && e.entityId !== null).map((e) => Number(e.entityId))))];
    const users = new Map(userIds.length === 0 ? [] : (await this.db.selectFrom('app_user').select(['id', 'name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.name]));
    const questionnaireIds = entries.filter((e) => e.entityType === QUESTIONNAIRE_SUBJECT && e.entityId !== null).map((e) => Number(e.entityId));
    const questionnaireCase = new Map(
      questionnaireIds.length === 0 ? [] : (await this.db.selectFrom('questionnaire').select(['id', 'representation_id']).where('id', 'in', questionnaireIds).execute()).map((q) => [q.id, q.representation_id]),
    );
    const caseIdOf = (e: AuditEntry): number | undefined =>
      e.entityId === null ? undefined : e.entityType === REPRESENTATION_SUBJECT ? Number(e.entityId) : e.entityType === QUESTIONNAIRE_SUBJECT ? questionnaireCase.get(Number(e.entityId)) : undefined;
    const caseIds = [...new Set(entries.map(caseIdOf).filter((id): id is number => id !== undefined && Number.isInteger(id)))];
    const references = new Map(caseIds.length === 0 ? [] : (await this.db.selectFrom('representation').select(['id', 'reference']).where('id', 'in', caseIds).execute()).map((r) => [r.id, r.reference]));
    return entries.map((e) => {
      const caseId = caseIdOf(e);
      const caseReference = caseId === undefined ? undefined : references.get(caseId);
      return {
        id: e.id,
        occurredAt: e.occurredAt,
        userId: e.userId,
        who: e.userId === null ? 'No one signed in (the public pages, a link, the command line or a scheduled job)' : (users.get(e.userId) ?? `User ${String(e.userId)}`),
        action: e.action,
        actionText: auditActionText(e.action),
        entityType: e.entityType,
        entityId: e.entityId,
        caseReference,
        about: aboutText(e, caseReference, users),
        ip: e.ip,
        requestId: e.requestId,
      };
    });
  }
}

/**
 * The cases of a person: where they are the young person (by the id recorded for them) or the
 * complainant (by name or email address, ignoring case and spaces at either end).
 */
export async function casesOfPerson(db: Kysely<Database>, person: string): Promise<number[]> {
  const text = person.trim();
  if (text === '') return [];
  const lower = text.toLowerCase();
  const rows = await db
    .selectFrom('representation')
    .leftJoin('young_person', 'young_person.id', 'representation.young_person_id')
    .leftJoin('person', 'person.id', 'representation.complainant_id')
    .select('representation.id')
    .where((eb) =>
      eb.or([
        eb('young_person.external_id', '=', text),
        eb(eb.fn('lower', ['person.name']), '=', lower),
        eb(eb.fn('lower', ['person.email']), '=', lower),
      ]),
    )
    .orderBy('representation.id')
    .execute();
  return rows.map((r) => r.id);
}

function aboutText(e: AuditEntry, caseReference: string | undefined, users: ReadonlyMap<number, string>): string {
  if (caseReference !== undefined) return e.entityType === QUESTIONNAIRE_SUBJECT ? `Questionnaire for case ${caseReference}` : `Case ${caseReference}`;
  if (e.entityType === REPRESENTATION_SUBJECT) return `Case ${e.entityId ?? ''} (no longer held)`;
  if (e.entityType === 'user' && e.entityId !== null) return `User ${users.get(Number(e.entityId)) ?? e.entityId}`;
  const type = e.entityType.replaceAll('_', ' ');
  const words = type.charAt(0).toUpperCase() + type.slice(1);
  return e.entityId === null ? words : `${words} ${e.entityId}`;
}

/** What the audit of a look at the trail records: which filters, by id, never the person's words. */
function auditedFilter(query: AuditQuery, filter: AuditFilter): Record<string, unknown> {
  const cases = filter.entities?.filter((e) => e.type === REPRESENTATION_SUBJECT).map((e) => Number(e.id));
  return {
    filters: (['userId', 'caseReference', 'person', 'from', 'to'] as const).filter((key) => query[key] !== undefined),
    ...(query.userId === undefined ? {} : { user_id: query.userId }),
    ...(cases === undefined ? {} : { representation_ids: cases.slice(0, 100) }),
    ...(query.from === undefined ? {} : { from: query.from }),
    ...(query.to === undefined ? {} : { to: query.to }),
  };
}

/** A CSV cell quoted when needed; text starting like a formula is prefixed with ' so a spreadsheet does not run it. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
