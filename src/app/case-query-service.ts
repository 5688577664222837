/**
 * What staff see of cases: the work queues and the case page. Read only, except that every
 * view of a case page is written to the audit trail (`case_viewed`).
 *
 * Who sees what ("every page and API call checks the user's role and their right to that
 * record"), by `caseVisibility`:
 *
 * - complaints officers, complaints managers and senior managers see every case in full;
 * - a responding manager sees, in full, the cases about their own team or allocated to them,
 *   and no other (the page answers as if the reference did not exist);
 * - an investigating officer, Independent Person or review panel member sees, in full, the
 *   cases they are appointed to now, and no other;
 * - a viewer sees every case but none of its personal details: no names, contact details,
 *   young person's id or date of birth, summary, notes, reasons or history details.
 *
 * A user with several roles gets the widest: a responding manager who is also a viewer sees
 * their own cases in full and the others as a viewer does.
 *
 * Whatever their roles, someone excluded from a restricted case (src/domain/cases/case-restriction.ts),
 * by name or as a member of an excluded team, sees nothing of it: its page answers as if the
 * reference did not exist, and no list shows it to them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  CaseReadRepository,
  type CaseClockRow,
  type CaseDetailRow,
  type CaseListRow,
  type QueueKey,
  type CaseCondition,
  type CaseSearch,
  type FigureFilter,
  type PersonRow,
  type ResponsePair,
  type ResponseRange,
  type SearchMatch,
} from '../db/case-read-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { loadedCaseOf, statusBeforeClosureIn, type FactColumns, type LoadedCase } from '../db/case-facts-repository.ts';
import { LaterStageRepository } from '../db/later-stage-repository.ts';
import { CaseRestrictionRepository } from '../db/case-restriction-repository.ts';
import { isExcluded, type CaseRestriction } from '../domain/cases/case-restriction.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { addDays, type IsoDate } from '../domain/calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import { DUE_SOON_WORKING_DAYS, type ClockEvents } from '../domain/clocks/clock-engine.ts';
import { clockStatusOf, definitionOf } from './clock-service.ts';
import { CASE_STATUS_LABELS, isEndedStatus, STAGE1_OPEN_STATUSES, type CaseStatus } from '../domain/cases/case-status.ts';
import { describeDue, STAGE1_CLOCK_KEYS, type DueTag } from '../domain/cases/stage1-clock.ts';
import { historyIdsOf, presentHistoryChanges, readableSummary, type HistoryNames } from '../domain/cases/history-labels.ts';
import { ADVOCACY_OUTCOME_LABELS, isAdvocacyOutcome } from '../domain/cases/advocacy.ts';
import { isProcedureKind } from '../domain/procedures/procedure-definitions.ts';
import { ELIGIBILITY_RULES, isEligibilityDecision } from '../domain/cases/eligibility.ts';
import { isRepresentationKind, isComplaintKind, REPRESENTATION_KIND_LABELS, type RepresentationKind } from '../domain/taxonomies/representation-kinds.ts';
import { CHANNEL_LABELS } from '../domain/taxonomies/channels.ts';
import { COMPLAINANT_ROLE_LABELS } from '../domain/taxonomies/complainant-roles.ts';
import { COMPLIMENT_SOURCE_LABELS } from '../domain/taxonomies/compliment-sources.ts';
import { CONTACT_METHOD_LABELS } from '../domain/taxonomies/contact-methods.ts';
import { DELAY_REASON_LABELS } from '../domain/taxonomies/delay-reasons.ts';
import { describeExtensionReason, readExtensionReason } from '../domain/taxonomies/extension-reasons.ts';
import { ETHNICITY_LABELS } from '../domain/taxonomies/ethnicities.ts';
import { FINDING_LABELS } from '../domain/taxonomies/findings.ts';
import { issueLabel } from '../domain/taxonomies/issues.ts';
import { REMEDY_LABELS } from '../domain/taxonomies/remedies.ts';
import type { Role } from '../domain/users/roles.ts';
import { DomainError } from '../domain/errors.ts';
import { workingDaysTaken } from '../domain/calendar/counting-rule.ts';
import { timescaleBand, type TimescaleBand } from '../domain/reports/annual-report.ts';
import type { CalendarService } from './calendar-service.ts';
import type { Clock } from './clock.ts';
import type { StaffActor } from './registration-service.ts';

/** The Stage 1 clocks' keys (one a procedure). */
const STAGE1_KEYS: readonly string[] = [...new Set(Object.values(STAGE1_CLOCK_KEYS))];

// ---- who sees what ----

/** Who is looking: a signed-in member of staff (the audit trail's actor too). */
export type CaseViewer = StaffActor;

/** Roles that see every case in full. */
export const FULL_CASE_READERS: readonly Role[] = ['complaints_officer', 'complaints_manager', 'senior_manager'];

/** `full`: everything; `figures`: the case without its personal details; `none`: not even that it exists. */
export type CaseVisibility = 'full' | 'figures' | 'none';

