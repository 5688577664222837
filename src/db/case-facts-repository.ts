/**
 * The write side of a case at Stage 1: the facts the Stage 1 workflow reads (`CaseFacts`),
 * loaded from the representation, its clocks, decisions, offers and history, and the
 * writes an action makes. Runs inside the caller's transaction.
 *
 * Two facts have no column of their own and are read from the case's history: the date
 * more information was last asked for and the date the closure letter was sent (each
 * recorded in the `after` of its history entry). A third is read from it when its column is
 * empty: the status a withdrawn or closed case had before (`status_before_closure`, recorded
 * since re-opening came in; for a case ended before, or withdrawn at Stage 2 or 3, the last
 * history entry that moved it from another status to withdrawn or closed says it).
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, RepresentationTable } from './schema.ts';
import { ClockRepository, type StoredClock } from './clock-repository.ts';
import { REPRESENTATION_SUBJECT } from './representation-repository.ts';
import { STAGE1_CLOCK_KEYS } from '../domain/cases/stage1-clock.ts';
import { isProcedureKind } from '../domain/procedures/procedure-definitions.ts';
import type { ClockEvents } from '../domain/clocks/clock-engine.ts';
import type { CaseFacts } from '../domain/cases/stage1-workflow.ts';
import { type CaseStatus, isCaseStatus, isEndedStatus } from '../domain/cases/case-status.ts';
import { isAdvocacyOutcome } from '../domain/cases/advocacy.ts';
import { isEligibilityDecision, isEligibilityOutcome, type RecordedEligibilityDecision } from '../domain/cases/eligibility.ts';
import { isRepresentationKind } from '../domain/taxonomies/representation-kinds.ts';
import { isOneOf } from '../domain/taxonomies/code-list.ts';
import { COMPLAINANT_ROLES } from '../domain/taxonomies/complainant-roles.ts';

export type CaseClock = StoredClock;

/** A case as an action finds it: its row's key facts, its version and its clocks. */
export interface LoadedCase {
  readonly id: number;
  readonly reference: string;
  readonly version: number;
  readonly facts: CaseFacts;
  /** The representation's columns an action may change, as stored (for the history's before). */
  readonly columns: Readonly<Record<string, string | number | null>>;
  readonly clocks: readonly CaseClock[];
}

/** Representation columns an action may set. */
export interface CaseChanges {
  status?: string;
  stage?: number;
  kind?: string;
  responder_user_id?: number | null;
  acknowledged_on?: string | null;
  responded_on?: string | null;
  finding?: string | null;
  withdrawn_on?: string | null;
  closed_on?: string | null;
  status_before_closure?: string | null;
  complainant_role?: string | null;
  agency?: string | null;
  forwarded_on?: string | null;
  compliment_source?: string | null;
  has_consent_to_quote?: 0 | 1;
  reply?: string | null;
  has_parental_responsibility?: 0 | 1 | null;
  is_made_for_child?: 0 | 1 | null;
  has_proceedings?: 0 | 1 | null;
}

/** An eligibility decision as recorded: what the procedure asks for, with who decided and when. */
export interface EligibilityDecisionValues {
  kind: string;
  outcome: string;
  reason: string;
  decidedOn: string;
  decidedBy: number;
  childViews?: string | undefined;
  notifiedOn?: string | undefined;
  partsDeclined?: string | undefined;
}

export interface ResponderOption {
  readonly id: number;
  readonly name: string;
  readonly teamId: number | null;
  readonly teamName: string | null;
}

const undef = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
const flag = (value: 0 | 1 | null): boolean | undefined => (value === null ? undefined : value === 1);

/** The rules a Stage 1 clock started under, as its events record them. */
function stage1Rules(events: ClockEvents): Pick<ClockEvents, 'receiptRule' | 'maxPausedWorkingDays'> {
  const { receiptRule, maxPausedWorkingDays } = events;
  return { ...(receiptRule === undefined ? {} : { receiptRule }), ...(maxPausedWorkingDays === undefined ? {} : { maxPausedWorkingDays }) };
}

