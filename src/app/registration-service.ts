/**
 * Registers representations. One contact about several teams becomes one representation per
 * team, linked by their contact; each gets its own reference, and the procedure's clocks that
 * start on receipt start at once. The Stage 1 table's `register` action decides who may
 * register and checks the representation's fields; all is written in one transaction, with
 * the history and the audit trail.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { RepresentationRepository, REPRESENTATION_SUBJECT, type RepresentationSummary } from '../db/representation-repository.ts';
import { TeamRepository } from '../db/team-repository.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { DomainError } from '../domain/errors.ts';
import { registrationPeopleProblems, type RegistrationInput } from '../domain/cases/registration.ts';
import { decide, inputProblems, type Stage1Decision } from '../domain/cases/stage1-workflow.ts';
import { REFERENCE_PREFIXES, referenceFor } from '../domain/taxonomies/case-reference.ts';
import { isRepresentationKind, REPRESENTATION_KIND_LABELS, type RepresentationKind } from '../domain/taxonomies/representation-kinds.ts';
import { isProcedureKind, procedureDefinition } from '../domain/procedures/procedure-definitions.ts';
import type { Role } from '../domain/users/roles.ts';
import { clockStatusOf, definitionOf, startClock } from './clock-service.ts';
import type { IsoDate } from '../domain/calendar/iso-date.ts';
import { CouncilSettingsRepository } from '../db/council-settings-repository.ts';
import type { CalendarService } from './calendar-service.ts';
import type { Actor, Clock } from './clock.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import type { ReceiptRule } from '../domain/calendar/counting-rule.ts';
import { CaseFactsRepository } from '../db/case-facts-repository.ts';
import { KINDS_WITH_ADVOCACY_DUTY } from '../domain/cases/advocacy.ts';
import { isOneOf } from '../domain/taxonomies/code-list.ts';

/** A signed-in member of staff acting on cases: who they are, their roles and team. */
export interface StaffActor extends Actor {
  readonly userId: number;
  readonly roles: readonly Role[];
  readonly teamId: number | null;
}

/** A time limit running from receipt, as it stands today. */
export interface ReceiptTimeLimit {
  readonly label: string;
  readonly dueOn: IsoDate;
  readonly workingDaysUsed: number;
  readonly isOverdue: boolean;
}