export interface CaseOwnership {
  readonly teamId: number | null;
  readonly responderUserId: number | null;
  /** The users appointed to the case now (investigating officer, Independent Person, panel); none when not given. */
  readonly appointedUserIds?: readonly number[];
  /** The staff and teams excluded from the case (src/domain/cases/case-restriction.ts); none when not given. */
  readonly restrictions?: readonly CaseRestriction[];
}

/** Roles that see a case only while appointed to it. */
export const APPOINTED_ROLES: readonly Role[] = ['investigator', 'independent_person', 'panel_member'];

function isOwnCase(viewer: Pick<CaseViewer, 'userId' | 'teamId'>, record: CaseOwnership): boolean {
  return record.responderUserId === viewer.userId || (viewer.teamId !== null && record.teamId === viewer.teamId);
}

/**
 * `caseVisibility` of a stored case, reading its restrictions, and its appointments when the
 * viewer has a role that is appointed (unless `record` gives them). Every single-case check
 * goes through here: the case page, actions, letters, files, later stages and the API.
 */
export async function storedCaseVisibility(db: Kysely<Database>, viewer: Pick<CaseViewer, 'userId' | 'teamId' | 'roles'>, record: CaseOwnership & { readonly id: number }): Promise<CaseVisibility> {
  return (await storedCaseAccess(db, viewer, record)).visibility;
}

/** `storedCaseVisibility`, with the case's restrictions it read (on PostgreSQL both reads run at once). */
async function storedCaseAccess(
  db: Kysely<Database>,
  viewer: Pick<CaseViewer, 'userId' | 'teamId' | 'roles'>,
  record: CaseOwnership & { readonly id: number },
): Promise<{ visibility: CaseVisibility; restrictions: CaseRestriction[] }> {
  const [appointedUserIds, restrictions] = await Promise.all([
    record.appointedUserIds ?? (viewer.roles.some((role) => APPOINTED_ROLES.includes(role)) ? new LaterStageRepository(db).appointedUserIds(record.id) : []),
    new CaseRestrictionRepository(db).restrictionsOf(record.id),
  ]);
  return { visibility: caseVisibility(viewer, { ...record, appointedUserIds, restrictions }), restrictions };
}

/** How much of a case the viewer may see (see the header comment). Someone excluded from a restricted case sees nothing of it, whatever their roles. */
export function caseVisibility(viewer: Pick<CaseViewer, 'userId' | 'teamId' | 'roles'>, record: CaseOwnership): CaseVisibility {
  if (isExcluded(viewer, record.restrictions ?? [])) return 'none';
  if (viewer.roles.some((role) => FULL_CASE_READERS.includes(role))) return 'full';
  if (viewer.roles.includes('responding_manager') && isOwnCase(viewer, record)) return 'full';
  if (viewer.roles.some((role) => APPOINTED_ROLES.includes(role)) && record.appointedUserIds?.includes(viewer.userId) === true) return 'full';
  if (viewer.roles.includes('viewer')) return 'figures';
  return 'none';
}

/** What a viewer sees in place of personal details. */
export const HIDDEN_TEXT = 'Hidden: you can see figures but not personal details';

// ---- queues ----

/** Closed and withdrawn cases stay in "recently closed" this many days. */
export const RECENTLY_CLOSED_DAYS = 30;

export const CASE_QUEUES = ['all_open', 'awaiting_registration', 'awaiting_allocation', 'mine', 'my_team', 'due_soon', 'overdue', 'recently_closed', 'all'] as const;

export type CaseQueue = (typeof CASE_QUEUES)[number];

export const CASE_QUEUE_LABELS: Readonly<Record<CaseQueue, string>> = {
  all_open: 'All open cases',
  awaiting_registration: 'Waiting to be registered',
  awaiting_allocation: 'Waiting to be allocated',
  mine: 'Allocated to me',
  my_team: 'My team’s cases',
  due_soon: `Stage 1 due within ${DUE_SOON_WORKING_DAYS} working days`,
  overdue: 'Stage 1 overdue',
  recently_closed: `Closed or withdrawn in the last ${String(RECENTLY_CLOSED_DAYS)} days`,
  all: 'All cases',
};

export function isCaseQueue(value: unknown): value is CaseQueue {
  return typeof value === 'string' && (CASE_QUEUES as readonly string[]).includes(value);
}

export const QUEUE_PAGE_SIZE = 50;

const FINISHED_STATUSES: readonly CaseStatus[] = ['closed', 'withdrawn'];

export interface QueueFilters {
  readonly queue?: CaseQueue | undefined;
  readonly kind?: RepresentationKind | undefined;
  readonly teamId?: number | undefined;
  readonly status?: CaseStatus | undefined;
  /** A reference, a young person's id or part of the complainant's name. */
  readonly search?: string | undefined;
  /** From 1. A page past the last shows the last (numbered pages: the API's list). */
  readonly page?: number | undefined;
  /** The page after this place in the queue's order (keyset paging: the staff pages). */
  readonly after?: QueueKey | undefined;
  /** The page before this place in the queue's order. */
  readonly before?: QueueKey | undefined;
  /** The records behind a report's figure (a link from the annual report). */
  readonly figure?: FigureFilter | undefined;
}

