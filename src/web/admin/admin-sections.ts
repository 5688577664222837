/**
 * The administration pages, grouped under one "Admin" item of the service navigation so that
 * it fits one line: each with who may open it. The admin index page lists the ones a user may
 * open; the navigation shows "Admin" to anyone who may open at least one.
 */
import { paths } from '../paths.ts';
import { canAccess, type Role } from '../../domain/users/roles.ts';

export interface AdminSection {
  readonly text: string;
  readonly href: string;
  readonly description: string;
  readonly roles: readonly Role[];
}

const REGISTER_KEEPERS: readonly Role[] = ['admin', 'complaints_manager', 'complaints_officer'];

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { text: 'Teams', href: paths.teams.url(), description: 'The council’s teams and service areas, and their public names.', roles: REGISTER_KEEPERS },
  { text: 'Calendar', href: paths.calendar.url(), description: 'Bank holidays: add or remove a day, re-dating the deadlines it moves.', roles: REGISTER_KEEPERS },
  { text: 'Letters', href: paths.letterTemplates.url(), description: 'The wording of each letter.', roles: ['admin', 'complaints_manager'] },
  { text: 'Users', href: paths.users.url(), description: 'Staff accounts, their roles and teams.', roles: ['admin'] },
  { text: 'Notifications', href: paths.notificationTemplates.url(), description: 'The wording of each email, and the outbox.', roles: ['admin'] },
  { text: 'Import and export', href: paths.exportFile.url(), description: 'Import and export representations in the interchange file.', roles: ['admin', 'complaints_manager'] },
  { text: 'Settings', href: paths.councilSettings.url(), description: 'The council’s counting and pause rules, and response times.', roles: ['admin', 'complaints_manager'] },
  { text: 'Retention', href: paths.retention.url(), description: 'How long closed cases’ personal data is kept, and what is due for disposal.', roles: ['admin', 'complaints_manager', 'information_governance'] },
  { text: 'Audit', href: paths.auditTrail.url(), description: 'Who viewed or changed what, and when.', roles: ['information_governance'] },
  { text: 'Subject access', href: paths.subjectAccess.url(), description: 'Find and export a person’s data for a subject access request.', roles: ['information_governance'] },
];

/** The administration pages `roles` may open, in the index's order. */
export function adminSectionsFor(roles: readonly Role[] | undefined): AdminSection[] {
  return ADMIN_SECTIONS.filter((section) => canAccess(section.roles, roles));
}

/** Who may open the admin index: anyone who may open one of its pages. */
export const ADMIN_INDEX_READERS: readonly Role[] = [...new Set(ADMIN_SECTIONS.flatMap((s) => s.roles))];

/** Whether `path` is the admin index or one of its pages (or below one). */
export function isAdminPath(path: string): boolean {
  const within = (href: string) => path === href || path.startsWith(`${href}/`);
  return within(paths.adminIndex.url()) || ADMIN_SECTIONS.some((s) => within(s.href));
}
