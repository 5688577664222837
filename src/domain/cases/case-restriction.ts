/**
 * Restricted cases. A complaint about a member of staff can exclude named users, or every
 * member of a named team, from the case: to them it does not exist — not on its page, in
 * letters, files, the API, queues, search, exports or a report's list of records. The rule is
 * here, once; the services ask it for one case (src/app/case-query-service.ts,
 * `caseVisibility`) and the lists apply the same rule in SQL (src/db/case-restriction-repository.ts).
 */
import { DomainError } from '../errors.ts';
import type { Role } from '../users/roles.ts';

/** Who manages a case's restrictions. */
export const RESTRICTION_KEEPERS: readonly Role[] = ['complaints_manager', 'information_governance'];

/** One exclusion: a user, or a team (every member of it). Exactly one of the two is set. */
export interface CaseRestriction {
  readonly userId: number | null;
  readonly teamId: number | null;
}

/** A member of staff as the rule sees them: who they are and their team. */
export interface RestrictedPerson {
  readonly userId: number;
  readonly teamId: number | null;
}

export const RESTRICTION_REASON_MAX = 1000;

/** Whether the restrictions exclude the person: named themselves, or a member of a named team. */
export function isExcluded(person: RestrictedPerson, restrictions: readonly CaseRestriction[]): boolean {
  return restrictions.some((r) => (r.userId !== null && r.userId === person.userId) || (r.teamId !== null && person.teamId !== null && r.teamId === person.teamId));
}

/** What a request to add restrictions asks for. */
export interface RestrictionRequest {
  readonly userIds: readonly number[];
  readonly teamIds: readonly number[];
  readonly reason: string;
}

/** What the rule must know of the case and the people to check a request. */
export interface RestrictionContext {
  /** Who is adding the restrictions. */
  readonly actor: RestrictedPerson;
  /** The case's responding manager now, and their team; null when none is allocated. */
  readonly responder: RestrictedPerson | null;
  readonly existing: readonly CaseRestriction[];
  /** The users and teams that may be chosen (active staff, teams): anything else is refused. */
  readonly knownUserIds: ReadonlySet<number>;
  readonly knownTeamIds: ReadonlySet<number>;
}

/**
 * The problems with adding these restrictions, each with the form field it is about (`users`,
 * `teams`, `reason`); none when it may go ahead. Refused: no one chosen, no reason, someone
 * or a team that is not known, the person adding it (or their own team: they would lose the
 * case as they restrict it), and the case's responding manager (or their team) — they must be
 * re-allocated first, so that the case is never left with a responder who cannot open it.
 * Those already excluded are not a problem: they are left as they are.
 */
export function restrictionProblems(request: RestrictionRequest, context: RestrictionContext): DomainError[] {
  const problems: DomainError[] = [];
  const { actor, responder } = context;
  if (request.userIds.length === 0 && request.teamIds.length === 0) {
    problems.push(new DomainError('restriction_nobody_chosen', 'Select the staff or teams to exclude from this case', 'users'));
  }
  if (request.userIds.some((id) => !context.knownUserIds.has(id))) {
    problems.push(new DomainError('restriction_unknown_user', 'Select staff from the list', 'users'));
  } else if (request.userIds.includes(actor.userId)) {
    problems.push(new DomainError('restriction_of_self', 'You cannot exclude yourself from a case', 'users'));
  } else if (responder !== null && request.userIds.includes(responder.userId)) {
    problems.push(
      new DomainError('restriction_of_responder', 'The case’s responding manager cannot be excluded: allocate the case to another responding manager first', 'users'),
    );
  }
  if (request.teamIds.some((id) => !context.knownTeamIds.has(id))) {
    problems.push(new DomainError('restriction_unknown_team', 'Select teams from the list', 'teams'));
  } else if (actor.teamId !== null && request.teamIds.includes(actor.teamId)) {
    problems.push(new DomainError('restriction_of_own_team', 'You cannot exclude your own team from a case', 'teams'));
  } else if (responder?.teamId != null && request.teamIds.includes(responder.teamId)) {
    problems.push(
      new DomainError(
        'restriction_of_responder',
        'The team of the case’s responding manager cannot be excluded: allocate the case to another responding manager first',
        'teams',
      ),
    );
  }
  const reason = request.reason.trim();
  if (reason === '') problems.push(new DomainError('restriction_reason_required', 'Enter why these staff must not see the case', 'reason'));
  else if (reason.length > RESTRICTION_REASON_MAX) problems.push(new DomainError('restriction_reason_too_long', `The reason must be ${String(RESTRICTION_REASON_MAX)} characters or fewer`, 'reason'));
  return problems;
}

/** The restrictions a request adds: those not already in force (none twice). */
export function newRestrictions(request: RestrictionRequest, existing: readonly CaseRestriction[]): CaseRestriction[] {
  const users = [...new Set(request.userIds)].filter((id) => !existing.some((r) => r.userId === id));
  const teams = [...new Set(request.teamIds)].filter((id) => !existing.some((r) => r.teamId === id));
  return [...users.map((userId) => ({ userId, teamId: null })), ...teams.map((teamId) => ({ userId: null, teamId }))];
}

/** The case history's words for a change: counts only, never names (the history is read by others). */
export function restrictionHistorySummary(change: 'added' | 'removed', restrictions: readonly CaseRestriction[]): string {
  const staff = restrictions.filter((r) => r.userId !== null).length;
  const teams = restrictions.filter((r) => r.teamId !== null).length;
  const parts = [
    ...(staff > 0 ? [`${String(staff)} ${staff === 1 ? 'member' : 'members'} of staff`] : []),
    ...(teams > 0 ? [`${String(teams)} ${teams === 1 ? 'team' : 'teams'}`] : []),
  ];
  const who = parts.join(' and ');
  return change === 'added' ? `Access restricted: ${who} excluded from the case` : `Access restriction removed: ${who} no longer excluded`;
}