/**
 * How a page tags a clock: the domain's tags, `stopped` for a clock closed without a stop
 * date of its own (a case withdrawn or closed before its response), and `problem` for one
 * whose recorded dates cannot be worked out (the page still shows the rest).
 */
export type ClockTag = DueTag | 'stopped' | 'problem';

/** The words and tag for a clock, as pages show them. */
export interface DueView {
  readonly text: string;
  readonly tag: ClockTag;
  readonly dueOn: IsoDate;
}

export interface QueueRow {
  readonly reference: string;
  readonly kind: string;
  readonly kindLabel: string;
  readonly teamName: string | null;
  readonly status: string;
  readonly statusLabel: string;
  readonly receivedOn: IsoDate;
  /** The Stage 1 clock; undefined when the case has none running (or none at all). */
  readonly stage1Due: DueView | undefined;
  readonly responderName: string | null;
  /** Where the search's words were found (only ever in what the viewer may see; empty without a search). */
  readonly matchedIn: readonly SearchMatch[];
  /** What is wrong with the row's own data (a clock that cannot be read), shown on its line instead of failing the page. */
  readonly problem?: string | undefined;
  /** Its place in the queue's order. */
  readonly key: QueueKey;
}

export type { QueueKey };

export interface QueuePage {
  readonly queue: CaseQueue;
  readonly rows: readonly QueueRow[];
  readonly total: number;
  /** From 1. */
  readonly page: number;
  readonly pageCount: number;
  readonly pageSize: number;
}

/** A page of a queue found by its place in the queue's order (no count of the whole list). */
export interface QueueList {
  readonly queue: CaseQueue;
  readonly rows: readonly QueueRow[];
  readonly pageSize: number;
  /** Where the next page starts after; undefined on the last page. */
  readonly next: QueueKey | undefined;
  /** Where the previous page ends before; undefined on the first page. */
  readonly previous: QueueKey | undefined;
}

/** What a listed row shows of its Stage 1 clock: the words, or the problem when its stored clock cannot be read. */
function stage1DueOf(row: CaseListRow, calendar: WorkingDayCalendar, today: IsoDate): { stage1Due: DueView | undefined; problem?: string } {
  if (row.stage1Clock === undefined) return { stage1Due: undefined };
  try {
    const { label: _label, ...due } = dueOf(row.stage1Clock, calendar, today);
    return { stage1Due: due };
  } catch {
    return { stage1Due: undefined, problem: 'The Stage 1 clock’s dates cannot be read: open the case to check them' };
  }
}

/** A listed case as a queue shows it. */
function queueRowOf(row: CaseListRow, calendar: WorkingDayCalendar, today: IsoDate): QueueRow {
  return {
    reference: row.reference,
    kind: row.kind,
    kindLabel: labelled(REPRESENTATION_KIND_LABELS, row.kind)?.label ?? row.kind,
    teamName: row.teamName,
    status: row.status,
    statusLabel: labelled(CASE_STATUS_LABELS, row.status)?.label ?? row.status,
    receivedOn: row.receivedOn,
    ...stage1DueOf(row, calendar, today),
    responderName: row.responderName,
    matchedIn: row.matchedIn,
    key: row.key,
  };
}

// ---- the case page ----

export interface LabelledCode {
  readonly code: string;
  readonly label: string;
}

/** A person as the case page shows them: the preferred contact as its label. */
export type PersonView = PersonRow;

export interface ClockView extends DueView {
  readonly key: string;
  readonly label: string;
  readonly startedOn: IsoDate;
  readonly isOpen: boolean;
  /** Its extensions, oldest first, each with its reason's label ("Other: <the words>" only for a viewer who may see personal details). */
  readonly extensions: readonly { readonly extraWorkingDays: number | undefined; readonly reason: string }[];
}

export interface LinkedCaseView {
  readonly reference: string;
  readonly teamName: string | null;
  /** False when the viewer may not open it: the page then names its team only. */
  readonly canOpen: boolean;
}

export interface HistoryChange {
  /** The field as recorded: a stable key for API clients, not for people (see `label`). */
  readonly field: string;
  /** The field in words: "Finding", "Responding manager", "Stage 1 response due". */
  readonly label: string;
  /** The values in words (src/domain/cases/history-labels.ts): labels, names, "4 December 2026", Yes or No. */
  readonly before: string | undefined;
  readonly after: string | undefined;
}

export interface HistoryView {
  readonly occurredAt: string;
  readonly who: string;
  readonly action: string;
  readonly summary: string;
  /** Empty for a viewer who may not see personal details. */
  readonly changes: readonly HistoryChange[];
}

/** The personal details of a case, present only when the viewer may see them. */
export interface CasePersonalDetails {
  readonly summary: string;
  readonly youngPerson: { readonly externalId: string; readonly dateOfBirth: string | null; readonly ethnicity: LabelledCode | null } | undefined;
  readonly complainant: PersonView | undefined;
  readonly advocate: PersonView | undefined;
  readonly informalReason: string | null;
  readonly workerName: string | null;
  /** A comment's reply. */
  readonly reply: string | null;
  readonly notes: readonly { readonly body: string; readonly author: string; readonly createdAt: string }[];
}

