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
import { startClock } from './clock-service.ts';
import type { CalendarService } from './calendar-service.ts';
import type { Actor, Clock } from './clock.ts';

/** A signed-in member of staff acting on cases: who they are, their roles and team. */
export interface StaffActor extends Actor {
  readonly userId: number;
  readonly roles: readonly Role[];
  readonly teamId: number | null;
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
            createdBy: actor.userId,
          },
          nowIso,
        );
        await repository.setCodes(id, 'issue', record.issues ?? []);
        if (isProcedureKind(kind)) {
          for (const definition of procedureDefinition(kind).clocks.filter((c) => c.startsOn === 'received')) {
            await startClock(trx, calendar, { type: REPRESENTATION_SUBJECT, id }, kind, definition.key, { startedOn: receivedOn }, now);
          }
        }
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
