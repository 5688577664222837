import type { Role } from '../../domain/users/roles.ts';

/** Who may open the case pages at all; what each may see of a case is decided per case. */
export const CASE_READERS: readonly Role[] = ['complaints_officer', 'complaints_manager', 'responding_manager', 'senior_manager', 'viewer'];

/** Who registers representations (the Stage 1 table's `register` action says the same). */
export const CASE_REGISTRARS: readonly Role[] = ['complaints_officer', 'complaints_manager'];

/** Who reads the Ombudsman register (it holds no personal details), and who keeps it. */
export const OMBUDSMAN_READERS: readonly Role[] = ['complaints_officer', 'complaints_manager', 'senior_manager', 'viewer'];
export const OMBUDSMAN_KEEPERS: readonly Role[] = ['complaints_officer', 'complaints_manager'];

/** Who reads the annual report (figures only: it holds no personal details). */
export const REPORT_READERS: readonly Role[] = ['complaints_manager', 'complaints_officer', 'senior_manager', 'viewer'];
