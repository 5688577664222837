/**
 * Subject access: every record Redress holds about one young person (by the id recorded for
 * them on their cases) or one complainant (by the id of their contact record or their email
 * address) — each case where they are the young person or the complainant, with its facts,
 * stages, clocks, decisions, notes, history, letters produced, questionnaires, what was sent on
 * the public pages, files, and who looked at the case — gathered into one bundle: JSON
 * (`redress.subject-access/1`, keys as documented in docs/adr/0014-audit-trail-and-subject-access.md),
 * a readable Word document, and the files. Other people's names and details are listed for
 * redaction (staff, who act for the council, are not). Looking and exporting are audited, with
 * ids only.
 */
import { readFile } from 'node:fs/promises';
import type { Kysely, Selectable } from 'kysely';
import type { Database, PersonTable, RepresentationTable, YoungPersonTable } from '../db/schema.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { STAGE2_REPORT_SUBJECT } from '../domain/cases/later-stage-workflow.ts';
import { DomainError } from '../domain/errors.ts';
import { auditActionText } from '../domain/audit/audit-actions.ts';
import type { Actor, Clock } from './clock.ts';
import { QUESTIONNAIRE_SUBJECT } from './questionnaire-service.ts';

export const SUBJECT_ACCESS_FORMAT = 'redress.subject-access/1';
export const SUBJECT_ACCESS_SUBJECT = 'subject_access';

export type SubjectKind = 'young_person' | 'complainant';

export interface SubjectRef {
  readonly kind: SubjectKind;
  /** A young person's id as recorded; a complainant's contact record id (a number) or email address. */
  readonly id: string;
}

/** Complainants who speak for themselves: their records are the young person's own. */
const SELF_ROLES: readonly string[] = ['child', 'care_leaver'];

export interface CasePreview {
  readonly reference: string;
  readonly kind: string;
  readonly receivedOn: string;
  readonly status: string;
  /** How the person is part of the case. */
  readonly as: string;
}

/** One value in the bundle that is about someone else, to be considered for redaction. */
export interface RedactionMark {
  readonly case: string;
  /** Where in the case it is: a field (`complainant.name`) or free text (`notes[2].body`). */
  readonly where: string;
  readonly text: string;
  /** Whose it is, in words. */
  readonly who: string;
}

export interface SubjectAccessBundle {
  readonly format: typeof SUBJECT_ACCESS_FORMAT;
  readonly produced_at: string;
  readonly subject: { readonly kind: SubjectKind; readonly id: string; readonly details: Record<string, unknown> | null };
  readonly cases: readonly Record<string, unknown>[];
  readonly redactions: readonly RedactionMark[];
  /** The files in the bundle: its path in the bundle and the case it belongs to. */
  readonly files: readonly { readonly case: string; readonly path: string; readonly file_name: string; readonly media_type: string; readonly size_bytes: number; readonly sha256: string }[];
}

export interface GatheredBundle {
  readonly bundle: SubjectAccessBundle;
  /** The files' bytes, by their path in the bundle. */
  readonly files: readonly { readonly path: string; readonly bytes: Buffer }[];
}

type Row = Record<string, unknown>;

/** Columns that are database plumbing rather than information about anyone. */
const PLUMBING = new Set(['id', 'representation_id', 'subject_type', 'subject_id', 'version', 'queue_due_on', 'contact_id', 'young_person_id', 'complainant_id', 'advocate_id', 'created_by', 'storage_key', 'staging_key', 'link_id', 'reminder_link_id', 'idempotency_key', 'token_hash']);

const plain = (row: object): Row => Object.fromEntries(Object.entries(row).filter(([key]) => !PLUMBING.has(key)));

