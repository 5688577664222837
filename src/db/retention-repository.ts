/**
 * Retention and disposal in the database (docs/adr/0015-retention-and-disposal.md): the ended
 * cases not yet disposed of, legal holds, the disposal log, and the erasure of one case's
 * personal data. The erasure keeps every column the reports count (kind, status, stage, dates,
 * team, channel, complainant role, codes, findings, clocks' dates, costs, the Ombudsman's
 * decisions, the young person's row with their ethnicity) and blanks or deletes the rest.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { STAGE2_REPORT_SUBJECT } from '../domain/cases/later-stage-workflow.ts';

/** A closed or withdrawn case whose personal data is still kept. */
export interface EndedCaseRow {
  readonly id: number;
  readonly reference: string;
  readonly kind: string;
  /** The day it was closed (or withdrawn, when never closed). */
  readonly endedOn: string;
  readonly dateOfBirth: string | null;
  readonly isHeld: boolean;
}

export interface LegalHoldRow {
  readonly id: number;
  readonly representationId: number;
  readonly reference: string;
  readonly reason: string;
  readonly placedBy: string | null;
  readonly placedAt: string;
}

export interface DisposalLogRow {
  readonly id: number;
  readonly reference: string;
  readonly disposedAt: string;
  readonly disposedBy: string | null;
  readonly asAt: string;
  readonly dueOn: string;
  readonly policy: Readonly<Record<string, unknown>>;
  readonly erased: Readonly<Record<string, number>>;
}

/** What one case's disposal erased (counts only) and the files to delete once it is committed. */
export interface Erasure {
  readonly erased: Record<string, number>;
  readonly storageKeys: readonly string[];
}

/** Words left where free text was, so a disposed case's records still read as disposed of. */
export const DISPOSED_TEXT = 'Disposed of under the retention policy';

const ENDED_STATUSES = ['closed', 'withdrawn'] as const;

interface Changed {
  readonly numUpdatedRows?: bigint;
  readonly numDeletedRows?: bigint;
}

/** Rows an update or delete changed. */
function count(result: Changed): number {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);
}

/** Blanks the `reason` of each hold and extension in a clock's events, keeping their dates and lengths. */
function withoutReasons(events: string): string {
  const parsed = JSON.parse(events) as Record<string, unknown>;
  for (const list of ['pauses', 'extensions']) {
    const items = parsed[list];
    if (!Array.isArray(items)) continue;
    parsed[list] = items.map((item: unknown) => (typeof item === 'object' && item !== null && 'reason' in item ? { ...item, reason: DISPOSED_TEXT } : item));
  }
  return JSON.stringify(parsed);
}

/** Whether a case's personal data has been disposed of (nothing more may be done to it). */
export async function isDisposedCase(db: Kysely<Database>, id: number): Promise<boolean> {
  const row = await db.selectFrom('representation').select('disposed_at').where('id', '=', id).executeTakeFirst();
  return row !== undefined && row.disposed_at !== null;
}

