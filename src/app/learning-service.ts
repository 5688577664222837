/**
 * Learning from complaints: the learning log of lessons, the complaints that
 * raised them, and their actions (owner, due date, status), with the queue of overdue actions.
 *
 * Every change is one transaction with a version check (`stale_update`), a line in the
 * lesson's history (and in each complaint's, when a complaint is linked or unlinked) and an
 * audit event; every view of a lesson is audited. Nothing personal is written to the audit
 * details or the history summaries.
 *
 * Who sees what is `learningScope` (src/domain/learning/learning.ts): a lesson a member of
 * staff may not see answers as if it did not exist (`lesson_not_found`); a viewer sees the
 * figures of every lesson but not its text (`isTextShown`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { type ActionFilters, type ActionLine, type ActionRow, LearningRepository, type LessonFilterScope, type LessonRow, type LinkedComplaint, type LogFilters, type LogKey, type LogRow } from '../db/learning-repository.ts';
import { DomainError, InputProblems, refuseProblems } from '../domain/errors.ts';
import {
  type ActionInput,
  type ActionMove,
  type ActionSource,
  type LessonInput,
  actionProblems,
  canCompleteAction,
  caseReferencesOf,
  completionProblems,
  daysOverdue,
  isOverdue,
  learningScope,
  lessonProblems,
  nextActionStatus,
  reasonProblems,
  recommendationsLessonTitle,
} from '../domain/learning/learning.ts';
import { isComplaintKind, isRepresentationKind } from '../domain/taxonomies/representation-kinds.ts';
import type { Role } from '../domain/users/roles.ts';
import type { Clock } from './clock.ts';
import type { StaffActor } from './registration-service.ts';

export const LESSON_SUBJECT = 'lesson';
export const LEARNING_ACTION_SUBJECT = 'learning_action';

/** The most lessons the log shows, and actions a queue shows, at once. */
export const LOG_LIMIT = 500;
/** Lessons on one page of the learning log. */
export const LOG_PAGE_SIZE = 50;

/** The roles an action's owner may have (those who may read the learning log). */
export const OWNER_ROLES: readonly Role[] = ['complaints_officer', 'complaints_manager', 'senior_manager', 'responding_manager'];

export interface LogEntry extends LogRow {
  readonly complaints: readonly string[];
  /** False for a viewer looking at a lesson that is not their own: show its figures only. */
  readonly isTextShown: boolean;
}

export interface QueueEntry extends ActionLine {
  readonly daysOverdue: number;
  readonly isOverdue: boolean;
  readonly isTextShown: boolean;
}

export interface LessonActionView {
  readonly id: number;
  readonly description: string;
  readonly ownerUserId: number | null;
  readonly ownerName: string | null;
  readonly dueOn: string;
  readonly status: string;
  readonly doneOn: string | null;
  readonly cancelledReason: string | null;
  readonly source: string;
  readonly version: number;
  readonly isOverdue: boolean;
  readonly daysOverdue: number;
  /** May the member of staff looking mark it done (a keeper, or its owner)? */
  readonly canComplete: boolean;
}

export interface LessonView {
  readonly lesson: LessonRow & { team_name: string | null };
  readonly complaints: readonly LinkedComplaint[];
  readonly actions: readonly LessonActionView[];
  readonly isTextShown: boolean;
}

export interface NewLessonInput extends LessonInput {
  readonly teamId: number | null;
  /** Complaint references as typed (commas, spaces or new lines between them). */
  readonly caseReferences: string;
}

export interface RecommendationsRequest {
  readonly representationId: number;
  readonly stage: 2 | 3;
  readonly recommendations: readonly { readonly text: string; readonly dueOn: string; readonly ownerUserId?: number; readonly ownerName?: string }[];
  readonly actorUserId: number;
  /** Today; the lesson's date only when the case has no decision date recorded (see `recordRecommendations`). */
  readonly today: string;
}

export interface LearningSummary {
  /** Actions whose lesson was identified in the period. */
  readonly total: number;
  readonly open: number;
  readonly done: number;
  readonly cancelled: number;
  /** Open and due before `asAt`. */
  readonly overdue: number;
  readonly asAt: string;
}