export class RegistrationService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
  ) {}

  /**
   * Every problem with `input`, for a form's error summary (empty when it would register).
   * The representation's own fields are checked by the register action; the people after.
   */
  async problems(input: RegistrationInput, actor: StaffActor): Promise<DomainError[]> {
    const today = this.clock().toISOString().slice(0, 10);
    const calendar = await this.calendars.calendar();
    const facts = { status: 'awaiting_registration' as const, kind: provisionalKindOf(input), receivedOn: today };
    const found = inputProblems(facts, actor, 'register', { ...input.fields, team_id: input.teamIds[0] }, { today, calendar });
    const kind = isRepresentationKind(input.fields.kind) ? input.fields.kind : undefined;
    const receivedOn = typeof input.fields.received_on === 'string' && !found.some((p) => p.field === 'received_on') ? input.fields.received_on : undefined;
    found.push(...registrationPeopleProblems(input, kind, receivedOn));
    return found;
  }

  /**
   * Registers a representation sent from the public pages (status `awaiting_registration`):
   * the Stage 1 table's `register` action applied to the existing row — its reference never
   * changes — with the young person when given, and the clocks started as `register` starts
   * them. One team only (the public pages make one representation). The people it came with
   * are kept. `stale_update` when it changed since `version` was read (or was registered).
   *
   * The council received it the day it arrived online, so that stays its date received
   * whatever the form says, and its clocks start from that day under the receipt rule in force
   * then: the working days already gone count, and a registration after a deadline shows late.
   */
  async registerSubmission(reference: string, input: RegistrationInput, actor: StaffActor, version: number): Promise<RepresentationSummary> {
    const now = this.clock();
    const nowIso = now.toISOString();
    const today = nowIso.slice(0, 10);
    const calendar = await this.calendars.calendar();
    const existing = await new RepresentationRepository(this.db).findByReference(reference.trim().toUpperCase());
    if (existing?.status !== 'awaiting_registration') throw new DomainError('case_not_found', 'There is no submission waiting to be registered with that reference');
    if (input.teamIds.length > 1) throw new DomainError('one_team_only', 'Select one team: register a separate case for each other team', 'team_id');
    const provisional = isRepresentationKind(input.fields.kind) ? input.fields.kind : isRepresentationKind(existing.kind) ? existing.kind : 'comment';
    const { record, to } = decide(
      { status: 'awaiting_registration', kind: provisional, receivedOn: existing.receivedOn },
      actor,
      'register',
      { ...input.fields, received_on: existing.receivedOn, team_id: input.teamIds[0] },
      { today, calendar },
    );
    const { kind, received_on: receivedOn, team_id: teamId, summary } = record;
    if (kind === undefined || receivedOn === undefined || teamId === undefined || summary === undefined) {
      throw new Error('the register action recorded no kind, date, team or summary');
    }
    const [problem] = registrationPeopleProblems({ ...input, complainant: undefined, advocate: undefined }, undefined, receivedOn);
    if (problem !== undefined) throw problem;

    return this.db.transaction().execute(async (trx) => {
      const team = await new TeamRepository(trx).findById(teamId);
      if (!team?.isActive) throw new DomainError('team_unknown', 'Select a team from the list', 'team_id');
      const repository = new RepresentationRepository(trx);
      const young = input.youngPerson;
      const youngPersonId = young ? await repository.upsertYoungPerson(young.externalId.trim(), blank(young.dateOfBirth), blank(young.ethnicity), nowIso) : null;
      const flag = (value: boolean | undefined) => (value === undefined ? undefined : value ? (1 as const) : (0 as const));
      const updated = await trx
        .updateTable('representation')
        .set({
          kind,
          status: to,
          received_on: receivedOn,
          event_on: record.event_on ?? null,
          channel: record.channel ?? null,
          is_via_complaints_team: (record.via_complaints_team ?? true) ? 1 : 0,
          team_id: teamId,
          summary,
          ...(youngPersonId === null ? {} : { young_person_id: youngPersonId }),
          complainant_role: record.complainant_role ?? null,
          agency: record.agency ?? null,
          forwarded_on: record.forwarded_on ?? null,
          compliment_source: record.compliment_source ?? null,
          has_consent_to_quote: record.consent_to_quote === true ? 1 : 0,
          informal_reason: record.informal_reason ?? null,
          ...(record.parental_responsibility === undefined ? {} : { has_parental_responsibility: flag(record.parental_responsibility) }),
          ...(record.made_for_child === undefined ? {} : { is_made_for_child: flag(record.made_for_child) }),
          ...(record.proceedings === undefined ? {} : { has_proceedings: flag(record.proceedings) }),
          created_by: actor.userId,
          version: version + 1,
          updated_at: nowIso,
        })
        .where('id', '=', existing.id)
        .where('version', '=', version)
        .where('status', '=', 'awaiting_registration')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        throw new DomainError('stale_update', 'Someone else changed this case while you were working on it. Check the case, then register it again.');
      }
      await repository.setCodes(existing.id, 'issue', record.issues ?? []);
      const { receipt_rule: arrivalRule } = await trx.selectFrom('representation').select('receipt_rule').where('id', '=', existing.id).executeTakeFirstOrThrow();
      await startReceiptClocks(trx, calendar, existing.id, kind, receivedOn, now, arrivalRule);
      await new HistoryRepository(trx).add(
        {
          subjectType: REPRESENTATION_SUBJECT,
          subjectId: existing.id,
          userId: actor.userId,
          action: 'registered',
          summary: `Registered: ${REPRESENTATION_KIND_LABELS[kind]}, about ${team.name}`,
          before: { status: existing.status, kind: existing.kind },
          after: { status: to, kind },
        },
        nowIso,
      );
      await new AuditRepository(trx).record({ ...actor, action: 'representation_registered', entityType: REPRESENTATION_SUBJECT, entityId: String(existing.id) }, nowIso);
      const registered = await repository.findByReference(existing.reference);
      if (!registered) throw new Error('the registered representation has gone');
      return registered;
    });
  }

  /**
   * Where the time limits that run from receipt stand today for something of `kind` received
   * on `receivedOn` under `receiptRule` (none for a kind without a procedure): what the
   * registration page of a submission shows, since they started when it arrived.
   */
  async timeLimitsFromReceipt(kind: string, receivedOn: IsoDate, receiptRule: ReceiptRule): Promise<ReceiptTimeLimit[]> {
    if (!isRepresentationKind(kind) || !isProcedureKind(kind)) return [];
    const today = this.clock().toISOString().slice(0, 10);
    const calendar = await this.calendars.calendar();
    return procedureDefinition(kind)
      .clocks.filter((c) => c.startsOn === 'received')
      .map((c) => {
        const definition = definitionOf(kind, c.key);
        const status = clockStatusOf(definition, calendar, { startedOn: receivedOn, receiptRule }, today);
        return { label: definition.label, dueOn: status.dueDate, workingDaysUsed: status.workingDaysUsed, isOverdue: status.workingDaysRemaining < 0 };
      });
  }

  /** Registers `input` and returns the representations made, one per team. */
  async register(input: RegistrationInput, actor: StaffActor): Promise<RepresentationSummary[]> {
    const now = this.clock();
    const nowIso = now.toISOString();
    const today = nowIso.slice(0, 10);
    const calendar = await this.calendars.calendar();
    const provisionalKind = provisionalKindOf(input);
    const decideFor = (teamId: number | undefined): Stage1Decision =>
      decide({ status: 'awaiting_registration', kind: provisionalKind, receivedOn: today }, actor, 'register', { ...input.fields, team_id: teamId }, { today, calendar });
    const decisions = input.teamIds.length === 0 ? [decideFor(undefined)] : input.teamIds.map(decideFor);
    const first = decisions[0]?.record;
    const [problem] = registrationPeopleProblems(input, first?.kind, first?.received_on);
    if (problem !== undefined) throw problem;

    return this.db.transaction().execute(async (trx) => {
      const teams = new TeamRepository(trx);
      const repository = new RepresentationRepository(trx);
      const history = new HistoryRepository(trx);
      const youngPerson = input.youngPerson;
      const youngPersonId = youngPerson
        ? await repository.upsertYoungPerson(youngPerson.externalId.trim(), blank(youngPerson.dateOfBirth), blank(youngPerson.ethnicity), nowIso)
        : null;
      const contactId = await repository.createContact(first?.received_on ?? today, nowIso);
      const year = now.getUTCFullYear();

      const created: RepresentationSummary[] = [];
      for (const { record, to } of decisions) {
        const { kind, received_on: receivedOn, team_id: teamId, summary } = record;
        if (kind === undefined || receivedOn === undefined || teamId === undefined || summary === undefined) {
          throw new Error('the register action recorded no kind, date, team or summary');
        }
        const team = await teams.findById(teamId);
        if (!team?.isActive) throw new DomainError('team_unknown', 'Select a team from the list', 'team_id');
        // Each representation has its own people rows, so that correcting one later does not
        // silently change its siblings.
        const complainantId = input.complainant ? await repository.createPerson(input.complainant, nowIso) : null;
        const advocateId = input.advocate ? await repository.createPerson(input.advocate, nowIso) : null;
        const reference = referenceFor(kind, year, await repository.nextReferenceNumber(REFERENCE_PREFIXES[kind], year));
        const id = await repository.create(
          {
            reference,
            contactId,
            kind,
            status: to,
            receivedOn,
            eventOn: record.event_on ?? null,
            channel: record.channel ?? null,
            isViaComplaintsTeam: record.via_complaints_team ?? true,
            teamId,
            summary,
            youngPersonId,
            complainantId,
            complainantRole: record.complainant_role ?? null,
            advocateId,
            agency: record.agency ?? null,
            forwardedOn: record.forwarded_on ?? null,
            complimentSource: record.compliment_source ?? null,
            workerName: blank(input.workerName),
            hasConsentToQuote: record.consent_to_quote ?? false,
            informalReason: record.informal_reason ?? null,
            hasParentalResponsibility: record.parental_responsibility,
            isMadeForChild: record.made_for_child,
            hasProceedings: record.proceedings,
            createdBy: actor.userId,
          },
          nowIso,
        );
        await repository.setCodes(id, 'issue', record.issues ?? []);
        if (advocateId !== null && input.advocate !== undefined && isOneOf(KINDS_WITH_ADVOCACY_DUTY, kind)) {
          // An advocate recorded at registration: the offer of an advocate was made and accepted, on the day it was registered.
          await new CaseFactsRepository(trx).addAdvocacyOffer(
            id,
            { offeredOn: today, outcome: 'accepted', provider: blank(input.advocate.organisation) ?? input.advocate.name.trim(), recordedBy: actor.userId },
            nowIso,
          );
        }
        await startReceiptClocks(trx, calendar, id, kind, receivedOn, now);
        await history.add(
          {
            subjectType: REPRESENTATION_SUBJECT,
            subjectId: id,
            userId: actor.userId,
            action: 'registered',
            summary: `Registered: ${REPRESENTATION_KIND_LABELS[kind]}, about ${team.name}`,
            after: { reference, status: to },
          },
          nowIso,
        );
        await new AuditRepository(trx).record({ ...actor, action: 'representation_registered', entityType: REPRESENTATION_SUBJECT, entityId: String(id) }, nowIso);
        const registered = await repository.findByReference(reference);
        if (registered) created.push(registered);
      }
      if (created.length > 1) {
        const references = created.map((r) => r.reference).join(', ');
        for (const representation of created) {
          await history.add(
            { subjectType: REPRESENTATION_SUBJECT, subjectId: representation.id, userId: actor.userId, action: 'linked', summary: `One of ${created.length} from the same contact, one per team: ${references}` },
            nowIso,
          );
        }
      }
      return created;
    });
  }
}

