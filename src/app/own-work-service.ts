/**
 * Each member of staff's own work, for the top of their dashboard, by role:
 *
 * - complaints officers and managers: what waits to be registered (how many, and how long
 *   the oldest has waited: its time limits run from the day it arrived), what waits to be
 *   allocated, and the Stage 1 responses due soon and overdue (as the queues count them);
 * - responding managers: the cases allocated to them with their Stage 1 due dates, those due
 *   in the next 5 working days, and those overdue;
 * - investigating officers, Independent Persons and panel members: their appointments now,
 *   each with the next date due on its case;
 * - senior managers: the later stages waiting for their adjudication or response.
 *
 * Read only. Lists name references and dates, never personal details.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { RestrictedPerson } from '../domain/cases/case-restriction.ts';
import { OwnWorkRepository, type AppointmentRow, type CountAndOldest } from '../db/own-work-repository.ts';
import { addDays, type IsoDate } from '../domain/calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import { DUE_SOON_WORKING_DAYS, type ClockEvents } from '../domain/clocks/clock-engine.ts';
import { CASE_STATUS_LABELS, isCaseStatus, STAGE1_OPEN_STATUSES } from '../domain/cases/case-status.ts';
import { describeDue, STAGE1_CLOCK_KEYS, type DueTag } from '../domain/cases/stage1-clock.ts';
import { APPOINTMENT_ROLE_LABELS, APPOINTMENT_ROLES } from '../domain/cases/later-stage-workflow.ts';
import { isOneOf } from '../domain/taxonomies/code-list.ts';
import { isRepresentationKind, REPRESENTATION_KIND_LABELS } from '../domain/taxonomies/representation-kinds.ts';
import type { Role } from '../domain/users/roles.ts';
import { clockStatusOf, definitionOf } from './clock-service.ts';
import { APPOINTED_ROLES } from './case-query-service.ts';
import type { CalendarService } from './calendar-service.ts';
import type { Clock } from './clock.ts';

/** A responding manager's "due soon": due within this many working days. */
export const OWN_DUE_SOON_WORKING_DAYS = 5;

/** The clocks an appointment's "next date due" is taken from, by stage. */
const LATER_CLOCKS_BY_STAGE: Readonly<Record<number, readonly string[]>> = {
  2: ['stage2_acknowledgement', 'stage2_response'],
  3: ['panel_meeting', 'panel_recommendations', 'council_response'],
};

/** A clock's due date in words, as pages tag it. */
export interface OwnDue {
  readonly label: string;
  readonly dueOn: IsoDate;
  readonly text: string;
  readonly tag: DueTag;
}

export interface OwnCase {
  readonly reference: string;
  readonly kindLabel: string;
  readonly statusLabel: string;
  readonly receivedOn: IsoDate;
  readonly due: OwnDue | undefined;
}

export interface OwnAppointment {
  readonly reference: string;
  readonly kindLabel: string;
  readonly stage: number;
  readonly roleLabel: string;
  readonly appointedOn: IsoDate;
  /** The soonest open time limit of the stage they are appointed to; undefined when none runs. */
  readonly next: OwnDue | undefined;
}

export interface OwnDecision {
  readonly reference: string;
  readonly kindLabel: string;
  /** What waits: "Stage 2 adjudication", "Stage 2 response", "Council’s response to the panel". */
  readonly what: string;
  readonly due: OwnDue | undefined;
}

export interface ComplaintsTeamWork {
  readonly awaitingRegistration: { readonly count: number; readonly oldestReceivedOn: IsoDate | undefined; readonly oldestWorkingDays: number | undefined };
  readonly awaitingAllocation: number;
  readonly dueSoon: number;
  readonly overdue: number;
}

export interface OwnWork {
  readonly complaintsTeam?: ComplaintsTeamWork;
  readonly responding?: { readonly cases: readonly OwnCase[]; readonly dueSoon: readonly OwnCase[]; readonly overdue: readonly OwnCase[] };
  readonly appointments?: readonly OwnAppointment[];
  readonly decisions?: readonly OwnDecision[];
}

const COMPLAINTS_TEAM: readonly Role[] = ['complaints_officer', 'complaints_manager'];

const kindLabelOf = (kind: string): string => (isRepresentationKind(kind) ? REPRESENTATION_KIND_LABELS[kind] : kind);

/** The last working day on or before `date`: the queues count a clock overdue only after it. */
function workingDayOnOrBefore(calendar: WorkingDayCalendar, date: IsoDate): IsoDate {
  let day = date;
  for (let i = 0; i < 31 && !calendar.isWorkingDay(day); i++) day = addDays(day, -1);
  return day;
}

function dueOf(clock: { procedureKind: string; clockKey: string; events: string }, calendar: WorkingDayCalendar, today: IsoDate): OwnDue {
  const definition = definitionOf(clock.procedureKind, clock.clockKey);
  const due = describeDue(clockStatusOf(definition, calendar, JSON.parse(clock.events) as ClockEvents, today));
  return { label: definition.label, dueOn: due.dueDate, text: due.text, tag: due.tag };
}

