/**
 * Takes a case through Stage 1: each action is the Stage 1 table's `decide` applied to the
 * case's facts, then written in one transaction — the case's new status and recorded
 * fields, its clocks, the rows an action adds (decision, offer, note), a history entry and
 * an audit event. The case's `version` guards against two people changing it at once: a
 * save based on an older version is refused (`stale_update`) and nothing is written. A note
 * only adds to the case, so adding one neither checks nor moves the version.
 *
 * Who may act: the case must be one the actor may see in full (a responding manager: their
 * team's or allocated to them; otherwise `case_not_found`, as if it did not exist); the
 * table decides the rest.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { LaterStageRepository } from '../db/later-stage-repository.ts';
import { APPOINTMENT_ROLES } from '../domain/cases/later-stage-workflow.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { CaseFactsRepository, type CaseChanges, type CaseClock, type LoadedCase, type ResponderOption } from '../db/case-facts-repository.ts';
import { RepresentationRepository } from '../db/representation-repository.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { CaseRestrictionRepository } from '../db/case-restriction-repository.ts';
import { isDisposedCase } from '../db/retention-repository.ts';
import { DomainError } from '../domain/errors.ts';
import type { ClockEvents } from '../domain/clocks/clock-engine.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import {
  availableActions,
  decide,
  inputProblems,
  isStage1Action,
  transitionFor,
  type ActionAvailability,
  type Stage1Action,
  type Stage1Decision,
  type Stage1Transition,
} from '../domain/cases/stage1-workflow.ts';
import type { RepresentationKind } from '../domain/taxonomies/representation-kinds.ts';
import { STAGE1_CLOCK_KEYS } from '../domain/cases/stage1-clock.ts';
import { isProcedureKind, procedureDefinition } from '../domain/procedures/procedure-definitions.ts';
import { storedCaseVisibility } from './case-query-service.ts';
import { clockStatusOf, definitionOf, startClock } from './clock-service.ts';
import type { CalendarService } from './calendar-service.ts';
import type { Clock } from './clock.ts';
import type { StaffActor } from './registration-service.ts';
import { enqueueCaseActionNotifications } from '../notify/case-notifications.ts';
import { sendQuestionnaireAfterClosure } from './questionnaire-service.ts';
import { offerNextStage } from './next-stage-service.ts';
import { isOneOf } from '../domain/taxonomies/code-list.ts';
import { isEndedStatus } from '../domain/cases/case-status.ts';
import { storedExtensionReason } from '../domain/taxonomies/extension-reasons.ts';

/** The kinds whose procedure has a Stage 2. */
const STAGE2_KINDS = ['children_statutory', 'corporate'] as const;

/** One line for the case's timeline: no personal details. */
const HISTORY_SUMMARIES: Readonly<Record<Stage1Action, string>> = {
  register: 'Registered',
  allocate: 'Allocated to a responding manager',
  acknowledge: 'Acknowledgement recorded',
  extend: 'Time to respond extended',
  pause: 'Clock paused',
  resume: 'Clock restarted',
  record_response: 'Stage 1 response recorded',
  request_information: 'More information asked for',
  record_information_received: 'Information received',
  send_closure_warning: 'Closure letter sent',
  withdraw_no_response: 'Closed as withdrawn: no reply',
  withdraw_by_complainant: 'Withdrawn by the complainant',
  close: 'Closed',
  reopen: 'Re-opened',
  reclassify: 'Kind of representation changed',
  record_circumstances: 'Parental responsibility, who it is made for or proceedings recorded',
  record_eligibility_decision: 'Eligibility decision recorded',
  record_advocacy_offer: 'Offer of an advocate recorded',
  add_note: 'Note added',
};

/** What an action form needs: the transition, the case's version and, for allocation, who can be chosen. */
export interface ActionForm {
  readonly reference: string;
  readonly version: number;
  readonly kind: RepresentationKind;
  readonly transition: Stage1Transition;
  readonly responders: readonly ResponderOption[];
  /** The case's team, for an action that chooses a responding manager (one from another team is confirmed first). */
  readonly team?: { readonly id: number; readonly name: string };
}

/** A disposed-of case (docs/adr/0015-retention-and-disposal.md): nothing more may be done to it. */
function disposedCase(): DomainError {
  return new DomainError('case_disposed', 'This case’s personal data has been disposed of: nothing more can be done to it');
}