export class LearningService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** The learning log, newest first, filtered; only the lessons the actor may see. */
  async log(filters: LogFilters & { isOverdueOnly?: boolean }, actor: StaffActor): Promise<LogEntry[]> {
    const today = this.today();
    const { scope, own } = this.scopeOf(actor);
    const repository = new LearningRepository(this.db);
    const rows = await repository.log(
      { ...(filters.status === undefined ? {} : { status: filters.status }), ...(filters.teamId === undefined ? {} : { teamId: filters.teamId }), ...(filters.isOverdueOnly === true ? { overdueAsAt: today } : {}) },
      scope,
      own,
      today,
      LOG_LIMIT,
    );
    // Restricted cases: their references are left out for someone excluded from them.
    const complaints = await repository.complaintsOf(
      rows.map((r) => r.id),
      actor,
    );
    return rows.map((r) => ({ ...r, complaints: complaints.get(r.id) ?? [], isTextShown: own === undefined || r.isOwn }));
  }

  /**
   * A page of the learning log, newest first (at most `LOG_PAGE_SIZE` lessons), found by its
   * place in the order (`after` or `before` a neighbouring lesson's key) and without counting
   * the whole log; only the lessons the actor may see. `next` and `previous` are the keys the
   * neighbouring pages start from.
   */
  async logPage(
    filters: LogFilters & { isOverdueOnly?: boolean },
    actor: StaffActor,
    page: { readonly after?: LogKey | undefined; readonly before?: LogKey | undefined } = {},
  ): Promise<{ entries: LogEntry[]; next: LogKey | undefined; previous: LogKey | undefined }> {
    const today = this.today();
    const { scope, own } = this.scopeOf(actor);
    const repository = new LearningRepository(this.db);
    const { after, before } = page;
    const { rows, hasMore } = await repository.logPage(
      { ...(filters.status === undefined ? {} : { status: filters.status }), ...(filters.teamId === undefined ? {} : { teamId: filters.teamId }), ...(filters.isOverdueOnly === true ? { overdueAsAt: today } : {}) },
      scope,
      own,
      today,
      { limit: LOG_PAGE_SIZE, after, before },
    );
    // Restricted cases: their references are left out for someone excluded from them.
    const complaints = await repository.complaintsOf(
      rows.map((r) => r.id),
      actor,
    );
    const isBackwards = after === undefined && before !== undefined;
    const hasNext = isBackwards ? true : hasMore;
    const hasPrevious = isBackwards ? hasMore : after !== undefined;
    const first = rows[0];
    const last = rows.at(-1);
    const keyOf = (row: LogRow): LogKey => ({ identifiedOn: row.identifiedOn, id: row.id });
    return {
      entries: rows.map((r) => ({ ...r, complaints: complaints.get(r.id) ?? [], isTextShown: own === undefined || r.isOwn })),
      next: hasNext && last !== undefined ? keyOf(last) : undefined,
      previous: hasPrevious && first !== undefined ? keyOf(first) : undefined,
    };
  }

  /** Open actions past their due date as at today, oldest first (or every action with `status`). */
  async actionQueue(options: { isOverdueOnly: boolean; status?: string }, actor: StaffActor): Promise<QueueEntry[]> {
    const filters = { overdueBefore: options.isOverdueOnly ? this.today() : undefined, status: options.status };
    return (await this.actionList(filters, actor)).entries;
  }

  /**
   * The actions behind a figure of the annual report's "Learning actions by status": those of
   * the lessons identified in a range, with a status, or open and due before a date (overdue
   * as at it) — as many as the actor may see, the first `LOG_LIMIT` by due date, and how many in all.
   */
  async actionList(filters: ActionFilters, actor: StaffActor): Promise<{ entries: QueueEntry[]; total: number }> {
    const today = this.today();
    const { scope, own } = this.scopeOf(actor);
    const repository = new LearningRepository(this.db);
    const [rows, total] = await Promise.all([repository.actions(filters, scope, own, LOG_LIMIT), repository.countActions(filters, scope)]);
    return { entries: rows.map((r) => ({ ...r, isOverdue: isOverdue(r, today), daysOverdue: daysOverdue(r, today), isTextShown: own === undefined || r.isOwn })), total };
  }

  /** The lessons raised by a complaint, for its case page. */
  async forRepresentation(representationId: number): Promise<{ id: number; title: string; identifiedOn: string; open: number; overdue: number }[]> {
    return new LearningRepository(this.db).forRepresentation(representationId, this.today());
  }

  /** A lesson with its complaints and actions (audited as a view), or `lesson_not_found`. */
  async view(id: number, actor: StaffActor): Promise<LessonView> {
    const repository = new LearningRepository(this.db);
    const { lesson, isTextShown } = await this.visibleLesson(repository, id, actor);
    const today = this.today();
    const [complaints, actions] = await Promise.all([repository.complaints(id, actor), repository.lessonActions(id)]);
    await new AuditRepository(this.db).record({ ...actor, action: 'lesson_viewed', entityType: LESSON_SUBJECT, entityId: String(id) }, this.clock().toISOString());
    return {
      lesson,
      complaints,
      isTextShown,
      actions: actions.map((a) => ({
        id: a.id,
        description: a.description,
        ownerUserId: a.owner_user_id,
        ownerName: a.owner_user_name ?? a.owner_name,
        dueOn: a.due_on,
        status: a.status,
        doneOn: a.done_on,
        cancelledReason: a.cancelled_reason,
        source: a.source,
        version: a.version,
        isOverdue: isOverdue({ status: a.status, dueOn: a.due_on }, today),
        daysOverdue: daysOverdue({ status: a.status, dueOn: a.due_on }, today),
        canComplete: a.status === 'open' && canCompleteAction(actor, { ownerUserId: a.owner_user_id }),
      })),
    };
  }

  /** An action and its lesson's id, or `action_not_found` (also when the actor may not see its lesson). */
  async action(id: number, actor: StaffActor): Promise<ActionRow & { isTextShown: boolean }> {
    const repository = new LearningRepository(this.db);
    const action = await repository.findAction(id);
    if (action === undefined) throw actionNotFound();
    try {
      const { isTextShown } = await this.visibleLesson(repository, action.lesson_id, actor);
      return { ...action, isTextShown };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'lesson_not_found') throw actionNotFound();
      throw error;
    }
  }

  /** Who may be chosen as an action's owner. */
  async possibleOwners(): Promise<{ id: number; name: string }[]> {
    return new LearningRepository(this.db).possibleOwners(OWNER_ROLES);
  }

  /** Records a lesson raised by the complaints `caseReferences` (at least one); returns its id. */
  async create(input: NewLessonInput, actor: StaffActor): Promise<number> {
    const now = this.clock().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const { problems, lesson } = lessonProblems(input, now.slice(0, 10));
      const complaints = await this.complaintsFor(trx, input.caseReferences, problems);
      await this.checkTeam(trx, input.teamId, problems);
      refuseProblems(problems);
      if (lesson === undefined) throw new Error('a lesson without problems must be checked');
      const repository = new LearningRepository(trx);
      const id = await repository.create({ ...lesson, teamId: input.teamId, createdBy: actor.userId }, now);
      for (const complaint of complaints) await repository.link(id, complaint.id, now);
      await this.logLesson(trx, actor, id, { action: 'lesson_recorded', summary: 'Lesson recorded', after: { identified_on: lesson.identifiedOn, team_id: input.teamId, complaints: complaints.map((c) => c.reference) } }, now);
      for (const complaint of complaints) await this.logComplaint(trx, actor, complaint.id, id, 'lesson_linked', now);
      return id;
    });
  }

  /** Changes a lesson's title, text, date or team. */
  async update(id: number, input: LessonInput & { teamId: number | null }, actor: StaffActor, version: number): Promise<void> {
    await this.changeLesson(id, version, actor, async (trx, lesson, now) => {
      const { problems, lesson: checked } = lessonProblems(input, now.slice(0, 10));
      await this.checkTeam(trx, input.teamId, problems);
      if (checked !== undefined) {
        const earliestDue = (await new LearningRepository(trx).lessonActions(id)).filter((a) => a.source === 'lesson').map((a) => a.due_on).sort()[0];
        if (earliestDue !== undefined && checked.identifiedOn > earliestDue) {
          problems.push(new DomainError('identified_after_due', 'The date the lesson was identified must be on or before the date its first action is due', 'identified_on'));
        }
      }
      refuseProblems(problems);
      if (checked === undefined) throw new Error('a lesson without problems must be checked');
      const before = { identified_on: lesson.identified_on, team_id: lesson.team_id };
      return {
        changes: { title: checked.title, description: checked.description, identified_on: checked.identifiedOn, team_id: input.teamId },
        action: 'lesson_changed',
        summary: 'Lesson changed',
        before,
        after: { identified_on: checked.identifiedOn, team_id: input.teamId },
      };
    });
  }

  /** Links the complaint `caseReference` to the lesson. */
  async link(id: number, caseReference: string, actor: StaffActor, version: number): Promise<void> {
    await this.changeLesson(id, version, actor, async (trx, _lesson, now) => {
      const problems: DomainError[] = [];
      const [complaint] = await this.complaintsFor(trx, caseReference, problems);
      refuseProblems(problems);
      if (complaint === undefined) throw new Error('a complaint without problems must be found');
      const repository = new LearningRepository(trx);
      if ((await repository.complaints(id)).some((c) => c.representationId === complaint.id)) {
        refuseProblems([new DomainError('already_linked', `${complaint.reference} is already linked to this lesson`, 'case_reference')]);
      }
      await repository.link(id, complaint.id, now);
      await this.logComplaint(trx, actor, complaint.id, id, 'lesson_linked', now);
      return { changes: {}, action: 'lesson_complaint_linked', summary: 'Complaint linked to the lesson', after: { complaint: complaint.reference } };
    });
  }

  /** Unlinks a complaint from the lesson; a lesson keeps at least one. */
  async unlink(id: number, representationId: number, actor: StaffActor, version: number): Promise<void> {
    await this.changeLesson(id, version, actor, async (trx, _lesson, now) => {
      const repository = new LearningRepository(trx);
      const complaints = await repository.complaints(id);
      const complaint = complaints.find((c) => c.representationId === representationId);
      if (complaint === undefined) throw new DomainError('complaint_not_linked', 'That complaint is not linked to this lesson', 'case_reference');
      if (complaints.length === 1) throw new DomainError('last_complaint', 'A lesson must stay linked to at least one complaint: link another before removing this one', 'case_reference');
      await repository.unlink(id, representationId);
      await this.logComplaint(trx, actor, representationId, id, 'lesson_unlinked', now);
      return { changes: {}, action: 'lesson_complaint_unlinked', summary: 'Complaint unlinked from the lesson', after: { complaint: complaint.reference } };
    });
  }

  /** Adds an action to a lesson; returns its id. */
  async addAction(lessonId: number, input: ActionInput, actor: StaffActor): Promise<number> {
    const now = this.clock().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const repository = new LearningRepository(trx);
      const lesson = await repository.find(lessonId);
      if (lesson === undefined) throw lessonNotFound();
      const { problems, action } = actionProblems(input, lesson.identified_on);
      await this.checkOwner(repository, input.ownerUserId, problems);
      refuseProblems(problems);
      if (action === undefined) throw new Error('an action without problems must be checked');
      const id = await repository.addAction({ lessonId, ...action, source: 'lesson', createdBy: actor.userId }, now);
      await this.logAction(trx, actor, lessonId, id, { action: 'learning_action_added', summary: 'Action added', after: { due_on: action.dueOn, owner_user_id: action.ownerUserId } }, now);
      return id;
    });
  }

  /** Changes what an open action is, who owns it and when it is due. */
  async editAction(actionId: number, input: ActionInput, actor: StaffActor, version: number): Promise<void> {
    await this.changeAction(actionId, version, actor, async (repository, action, lesson) => {
      if (action.status !== 'open') throw new DomainError('action_not_open', 'Only an open action can be changed: reopen it first');
      const { problems, action: checked } = actionProblems(input, lesson.identified_on, { isDueBeforeIdentifiedAllowed: action.source !== 'lesson', isOwnerOptional: action.source !== 'lesson' });
      await this.checkOwner(repository, input.ownerUserId, problems);
      refuseProblems(problems);
      if (checked === undefined) throw new Error('an action without problems must be checked');
      return {
        changes: { description: checked.description, due_on: checked.dueOn, owner_user_id: checked.ownerUserId, owner_name: checked.ownerName },
        action: 'learning_action_changed',
        summary: 'Action changed',
        before: { due_on: action.due_on, owner_user_id: action.owner_user_id },
        after: { due_on: checked.dueOn, owner_user_id: checked.ownerUserId },
      };
    });
  }

  /** Marks an action done on `doneOn` (by a keeper, or its owner). */
  async completeAction(actionId: number, doneOn: string, actor: StaffActor, version: number): Promise<void> {
    await this.changeAction(actionId, version, actor, (_repository, action, lesson, now) => {
      if (!canCompleteAction(actor, { ownerUserId: action.owner_user_id })) throw new DomainError('forbidden', 'Only the action’s owner or the complaints team can mark it as done');
      const status = nextActionStatus(action.status, 'complete');
      refuseProblems(completionProblems(doneOn, lesson.identified_on, now.slice(0, 10)));
      return Promise.resolve({ changes: { status, done_on: doneOn }, action: 'learning_action_done', summary: 'Action done', before: { status: action.status }, after: { status, done_on: doneOn } });
    });
  }

  /** Cancels an open action, or reopens a done or cancelled one, with a reason. */
  async moveAction(actionId: number, move: Exclude<ActionMove, 'complete'>, reason: string, actor: StaffActor, version: number): Promise<void> {
    await this.changeAction(actionId, version, actor, (_repository, action) => {
      if (!this.isKeeper(actor)) throw new DomainError('forbidden', 'Only the complaints team can cancel or reopen an action');
      const status = nextActionStatus(action.status, move);
      refuseProblems(reasonProblems(reason, move));
      return Promise.resolve(
        move === 'cancel'
          ? { changes: { status, cancelled_reason: reason.trim() }, action: 'learning_action_cancelled', summary: 'Action cancelled', before: { status: action.status }, after: { status } }
          : { changes: { status, done_on: null, cancelled_reason: null }, action: 'learning_action_reopened', summary: 'Action reopened', before: { status: action.status, done_on: action.done_on }, after: { status }, reason: reason.trim() },
      );
    });
  }

  /**
   * Records the recommendations a Stage 2 or Stage 3 response accepts, inside the caller's
   * transaction: one lesson for that complaint and stage (the same one again if it already
   * exists), linked to the complaint, with one action a recommendation. An action may be due
   * before today when the response is recorded late.
   *
   * The lesson is identified on the date of the decision recorded on the case — the Stage 2
   * adjudication or the council's response to the panel — not on the day it was typed in, so
   * it counts in the report year of the decision. Call it after the step has recorded that
   * date; `request.today` stands in only when no decision date is recorded.
   */
  async recordRecommendations(trx: Kysely<Database>, request: RecommendationsRequest): Promise<number> {
    const now = this.clock().toISOString();
    const source: ActionSource = request.stage === 2 ? 'stage2_recommendation' : 'stage3_recommendation';
    const representation = await trx.selectFrom('representation').select(['id', 'reference', 'team_id']).where('id', '=', request.representationId).executeTakeFirst();
    if (representation === undefined) throw new DomainError('case_not_found', 'There is no such complaint');
    const repository = new LearningRepository(trx);
    const identifiedOn = (await repository.decisionDate(representation.id, request.stage)) ?? request.today;
    const checked = request.recommendations.map((r, index) => {
      const { problems, action } = actionProblems(
        { description: r.text, dueOn: r.dueOn, ownerUserId: r.ownerUserId ?? null, ownerName: r.ownerName ?? '' },
        identifiedOn,
        { isDueBeforeIdentifiedAllowed: true, isOwnerOptional: true },
      );
      if (action === undefined) throw new InputProblems(problems.map((p) => new DomainError(p.code, `Recommendation ${String(index + 1)}: ${p.message}`, 'recommendations')));
      return action;
    });
    if (checked.length === 0) return (await repository.recommendationsLesson(representation.id, source))?.id ?? 0;
    const actor = { userId: request.actorUserId, ip: null, requestId: null };
    let lessonId = (await repository.recommendationsLesson(representation.id, source))?.id;
    if (lessonId === undefined) {
      const title = recommendationsLessonTitle(request.stage, representation.reference);
      lessonId = await repository.create(
        { title, description: `The recommendations the council accepted at Stage ${String(request.stage)} of complaint ${representation.reference}.`, identifiedOn, teamId: representation.team_id, createdBy: request.actorUserId },
        now,
      );
      await repository.link(lessonId, representation.id, now);
      await this.logLesson(trx, actor, lessonId, { action: 'lesson_recorded', summary: `Lesson recorded from the Stage ${String(request.stage)} recommendations`, after: { identified_on: identifiedOn, complaints: [representation.reference] } }, now);
      await this.logComplaint(trx, actor, representation.id, lessonId, 'lesson_linked', now);
    }
    for (const action of checked) {
      const id = await repository.addAction({ lessonId, ...action, source, createdBy: request.actorUserId }, now);
      await this.logAction(trx, actor, lessonId, id, { action: 'learning_action_added', summary: `Action added from a Stage ${String(request.stage)} recommendation`, after: { due_on: action.dueOn, source } }, now);
    }
    return lessonId;
  }

  /**
   * Learning actions by status for the annual report: the actions of the lessons identified
   * from `from` to `to` (inclusive), with those open and due before `asAt` (default: today)
   * counted as overdue as well. Computed in SQL.
   */
  async summaryForYear(from: string, to: string, asAt: string = this.today()): Promise<LearningSummary> {
    return { ...(await new LearningRepository(this.db).summary(from, to, asAt)), asAt };
  }

  // ---- inside ----

  private isKeeper(actor: StaffActor): boolean {
    return actor.roles.includes('complaints_officer') || actor.roles.includes('complaints_manager');
  }

  /** The query scope for the actor, and whose lessons count as their own when only some are shown in full. */
  private scopeOf(actor: StaffActor): { scope: LessonFilterScope; own: { userId: number; teamId: number | null } | undefined } {
    const own = { userId: actor.userId, teamId: actor.teamId };
    switch (learningScope(actor.roles)) {
      case 'all':
        return { scope: { kind: 'all' }, own: undefined };
      case 'figures':
        return { scope: { kind: 'all' }, own };
      case 'own':
        return { scope: { kind: 'own', ...own }, own: undefined };
      case 'none':
        throw new DomainError('forbidden', 'You do not have access to the learning log');
    }
  }

  private async visibleLesson(repository: LearningRepository, id: number, actor: StaffActor): Promise<{ lesson: LessonRow & { team_name: string | null }; isTextShown: boolean }> {
    const lesson = await repository.find(id);
    if (lesson === undefined) throw lessonNotFound();
    const scope = learningScope(actor.roles);
    if (scope === 'all') return { lesson, isTextShown: true };
    if (scope === 'none') throw lessonNotFound();
    const isOwn = await repository.isOwn(id, actor.userId, actor.teamId);
    if (scope === 'own' && !isOwn) throw lessonNotFound();
    return { lesson, isTextShown: isOwn };
  }

  /** The complaints named in `text` (each must be a complaint): problems are added for the field `case_reference`. */
  private async complaintsFor(trx: Kysely<Database>, text: string, problems: DomainError[]): Promise<{ id: number; reference: string }[]> {
    const references = caseReferencesOf(text);
    if (references.length === 0) {
      problems.push(new DomainError('missing_case_reference', 'Enter the reference of a complaint, for example CSC-2026-0042', 'case_reference'));
      return [];
    }
    if (references.length > 50) {
      problems.push(new DomainError('too_many_case_references', 'Enter 50 complaint references or fewer', 'case_reference'));
      return [];
    }
    const rows = await trx.selectFrom('representation').select(['id', 'reference', 'kind']).where('reference', 'in', references).execute();
    const found = rows.filter((r) => isRepresentationKind(r.kind) && isComplaintKind(r.kind));
    const missing = references.filter((ref) => !found.some((r) => r.reference === ref));
    if (missing.length > 0) {
      problems.push(new DomainError('case_not_found', `There is no complaint ${missing.join(', ')}: enter the reference of a complaint, for example CSC-2026-0042`, 'case_reference'));
    }
    return found.map((r) => ({ id: r.id, reference: r.reference }));
  }

  private async checkTeam(trx: Kysely<Database>, teamId: number | null, problems: DomainError[]): Promise<void> {
    if (teamId === null) return;
    const team = await trx.selectFrom('team').select('id').where('id', '=', teamId).executeTakeFirst();
    if (team === undefined) problems.push(new DomainError('team_not_found', 'Select a team from the list', 'team_id'));
  }

  private async checkOwner(repository: LearningRepository, ownerUserId: number | null, problems: DomainError[]): Promise<void> {
    if (ownerUserId !== null && !(await repository.isActiveUser(ownerUserId))) problems.push(new DomainError('owner_not_found', 'Select an owner from the list', 'owner_user_id'));
  }

  /** Loads the lesson, lets `work` check and write, then moves its version on and logs it — all in one transaction. */
  private async changeLesson(
    id: number,
    version: number,
    actor: StaffActor,
    work: (
      trx: Kysely<Database>,
      lesson: LessonRow,
      now: string,
    ) => Promise<{ changes: Parameters<LearningRepository['update']>[2]; action: string; summary: string; before?: Record<string, unknown>; after: Record<string, unknown> }>,
  ): Promise<void> {
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const repository = new LearningRepository(trx);
      const lesson = await repository.find(id);
      if (lesson === undefined) throw lessonNotFound();
      if (lesson.version !== version) throw staleUpdate('lesson');
      const done = await work(trx, lesson, now);
      if (!(await repository.update(id, version, done.changes, now))) throw staleUpdate('lesson');
      await this.logLesson(trx, actor, id, { action: done.action, summary: done.summary, ...(done.before === undefined ? {} : { before: done.before }), after: done.after }, now);
    });
  }

  /** Loads the action and its lesson, lets `work` check, then writes the change with the action's version check and logs it. */
  private async changeAction(
    id: number,
    version: number,
    actor: StaffActor,
    work: (
      repository: LearningRepository,
      action: ActionRow,
      lesson: LessonRow,
      now: string,
    ) => Promise<{ changes: Parameters<LearningRepository['updateAction']>[2]; action: string; summary: string; before: Record<string, unknown>; after: Record<string, unknown>; reason?: string }>,
  ): Promise<void> {
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const repository = new LearningRepository(trx);
      const action = await repository.findAction(id);
      if (action === undefined) throw actionNotFound();
      let lesson: LessonRow;
      try {
        ({ lesson } = await this.visibleLesson(repository, action.lesson_id, actor));
      } catch (error) {
        if (error instanceof DomainError && error.code === 'lesson_not_found') throw actionNotFound();
        throw error;
      }
      if (action.version !== version) throw staleUpdate('action');
      const done = await work(repository, action, lesson, now);
      if (!(await repository.updateAction(id, version, done.changes, now))) throw staleUpdate('action');
      await this.logAction(trx, actor, lesson.id, id, { action: done.action, summary: done.summary, before: done.before, after: { ...done.after, ...(done.reason === undefined ? {} : { reason: done.reason }) } }, now);
    });
  }

  /** A line in the lesson's history and an audit event. */
  private async logLesson(
    trx: Kysely<Database>,
    actor: { userId: number; ip: string | null; requestId: string | null },
    lessonId: number,
    entry: { action: string; summary: string; before?: Record<string, unknown>; after: Record<string, unknown> },
    now: string,
  ): Promise<void> {
    await new HistoryRepository(trx).add({ subjectType: LESSON_SUBJECT, subjectId: lessonId, userId: actor.userId, ...entry }, now);
    await new AuditRepository(trx).record({ ...actor, action: entry.action, entityType: LESSON_SUBJECT, entityId: String(lessonId) }, now);
  }

  /** A line in the lesson's history about one of its actions, and an audit event for the action. */
  private async logAction(
    trx: Kysely<Database>,
    actor: { userId: number; ip: string | null; requestId: string | null },
    lessonId: number,
    actionId: number,
    entry: { action: string; summary: string; before?: Record<string, unknown>; after: Record<string, unknown> },
    now: string,
  ): Promise<void> {
    await new HistoryRepository(trx).add({ subjectType: LESSON_SUBJECT, subjectId: lessonId, userId: actor.userId, ...entry, after: { action_id: actionId, ...entry.after } }, now);
    await new AuditRepository(trx).record({ ...actor, action: entry.action, entityType: LEARNING_ACTION_SUBJECT, entityId: String(actionId), details: { lesson_id: lessonId } }, now);
  }

  /** A line in a complaint's timeline when a lesson is linked to it or unlinked. */
  private async logComplaint(
    trx: Kysely<Database>,
    actor: { userId: number },
    representationId: number,
    lessonId: number,
    action: 'lesson_linked' | 'lesson_unlinked',
    now: string,
  ): Promise<void> {
    await new HistoryRepository(trx).add(
      { subjectType: REPRESENTATION_SUBJECT, subjectId: representationId, userId: actor.userId, action, summary: action === 'lesson_linked' ? 'Linked to a lesson learnt' : 'Unlinked from a lesson learnt', after: { lesson_id: lessonId } },
      now,
    );
  }

  private today(): string {
    return this.clock().toISOString().slice(0, 10);
  }
}

function lessonNotFound(): DomainError {
  return new DomainError('lesson_not_found', 'There is no such lesson');
}

function actionNotFound(): DomainError {
  return new DomainError('action_not_found', 'There is no such action');
}

function staleUpdate(what: 'lesson' | 'action'): DomainError {
  return new DomainError('stale_update', `Someone else changed this ${what} while you were working on it. Check it, then save your answers again.`);
}
