import type { Role } from '../../domain/users/roles.ts';

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