export class CaseActionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
  ) {}

  /** The actions the actor's role could take on the case now (allowed, or held back with the reason); empty if they may not see it. */
  async available(reference: string, actor: StaffActor): Promise<ActionAvailability[]> {
    const loaded = await new CaseFactsRepository(this.db).load(reference.trim().toUpperCase());
    if (loaded === undefined || !(await this.maySee(loaded, actor))) return [];
    if (await isDisposedCase(this.db, loaded.id)) return []; // docs/adr/0015-retention-and-disposal.md
    return availableActions(loaded.facts, actor).filter((a) => a.action !== 'register');
  }

  /**
   * `available` for a case already read and shown to the actor (the case page, from
   * `CaseQueryService.page`, which checked that they may see it and shows a disposed-of case
   * without its actions): nothing is read again.
   */
  availableOn(loaded: LoadedCase, actor: StaffActor): ActionAvailability[] {
    return availableActions(loaded.facts, actor).filter((a) => a.action !== 'register');
  }

  /**
   * What the form for `action` needs, or a DomainError: `case_not_found` (no such case, or
   * one the actor may not see), `unknown_action`, or why the action cannot be taken now.
   */
  async form(reference: string, action: string, actor: StaffActor): Promise<ActionForm> {
    const repository = new CaseFactsRepository(this.db);
    const loaded = await this.loadVisible(repository, reference, actor);
    if (await isDisposedCase(this.db, loaded.id)) throw disposedCase();
    const known = this.knownAction(action);
    const today = this.today();
    const calendar = await this.calendars.calendar();
    // Refuses (role, status, guards) as `decide` would; the input is not looked at.
    inputProblems(loaded.facts, actor, known, {}, { today, calendar });
    const transition = transitionFor(loaded.facts.status, known);
    if (transition === undefined) throw new Error('the action was allowed without a transition');
    const responders = transition.records.some((r) => r.field === 'responder_user_id') ? await repository.activeRespondingManagers() : [];
    const { teamId } = loaded.facts;
    const teamName = responders.length > 0 && teamId !== undefined ? await repository.teamName(teamId) : undefined;
    const team = teamId !== undefined && teamName !== undefined ? { id: teamId, name: teamName } : undefined;
    return { reference: loaded.reference, version: loaded.version, kind: loaded.facts.kind, transition, responders, ...(team === undefined ? {} : { team }) };
  }

  /** Every problem with `input` for the action (empty when it would be accepted), for a form's error summary. */
  async problems(reference: string, action: string, input: Readonly<Record<string, unknown>>, actor: StaffActor): Promise<DomainError[]> {
    const repository = new CaseFactsRepository(this.db);
    const loaded = await this.loadVisible(repository, reference, actor);
    const calendar = await this.calendars.calendar();
    const found = inputProblems(loaded.facts, actor, this.knownAction(action), input, { today: this.today(), calendar });
    if (!found.some((p) => p.field === 'responder_user_id')) {
      const problem = await this.responderProblem(repository, input.responder_user_id, action, loaded.id);
      if (problem !== undefined) found.push(problem);
    }
    return found;
  }

  /** Applies the action to the case, all in one transaction; returns the decision. */
  async apply(reference: string, action: string, input: Readonly<Record<string, unknown>>, actor: StaffActor, expectedVersion: number): Promise<Stage1Decision> {
    const known = this.knownAction(action);
    const now = this.clock();
    const nowIso = now.toISOString();
    const today = nowIso.slice(0, 10);
    const calendar = await this.calendars.calendar();

    // Refused (and audited) before the transaction; checked again inside it.
    await this.loadVisible(new CaseFactsRepository(this.db), reference, actor);
    return this.db.transaction().execute(async (trx) => {
      const repository = new CaseFactsRepository(trx);
      const loaded = await this.loadVisible(repository, reference, actor, trx);
      if (await isDisposedCase(trx, loaded.id)) throw disposedCase();
      const decision = decide(loaded.facts, actor, known, input, { today, calendar });
      // A note only adds to the case: it changes nothing another action reads, so it neither
      // needs the version the author saw nor moves it (a colleague's open form stays good).
      const isNoteOnly = known === 'add_note' && decision.to === decision.from;
      if (!isNoteOnly && loaded.version !== expectedVersion) throw staleUpdate();
      const newVersion = isNoteOnly ? loaded.version : expectedVersion + 1;
      const { record } = decision;
      if (record.responder_user_id !== undefined) {
        const problem = await this.responderProblem(repository, record.responder_user_id, known, loaded.id, trx);
        if (problem !== undefined) throw problem;
      }

      // The representation's columns.
      const changes: CaseChanges = {};
      if (decision.to !== decision.from) changes.status = decision.to;
      // Withdrawing or closing remembers where the case was, for a re-opening (a withdrawn case closed keeps what it had).
      if (isEndedStatus(decision.to) && !isEndedStatus(decision.from)) changes.status_before_closure = decision.from;
      switch (known) {
        case 'allocate':
          changes.responder_user_id = record.responder_user_id ?? null;
          break;
        case 'acknowledge':
          changes.acknowledged_on = record.acknowledged_on ?? null;
          break;
        case 'record_response':
          changes.responded_on = record.responded_on ?? null;
          if (record.finding !== undefined) changes.finding = record.finding;
          if (record.reply !== undefined) changes.reply = record.reply;
          break;
        case 'withdraw_no_response':
        case 'withdraw_by_complainant':
          changes.withdrawn_on = record.withdrawn_on ?? null;
          break;
        case 'close':
          changes.closed_on = record.closed_on ?? null;
          break;
        case 'reopen':
          changes.withdrawn_on = null;
          changes.closed_on = null;
          changes.status_before_closure = null;
          break;
        case 'reclassify':
          if (record.to_kind !== undefined) changes.kind = record.to_kind;
          if (record.complainant_role !== undefined) changes.complainant_role = record.complainant_role;
          if (record.agency !== undefined) changes.agency = record.agency;
          if (record.forwarded_on !== undefined) changes.forwarded_on = record.forwarded_on;
          if (record.compliment_source !== undefined) changes.compliment_source = record.compliment_source;
          if (record.consent_to_quote !== undefined) changes.has_consent_to_quote = record.consent_to_quote ? 1 : 0;
          break;
        case 'record_circumstances':
          if (record.parental_responsibility !== undefined) changes.has_parental_responsibility = record.parental_responsibility ? 1 : 0;
          if (record.made_for_child !== undefined) changes.is_made_for_child = record.made_for_child ? 1 : 0;
          if (record.proceedings !== undefined) changes.has_proceedings = record.proceedings ? 1 : 0;
          break;
        default:
          break;
      }
      if (!isNoteOnly && !(await repository.update(loaded.id, expectedVersion, changes, nowIso))) throw staleUpdate();

      // What else the action records.
      const representations = new RepresentationRepository(trx);
      if (known === 'close' && record.closed_on !== undefined) {
        // The case is finished: whoever was appointed to it (Stage 2 or 3) sees it no more.
        await new LaterStageRepository(trx).endAppointments(loaded.id, APPOINTMENT_ROLES, record.closed_on);
      }
      if (record.remedies !== undefined) await representations.setCodes(loaded.id, 'remedy', record.remedies);
      if (record.delay_reasons !== undefined) await representations.setCodes(loaded.id, 'delay_reason', record.delay_reasons);
      if (known === 'record_eligibility_decision' && record.decision !== undefined && record.outcome !== undefined && record.decided_on !== undefined) {
        await repository.addEligibilityDecision(
          loaded.id,
          {
            kind: record.decision,
            outcome: record.outcome,
            reason: record.reason ?? '',
            decidedOn: record.decided_on,
            decidedBy: actor.userId,
            childViews: record.child_views,
            notifiedOn: record.notified_on,
            partsDeclined: record.parts_declined,
          },
          nowIso,
        );
      }
      if (known === 'record_advocacy_offer' && record.offered_on !== undefined && record.advocacy_outcome !== undefined) {
        await repository.addAdvocacyOffer(loaded.id, { offeredOn: record.offered_on, outcome: record.advocacy_outcome, provider: record.provider ?? '', recordedBy: actor.userId }, nowIso);
      }
      if (known === 'add_note' && record.note !== undefined) await repository.addNote(loaded.id, record.note, actor.userId, nowIso);

      const clockChanges = await this.updateClocks(trx, repository, calendar, loaded, decision, now);
      // Emails the action causes (allocation, acknowledgement) go in the outbox in this transaction.
      await enqueueCaseActionNotifications(trx, { representationId: loaded.id, reference: loaded.reference, version: newVersion, action: known }, now);
      // Closing a complaint that had a response sends the satisfaction questionnaire (src/app/questionnaire-service.ts).
      if (known === 'close') await sendQuestionnaireAfterClosure(trx, loaded.id, now);
      // A response under a procedure with a Stage 2 carries a link to ask for it (src/app/next-stage-service.ts).
      if (known === 'record_response' && record.responded_on !== undefined && isOneOf(STAGE2_KINDS, loaded.facts.kind)) {
        await offerNextStage(trx, { representationId: loaded.id, purpose: 'stage2_request', respondedOn: record.responded_on }, calendar, now);
      }

      // The history: what changed, before and after (a note's words stay in the notes).
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(changes)) {
        if (loaded.columns[field] === value) continue;
        before[field] = loaded.columns[field] ?? null;
        after[field] = value;
      }
      for (const [field, value] of Object.entries(record)) {
        if (field === 'note' || field in after) continue;
        after[field] = value;
      }
      Object.assign(after, clockChanges);
      await new HistoryRepository(trx).add(
        {
          subjectType: REPRESENTATION_SUBJECT,
          subjectId: loaded.id,
          userId: actor.userId,
          action: known,
          summary: HISTORY_SUMMARIES[known] + (decision.isLate === true ? ' (late)' : '') + (known === 'reopen' && record.reason !== undefined ? `: ${record.reason}` : ''),
          ...(Object.keys(before).length > 0 ? { before } : {}),
          after,
        },
        nowIso,
      );
      await new AuditRepository(trx).record(
        {
          ...actor,
          action: `representation_${known}`,
          entityType: REPRESENTATION_SUBJECT,
          entityId: String(loaded.id),
          details: { reference: loaded.reference, from: decision.from, to: decision.to, version: newVersion },
        },
        nowIso,
      );
      return decision;
    });
  }

  /** Changes the case's clocks for the action; returns what to add to the history (new due dates). */
  private async updateClocks(
    trx: Kysely<Database>,
    repository: CaseFactsRepository,
    calendar: WorkingDayCalendar,
    loaded: LoadedCase,
    decision: Stage1Decision,
    now: Date,
  ): Promise<Record<string, unknown>> {
    const { record } = decision;
    const today = now.toISOString().slice(0, 10);
    const nowIso = now.toISOString();
    const kind = loaded.facts.kind;
    const stage1Key = isProcedureKind(kind) ? STAGE1_CLOCK_KEYS[kind] : undefined;
    const stage1 = loaded.clocks.find((c) => c.clockKey === stage1Key);
    const history: Record<string, unknown> = {};

    const save = async (clock: CaseClock, events: ClockEvents, isOpen: boolean): Promise<void> => {
      const definition = definitionOf(clock.procedureKind, clock.clockKey);
      const dueOn = clockStatusOf(definition, calendar, events, today).dueDate;
      if (!(await repository.updateClock(clock.id, events, dueOn, isOpen, clock.version, nowIso))) throw staleUpdate();
      if (dueOn !== clock.dueOn) history[`${clock.clockKey}_due_on`] = dueOn;
    };

    switch (decision.action) {
      case 'acknowledge': {
        const acknowledgedOn = record.acknowledged_on;
        if (acknowledgedOn === undefined) break;
        const acknowledgement = loaded.clocks.find((c) => c.clockKey === 'acknowledgement' && c.isOpen);
        if (acknowledgement !== undefined) await save(acknowledgement, { ...acknowledgement.events, stoppedOn: acknowledgedOn }, false);
        // Clocks that run from the acknowledgement (the corporate Stage 1 response) start now.
        if (isProcedureKind(kind)) {
          for (const definition of procedureDefinition(kind).clocks.filter((c) => c.startsOn === 'acknowledged')) {
            if (loaded.clocks.some((c) => c.clockKey === definition.key)) continue;
            await startClock(trx, calendar, { type: REPRESENTATION_SUBJECT, id: loaded.id }, kind, definition.key, { startedOn: acknowledgedOn }, now);
          }
        }
        break;
      }
      case 'extend':
        if (stage1 !== undefined && record.extra_working_days !== undefined) {
          const reason = storedExtensionReason(record.extension_reason ?? 'other', record.extension_reason_text);
          const extension = { extraWorkingDays: record.extra_working_days, ...reason, complainantToldOn: record.complainant_told_on ?? '' };
          await save(stage1, { ...stage1.events, extensions: [...(stage1.events.extensions ?? []), extension] }, stage1.isOpen);
        }
        break;
      case 'pause':
        if (stage1 !== undefined && record.paused_on !== undefined) {
          await save(stage1, { ...stage1.events, pauses: [...(stage1.events.pauses ?? []), { from: record.paused_on, reason: record.reason ?? '' }] }, stage1.isOpen);
        }
        break;
      case 'resume':
        if (stage1 !== undefined && record.resumed_on !== undefined) {
          const resumedOn = record.resumed_on;
          const pauses = (stage1.events.pauses ?? []).map((p) => (p.to === undefined ? { ...p, to: resumedOn } : p));
          await save(stage1, { ...stage1.events, pauses }, stage1.isOpen);
        }
        break;
      case 'record_response':
        if (stage1 !== undefined && record.responded_on !== undefined) {
          const respondedOn = record.responded_on;
          // As the workflow counts it: the response ends a pause still running; a pause from the response date on never happened.
          const pauses = (stage1.events.pauses ?? []).filter((p) => p.from < respondedOn).map((p) => (p.to === undefined ? { ...p, to: respondedOn } : p));
          await save(stage1, { ...stage1.events, pauses, stoppedOn: respondedOn }, false);
        }
        break;
      case 'reclassify':
        if (record.to_kind !== undefined) Object.assign(history, await this.reclassifyClocks(trx, repository, calendar, loaded, record.to_kind, now));
        break;
      case 'withdraw_no_response':
      case 'withdraw_by_complainant':
      case 'close':
        // Every clock still running stops: there is nothing more to answer at Stage 1.
        for (const clock of loaded.clocks.filter((c) => c.isOpen)) {
          if (!(await repository.updateClock(clock.id, clock.events, clock.dueOn, false, clock.version, nowIso))) throw staleUpdate();
        }
        break;
      case 'reopen': {
        // The clocks the withdrawal or closure stopped (ended without the event that stops them)
        // run again with the due dates they had: re-opening neither restarts nor re-dates them.
        const stopped = loaded.clocks.filter((c) => !c.isOpen && c.events.stoppedOn === undefined && c.procedureKind === kind);
        for (const clock of stopped) {
          if (!(await repository.updateClock(clock.id, clock.events, clock.dueOn, true, clock.version, nowIso))) throw staleUpdate();
        }
        if (stopped.length > 0) history.clocks_running_again = stopped.map((c) => c.clockKey).join(', ');
        break;
      }
      default:
        break;
    }
    return history;
  }

  /**
   * A reclassified case's clocks follow its new kind: a clock the new procedure also has
   * (same key) is put under the new definition, keeping its start, stop and pauses where the
   * new procedure allows them (extensions beyond the new cap are dropped, and the history
   * says so); a clock the new kind does not have stops; a Stage 1 clock the new procedure has
   * and the case lacks starts, from the receipt or, when it runs from the acknowledgement,
   * from the acknowledgement if there has been one. Returns what to add to the history.
   */
  private async reclassifyClocks(
    trx: Kysely<Database>,
    repository: CaseFactsRepository,
    calendar: WorkingDayCalendar,
    loaded: LoadedCase,
    toKind: RepresentationKind,
    now: Date,
  ): Promise<Record<string, unknown>> {
    const today = now.toISOString().slice(0, 10);
    const nowIso = now.toISOString();
    const history: Record<string, unknown> = {};
    const definitions = isProcedureKind(toKind) ? procedureDefinition(toKind).clocks.filter((c) => c.stage === 1) : [];
    const { receivedOn, acknowledgedOn } = loaded.facts;
    const startOf = (startsOn: string): string | undefined => (startsOn === 'received' ? receivedOn : startsOn === 'acknowledged' ? acknowledgedOn : undefined);

    for (const clock of loaded.clocks) {
      const definition = definitions.find((d) => d.key === clock.clockKey);
      const startedOn = definition === undefined ? undefined : startOf(definition.startsOn);
      if (definition === undefined || startedOn === undefined) {
        if (clock.isOpen && !(await repository.updateClock(clock.id, clock.events, clock.dueOn, false, clock.version, nowIso))) throw staleUpdate();
        if (clock.isOpen) history[`${clock.clockKey}_stopped`] = `no ${clock.clockKey.replaceAll('_', ' ')} for this kind`;
        continue;
      }
      const { receiptRule, maxPausedWorkingDays } = clock.events;
      let events: ClockEvents = {
        startedOn,
        ...(receiptRule === undefined ? {} : { receiptRule }),
        ...(definition.canPause && maxPausedWorkingDays !== undefined ? { maxPausedWorkingDays } : {}),
        ...(clock.events.stoppedOn === undefined ? {} : { stoppedOn: clock.events.stoppedOn }),
        ...(clock.events.pauses === undefined ? {} : { pauses: clock.events.pauses }),
        ...(definition.canExtend && clock.events.extensions !== undefined ? { extensions: clock.events.extensions } : {}),
      };
      let dueOn: string;
      try {
        dueOn = clockStatusOf(definition, calendar, events, today).dueDate;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // The extensions go beyond the new procedure's cap: they do not carry over.
        events = { ...events, extensions: [] };
        dueOn = clockStatusOf(definition, calendar, events, today).dueDate;
        history[`${clock.clockKey}_extensions`] = 'not carried over: beyond the new procedure’s limit';
      }
      if (!(await repository.redefineClock(clock.id, toKind, events, dueOn, clock.isOpen, clock.version, nowIso))) throw staleUpdate();
      if (dueOn !== clock.dueOn) history[`${clock.clockKey}_due_on`] = dueOn;
    }

    for (const definition of definitions) {
      const startedOn = startOf(definition.startsOn);
      if (startedOn === undefined || loaded.clocks.some((c) => c.clockKey === definition.key)) continue;
      // An acknowledgement already made needs no clock.
      if (definition.stopsOn === 'acknowledged' && acknowledgedOn !== undefined) continue;
      history[`${definition.key}_due_on`] = (await startClock(trx, calendar, { type: REPRESENTATION_SUBJECT, id: loaded.id }, toKind, definition.key, { startedOn }, now)).dueOn;
    }
    return history;
  }

  private async responderProblem(repository: CaseFactsRepository, raw: unknown, action: string, representationId: number, db: Kysely<Database> = this.db): Promise<DomainError | undefined> {
    if (action !== 'allocate' || raw === undefined || raw === '') return undefined;
    const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
    if (id === undefined) return undefined; // the workflow reports it
    if (!(await repository.isActiveRespondingManager(id))) {
      return new DomainError('invalid_responder_user_id', 'Select the responding manager from the list: they must be an active responding manager', 'responder_user_id');
    }
    // A restricted case (src/domain/cases/case-restriction.ts) is never given to someone excluded from it.
    const user = await db.selectFrom('app_user').select('team_id').where('id', '=', id).executeTakeFirst();
    if (await new CaseRestrictionRepository(db).isExcluded(representationId, { userId: id, teamId: user?.team_id ?? null })) {
      return new DomainError('responder_excluded', 'This responding manager is excluded from the case: select another', 'responder_user_id');
    }
    return undefined;
  }

  /**
   * The case, when the actor may see it; otherwise `case_not_found`, as for a reference that does
   * not exist. Outside a transaction (`db` is the service's own) a refusal is audited as a
   * refused view of the case.
   */
  private async loadVisible(repository: CaseFactsRepository, reference: string, actor: StaffActor, db: Kysely<Database> = this.db): Promise<LoadedCase> {
    const loaded = await repository.load(reference.trim().toUpperCase());
    if (loaded !== undefined && !(await this.maySee(loaded, actor, db))) {
      if (db === this.db) {
        await new AuditRepository(this.db).record({ ...actor, action: 'case_view_refused', entityType: REPRESENTATION_SUBJECT, entityId: String(loaded.id) }, this.clock().toISOString());
      }
      throw new DomainError('case_not_found', 'There is no case with that reference');
    }
    if (loaded === undefined) throw new DomainError('case_not_found', 'There is no case with that reference');
    return loaded;
  }

  private async maySee(loaded: LoadedCase, actor: StaffActor, db: Kysely<Database> = this.db): Promise<boolean> {
    return (await storedCaseVisibility(db, actor, { id: loaded.id, teamId: loaded.facts.teamId ?? null, responderUserId: loaded.facts.responderUserId ?? null })) !== 'none';
  }

  private knownAction(action: string): Stage1Action {
    if (!isStage1Action(action) || action === 'register') throw new DomainError('unknown_action', `There is no Stage 1 action called "${action}"`);
    return action;
  }

  private today(): string {
    return this.clock().toISOString().slice(0, 10);
  }
}

function staleUpdate(): DomainError {
  return new DomainError('stale_update', 'Someone else changed this case while you were working on it. Check the case, then save your answers again.');
}