export class RetentionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every closed or withdrawn case not yet disposed of, with its young person's date of birth and whether a legal hold is on it. */
  async endedCases(): Promise<EndedCaseRow[]> {
    const rows = await this.db
      .selectFrom('representation as r')
      .leftJoin('young_person as yp', 'yp.id', 'r.young_person_id')
      .select((eb) => [
        'r.id',
        'r.reference',
        'r.kind',
        'r.closed_on',
        'r.withdrawn_on',
        'yp.date_of_birth',
        eb
          .exists(eb.selectFrom('legal_hold as h').select('h.id').whereRef('h.representation_id', '=', 'r.id').where('h.removed_at', 'is', null))
          .as('is_held'),
      ])
      .where('r.status', 'in', [...ENDED_STATUSES])
      .where('r.disposed_at', 'is', null)
      .where((eb) => eb.or([eb('r.closed_on', 'is not', null), eb('r.withdrawn_on', 'is not', null)]))
      .orderBy('r.reference')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      reference: row.reference,
      kind: row.kind,
      endedOn: row.closed_on ?? row.withdrawn_on ?? '',
      dateOfBirth: row.date_of_birth,
      isHeld: row.is_held === true || Number(row.is_held) === 1,
    }));
  }

  /** One case as `endedCases` sees it (undefined when it is open again, disposed of, or unknown). */
  async endedCase(id: number): Promise<EndedCaseRow | undefined> {
    return (await this.endedCases()).find((row) => row.id === id);
  }

  async findCase(reference: string): Promise<{ id: number; reference: string; status: string; disposedAt: string | null } | undefined> {
    const row = await this.db.selectFrom('representation').select(['id', 'reference', 'status', 'disposed_at']).where('reference', '=', reference).executeTakeFirst();
    return row && { id: row.id, reference: row.reference, status: row.status, disposedAt: row.disposed_at };
  }

  async activeHold(representationId: number): Promise<LegalHoldRow | undefined> {
    return (await this.holds(representationId))[0];
  }

  /** Legal holds in force (of one case, or of every case), newest first. */
  async holds(representationId?: number): Promise<LegalHoldRow[]> {
    let query = this.db
      .selectFrom('legal_hold as h')
      .innerJoin('representation as r', 'r.id', 'h.representation_id')
      .leftJoin('app_user as u', 'u.id', 'h.placed_by')
      .select(['h.id', 'h.representation_id', 'r.reference', 'h.reason', 'u.name as placed_by', 'h.placed_at'])
      .where('h.removed_at', 'is', null);
    if (representationId !== undefined) query = query.where('h.representation_id', '=', representationId);
    const rows = await query.orderBy('h.placed_at', 'desc').orderBy('h.id', 'desc').execute();
    return rows.map((row) => ({ id: row.id, representationId: row.representation_id, reference: row.reference, reason: row.reason, placedBy: row.placed_by, placedAt: row.placed_at }));
  }

  async placeHold(representationId: number, reason: string, userId: number | null, now: string): Promise<void> {
    await this.db.insertInto('legal_hold').values({ representation_id: representationId, reason, placed_by: userId, placed_at: now }).execute();
  }

  /** Ends the holds in force on a case; the number ended. */
  async removeHolds(representationId: number, reason: string, userId: number | null, now: string): Promise<number> {
    const result = await this.db
      .updateTable('legal_hold')
      .set({ removed_reason: reason, removed_by: userId, removed_at: now })
      .where('representation_id', '=', representationId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The disposal log, newest first. */
  async log(limit = 500): Promise<DisposalLogRow[]> {
    const rows = await this.db
      .selectFrom('disposal_log as d')
      .leftJoin('app_user as u', 'u.id', 'd.disposed_by')
      .select(['d.id', 'd.reference', 'd.disposed_at', 'u.name as disposed_by', 'd.as_at', 'd.due_on', 'd.policy', 'd.erased'])
      .orderBy('d.disposed_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      reference: row.reference,
      disposedAt: row.disposed_at,
      disposedBy: row.disposed_by,
      asAt: row.as_at,
      dueOn: row.due_on,
      policy: JSON.parse(row.policy) as Record<string, unknown>,
      erased: JSON.parse(row.erased) as Record<string, number>,
    }));
  }

  async addLog(entry: { representationId: number; reference: string; disposedAt: string; disposedBy: number | null; asAt: string; dueOn: string; policy: object; erased: object }): Promise<void> {
    await this.db
      .insertInto('disposal_log')
      .values({
        representation_id: entry.representationId,
        reference: entry.reference,
        disposed_at: entry.disposedAt,
        disposed_by: entry.disposedBy,
        as_at: entry.asAt,
        due_on: entry.dueOn,
        policy: JSON.stringify(entry.policy),
        erased: JSON.stringify(entry.erased),
      })
      .execute();
  }

  /**
   * Erases one case's personal data (run inside the disposal's transaction): the people and
   * their contact details, the young person's id and date of birth once no kept case is about
   * them, every free text (summary, notes, replies, reasons, points, recommendations, comments,
   * what was typed on the public form, history details, the reasons in its clocks), emails
   * about it and its files' rows (the files themselves go after the commit: `storageKeys`).
   * Full-text indexes follow the rows (SQLite triggers; PostgreSQL expression indexes).
   */
  async erase(id: number, now: string): Promise<Erasure> {
    const db = this.db;
    const erased: Record<string, number> = {};
    const note = (name: string, n: number) => {
      if (n > 0) erased[name] = (erased[name] ?? 0) + n;
    };
    const representation = await db.selectFrom('representation').select(['complainant_id', 'advocate_id', 'young_person_id']).where('id', '=', id).executeTakeFirstOrThrow();

    note(
      'case_text',
      count(
        await db
          .updateTable('representation')
          .set({ summary: DISPOSED_TEXT, worker_name: null, informal_reason: null, reply: null, complainant_id: null, advocate_id: null, disposed_at: now, updated_at: now })
          .where('id', '=', id)
          .executeTakeFirst(),
      ),
    );

    // The people: removed once no kept case names them.
    for (const personId of [representation.complainant_id, representation.advocate_id]) {
      if (personId === null) continue;
      const other = await db
        .selectFrom('representation')
        .select('id')
        .where((eb) => eb.or([eb('complainant_id', '=', personId), eb('advocate_id', '=', personId)]))
        .limit(1)
        .executeTakeFirst();
      if (other === undefined) note('person', count(await db.deleteFrom('person').where('id', '=', personId).executeTakeFirst()));
    }

    // The young person: the row stays (the report counts distinct young people and their
    // ethnicity); their id and date of birth go once every case about them is disposed of.
    if (representation.young_person_id !== null) {
      const kept = await db
        .selectFrom('representation')
        .select('id')
        .where('young_person_id', '=', representation.young_person_id)
        .where('disposed_at', 'is', null)
        .limit(1)
        .executeTakeFirst();
      if (kept === undefined) {
        note(
          'young_person',
          count(
            await db
              .updateTable('young_person')
              .set({ external_id: `disposed-${String(representation.young_person_id)}`, date_of_birth: null, updated_at: now })
              .where('id', '=', representation.young_person_id)
              .executeTakeFirst(),
          ),
        );
      }
    }

    note('case_note', count(await db.deleteFrom('case_note').where('representation_id', '=', id).executeTakeFirst()));
    note(
      'eligibility_decision',
      count(await db.updateTable('eligibility_decision').set({ reason: DISPOSED_TEXT, child_views: null, parts_declined: null }).where('representation_id', '=', id).executeTakeFirst()),
    );
    note('public_submission', count(await db.updateTable('public_submission').set({ answers: '{}' }).where('representation_id', '=', id).executeTakeFirst()));
    note('questionnaire_comment', count(await db.updateTable('questionnaire').set({ answer_comments: null }).where('representation_id', '=', id).where('answer_comments', 'is not', null).executeTakeFirst()));
    note('notification', count(await db.deleteFrom('notification_outbox').where('subject_type', '=', 'representation').where('subject_id', '=', id).executeTakeFirst()));
    note('complaint_point', count(await db.updateTable('complaint_point').set({ text: DISPOSED_TEXT }).where('representation_id', '=', id).executeTakeFirst()));
    note('appointment_name', count(await db.updateTable('appointment').set({ name: DISPOSED_TEXT }).where('representation_id', '=', id).where('user_id', 'is', null).executeTakeFirst()));
    note('stage2', count(await db.updateTable('stage2').set({ late_reason: null }).where('representation_id', '=', id).where('late_reason', 'is not', null).executeTakeFirst()));
    note(
      'stage3',
      count(await db.updateTable('stage3').set({ late_reason: null, attendees: null, recommendations: null }).where('representation_id', '=', id).executeTakeFirst()),
    );
    const enquiries = db.selectFrom('ombudsman_enquiry').select('id').where('representation_id', '=', id);
    note('ombudsman_enquiry', count(await db.updateTable('ombudsman_enquiry').set({ remedy_service_improvements: null }).where('representation_id', '=', id).where('remedy_service_improvements', 'is not', null).executeTakeFirst()));
    note('ombudsman_information_request', count(await db.updateTable('ombudsman_information_request').set({ details: DISPOSED_TEXT }).where('enquiry_id', 'in', enquiries).executeTakeFirst()));
    note(
      'history_entry',
      count(await db.updateTable('history_entry').set({ summary: DISPOSED_TEXT, before: null, after: null }).where('subject_type', '=', 'representation').where('subject_id', '=', id).executeTakeFirst()),
    );
    const clocks = await db.selectFrom('clock').select(['id', 'events']).where('subject_type', '=', 'representation').where('subject_id', '=', id).execute();
    for (const clock of clocks) {
      const events = withoutReasons(clock.events);
      if (events !== clock.events) note('clock_reason', count(await db.updateTable('clock').set({ events }).where('id', '=', clock.id).executeTakeFirst()));
    }

    // Files: the case's own and its Stage 2 investigation report.
    const stage2 = db.selectFrom('stage2').select('id').where('representation_id', '=', id);
    const files = await db
      .selectFrom('attachment')
      .select(['id', 'storage_key'])
      .where((eb) => eb.or([eb.and([eb('subject_type', '=', 'representation'), eb('subject_id', '=', id)]), eb.and([eb('subject_type', '=', STAGE2_REPORT_SUBJECT), eb('subject_id', 'in', stage2)])]))
      .execute();
    if (files.length > 0) {
      const ids = files.map((f) => f.id);
      note('attachment', count(await db.deleteFrom('attachment').where('id', 'in', ids).executeTakeFirst()));
    }
    return { erased, storageKeys: files.map((f) => f.storage_key) };
  }
}