export class OwnWorkService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
  ) {}

  /** The work of the user with these roles (a part for each role that has one). */
  async forUser(user: { readonly userId: number; readonly teamId: number | null; readonly roles: readonly Role[] }): Promise<OwnWork> {
    const today = this.clock().toISOString().slice(0, 10);
    const calendar = await this.calendars.calendar();
    const repository = new OwnWorkRepository(this.db);
    const has = (roles: readonly Role[]) => user.roles.some((role) => roles.includes(role));
    const stage1Keys = [...new Set(Object.values(STAGE1_CLOCK_KEYS))];
    return {
      ...(has(COMPLAINTS_TEAM) ? { complaintsTeam: await this.complaintsTeam(repository, calendar, today, stage1Keys) } : {}),
      ...(user.roles.includes('responding_manager') ? { responding: await this.responding(repository, user, calendar, today, stage1Keys) } : {}),
      ...(has(APPOINTED_ROLES) ? { appointments: (await repository.appointmentsOf(user, Object.values(LATER_CLOCKS_BY_STAGE).flat())).map((a) => appointmentOf(a, calendar, today)) } : {}),
      ...(user.roles.includes('senior_manager') ? { decisions: await this.decisions(repository, user, calendar, today) } : {}),
    };
  }

  /** What waits to be registered: how many, the oldest date received, and how many working days ago that was. */
  async awaitingRegistration(): Promise<ComplaintsTeamWork['awaitingRegistration']> {
    const today = this.clock().toISOString().slice(0, 10);
    const [calendar, waiting] = await Promise.all([this.calendars.calendar(), new OwnWorkRepository(this.db).countWithStatus('awaiting_registration')]);
    return waitingOf(waiting, calendar, today);
  }

  private async complaintsTeam(repository: OwnWorkRepository, calendar: WorkingDayCalendar, today: IsoDate, keys: readonly string[]): Promise<ComplaintsTeamWork> {
    // As the queues count them (case-query-service.ts): overdue once a working day has passed after the due date.
    const lastWorkingDay = workingDayOnOrBefore(calendar, today);
    const [waiting, allocation, dueSoon, overdue] = await Promise.all([
      repository.countWithStatus('awaiting_registration'),
      repository.countWithStatus('registered'),
      repository.countStage1Due(STAGE1_OPEN_STATUSES, keys, { onOrAfter: lastWorkingDay, onOrBefore: calendar.addWorkingDays(today, DUE_SOON_WORKING_DAYS) }),
      repository.countStage1Due(STAGE1_OPEN_STATUSES, keys, { before: lastWorkingDay }),
    ]);
    return {
      awaitingRegistration: waitingOf(waiting, calendar, today),
      awaitingAllocation: allocation.count,
      dueSoon,
      overdue,
    };
  }

  private async responding(repository: OwnWorkRepository, person: RestrictedPerson, calendar: WorkingDayCalendar, today: IsoDate, keys: readonly string[]) {
    const rows = await repository.allocatedTo(person, STAGE1_OPEN_STATUSES, keys);
    const cases: OwnCase[] = rows.map((row) => ({
      reference: row.reference,
      kindLabel: kindLabelOf(row.kind),
      statusLabel: isCaseStatus(row.status) ? CASE_STATUS_LABELS[row.status] : row.status,
      receivedOn: row.receivedOn,
      due: row.clock === undefined ? undefined : dueOf(row.clock, calendar, today),
    }));
    const soonBy = calendar.addWorkingDays(today, OWN_DUE_SOON_WORKING_DAYS);
    return {
      cases,
      dueSoon: cases.filter((c) => c.due !== undefined && c.due.tag !== 'overdue' && c.due.dueOn <= soonBy),
      overdue: cases.filter((c) => c.due?.tag === 'overdue'),
    };
  }

  private async decisions(repository: OwnWorkRepository, person: RestrictedPerson, calendar: WorkingDayCalendar, today: IsoDate): Promise<OwnDecision[]> {
    return (await repository.awaitingSeniorManager(person)).map((row) => ({
      reference: row.reference,
      kindLabel: kindLabelOf(row.kind),
      what: row.stage === 3 ? 'Council’s response to the panel' : row.kind === 'corporate' ? 'Stage 2 response' : 'Stage 2 adjudication',
      due: row.clock === undefined ? undefined : dueOf(row.clock, calendar, today),
    }));
  }
}

function waitingOf(waiting: CountAndOldest, calendar: WorkingDayCalendar, today: IsoDate): ComplaintsTeamWork['awaitingRegistration'] {
  const oldest = waiting.oldestReceivedOn;
  return { count: waiting.count, oldestReceivedOn: oldest, oldestWorkingDays: oldest === undefined || oldest > today ? undefined : calendar.workingDaysBetween(oldest, today) };
}

function appointmentOf(row: AppointmentRow, calendar: WorkingDayCalendar, today: IsoDate): OwnAppointment {
  const keys = LATER_CLOCKS_BY_STAGE[row.stage] ?? [];
  // The clocks come soonest due first: the first of this stage's is the next date due.
  const next = row.clocks.find((c) => keys.includes(c.clockKey));
  return {
    reference: row.reference,
    kindLabel: kindLabelOf(row.kind),
    stage: row.stage,
    roleLabel: isOneOf(APPOINTMENT_ROLES, row.role) ? APPOINTMENT_ROLE_LABELS[row.role] : row.role,
    appointedOn: row.appointedOn,
    next: next === undefined ? undefined : dueOf(next, calendar, today),
  };
}
