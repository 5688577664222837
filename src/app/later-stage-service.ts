/**
 * Takes a complaint through Stages 2 and 3: each step is the later-stage table's
 * `decideStep` applied to the case's facts, then written in one transaction — the stage's
 * record, the case's status and version, points and findings, appointments, the offer of an
 * advocate, clocks, the learning actions from accepted recommendations, a history entry and
 * an audit event. A save based on an older version of the case is refused (`stale_update`).
 *
 * Who may see a case's later stages: whoever may see the case in full — which includes the
 * investigating officer, Independent Person and panel members appointed to it, while they
 * are appointed, and only those cases (`caseVisibility`). Anyone else is told there is no
 * such case. The Stage 2 response (the adjudication) ends the investigating officer's and the
 * Independent Person's appointments; a request for a review panel appoints the Independent
 * Person again for Stage 3. Who may take each step is the table's business (a senior manager
 * adjudicates, and not one who investigated the complaint or responded to it at Stage 1: the
 * actor's name is looked up for that rule).
 *
 * A step's documents (the investigation report, kept with the Stage 2 record as an attachment
 * of subject `stage2_report`) go with the step (`AttachmentService.prepare`: the file is written
 * before the transaction, its row within it): a refused or failed step leaves no attachment row
 * and no file, and a file that cannot be kept records no step.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { CaseFactsRepository, type CaseChanges, type LoadedCase } from '../db/case-facts-repository.ts';
import { type AppointmentRow, LaterStageRepository, type LoadedLaterCase, type Stage2Row, type Stage3Row } from '../db/later-stage-repository.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { isDisposedCase } from '../db/retention-repository.ts';
import { AttachmentRepository, type Attachment } from '../db/attachment-repository.ts';
import { DomainError, InputProblems } from '../domain/errors.ts';
import { isUploadedFile, type LaterField, type UploadedFile } from '../domain/cases/later-stage-fields.ts';
import {
  type LaterStep,
  type NewAppointment,
  type StepAvailability,
  type StepOutcome,
  availableSteps,
  decideStep,
  isLaterStep,
  stepDefinition,
  stepFields,
  STAGE2_REPORT_SUBJECT,
} from '../domain/cases/later-stage-workflow.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import { describeDue, type DueDescription } from '../domain/cases/stage1-clock.ts';
import { storedCaseVisibility } from './case-query-service.ts';
import { ONLINE_REQUEST_ACTIONS, offerNextStage } from './next-stage-service.ts';
import { clockStatusOf, definitionOf, startClock } from './clock-service.ts';
import type { CalendarService } from './calendar-service.ts';
import type { Clock } from './clock.ts';
import type { StaffActor } from './registration-service.ts';
import type { AttachmentService, PreparedFile } from './attachment-service.ts';

/** What a step's form needs. */
export interface StepForm {
  readonly reference: string;
  readonly version: number;
  readonly step: LaterStep;
  readonly stage: 2 | 3;
  readonly label: string;
  readonly fields: readonly LaterField[];
  /** For each `user` field: the people who can be chosen. */
  readonly userOptions: Readonly<Record<string, readonly { id: number; name: string }[]>>;
}

export interface LaterClockView extends DueDescription {
  readonly key: string;
  readonly label: string;
  readonly stage: number;
  readonly startedOn: string;
  readonly dueOn: string;
  readonly isOpen: boolean;
  readonly totalWorkingDays: number;
  readonly isExtended: boolean;
}

/** A step to take, as `apply` hands it to its transaction. */
interface StepRequest {
  readonly known: LaterStep;
  readonly reference: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly actor: StaffActor;
  readonly expectedVersion: number;
  readonly now: Date;
  readonly calendar: WorkingDayCalendar;
  /** The files given, written and waiting for their rows. */
  readonly prepared: ReadonlyMap<UploadedFile, PreparedFile>;
}