export interface CaseView {
  readonly id: number;
  readonly reference: string;
  readonly kind: string;
  readonly kindLabel: string;
  readonly isComplaint: boolean;
  /** Taken through a procedure (statutory, corporate or adult): eligibility decisions apply. */
  readonly isProcedure: boolean;
  readonly status: string;
  readonly statusLabel: string;
  readonly stage: number;
  /** The case's version, read with the rest: a change must be based on it (a newer one is refused). */
  readonly version: number;
  readonly receivedOn: IsoDate;
  readonly eventOn: IsoDate | null;
  readonly channel: LabelledCode | null;
  readonly isViaComplaintsTeam: boolean;
  readonly teamId: number | null;
  readonly teamName: string | null;
  readonly complainantRole: LabelledCode | null;
  readonly responderName: string | null;
  readonly acknowledgedOn: IsoDate | null;
  readonly respondedOn: IsoDate | null;
  readonly finding: LabelledCode | null;
  readonly withdrawnOn: IsoDate | null;
  readonly closedOn: IsoDate | null;
  /** When a withdrawn or closed case was last re-opened, while it is open again (null otherwise). */
  readonly reopenedOn: IsoDate | null;
  readonly agency: string | null;
  readonly forwardedOn: IsoDate | null;
  readonly complimentSource: LabelledCode | null;
  readonly hasConsentToQuote: boolean;
  /** What decides the eligibility decisions a complaint needs; null: not known yet. */
  readonly circumstances: { readonly hasParentalResponsibility: boolean | null; readonly isMadeForChild: boolean | null; readonly hasProceedings: boolean | null };
  readonly issues: readonly LabelledCode[];
  readonly remedies: readonly LabelledCode[];
  readonly delayReasons: readonly LabelledCode[];
  /** Every representation from the same contact, this one included (one only: not linked). */
  readonly linked: readonly LinkedCaseView[];
  readonly clocks: readonly ClockView[];
  readonly eligibilityDecisions: readonly {
    readonly decision: LabelledCode;
    readonly outcome: LabelledCode;
    /** Undefined for a viewer who may not see personal details (so are the young person's views and the parts declined). */
    readonly reason: string | undefined;
    readonly childViews: string | undefined;
    readonly partsDeclined: string | undefined;
    readonly notifiedOn: IsoDate | null;
    readonly decidedOn: IsoDate;
    readonly decidedBy: string | null;
  }[];
  readonly advocacyOffers: readonly { readonly stage: number; readonly offeredOn: IsoDate; readonly outcome: LabelledCode; readonly provider: string | null; readonly recordedBy: string | null }[];
  readonly history: readonly HistoryView[];
  readonly visibility: Exclude<CaseVisibility, 'none'>;
  /** Undefined when the viewer may see figures only. */
  readonly personal: CasePersonalDetails | undefined;
}

function labelled<Code extends string>(labels: Readonly<Record<Code, string>>, code: string | null): LabelledCode | null {
  if (code === null) return null;
  return { code, label: Object.hasOwn(labels, code) ? labels[code as Code] : code };
}

/** The last working day on or before `date`: a clock due then is not overdue until the next one. */
function workingDayOnOrBefore(calendar: WorkingDayCalendar, date: IsoDate): IsoDate {
  let day = date;
  for (let i = 0; i < 31 && !calendar.isWorkingDay(day); i++) day = addDays(day, -1);
  return day;
}

/** A clock's words as at `today`, from its recorded events by the clock engine (so pauses and extensions count). */
function dueOf(clock: CaseClockRow, calendar: WorkingDayCalendar, today: IsoDate): DueView & { label: string } {
  const definition = definitionOf(clock.procedureKind, clock.clockKey);
  const status = clockStatusOf(definition, calendar, JSON.parse(clock.events) as ClockEvents, today);
  if (!clock.isOpen && status.stoppedOn === undefined) return { label: definition.label, text: 'Stopped before it ran out', tag: 'stopped', dueOn: status.dueDate };
  const due = describeDue(status);
  return { label: definition.label, text: due.text, tag: due.tag, dueOn: due.dueDate };
}

/** A clock as the case page shows it; one whose recorded dates cannot be worked out shows that on its own line. */
function clockViewOf(clock: CaseClockRow, calendar: WorkingDayCalendar, today: IsoDate, isFull: boolean): ClockView {
  const base = { key: clock.clockKey, startedOn: clock.startedOn, isOpen: clock.isOpen };
  try {
    return {
      ...base,
      ...dueOf(clock, calendar, today),
      extensions: ((JSON.parse(clock.events) as ClockEvents).extensions ?? []).map((e) => ({ extraWorkingDays: e.extraWorkingDays, reason: describeExtensionReason(readExtensionReason(e), isFull) })),
    };
  } catch (error) {
    if (!(error instanceof DomainError) && !(error instanceof SyntaxError)) throw error;
    const reason = error instanceof DomainError ? `: ${error.message}` : '';
    return { ...base, label: definitionOf(clock.procedureKind, clock.clockKey).label, text: `Its recorded dates cannot be worked out${reason}`, tag: 'problem', dueOn: clock.dueOn, extensions: [] };
  }
}