/** The representation's columns a case's facts are made from. */
export type FactColumns = Pick<
  Selectable<RepresentationTable>,
  | 'id'
  | 'reference'
  | 'version'
  | 'status'
  | 'kind'
  | 'received_on'
  | 'event_on'
  | 'team_id'
  | 'responder_user_id'
  | 'acknowledged_on'
  | 'responded_on'
  | 'finding'
  | 'withdrawn_on'
  | 'closed_on'
  | 'status_before_closure'
  | 'complainant_role'
  | 'agency'
  | 'forwarded_on'
  | 'compliment_source'
  | 'has_consent_to_quote'
  | 'reply'
  | 'has_parental_responsibility'
  | 'is_made_for_child'
  | 'has_proceedings'
>;

/** The rows besides the representation's that a case's facts are made from (more may be given: only those that matter are read). */
export interface FactRows {
  readonly clocks: readonly CaseClock[];
  /** Oldest first. */
  readonly decisions: readonly { readonly kind: string; readonly outcome: string; readonly decided_on: string }[];
  /** Oldest first; offers at other stages are passed over. */
  readonly offers: readonly { readonly offered_on: string; readonly outcome: string; readonly provider: string | null; readonly stage: number }[];
  /** Its history entries (at least those asking for information and sending the closure letter), in any order. */
  readonly history: readonly { readonly id: number; readonly action: string; readonly before?: string | null; readonly after: string | null }[];
  /** For a withdrawn or closed case without `status_before_closure`: the status its history says it had before (`statusBeforeClosureIn`). */
  readonly statusBeforeClosure: CaseStatus | undefined;
}

/**
 * A case as an action finds it, from rows already read (by `CaseFactsRepository.load`, or by
 * the case page, which reads them all anyway). Undefined for a status or kind the code does not know.
 */
export function loadedCaseOf(row: FactColumns, rows: FactRows): LoadedCase | undefined {
  if (!isCaseStatus(row.status) || !isRepresentationKind(row.kind)) return undefined;
  const clocks = [...rows.clocks].sort((a, b) => a.id - b.id);
  const stage1Key = isProcedureKind(row.kind) ? STAGE1_CLOCK_KEYS[row.kind] : undefined;
  const stage1 = clocks.find((c) => c.clockKey === stage1Key);
  const decisions: RecordedEligibilityDecision[] = [];
  for (const d of rows.decisions) {
    if (isEligibilityDecision(d.kind) && isEligibilityOutcome(d.outcome)) decisions.push({ decision: d.kind, outcome: d.outcome, decidedOn: d.decided_on });
  }
  const offer = rows.offers.filter((o) => o.stage === 1).at(-1);
  const dateFrom = (action: string, field: string): string | undefined => {
    const entry = rows.history.filter((h) => h.action === action).reduce<FactRows['history'][number] | undefined>((latest, h) => (latest === undefined || h.id > latest.id ? h : latest), undefined);
    if (entry?.after == null) return undefined;
    const value = (JSON.parse(entry.after) as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : undefined;
  };

  const facts: CaseFacts = {
    status: row.status,
    kind: row.kind,
    receivedOn: row.received_on,
    eventOn: undef(row.event_on),
    teamId: undef(row.team_id),
    responderUserId: undef(row.responder_user_id),
    acknowledgedOn: undef(row.acknowledged_on),
    respondedOn: undef(row.responded_on),
    withdrawnOn: undef(row.withdrawn_on),
    complainantRole: isOneOf(COMPLAINANT_ROLES, row.complainant_role) ? row.complainant_role : undefined,
    hasParentalResponsibility: flag(row.has_parental_responsibility),
    isMadeForChild: flag(row.is_made_for_child),
    hasProceedings: flag(row.has_proceedings),
    eligibilityDecisions: decisions,
    stage1Pauses: stage1?.events.pauses ?? [],
    stage1Extensions: stage1?.events.extensions ?? [],
    stage1Rules: stage1 === undefined ? undefined : stage1Rules(stage1.events),
    statusBeforeClosure: isEndedStatus(row.status) ? (isCaseStatus(row.status_before_closure) ? row.status_before_closure : rows.statusBeforeClosure) : undefined,
    informationRequestedOn: dateFrom('request_information', 'requested_on'),
    closureWarningSentOn: dateFrom('send_closure_warning', 'sent_on'),
    ...(offer !== undefined && isAdvocacyOutcome(offer.outcome) ? { advocacyOffer: { offeredOn: offer.offered_on, outcome: offer.outcome, provider: offer.provider ?? '' } } : {}),
  };
  // Repositories give absent values as undefined: drop the keys rather than hold undefined.
  const present = Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)) as unknown as CaseFacts;

  return {
    id: row.id,
    reference: row.reference,
    version: row.version,
    facts: present,
    columns: {
      status: row.status,
      kind: row.kind,
      responder_user_id: row.responder_user_id,
      acknowledged_on: row.acknowledged_on,
      responded_on: row.responded_on,
      finding: row.finding,
      withdrawn_on: row.withdrawn_on,
      closed_on: row.closed_on,
      status_before_closure: row.status_before_closure,
      complainant_role: row.complainant_role,
      agency: row.agency,
      forwarded_on: row.forwarded_on,
      compliment_source: row.compliment_source,
      has_consent_to_quote: row.has_consent_to_quote,
      reply: row.reply,
      has_parental_responsibility: row.has_parental_responsibility,
      is_made_for_child: row.is_made_for_child,
      has_proceedings: row.has_proceedings,
    },
    clocks,
  };
}

