import type { Role } from '../../domain/users/roles.ts';
import { CASE_QUEUES, type CaseQueue } from '../../app/case-query-service.ts';

/** Who may open the case pages at all; what each may see of a case is decided per case. */
export const CASE_READERS: readonly Role[] = [
  'complaints_officer',
  'complaints_manager',
  'responding_manager',
  'senior_manager',
  'viewer',
  // … only the cases they are appointed to, while appointed.
  'investigator',
  'independent_person',
  'panel_member',
];

/** Who registers representations (the Stage 1 table's `register` action says the same). */
export const CASE_REGISTRARS: readonly Role[] = ['complaints_officer', 'complaints_manager'];

/** Who reads the Ombudsman register (it holds no personal details), and who keeps it. */
export const OMBUDSMAN_READERS: readonly Role[] = ['complaints_officer', 'complaints_manager', 'senior_manager', 'viewer'];
export const OMBUDSMAN_KEEPERS: readonly Role[] = ['complaints_officer', 'complaints_manager'];

/**
 * Who reads the learning log (a responding manager only the lessons of their team, their cases
 * or their actions; a viewer the figures of every lesson but not its text), who keeps it, and
 * who may mark an action done (the keepers any action; the others only the actions they own).
 */
export const LEARNING_READERS: readonly Role[] = ['complaints_officer', 'complaints_manager', 'senior_manager', 'responding_manager', 'viewer'];
export const LEARNING_KEEPERS: readonly Role[] = ['complaints_officer', 'complaints_manager'];
export const LEARNING_ACTION_COMPLETERS: readonly Role[] = ['complaints_officer', 'complaints_manager', 'senior_manager', 'responding_manager'];

/** Who reads the annual report (figures only: it holds no personal details). */
export const REPORT_READERS: readonly Role[] = ['complaints_manager', 'complaints_officer', 'senior_manager', 'viewer'];

/**
 * The work queues that apply to each role (src/app/case-query-service.ts): the complaints
 * team has them all; a responding manager their own and their team's cases and the Stage 1
 * time limits; a senior manager or viewer the whole picture but not the team's registration
 * and allocation trays; someone appointed to a later stage the cases they are appointed to.
 * A user with several roles has every queue of each. The queue page lists only these, and
 * refuses (403) any other, as it refuses a page the role does not have.
 */
export const QUEUES_BY_ROLE: Readonly<Partial<Record<Role, readonly CaseQueue[]>>> = {
  complaints_officer: CASE_QUEUES,
  complaints_manager: CASE_QUEUES,
  responding_manager: ['all_open', 'mine', 'my_team', 'due_soon', 'overdue', 'recently_closed', 'all'],
  senior_manager: ['all_open', 'due_soon', 'overdue', 'recently_closed', 'all'],
  viewer: ['all_open', 'due_soon', 'overdue', 'recently_closed', 'all'],
  investigator: ['all_open', 'recently_closed', 'all'],
  independent_person: ['all_open', 'recently_closed', 'all'],
  panel_member: ['all_open', 'recently_closed', 'all'],
};

/** The queues that apply to a user with `roles`, in the usual order. */
export function queuesFor(roles: readonly Role[]): CaseQueue[] {
  return CASE_QUEUES.filter((queue) => roles.some((role) => QUEUES_BY_ROLE[role]?.includes(queue) === true));
}