function personView(person: PersonRow | undefined): PersonView | undefined {
  return person === undefined ? undefined : { ...person, preferredContact: labelled(CONTACT_METHOD_LABELS, person.preferredContact)?.label ?? null };
}

/** A history entry's before or after as it was stored (JSON text): its fields, or a lone value under `value`. */
function recordOf(text: string | null): Record<string, unknown> | undefined {
  if (text === null) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { value: text };
  }
}

/**
 * The complaints whose working days taken fall in `band`, counted as the annual report counts
 * them (annual-figures-query.ts), as ranges of response dates a day received and receipt rule:
 * the working days taken only grow with the response date, so for one day received (and
 * rule) the pairs in a band run
 * from the earliest response date in it to the latest, and every date between is in it too. A
 * pair the calendar cannot count (a date outside it, a response before receipt) is in no band,
 * as it is in no band there.
 */
function bandRanges(pairs: readonly ResponsePair[], calendar: WorkingDayCalendar, band: TimescaleBand): ResponseRange[] {
  const ranges = new Map<string, ResponseRange>();
  for (const { receivedOn, respondedOn, receiptRule } of pairs) {
    try {
      if (timescaleBand(workingDaysTaken(calendar, receivedOn, respondedOn, receiptRule)) !== band) continue;
    } catch (error) {
      if (error instanceof DomainError) continue;
      throw error;
    }
    const key = `${receivedOn} ${receiptRule}`;
    const range = ranges.get(key);
    ranges.set(
      key,
      range === undefined
        ? { receivedOn, receiptRule, from: respondedOn, to: respondedOn }
        : { ...range, from: respondedOn < range.from ? respondedOn : range.from, to: respondedOn > range.to ? respondedOn : range.to },
    );
  }
  return [...ranges.values()];
}

/** What the case page needs besides the view: what `CaseQueryService.page` read for it, so that nothing is read twice. */
export interface CasePage {
  readonly view: CaseView;
  /** The case as its actions and later stages find it; undefined for a status or kind the code does not know. */
  readonly loaded: LoadedCase | undefined;
  /** When its personal data was disposed of; null while kept. */
  readonly disposedAt: string | null;
  readonly restrictions: readonly CaseRestriction[];
  readonly calendar: WorkingDayCalendar;
  /** The Stage 1 responding manager, when there is one. */
  readonly responder: { readonly userId: number; readonly name: string } | undefined;
  readonly stage2AdvocacyOffered: boolean;
  /** Its history entries' actions, newest first. */
  readonly history: readonly { readonly id: number; readonly action: string; readonly occurredAt: string }[];
}

/** The representation's columns its facts are made from, as the case page read them. */
function factColumnsOf(row: CaseDetailRow): FactColumns {
  const flag = (value: boolean | null): 0 | 1 | null => (value === null ? null : value ? 1 : 0);
  return {
    id: row.id,
    reference: row.reference,
    version: row.version,
    status: row.status,
    kind: row.kind,
    received_on: row.receivedOn,
    event_on: row.eventOn,
    team_id: row.teamId,
    responder_user_id: row.responderUserId,
    acknowledged_on: row.acknowledgedOn,
    responded_on: row.respondedOn,
    finding: row.finding,
    withdrawn_on: row.withdrawnOn,
    closed_on: row.closedOn,
    status_before_closure: row.statusBeforeClosure,
    complainant_role: row.complainantRole,
    agency: row.agency,
    forwarded_on: row.forwardedOn,
    compliment_source: row.complimentSource,
    has_consent_to_quote: row.hasConsentToQuote ? 1 : 0,
    reply: row.reply,
    has_parental_responsibility: flag(row.hasParentalResponsibility),
    is_made_for_child: flag(row.isMadeForChild),
    has_proceedings: flag(row.hasProceedings),
  };
}

