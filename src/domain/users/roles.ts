/** The roles of the people who use Redress. A user may hold several. */
export const ROLES = [
  'admin',
  'complaints_manager',
  'complaints_officer',
  'responding_manager',
  'investigator',
  'independent_person',
  'panel_member',
  'senior_manager',
  'viewer',
  'information_governance',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Administrator',
  complaints_manager: 'Complaints manager',
  complaints_officer: 'Complaints officer',
  responding_manager: 'Responding manager',
  investigator: 'Investigating officer',
  independent_person: 'Independent Person',
  panel_member: 'Review panel member',
  senior_manager: 'Senior manager',
  viewer: 'Viewer',
  information_governance: 'Information governance',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Who may use a route: everyone (no sign-in), any signed-in user, or the listed roles. */
export type Access = 'public' | 'signed_in' | readonly Role[];

export function canAccess(access: Access, roles: readonly Role[] | undefined): boolean {
  if (access === 'public') return true;
  if (roles === undefined) return false;
  if (access === 'signed_in') return true;
  return access.some((role) => roles.includes(role));
}
