/**
 * Learning from complaints: lessons linked to the complaints that raised them,
 * and the actions taken on them — each with an owner, a due date and a status.
 *
 * An action's status moves by a small table (`ACTION_MOVES`): an open action is done or
 * cancelled; a done or cancelled one may be reopened, with a reason. An action is overdue
 * when it is open and its due date is before today (today is passed in).
 *
 * Each check returns every problem with what was entered (a form shows them all at once), as
 * DomainErrors whose `field` is the form field: empty when it would be accepted.
 */
import { type IsoDate, daysBetween } from '../calendar/iso-date.ts';
import { checkDate } from '../date-checks.ts';
import { DomainError } from '../errors.ts';
import type { Role } from '../users/roles.ts';

export const ACTION_STATUSES = ['open', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_STATUS_LABELS: Readonly<Record<ActionStatus, string>> = {
  open: 'Open',
  done: 'Done',
  cancelled: 'Cancelled',
};

export function isActionStatus(value: unknown): value is ActionStatus {
  return typeof value === 'string' && (ACTION_STATUSES as readonly string[]).includes(value);
}

/** Where an action came from: entered on a lesson, or a recommendation accepted at Stage 2 or 3. */
export const ACTION_SOURCES = ['lesson', 'stage2_recommendation', 'stage3_recommendation'] as const;
export type ActionSource = (typeof ACTION_SOURCES)[number];

export const ACTION_SOURCE_LABELS: Readonly<Record<ActionSource, string>> = {
  lesson: 'Lesson',
  stage2_recommendation: 'Stage 2 recommendation',
  stage3_recommendation: 'Stage 3 recommendation',
};

export function isActionSource(value: unknown): value is ActionSource {
  return typeof value === 'string' && (ACTION_SOURCES as readonly string[]).includes(value);
}

export const ACTION_MOVES = ['complete', 'cancel', 'reopen'] as const;
export type ActionMove = (typeof ACTION_MOVES)[number];

/** For each status and move, the status it leads to (absent: not allowed). */
const TRANSITIONS: Readonly<Record<ActionStatus, Partial<Record<ActionMove, ActionStatus>>>> = {
  open: { complete: 'done', cancel: 'cancelled' },
  done: { reopen: 'open' },
  cancelled: { reopen: 'open' },
};

const MOVE_REFUSALS: Readonly<Record<ActionMove, string>> = {
  complete: 'Only an open action can be marked as done',
  cancel: 'Only an open action can be cancelled',
  reopen: 'Only a done or cancelled action can be reopened',
};

/** The status `move` leads to from `status`, or `action_not_<status>` when the table does not allow it. */
export function nextActionStatus(status: string, move: ActionMove): ActionStatus {
  const next = isActionStatus(status) ? TRANSITIONS[status][move] : undefined;
  if (next === undefined) throw new DomainError(`action_not_${move === 'reopen' ? 'closed' : 'open'}`, MOVE_REFUSALS[move]);
  return next;
}

export function isOverdue(action: { readonly status: string; readonly dueOn: IsoDate }, today: IsoDate): boolean {
  return action.status === 'open' && action.dueOn < today;
}

/** Calendar days an open action is past its due date (0 when it is not overdue). */
export function daysOverdue(action: { readonly status: string; readonly dueOn: IsoDate }, today: IsoDate): number {
  return isOverdue(action, today) ? daysBetween(action.dueOn, today) : 0;
}

// ---- who sees what ----

/** Roles that see every lesson in full. */
export const FULL_LEARNING_READERS: readonly Role[] = ['complaints_officer', 'complaints_manager', 'senior_manager'];

/**
 * How a member of staff sees lessons: `all` — every lesson in full; `own` — only the lessons
 * about their team, with an action they own or raised by a complaint about their team or
 * answered by them (a responding manager); `figures` — every lesson, in full when it is their
 * own and otherwise without its text (a viewer); `none`.
 */
export type LearningScope = 'all' | 'own' | 'figures' | 'none';

export function learningScope(roles: readonly Role[]): LearningScope {
  if (roles.some((r) => FULL_LEARNING_READERS.includes(r))) return 'all';
  if (roles.includes('viewer')) return 'figures';
  if (roles.includes('responding_manager')) return 'own';
  return 'none';
}

/** Who keeps the learning log (adds and changes lessons and actions). */
export const LEARNING_KEEPER_ROLES: readonly Role[] = ['complaints_officer', 'complaints_manager'];

/** May `actor` mark the action done? Keepers always; otherwise only its owner. */
export function canCompleteAction(actor: { readonly userId: number; readonly roles: readonly Role[] }, action: { readonly ownerUserId: number | null }): boolean {
  return actor.roles.some((r) => LEARNING_KEEPER_ROLES.includes(r)) || (action.ownerUserId !== null && action.ownerUserId === actor.userId);
}

// ---- checks ----

const MAX_TITLE = 200;
const MAX_DESCRIPTION = 4_000;
const MAX_ACTION = 2_000;
const MAX_OWNER_NAME = 200;
const MAX_REASON = 1_000;

function checkText(problems: DomainError[], field: string, value: string, label: string, max: number, required = true): string | null {
  const text = value.trim();
  if (text === '') {
    if (required) problems.push(new DomainError(`missing_${field}`, `Enter ${label}`, field));
    return null;
  }
  if (text.length > max) problems.push(new DomainError(`${field}_too_long`, `${capitalise(label)} must be ${String(max)} characters or fewer`, field));
  return text;
}

export interface LessonInput {
  readonly title: string;
  readonly description: string;
  readonly identifiedOn: string;
}

export interface CheckedLesson {
  readonly title: string;
  readonly description: string;
  readonly identifiedOn: IsoDate;
}

/** A lesson: a title, what was learnt and the date it was identified (not in the future). */
export function lessonProblems(input: LessonInput, today: IsoDate): { problems: DomainError[]; lesson?: CheckedLesson } {
  const problems: DomainError[] = [];
  const title = checkText(problems, 'title', input.title, 'a title for the lesson', MAX_TITLE);
  const description = checkText(problems, 'description', input.description, 'what was learnt', MAX_DESCRIPTION);
  const identifiedOn = checkDate(problems, 'identified_on', input.identifiedOn, 'the date the lesson was identified', { today });
  if (problems.length > 0 || title === null || description === null || identifiedOn === undefined) return { problems };
  return { problems, lesson: { title, description, identifiedOn } };
}

export interface ActionInput {
  readonly description: string;
  readonly dueOn: string;
  readonly ownerUserId: number | null;
  readonly ownerName: string;
}

export interface CheckedAction {
  readonly description: string;
  readonly dueOn: IsoDate;
  readonly ownerUserId: number | null;
  readonly ownerName: string | null;
}

/**
 * An action on a lesson identified on `identifiedOn`: what is to be done, by whom (a user or
 * the name of someone without an account, not both) and by when (not before the lesson was
 * identified, unless `isDueBeforeIdentifiedAllowed`: a recommendation recorded late). An owner
 * is needed unless `isOwnerOptional` (a recommendation, whose owner is chosen later).
 */
export function actionProblems(
  input: ActionInput,
  identifiedOn: IsoDate,
  options: { isDueBeforeIdentifiedAllowed?: boolean; isOwnerOptional?: boolean } = {},
): { problems: DomainError[]; action?: CheckedAction } {
  const problems: DomainError[] = [];
  const description = checkText(problems, 'description', input.description, 'what is to be done', MAX_ACTION);
  const ownerName = checkText(problems, 'owner_name', input.ownerName, 'the name of the owner', MAX_OWNER_NAME, false);
  if (input.ownerUserId === null && ownerName === null) {
    if (options.isOwnerOptional !== true) problems.push(new DomainError('missing_owner', 'Select who owns the action, or enter the name of someone without an account', 'owner_user_id'));
  } else if (input.ownerUserId !== null && ownerName !== null) {
    problems.push(new DomainError('two_owners', 'Select an owner or enter a name, not both', 'owner_name'));
  }
  const dueOn = checkDate(
    problems,
    'due_on',
    input.dueOn,
    'the date the action is due',
    options.isDueBeforeIdentifiedAllowed === true ? {} : { notBefore: { date: identifiedOn, what: 'the date the lesson was identified' } },
  );
  if (problems.length > 0 || description === null || dueOn === undefined) return { problems };
  return { problems, action: { description, dueOn, ownerUserId: input.ownerUserId, ownerName } };
}

/** Marking an action done: on a real date, not in the future, not before the lesson was identified. */
export function completionProblems(doneOn: string, identifiedOn: IsoDate, today: IsoDate): DomainError[] {
  const problems: DomainError[] = [];
  checkDate(problems, 'done_on', doneOn, 'the date the action was done', { today, notBefore: { date: identifiedOn, what: 'the date the lesson was identified' } });
  return problems;
}

/** Cancelling or reopening an action needs a reason. */
export function reasonProblems(reason: string, move: 'cancel' | 'reopen'): DomainError[] {
  const problems: DomainError[] = [];
  checkText(problems, 'reason', reason, move === 'cancel' ? 'why the action is cancelled' : 'why the action is reopened', MAX_REASON);
  return problems;
}

/** Complaint references as typed: separated by commas, spaces or new lines, upper-cased, each once. */
export function caseReferencesOf(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((r) => r.trim().toUpperCase()).filter((r) => r !== ''))];
}

/** The title of the lesson recording a stage's accepted recommendations. */
export function recommendationsLessonTitle(stage: 2 | 3, caseReference: string): string {
  return stage === 2 ? `Recommendations of the Stage 2 investigation for ${caseReference}` : `Recommendations of the Stage 3 review panel for ${caseReference}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