/**
 * Starts the clocks of `kind`'s procedure that run from receipt (none for a kind without a
 * procedure), under the council's receipt rule in force (or `rule`, the one in force when it
 * arrived), which the representation keeps too.
 */
async function startReceiptClocks(
  trx: Kysely<Database>,
  calendar: WorkingDayCalendar,
  id: number,
  kind: RepresentationKind,
  receivedOn: string,
  now: Date,
  rule?: ReceiptRule,
): Promise<void> {
  const receiptRule = rule ?? (await new CouncilSettingsRepository(trx).load()).receiptRule;
  await new RepresentationRepository(trx).setReceiptRule(id, receiptRule);
  if (!isProcedureKind(kind)) return;
  for (const definition of procedureDefinition(kind).clocks.filter((c) => c.startsOn === 'received')) {
    await startClock(trx, calendar, { type: REPRESENTATION_SUBJECT, id }, kind, definition.key, { startedOn: receivedOn, receiptRule }, now);
  }
}

/**
 * A new case has no kind until it is registered: the register action records the one chosen.
 * Until a valid kind is chosen, a comment stands in: it asks for nothing beyond the fields
 * every kind needs, so a missing kind reports only itself.
 */
function provisionalKindOf(input: RegistrationInput): RepresentationKind {
  return isRepresentationKind(input.fields.kind) ? input.fields.kind : 'comment';
}

function blank(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}