/**
 * The status before the last move from another status to withdrawn or closed, as these history
 * entries (the case's, or at least those with a `before`) record it.
 */
export function statusBeforeClosureIn(history: readonly { readonly id?: number; readonly before: string | null; readonly after: string | null }[]): CaseStatus | undefined {
  const statusIn = (json: string | null): unknown => {
    if (json === null) return undefined;
    try {
      const value: unknown = JSON.parse(json);
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>).status : undefined;
    } catch {
      return undefined;
    }
  };
  const newestFirst = history.every((h) => h.id !== undefined) ? [...history].sort((a, b) => (b.id ?? 0) - (a.id ?? 0)) : history;
  for (const row of newestFirst) {
    if (row.before === null) continue;
    const before = statusIn(row.before);
    if (isEndedStatus(statusIn(row.after)) && isCaseStatus(before) && !isEndedStatus(before)) return before;
  }
  return undefined;
}

export class CaseFactsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async load(reference: string): Promise<LoadedCase | undefined> {
    const row = await this.db.selectFrom('representation').selectAll().where('reference', '=', reference).executeTakeFirst();
    if (row === undefined || !isCaseStatus(row.status) || !isRepresentationKind(row.kind)) return undefined;
    const [clocks, decisions, offers, history] = await Promise.all([
      new ClockRepository(this.db).forSubject(REPRESENTATION_SUBJECT, row.id),
      this.db.selectFrom('eligibility_decision').select(['kind', 'outcome', 'decided_on']).where('representation_id', '=', row.id).orderBy('id').execute(),
      this.db.selectFrom('advocacy_offer').select(['offered_on', 'outcome', 'provider', 'stage']).where('representation_id', '=', row.id).where('stage', '=', 1).orderBy('id').execute(),
      this.db
        .selectFrom('history_entry')
        .select(['id', 'action', 'after'])
        .where('subject_type', '=', REPRESENTATION_SUBJECT)
        .where('subject_id', '=', row.id)
        .where('action', 'in', ['request_information', 'send_closure_warning'])
        .orderBy('id')
        .execute(),
    ]);
    const statusBeforeClosure = isEndedStatus(row.status) && !isCaseStatus(row.status_before_closure) ? await this.statusBeforeClosureFromHistory(row.id) : undefined;
    return loadedCaseOf(row, { clocks, decisions, offers, history, statusBeforeClosure });
  }

  /** The status before the last move from another status to withdrawn or closed, as the case's history recorded it. */
  private async statusBeforeClosureFromHistory(id: number): Promise<CaseStatus | undefined> {
    const rows = await this.db
      .selectFrom('history_entry')
      .select(['before', 'after'])
      .where('subject_type', '=', REPRESENTATION_SUBJECT)
      .where('subject_id', '=', id)
      .where('before', 'is not', null)
      .orderBy('id', 'desc')
      .execute();
    return statusBeforeClosureIn(rows);
  }

  /** Applies `changes` and moves the version on, if the case is still at `expectedVersion`; false if it changed meanwhile. */
  async update(id: number, expectedVersion: number, changes: CaseChanges, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('representation')
      .set({ ...changes, version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** New events and due date for a clock, if it is still at `expectedVersion`. */
  async updateClock(id: number, events: ClockEvents, dueOn: string, isOpen: boolean, expectedVersion: number, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('clock')
      .set({ events: JSON.stringify(events), due_on: dueOn, is_open: isOpen ? 1 : 0, version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Puts a clock under another procedure's definition (a reclassified case), if it is still at `expectedVersion`. */
  async redefineClock(id: number, procedureKind: string, events: ClockEvents, dueOn: string, isOpen: boolean, expectedVersion: number, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('clock')
      .set({ procedure_kind: procedureKind, started_on: events.startedOn, events: JSON.stringify(events), due_on: dueOn, is_open: isOpen ? 1 : 0, version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async addEligibilityDecision(id: number, values: EligibilityDecisionValues, now: string): Promise<void> {
    await this.db
      .insertInto('eligibility_decision')
      .values({
        representation_id: id,
        kind: values.kind,
        outcome: values.outcome,
        reason: values.reason,
        decided_on: values.decidedOn,
        decided_by: values.decidedBy,
        child_views: values.childViews ?? null,
        notified_on: values.notifiedOn ?? null,
        parts_declined: values.partsDeclined ?? null,
        created_at: now,
      })
      .execute();
  }

  async addAdvocacyOffer(id: number, values: { offeredOn: string; outcome: string; provider: string; recordedBy: number }, now: string): Promise<void> {
    await this.db
      .insertInto('advocacy_offer')
      .values({ representation_id: id, stage: 1, offered_on: values.offeredOn, outcome: values.outcome, provider: values.provider, recorded_by: values.recordedBy, created_at: now })
      .execute();
  }

  async addNote(id: number, body: string, userId: number, now: string): Promise<void> {
    await this.db.insertInto('case_note').values({ representation_id: id, body, user_id: userId, created_at: now }).execute();
  }

  /** A team's name, undefined when there is no such team. */
  async teamName(teamId: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('team').select('name').where('id', '=', teamId).executeTakeFirst();
    return row?.name;
  }

  /** Active users holding the responding manager role, by name. */
  async activeRespondingManagers(): Promise<ResponderOption[]> {
    const rows = await this.db
      .selectFrom('app_user')
      .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
      .leftJoin('team', 'team.id', 'app_user.team_id')
      .select(['app_user.id', 'app_user.name', 'app_user.team_id', 'team.name as team_name'])
      .where('user_role.role', '=', 'responding_manager')
      .where('app_user.is_active', '=', 1)
      .orderBy('app_user.name')
      .orderBy('app_user.id')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, teamId: r.team_id, teamName: r.team_name }));
  }

  async isActiveRespondingManager(userId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('app_user')
      .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
      .select('app_user.id')
      .where('app_user.id', '=', userId)
      .where('user_role.role', '=', 'responding_manager')
      .where('app_user.is_active', '=', 1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