/** Stages 2 and 3 of a case, for its page and the API. */
export interface LaterStagesView {
  readonly reference: string;
  readonly version: number;
  readonly stage2?: Stage2Row;
  readonly stage3?: Stage3Row;
  /** The investigation report's documents, oldest first. */
  readonly reportDocuments: readonly Attachment[];
  readonly points: readonly { number: number; text: string; finding?: string }[];
  readonly appointments: readonly AppointmentRow[];
  readonly clocks: readonly LaterClockView[];
  readonly steps: readonly StepAvailability[];
  /** Requests for the next stage made online (through the link sent with the response) and not yet recorded as the stage's request. */
  readonly onlineRequests: readonly { stage: 2 | 3; on: string }[];
}

/** A case the caller has read already and shows the actor in full (the case page), with what it read that the later stages need. */
export interface ShownCase {
  readonly loaded: LoadedCase;
  readonly calendar: WorkingDayCalendar;
  /** The actor's name, which the independence rules also match on. */
  readonly actorName: string;
  /** The Stage 1 responding manager, when there is one. */
  readonly responder: { readonly userId: number; readonly name: string } | undefined;
  readonly stage2AdvocacyOffered: boolean;
  /** Its history entries (at least the requests made online), in any order. */
  readonly history: readonly { readonly id: number; readonly action: string; readonly occurredAt: string }[];
}