export class SubjectAccessService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** Where an attachment's bytes are kept (AttachmentService.pathOf). */
    private readonly pathOf: (storageKey: string) => string,
  ) {}

  /** The cases of the person, for a look before exporting; the look is audited. */
  async preview(subject: SubjectRef, actor: Actor): Promise<CasePreview[]> {
    const found = await this.casesOf(subject);
    await new AuditRepository(this.db).record(
      { ...actor, action: 'subject_access_previewed', entityType: SUBJECT_ACCESS_SUBJECT, entityId: null, details: { subject_kind: subject.kind, representation_ids: found.map((c) => c.id) } },
      this.clock().toISOString(),
    );
    return found.map((c) => ({ reference: c.reference, kind: c.kind, receivedOn: c.received_on, status: c.status, as: c.as }));
  }

  /** Everything about the person, with the files; the export is audited (and audited on each case it includes). */
  async gather(subject: SubjectRef, actor: Actor): Promise<GatheredBundle> {
    const found = await this.casesOf(subject);
    if (found.length === 0) throw new DomainError('subject_not_found', subject.kind === 'young_person' ? 'No case records a young person with that id' : 'No case has a complainant with that id or email address', 'id');
    const ids = found.map((c) => c.id);
    const now = this.clock().toISOString();
    const users = new Map((await this.db.selectFrom('app_user').select(['id', 'name']).execute()).map((u) => [u.id, u.name]));
    const staff = (id: unknown): string | null => (typeof id === 'number' ? (users.get(id) ?? `User ${String(id)}`) : null);
    const teams = new Map((await this.db.selectFrom('team').select(['id', 'name']).execute()).map((t) => [t.id, t.name]));
    const byCase = async <T extends { representation_id: number }>(rows: Promise<T[]>): Promise<Map<number, T[]>> => {
      const map = new Map<number, T[]>();
      for (const row of await rows) map.set(row.representation_id, [...(map.get(row.representation_id) ?? []), row]);
      return map;
    };
    const db = this.db;
    const [codes, eligibility, advocacy, notes, complaintPoints, appointments, stage2, stage3, questionnaires, submissions, ombudsman] = await Promise.all([
      byCase(db.selectFrom('representation_code').selectAll().where('representation_id', 'in', ids).orderBy('list').orderBy('code').execute()),
      byCase(db.selectFrom('eligibility_decision').selectAll().where('representation_id', 'in', ids).orderBy('id').execute()),
      byCase(db.selectFrom('advocacy_offer').selectAll().where('representation_id', 'in', ids).orderBy('id').execute()),
      byCase(db.selectFrom('case_note').selectAll().where('representation_id', 'in', ids).orderBy('id').execute()),
      byCase(db.selectFrom('complaint_point').selectAll().where('representation_id', 'in', ids).orderBy('number').execute()),
      byCase(db.selectFrom('appointment').selectAll().where('representation_id', 'in', ids).orderBy('id').execute()),
      byCase(db.selectFrom('stage2').selectAll().where('representation_id', 'in', ids).execute()),
      byCase(db.selectFrom('stage3').selectAll().where('representation_id', 'in', ids).execute()),
      byCase(db.selectFrom('questionnaire').selectAll().where('representation_id', 'in', ids).orderBy('id').execute()),
      db.selectFrom('public_submission').select(['representation_id', 'audience', 'answers', 'created_at']).where('representation_id', 'in', ids).execute(),
      byCase(db.selectFrom('ombudsman_enquiry').selectAll().where('representation_id', 'in', ids).orderBy('id').execute()),
    ]);
    const clocks = await db.selectFrom('clock').selectAll().where('subject_type', '=', REPRESENTATION_SUBJECT).where('subject_id', 'in', ids).orderBy('id').execute();
    const history = await db.selectFrom('history_entry').selectAll().where('subject_type', '=', REPRESENTATION_SUBJECT).where('subject_id', 'in', ids).orderBy('occurred_at').orderBy('id').execute();
    const stage2Ids = [...stage2.values()].flat().map((s) => s.id);
    const attachments = await db
      .selectFrom('attachment')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('subject_type', '=', REPRESENTATION_SUBJECT), eb('subject_id', 'in', ids)]),
          ...(stage2Ids.length === 0 ? [] : [eb.and([eb('subject_type', '=', STAGE2_REPORT_SUBJECT), eb('subject_id', 'in', stage2Ids)])]),
        ]),
      )
      .orderBy('id')
      .execute();
    const questionnaireIds = [...questionnaires.values()].flat().map((q) => String(q.id));
    const views = await db
      .selectFrom('audit_event')
      .select(['id', 'occurred_at', 'user_id', 'action', 'entity_type', 'entity_id', 'ip'])
      .where((eb) =>
        eb.or([
          eb.and([eb('entity_type', '=', REPRESENTATION_SUBJECT), eb('entity_id', 'in', ids.map(String))]),
          ...(questionnaireIds.length === 0 ? [] : [eb.and([eb('entity_type', '=', QUESTIONNAIRE_SUBJECT), eb('entity_id', 'in', questionnaireIds)])]),
        ]),
      )
      .orderBy('id')
      .execute();

    const redactions: RedactionMark[] = [];
    const files: { path: string; bytes: Buffer }[] = [];
    const fileList: SubjectAccessBundle['files'][number][] = [];
    const cases: Row[] = [];
    for (const c of found) {
      const ref = c.reference;
      // The other people of this case: their names and details are marked, and so are their names wherever they appear in free text.
      const others: { name: string; who: string }[] = [];
      const mark = (where: string, text: unknown, who: string): void => {
        if (typeof text === 'string' && text.trim() !== '') redactions.push({ case: ref, where, text, who });
      };
      const isSelfComplainant = c.complainant_role !== null && SELF_ROLES.includes(c.complainant_role);
      const complainantIsOther = subject.kind === 'young_person' && !isSelfComplainant;
      const youngPersonIsOther = subject.kind === 'complainant' && !isSelfComplainant;
      const complainant = c.complainant === null ? null : plain(c.complainant);
      if (complainant !== null && complainantIsOther) {
        for (const field of ['name', 'email', 'phone', 'address']) mark(`complainant.${field}`, complainant[field], 'the complainant');
        if (typeof complainant.name === 'string') others.push({ name: complainant.name, who: 'the complainant' });
      }
      const youngPerson = c.young_person === null ? null : { id: c.young_person.external_id, date_of_birth: c.young_person.date_of_birth, ethnicity: c.young_person.ethnicity };
      if (youngPerson !== null && youngPersonIsOther) {
        mark('young_person.id', youngPerson.id, 'the young person');
        mark('young_person.date_of_birth', youngPerson.date_of_birth, 'the young person');
      }
      const advocate = c.advocate === null ? null : plain(c.advocate);
      if (advocate !== null) {
        for (const field of ['name', 'email', 'phone', 'address']) mark(`advocate.${field}`, advocate[field], 'the advocate');
        if (typeof advocate.name === 'string') others.push({ name: advocate.name, who: 'the advocate' });
      }
      const submission = submissions.find((s) => s.representation_id === c.id);
      const answers = submission === undefined ? null : (JSON.parse(submission.answers) as Record<string, unknown>);
      if (answers !== null && subject.kind === 'complainant' && typeof answers.child_name === 'string' && answers.child_name.trim() !== '') {
        mark('public_submission.answers.child_name', answers.child_name, 'the young person named by the sender');
        others.push({ name: answers.child_name.trim(), who: 'the young person named by the sender' });
      }
      const caseAppointments = (appointments.get(c.id) ?? []).map((a) => ({ ...plain(a), name: a.user_id === null ? a.name : (staff(a.user_id) ?? a.name), user_id: undefined }));
      (appointments.get(c.id) ?? []).forEach((a, i) => {
        if (a.user_id === null) {
          mark(`appointments[${String(i)}].name`, a.name, 'someone appointed from outside the council');
          others.push({ name: a.name, who: 'someone appointed from outside the council' });
        }
      });
      const markText = (where: string, text: unknown): void => {
        if (typeof text !== 'string') return;
        for (const other of others) if (other.name.trim().length >= 2 && text.toLowerCase().includes(other.name.trim().toLowerCase())) mark(where, other.name, other.who);
      };
      const caseNotes = (notes.get(c.id) ?? []).map((n) => ({ written_at: n.created_at, by: staff(n.user_id), body: n.body }));
      const caseHistory = history.filter((h) => h.subject_id === c.id).map((h) => ({ occurred_at: h.occurred_at, by: staff(h.user_id), action: h.action, summary: h.summary, before: h.before === null ? null : (JSON.parse(h.before) as unknown), after: h.after === null ? null : (JSON.parse(h.after) as unknown) }));
      markText('summary', c.row.summary);
      markText('reply', c.row.reply);
      caseNotes.forEach((n, i) => {
        markText(`notes[${String(i)}].body`, n.body);
      });
      caseHistory.forEach((h, i) => {
        markText(`history[${String(i)}]`, `${h.summary} ${JSON.stringify(h.before)} ${JSON.stringify(h.after)}`);
      });
      if (answers !== null) markText('public_submission.answers', JSON.stringify(answers));
      const caseFiles = attachments.filter((a) => (a.subject_type === REPRESENTATION_SUBJECT ? a.subject_id === c.id : (stage2.get(c.id) ?? []).some((s) => s.id === a.subject_id)));
      const fileEntries = [];
      for (const a of caseFiles) {
        const path = `files/${ref}/${String(a.id)}-${safeFileName(a.file_name)}`;
        files.push({ path, bytes: await readFile(this.pathOf(a.storage_key)) });
        const entry = { case: ref, path, file_name: a.file_name, media_type: a.media_type, size_bytes: a.size_bytes, sha256: a.sha256 };
        fileList.push(entry);
        fileEntries.push({ path, file_name: a.file_name, media_type: a.media_type, size_bytes: a.size_bytes, added_at: a.created_at, added_by: staff(a.created_by) });
      }
      const questionnaireRows = questionnaires.get(c.id) ?? [];
      cases.push({
        reference: ref,
        as: c.as,
        ...plain(c.row),
        team: c.row.team_id === null ? null : (teams.get(c.row.team_id) ?? null),
        team_id: undefined,
        responder: staff(c.row.responder_user_id),
        responder_user_id: undefined,
        young_person: youngPerson,
        complainant,
        advocate,
        codes: Object.fromEntries(
          [...new Set((codes.get(c.id) ?? []).map((r) => r.list))].map((list) => [list, (codes.get(c.id) ?? []).filter((r) => r.list === list).map((r) => r.code)]),
        ),
        eligibility_decisions: (eligibility.get(c.id) ?? []).map((e) => ({ ...plain(e), decided_by: staff(e.decided_by) })),
        advocacy_offers: (advocacy.get(c.id) ?? []).map((a) => ({ ...plain(a), recorded_by: staff(a.recorded_by) })),
        clocks: clocks.filter((k) => k.subject_id === c.id).map((k) => ({ clock: k.clock_key, procedure: k.procedure_kind, started_on: k.started_on, due_on: k.due_on, is_open: k.is_open === 1, events: JSON.parse(k.events) as unknown })),
        stage2: (stage2.get(c.id) ?? []).map((s) => ({ ...plain(s), adjudicated_by: staff(s.adjudicated_by) }))[0] ?? null,
        stage3: (stage3.get(c.id) ?? []).map(plain)[0] ?? null,
        complaint_points: (complaintPoints.get(c.id) ?? []).map(plain),
        appointments: caseAppointments,
        notes: caseNotes,
        history: caseHistory,
        letters: caseHistory.filter((h) => h.action === 'letter_produced').map((h) => ({ produced_at: h.occurred_at, by: h.by, summary: h.summary, letter: (h.after as { letter?: string } | null)?.letter ?? null })),
        questionnaires: questionnaireRows.map(plain),
        public_submission: submission === undefined ? null : { submitted_at: submission.created_at, audience: submission.audience, answers },
        ombudsman_enquiries: (ombudsman.get(c.id) ?? []).map(plain),
        attachments: fileEntries,
        seen_by: views
          .filter((v) => (v.entity_type === REPRESENTATION_SUBJECT ? v.entity_id === String(c.id) : questionnaireRows.some((q) => String(q.id) === v.entity_id)))
          .map((v) => ({ at: v.occurred_at, by: staff(v.user_id) ?? 'No one signed in', what: auditActionText(v.action) })),
      });
    }
    const subjectDetails = await this.subjectDetails(subject, found);
    const bundle: SubjectAccessBundle = {
      format: SUBJECT_ACCESS_FORMAT,
      produced_at: now,
      subject: { kind: subject.kind, id: subject.id, details: subjectDetails },
      cases: cases.map((c) => JSON.parse(JSON.stringify(c)) as Row),
      redactions,
      files: fileList,
    };
    await db.transaction().execute(async (trx) => {
      const audit = new AuditRepository(trx);
      await audit.record({ ...actor, action: 'subject_access_exported', entityType: SUBJECT_ACCESS_SUBJECT, entityId: null, details: { subject_kind: subject.kind, representation_ids: ids, files: files.length } }, now);
      for (const id of ids) await audit.record({ ...actor, action: 'subject_access_exported', entityType: REPRESENTATION_SUBJECT, entityId: String(id), details: { subject_kind: subject.kind } }, now);
    });
    return { bundle, files };
  }

  private async subjectDetails(subject: SubjectRef, found: readonly FoundCase[]): Promise<Record<string, unknown> | null> {
    if (subject.kind === 'young_person') {
      const yp = found.find((c) => c.young_person !== null)?.young_person;
      return yp === undefined || yp === null ? null : { id: yp.external_id, date_of_birth: yp.date_of_birth, ethnicity: yp.ethnicity };
    }
    const people = await this.complainantIds(subject.id);
    const person = people.length === 0 ? undefined : await this.db.selectFrom('person').selectAll().where('id', '=', people[0] ?? 0).executeTakeFirst();
    return person === undefined ? null : plain(person);
  }

  private async complainantIds(id: string): Promise<number[]> {
    const text = id.trim();
    if (text === '') return [];
    const rows = /^\d+$/.test(text)
      ? await this.db.selectFrom('person').select('id').where('id', '=', Number(text)).execute()
      : await this.db.selectFrom('person').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', text.toLowerCase())).orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  private async casesOf(subject: SubjectRef): Promise<FoundCase[]> {
    let query = this.db.selectFrom('representation').selectAll('representation');
    if (subject.kind === 'young_person') {
      const text = subject.id.trim();
      if (text === '') return [];
      query = query.innerJoin('young_person', 'young_person.id', 'representation.young_person_id').where('young_person.external_id', '=', text);
    } else {
      const people = await this.complainantIds(subject.id);
      if (people.length === 0) return [];
      query = query.where('representation.complainant_id', 'in', people);
    }
    const rows = await query.orderBy('representation.received_on').orderBy('representation.id').execute();
    const personIds = [...new Set(rows.flatMap((r) => [r.complainant_id, r.advocate_id]).filter((id): id is number => id !== null))];
    const people = new Map(personIds.length === 0 ? [] : (await this.db.selectFrom('person').selectAll().where('id', 'in', personIds).execute()).map((p) => [p.id, p]));
    const ypIds = [...new Set(rows.map((r) => r.young_person_id).filter((id): id is number => id !== null))];
    const youngPeople = new Map(ypIds.length === 0 ? [] : (await this.db.selectFrom('young_person').selectAll().where('id', 'in', ypIds).execute()).map((y) => [y.id, y]));
    return rows.map((row) => ({
      id: row.id,
      reference: row.reference,
      kind: row.kind,
      status: row.status,
      received_on: row.received_on,
      complainant_role: row.complainant_role,
      as: subject.kind === 'young_person' ? 'The young person' : 'The complainant',
      row,
      complainant: row.complainant_id === null ? null : (people.get(row.complainant_id) ?? null),
      advocate: row.advocate_id === null ? null : (people.get(row.advocate_id) ?? null),
      young_person: row.young_person_id === null ? null : (youngPeople.get(row.young_person_id) ?? null),
    }));
  }
}

interface FoundCase {
  readonly id: number;
  readonly reference: string;
  readonly kind: string;
  readonly status: string;
  readonly received_on: string;
  readonly complainant_role: string | null;
  readonly as: string;
  readonly row: Selectable<RepresentationTable>;
  readonly complainant: Selectable<PersonTable> | null;
  readonly advocate: Selectable<PersonTable> | null;
  readonly young_person: Selectable<YoungPersonTable> | null;
}

/** A file name safe inside the archive: letters, digits, dot, dash and underscore. */
function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '');
  return cleaned === '' ? 'file' : cleaned.slice(0, 100);
}