export class CaseQueryService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
  ) {}

  /** A numbered page of a work queue, as the viewer may see it, with the count of the whole list (the API's list). */
  async queue(viewer: CaseViewer, filters: QueueFilters = {}): Promise<QueuePage> {
    const { queue, conditions, keys, calendar, today, repository } = await this.queueConditionsFor(viewer, filters);
    const wanted = Math.max(1, Math.floor(filters.page ?? 1));
    let result = await repository.list(conditions, keys, { limit: QUEUE_PAGE_SIZE, offset: (wanted - 1) * QUEUE_PAGE_SIZE });
    const pageCount = Math.max(1, Math.ceil(result.total / QUEUE_PAGE_SIZE));
    const page = Math.min(wanted, pageCount);
    if (page !== wanted) result = await repository.list(conditions, keys, { limit: QUEUE_PAGE_SIZE, offset: (page - 1) * QUEUE_PAGE_SIZE });
    return { queue, total: result.total, page, pageCount, pageSize: QUEUE_PAGE_SIZE, rows: result.rows.map((row) => queueRowOf(row, calendar, today)) };
  }

  /**
   * A page of a work queue, as the viewer may see it, found by its place in the queue's order
   * (`after` or `before` a row's key; neither: the first page) and read through an index in
   * that order, without counting the whole list (the staff pages: previous and next).
   */
  async queueList(viewer: CaseViewer, filters: QueueFilters = {}): Promise<QueueList> {
    const { queue, conditions, keys, calendar, today, repository } = await this.queueConditionsFor(viewer, filters);
    const { after, before } = filters;
    const { rows, hasMore } = await repository.listByKey(conditions, keys, { limit: QUEUE_PAGE_SIZE, after, before });
    const isBackwards = after === undefined && before !== undefined;
    const first = rows[0];
    const last = rows.at(-1);
    const hasNext = isBackwards ? true : hasMore;
    const hasPrevious = isBackwards ? hasMore : after !== undefined;
    return {
      queue,
      pageSize: QUEUE_PAGE_SIZE,
      rows: rows.map((row) => queueRowOf(row, calendar, today)),
      next: hasNext && last !== undefined ? last.key : undefined,
      previous: hasPrevious && first !== undefined ? first.key : undefined,
    };
  }

  /** A queue's conditions for the viewer and filters: every queue and search is built here, in one place. */
  private async queueConditionsFor(viewer: CaseViewer, filters: QueueFilters) {
    const queue = filters.queue ?? 'all_open';
    const today = this.clock().toISOString().slice(0, 10);
    const calendar = await this.calendars.calendar();
    const conditions: CaseCondition[] = [...this.scopeOf(viewer), ...this.queueConditions(queue, viewer, calendar, today)];
    if (filters.kind !== undefined) conditions.push({ is: 'kind', kind: filters.kind });
    if (filters.teamId !== undefined) conditions.push({ is: 'team', teamId: filters.teamId });
    if (filters.status !== undefined) conditions.push({ is: 'status_in', statuses: [filters.status] });
    if (filters.figure !== undefined) conditions.push({ is: 'figure', figure: filters.figure });
    const search = filters.search?.trim() ?? '';
    if (search !== '') conditions.push({ is: 'search', search: { text: search.slice(0, 200), personal: this.personalSearchScope(viewer) } });

    const repository = new CaseReadRepository(this.db);
    const keys = STAGE1_KEYS;
    const band = filters.figure?.band;
    if (band !== undefined) conditions.push({ is: 'response_ranges', ranges: bandRanges(await repository.responsePairs(conditions), calendar, band.band) });
    return { queue, conditions, keys, calendar, today, repository };
  }

  /**
   * Everything the case page shows, as the viewer may see it, and an audit event
   * `case_viewed`. Undefined when there is no such case or the viewer may not know of it
   * (the two look the same).
   */
  async load(reference: string, viewer: CaseViewer): Promise<CaseView | undefined> {
    return (await this.page(reference, viewer))?.view;
  }

  /**
   * `load`, with what the rest of the case page needs of what it read (the case's facts as
   * its actions and later stages find them, its restrictions, the calendar), so that the page
   * reads each thing once. Audited as `load` is.
   */
  async page(reference: string, viewer: CaseViewer): Promise<CasePage | undefined> {
    const repository = new CaseReadRepository(this.db);
    const row = await repository.findByReference(reference.trim().toUpperCase());
    if (row === undefined) return undefined;
    const { visibility, restrictions } = await storedCaseAccess(this.db, viewer, row);
    const now = this.clock();
    const audit = new AuditRepository(this.db);
    if (visibility === 'none') {
      await audit.record({ ...viewer, action: 'case_view_refused', entityType: REPRESENTATION_SUBJECT, entityId: String(row.id) }, now.toISOString());
      return undefined;
    }
    const isFull = visibility === 'full';
    const today = now.toISOString().slice(0, 10);
    // Every view of a case is audited: written alongside the reads (on PostgreSQL at the same time), and the page waits for it.
    const [, calendar, linked, codes, clocks, decisions, offers, notes, history] = await Promise.all([
      audit.record(
        { ...viewer, action: 'case_viewed', entityType: REPRESENTATION_SUBJECT, entityId: String(row.id), details: { reference: row.reference, visibility } },
        now.toISOString(),
      ),
      this.calendars.calendar(),
      repository.fromContact(row.contactId),
      repository.codes(row.id),
      repository.clocks(row.id),
      repository.eligibilityDecisions(row.id),
      repository.advocacyOffers(row.id),
      isFull ? repository.notes(row.id) : Promise.resolve([]),
      repository.history(row.id),
    ]);
    // The timeline's fields in words: everyone and every team it names, looked up once.
    const recorded = isFull ? history.map((h) => ({ before: recordOf(h.before), after: recordOf(h.after) })) : [];
    const [hiddenLinked, historyNames] = await Promise.all([
      // This case is not among them: the viewer is not excluded from it.
      new CaseRestrictionRepository(this.db).excludedAmong(
        linked.filter((l) => l.id !== row.id).map((l) => l.id),
        viewer,
      ),
      this.historyNames(recorded.flatMap((r) => [r.before, r.after])),
    ]);
    const codesOf = (list: string, label: (code: string) => string): LabelledCode[] => codes.filter((c) => c.list === list).map((c) => ({ code: c.code, label: label(c.code) }));
    const kindLabel = labelled(REPRESENTATION_KIND_LABELS, row.kind)?.label ?? row.kind;

    const view: CaseView = {
      id: row.id,
      reference: row.reference,
      kind: row.kind,
      kindLabel,
      isComplaint: isRepresentationKind(row.kind) && isComplaintKind(row.kind),
      isProcedure: isProcedureKind(row.kind),
      status: row.status,
      statusLabel: labelled(CASE_STATUS_LABELS, row.status)?.label ?? row.status,
      stage: row.stage,
      version: row.version,
      receivedOn: row.receivedOn,
      eventOn: row.eventOn,
      channel: labelled(CHANNEL_LABELS, row.channel),
      isViaComplaintsTeam: row.isViaComplaintsTeam,
      teamId: row.teamId,
      teamName: row.teamName,
      complainantRole: labelled(COMPLAINANT_ROLE_LABELS, row.complainantRole),
      responderName: row.responderName,
      acknowledgedOn: row.acknowledgedOn,
      respondedOn: row.respondedOn,
      finding: labelled(FINDING_LABELS, row.finding),
      withdrawnOn: row.withdrawnOn,
      closedOn: row.closedOn,
      // The timeline is newest first: the latest re-opening, unless the case has ended again since.
      reopenedOn: isEndedStatus(row.status) ? null : (history.find((h) => h.action === 'reopen')?.occurredAt.slice(0, 10) ?? null),
      agency: row.agency,
      forwardedOn: row.forwardedOn,
      complimentSource: labelled(COMPLIMENT_SOURCE_LABELS, row.complimentSource),
      hasConsentToQuote: row.hasConsentToQuote,
      circumstances: { hasParentalResponsibility: row.hasParentalResponsibility, isMadeForChild: row.isMadeForChild, hasProceedings: row.hasProceedings },
      issues: codesOf('issue', (code) => issueLabel(code)),
      remedies: codesOf('remedy', (code) => labelled(REMEDY_LABELS, code)?.label ?? code),
      delayReasons: codesOf('delay_reason', (code) => labelled(DELAY_REASON_LABELS, code)?.label ?? code),
      // A linked case the viewer is excluded from is left out: not even its reference is a hint.
      linked: linked.filter((l) => !hiddenLinked.has(l.id)).map((l) => ({ reference: l.reference, teamName: l.teamName, canOpen: caseVisibility(viewer, l) !== 'none' })),
      clocks: clocks.map((clock) => clockViewOf(clock, calendar, today, isFull)),
      eligibilityDecisions: decisions.map((d) => {
        const rule = isEligibilityDecision(d.decision) ? ELIGIBILITY_RULES[d.decision] : undefined;
        return {
          decision: { code: d.decision, label: rule?.label ?? d.decision },
          outcome: { code: d.outcome, label: rule?.outcomes.find((o) => o.code === d.outcome)?.label ?? d.outcome },
          reason: isFull ? d.reason : undefined,
          childViews: isFull ? (d.childViews ?? undefined) : undefined,
          partsDeclined: isFull ? (d.partsDeclined ?? undefined) : undefined,
          notifiedOn: d.notifiedOn,
          decidedOn: d.decidedOn,
          decidedBy: d.decidedBy,
        };
      }),
      advocacyOffers: offers.map((o) => ({
        stage: o.stage,
        offeredOn: o.offeredOn,
        outcome: { code: o.outcome, label: isAdvocacyOutcome(o.outcome) ? ADVOCACY_OUTCOME_LABELS[o.outcome] : o.outcome },
        provider: o.provider,
        recordedBy: o.recordedBy,
      })),
      history: history.map((h, i) => ({
        occurredAt: h.occurredAt,
        who: h.userName ?? 'Redress (automatic)',
        action: h.action,
        // A re-opening's summary carries its reason, which may be personal.
        summary: !isFull && h.action === 'reopen' ? 'Re-opened' : readableSummary(h.summary),
        changes: isFull ? presentHistoryChanges(recorded[i]?.before, recorded[i]?.after, historyNames) : [],
      })),
      visibility,
      personal: isFull
        ? {
            summary: row.summary,
            youngPerson:
              row.youngPerson === undefined
                ? undefined
                : { externalId: row.youngPerson.externalId, dateOfBirth: row.youngPerson.dateOfBirth, ethnicity: labelled(ETHNICITY_LABELS, row.youngPerson.ethnicity) },
            complainant: personView(row.complainant),
            advocate: personView(row.advocate),
            informalReason: row.informalReason,
            workerName: row.workerName,
            reply: row.reply,
            notes: notes.map((n) => ({ body: n.body, author: n.author ?? 'Redress (automatic)', createdAt: n.createdAt })),
          }
        : undefined,
    };
    const loaded = loadedCaseOf(factColumnsOf(row), {
      clocks: clocks.map((c) => ({
        id: c.id,
        subjectType: REPRESENTATION_SUBJECT,
        subjectId: row.id,
        procedureKind: c.procedureKind,
        clockKey: c.clockKey,
        events: JSON.parse(c.events) as ClockEvents,
        dueOn: c.dueOn,
        isOpen: c.isOpen,
        version: c.version,
      })),
      decisions: decisions.map((d) => ({ kind: d.decision, outcome: d.outcome, decided_on: d.decidedOn })),
      offers: offers.map((o) => ({ offered_on: o.offeredOn, outcome: o.outcome, provider: o.provider, stage: o.stage })),
      history,
      statusBeforeClosure: isEndedStatus(row.status) ? statusBeforeClosureIn(history) : undefined,
    });
    return {
      view,
      loaded,
      disposedAt: row.disposedAt,
      restrictions,
      calendar,
      responder: row.responderUserId === null || row.responderName === null ? undefined : { userId: row.responderUserId, name: row.responderName },
      stage2AdvocacyOffered: offers.some((o) => o.stage === 2),
      history: history.map((h) => ({ id: h.id, action: h.action, occurredAt: h.occurredAt })),
    };
  }

  /** The names of the users and teams these history records mention, one query each (none when they mention nobody). */
  private async historyNames(records: readonly (Record<string, unknown> | undefined)[]): Promise<HistoryNames> {
    const { userIds, teamIds } = historyIdsOf(records);
    const [users, teams] = await Promise.all([
      userIds.length === 0 ? Promise.resolve([]) : this.db.selectFrom('app_user').select(['id', 'name']).where('id', 'in', userIds).execute(),
      teamIds.length === 0 ? Promise.resolve([]) : this.db.selectFrom('team').select(['id', 'name']).where('id', 'in', teamIds).execute(),
    ]);
    return { users: new Map(users.map((u) => [u.id, u.name])), teams: new Map(teams.map((t) => [t.id, t.name])) };
  }

  /** The cases the viewer may list at all: never one they are excluded from (restricted cases), whatever their roles. */
  private scopeOf(viewer: CaseViewer): CaseCondition[] {
    return [{ is: 'not_excluded', person: { userId: viewer.userId, teamId: viewer.teamId } }, ...this.roleScopeOf(viewer)];
  }

  /** The cases the viewer's roles let them list. */
  private roleScopeOf(viewer: CaseViewer): CaseCondition[] {
    const { roles } = viewer;
    if (roles.some((role) => FULL_CASE_READERS.includes(role)) || roles.includes('viewer')) return [];
    const isAppointable = roles.some((role) => APPOINTED_ROLES.includes(role));
    if (roles.includes('responding_manager')) return [{ is: 'own_or_team', userId: viewer.userId, teamId: viewer.teamId, orAppointed: isAppointable }];
    if (isAppointable) return [{ is: 'appointed', userId: viewer.userId }];
    return [{ is: 'nothing' }];
  }

  /** Whose personal details a search may match (a viewer's search must not confirm who complained). */
  private personalSearchScope(viewer: CaseViewer): CaseSearch['personal'] {
    if (viewer.roles.some((role) => FULL_CASE_READERS.includes(role))) return { scope: 'all' };
    if (viewer.roles.includes('responding_manager')) return { scope: 'own_or_team', userId: viewer.userId, teamId: viewer.teamId };
    return { scope: 'none' };
  }

  private queueConditions(queue: CaseQueue, viewer: CaseViewer, calendar: WorkingDayCalendar, today: IsoDate): CaseCondition[] {
    const open: CaseCondition = { is: 'status_not_in', statuses: FINISHED_STATUSES };
    switch (queue) {
      case 'all':
        return [];
      case 'all_open':
        return [open];
      case 'awaiting_registration':
        return [{ is: 'status_in', statuses: ['awaiting_registration'] }];
      case 'awaiting_allocation':
        return [{ is: 'status_in', statuses: ['registered'] }];
      case 'mine':
        return [open, { is: 'responder', userId: viewer.userId }];
      case 'my_team':
        return [open, { is: 'team', teamId: viewer.teamId }];
      case 'due_soon':
      case 'overdue': {
        // Overdue once a working day has passed after the due date (so not over a weekend
        // straight after it); due soon from then to DUE_SOON_WORKING_DAYS working days ahead.
        const lastWorkingDay = workingDayOnOrBefore(calendar, today);
        const stage1Open: CaseCondition = { is: 'status_in', statuses: STAGE1_OPEN_STATUSES };
        return queue === 'overdue'
          ? [stage1Open, { is: 'stage1_open_due', stage1ClockKeys: STAGE1_KEYS, before: lastWorkingDay }]
          : [stage1Open, { is: 'stage1_open_due', stage1ClockKeys: STAGE1_KEYS, onOrAfter: lastWorkingDay, onOrBefore: calendar.addWorkingDays(today, DUE_SOON_WORKING_DAYS) }];
      }
      case 'recently_closed':
        return [{ is: 'finished_since', date: addDays(today, -RECENTLY_CLOSED_DAYS) }];
    }
  }
}