export class LaterStageService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
    /** Turns accepted recommendations into learning actions, inside the step's transaction. */
    private readonly recordRecommendations?: (
      trx: Kysely<Database>,
      request: { representationId: number; stage: 2 | 3; recommendations: { text: string; dueOn: string }[]; actorUserId: number; today: string },
    ) => Promise<void>,
    /** Keeps a step's documents (the investigation report); a step with a document is refused without it. */
    private readonly attachments?: AttachmentService,
  ) {}

  /**
   * The case's later stages as the actor may see them, or `case_not_found`. Audited (the look,
   * or its refusal) unless `isAudited` is false: the case page, which audits its own view.
   */
  async view(reference: string, actor: StaffActor, options: { isAudited?: boolean } = {}): Promise<LaterStagesView> {
    const repository = new LaterStageRepository(this.db);
    const found = await this.loadVisible(repository, reference, actor, options.isAudited === false ? undefined : { view: 'later_stages' });
    const calendar = await this.calendars.calendar();
    return this.viewOf(found, await named(repository, actor), calendar, await this.onlineRequests(found));
  }

  /**
   * `view` of a case the caller has read already and shows the actor in full (the case page,
   * which audits its own view): only its later stages are read, and nothing is checked again.
   */
  async viewShown(shown: ShownCase, actor: StaffActor): Promise<LaterStagesView> {
    const found = await new LaterStageRepository(this.db).loadFor(shown.loaded, shown);
    return this.viewOf(found, { ...actor, name: shown.actorName }, shown.calendar, onlineRequestsIn(found, shown.history));
  }

  private async viewOf(found: LoadedLaterCase, actor: StaffActor & { name?: string }, calendar: WorkingDayCalendar, onlineRequests: LaterStagesView['onlineRequests']): Promise<LaterStagesView> {
    const today = this.today();
    return {
      reference: found.loaded.reference,
      version: found.loaded.version,
      ...(found.stage2 === undefined ? {} : { stage2: found.stage2 }),
      ...(found.stage3 === undefined ? {} : { stage3: found.stage3 }),
      reportDocuments: found.stage2 === undefined ? [] : await new AttachmentRepository(this.db).forSubject(STAGE2_REPORT_SUBJECT, found.stage2.id),
      points: found.facts.points,
      appointments: found.appointments,
      clocks: found.laterClocks.map((clock) => {
        const definition = definitionOf(clock.procedureKind, clock.clockKey);
        const status = clockStatusOf(definition, calendar, clock.events, today);
        return {
          key: clock.clockKey,
          label: definition.label,
          stage: definition.stage,
          startedOn: clock.events.startedOn,
          dueOn: status.dueDate,
          isOpen: clock.isOpen,
          totalWorkingDays: status.totalWorkingDays,
          isExtended: status.isExtended,
          ...describeDue(status),
        };
      }),
      steps: availableSteps(found.facts, actor, { today, calendar }),
      onlineRequests,
    };
  }

  /**
   * What the form for `step` needs, or why it cannot be taken (`case_not_found`, `unknown_step`,
   * the table's refusal). Audited like `view` unless `isAudited` is false (a form shown again
   * with the errors of a post, which is audited itself).
   */
  async form(reference: string, step: string, actor: StaffActor, options: { isAudited?: boolean } = {}): Promise<StepForm> {
    const repository = new LaterStageRepository(this.db);
    const found = await this.loadVisible(repository, reference, actor, options.isAudited === false ? undefined : { view: 'step', step });
    const known = knownStep(step);
    const fields = stepFields(found.facts, await named(repository, actor), known, { today: this.today(), calendar: await this.calendars.calendar() });
    const userOptions: Record<string, { id: number; name: string }[]> = {};
    for (const field of fields) if (field.kind === 'user') userOptions[field.name] = await repository.usersWithRole(field.role);
    const { stage, label } = stepDefinition(known);
    return { reference: found.loaded.reference, version: found.loaded.version, step: known, stage, label, fields, userOptions };
  }

  /** Takes the step, all in one transaction; returns what it recorded. InputProblems lists every problem with the input. */
  async apply(reference: string, step: string, input: Readonly<Record<string, unknown>>, actor: StaffActor, expectedVersion: number): Promise<StepOutcome> {
    const known = knownStep(step);
    const now = this.clock();
    const calendar = await this.calendars.calendar();
    // Files given for the step are written first (the step's own check reports a refused one), and removed again if its transaction does not commit.
    const prepared = new Map<UploadedFile, PreparedFile>();
    try {
      for (const value of Object.values(input)) {
        if (!isUploadedFile(value) || this.attachments === undefined) continue;
        const file = await this.attachments.prepare(value).catch((error: unknown) => {
          if (error instanceof DomainError) return undefined;
          throw error;
        });
        if (file !== undefined) prepared.set(value, file);
      }
      return await this.db.transaction().execute(async (trx) => this.applyWithin(trx, { known, reference, input, actor, expectedVersion, now, calendar, prepared }));
    } catch (error) {
      for (const file of prepared.values()) await file.discard();
      throw error;
    }
  }

  private async applyWithin(trx: Kysely<Database>, request: StepRequest): Promise<StepOutcome> {
    const { known, reference, input, actor, expectedVersion, now, calendar } = request;
    const nowIso = now.toISOString();
    const today = nowIso.slice(0, 10);
    const repository = new LaterStageRepository(trx);
    const found = await this.loadVisible(repository, reference, actor, undefined, trx);
    // A disposed-of case (docs/adr/0015-retention-and-disposal.md): nothing more may be done to it.
    if (await isDisposedCase(trx, found.loaded.id)) throw new DomainError('case_disposed', 'This case’s personal data has been disposed of: nothing more can be done to it');
    const outcome = decideStep(found.facts, await named(repository, actor), known, input, { today, calendar });
    if (found.loaded.version !== expectedVersion) throw staleUpdate();
    await this.checkAccounts(repository, outcome);
    const appointments = await this.accountsStillUsable(repository, outcome);
    const id = found.loaded.id;

    const caseChanges: CaseChanges = { ...outcome.caseChanges };
    if (!(await new CaseFactsRepository(trx).update(id, expectedVersion, caseChanges, nowIso))) throw staleUpdate();
    if (outcome.create !== undefined) await repository.createStage(outcome.stage, id, { ...outcome.create, createdBy: actor.userId }, nowIso);
    const stageChanges = { ...outcome.changes, ...(known === 'adjudicate' || known === 'respond_stage2' ? { adjudicated_by: actor.userId } : {}) };
    if (Object.keys(stageChanges).length > 0) await repository.updateStage(outcome.stage, id, stageChanges, nowIso);
    if (outcome.points !== undefined) await repository.replacePoints(id, outcome.points, nowIso);
    if (outcome.pointFindings !== undefined) await repository.setFindings(id, outcome.pointFindings);
    if (outcome.endAppointments !== undefined) await repository.endAppointments(id, outcome.endAppointments.roles, outcome.endAppointments.on);
    if (appointments !== undefined) await repository.addAppointments(id, outcome.stage, appointments, actor.userId, nowIso);
    if (outcome.advocacyOffer !== undefined) await repository.addAdvocacyOffer(id, outcome.advocacyOffer, actor.userId, nowIso);
    for (const document of outcome.documents ?? []) {
      const file = request.prepared.get(document.file.upload);
      const stage2Id = found.stage2?.id;
      if (file === undefined || stage2Id === undefined) throw new Error(`cannot keep the ${document.subjectType} document`);
      await file.attach(trx, document.subjectType, stage2Id, actor.userId);
    }
    const clockHistory = await this.writeClocks(trx, calendar, found, outcome, now);
    if (outcome.recommendations !== undefined && this.recordRecommendations !== undefined) {
      const { dueOn, texts } = outcome.recommendations;
      await this.recordRecommendations(trx, { representationId: id, stage: outcome.stage, recommendations: texts.map((text) => ({ text, dueOn })), actorUserId: actor.userId, today });
    }

    // The adjudication carries a link to ask for a review panel (src/app/next-stage-service.ts).
    if (known === 'adjudicate' && typeof outcome.changes.responded_on === 'string') {
      await offerNextStage(trx, { representationId: id, purpose: 'stage3_request', respondedOn: outcome.changes.responded_on }, calendar, now);
    }
    const { summary } = stepDefinition(known);
    await new HistoryRepository(trx).add(
      {
        subjectType: REPRESENTATION_SUBJECT,
        subjectId: id,
        userId: actor.userId,
        action: known,
        summary: summary + (outcome.isLate === true ? ' (late)' : ''),
        ...(Object.keys(caseChanges).length > 0 ? { before: { status: found.loaded.facts.status } } : {}),
        after: { ...outcome.recorded, ...caseChanges, ...clockHistory },
      },
      nowIso,
    );
    await new AuditRepository(trx).record(
      { ...actor, action: `representation_${known}`, entityType: REPRESENTATION_SUBJECT, entityId: String(id), details: { reference: found.loaded.reference, stage: outcome.stage, version: expectedVersion + 1 } },
      nowIso,
    );
    return outcome;
  }

  private async onlineRequests(found: LoadedLaterCase): Promise<{ stage: 2 | 3; on: string }[]> {
    const rows = await this.db
      .selectFrom('history_entry')
      .select(['id', 'action', 'occurred_at'])
      .where('subject_type', '=', REPRESENTATION_SUBJECT)
      .where('subject_id', '=', found.loaded.id)
      .where('action', 'in', [ONLINE_REQUEST_ACTIONS.stage2_request, ONLINE_REQUEST_ACTIONS.stage3_request])
      .orderBy('id')
      .execute();
    return onlineRequestsIn(
      found,
      rows.map((row) => ({ id: row.id, action: row.action, occurredAt: row.occurred_at })),
    );
  }

  /** An account chosen for an appointment must be an active user holding that role (a re-appointment is not chosen: see `accountsStillUsable`). */
  private async checkAccounts(repository: LaterStageRepository, outcome: StepOutcome): Promise<void> {
    if (outcome.step === 'request_stage3') return;
    const problems: DomainError[] = [];
    for (const [index, appointment] of (outcome.appointments ?? []).entries()) {
      if (appointment.userId === undefined || (await repository.isActiveUserWithRole(appointment.userId, appointment.role))) continue;
      const field = outcome.step === 'appoint_panel' ? `member_${String(index + 1)}_user_id` : 'user_id';
      problems.push(new DomainError(`invalid_${field}`, 'Select their account from the list: it must be an active user with that role', field));
    }
    if (problems.length > 0) throw new InputProblems(problems);
  }

  /**
   * The step's appointments as they are written. The Stage 2 Independent Person appointed again
   * for Stage 3 keeps their account only while it is active with that role: otherwise they are
   * appointed by name (the request for a review panel is never refused for it).
   */
  private async accountsStillUsable(repository: LaterStageRepository, outcome: StepOutcome): Promise<StepOutcome['appointments']> {
    if (outcome.step !== 'request_stage3' || outcome.appointments === undefined) return outcome.appointments;
    const usable: NewAppointment[] = [];
    for (const appointment of outcome.appointments) {
      if (appointment.userId === undefined || (await repository.isActiveUserWithRole(appointment.userId, appointment.role))) {
        usable.push(appointment);
      } else {
        const { userId: _dropped, ...byName } = appointment;
        usable.push(byName);
      }
    }
    return usable;
  }

  /** Starts and changes the clocks the step moves; returns the new due dates for the history. */
  private async writeClocks(trx: Kysely<Database>, calendar: WorkingDayCalendar, found: LoadedLaterCase, outcome: StepOutcome, now: Date): Promise<Record<string, string>> {
    const today = now.toISOString().slice(0, 10);
    const nowIso = now.toISOString();
    const facts = new CaseFactsRepository(trx);
    const history: Record<string, string> = {};
    for (const change of outcome.clocks) {
      if (change.op === 'start') {
        history[`${change.key}_due_on`] = (await startClock(trx, calendar, { type: REPRESENTATION_SUBJECT, id: found.loaded.id }, found.facts.kind, change.key, change.events, now)).dueOn;
        continue;
      }
      const dueOn = clockStatusOf(definitionOf(found.facts.kind, change.key), calendar, change.events, today).dueDate;
      const clock = found.loaded.clocks.find((c) => c.clockKey === change.key);
      if (clock === undefined) continue;
      if (!(await facts.updateClock(clock.id, change.events, dueOn, change.isOpen, clock.version, nowIso))) throw staleUpdate();
      if (dueOn !== clock.dueOn) history[`${change.key}_due_on`] = dueOn;
    }
    return history;
  }

  /** The case when the actor may see it in full; the look (`audited` says what was looked at) or its refusal is audited. */
  private async loadVisible(
    repository: LaterStageRepository,
    reference: string,
    actor: StaffActor,
    audited?: Readonly<Record<string, string>>,
    db: Kysely<Database> = this.db,
  ): Promise<LoadedLaterCase> {
    const found = await repository.load(reference.trim().toUpperCase());
    if (found === undefined) throw new DomainError('case_not_found', 'There is no case with that reference');
    const appointedUserIds = found.appointments.filter((a) => a.ended_on === null && a.user_id !== null).map((a) => a.user_id ?? 0);
    const isVisible =
      (await storedCaseVisibility(db, actor, { id: found.loaded.id, teamId: found.loaded.facts.teamId ?? null, responderUserId: found.loaded.facts.responderUserId ?? null, appointedUserIds })) ===
      'full';
    if (audited !== undefined) {
      const action = isVisible ? 'case_viewed' : 'case_view_refused';
      await new AuditRepository(this.db).record({ ...actor, action, entityType: REPRESENTATION_SUBJECT, entityId: String(found.loaded.id), details: isVisible ? audited : undefined }, this.clock().toISOString());
    }
    if (!isVisible) throw new DomainError('case_not_found', 'There is no case with that reference');
    return found;
  }

  private today(): string {
    return this.clock().toISOString().slice(0, 10);
  }
}

/** Requests for the next stage made online, in these history entries (in any order), and not yet recorded as the stage's request. */
function onlineRequestsIn(found: LoadedLaterCase, history: ShownCase['history']): { stage: 2 | 3; on: string }[] {
  const requests = history.filter((h) => h.action === ONLINE_REQUEST_ACTIONS.stage2_request || h.action === ONLINE_REQUEST_ACTIONS.stage3_request).sort((a, b) => a.id - b.id);
  return requests.flatMap((row) => {
    const stage = row.action === ONLINE_REQUEST_ACTIONS.stage2_request ? 2 : 3;
    const recorded = stage === 2 ? found.stage2 : found.stage3;
    return recorded === undefined ? [{ stage, on: row.occurredAt.slice(0, 10) } as const] : [];
  });
}

/** The actor with their name, which the independence rules also match on. */
async function named(repository: LaterStageRepository, actor: StaffActor): Promise<StaffActor & { name?: string }> {
  const name = await repository.userName(actor.userId);
  return name === undefined ? actor : { ...actor, name };
}

function knownStep(step: string): LaterStep {
  if (!isLaterStep(step)) throw new DomainError('unknown_action', `There is no Stage 2 or 3 step called "${step}"`);
  return step;
}

function staleUpdate(): DomainError {
  return new DomainError('stale_update', 'Someone else changed this case while you were working on it. Check the case, then save your answers again.');
}
