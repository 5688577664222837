import { DomainError } from '../errors.ts';

export const TEAM_KINDS = ['internal', 'residential_home', 'commissioned'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

export const TEAM_KIND_LABELS: Readonly<Record<TeamKind, string>> = {
  internal: 'Council team',
  residential_home: "Children's home",
  commissioned: 'Externally commissioned provider',
};

export function isTeamKind(value: string): value is TeamKind {
  return (TEAM_KINDS as readonly string[]).includes(value);
}

export interface TeamFields {
  readonly name: string;
  readonly serviceAreaName: string;
  readonly kind: TeamKind;
  readonly publicAlias: string | null;
}

/**
 * A residential home is shown in published output only by its alias, so it must have one;
 * other teams are shown by name and must not.
 */
export function checkTeam(fields: TeamFields): void {
  if (fields.name.trim() === '') throw new DomainError('team_name_required', 'Enter the team name', 'name');
  if (fields.name.length > 200) throw new DomainError('team_name_too_long', 'Team name must be 200 characters or fewer', 'name');
  if (fields.serviceAreaName.trim() === '') {
    throw new DomainError('service_area_required', 'Enter the service area the team belongs to', 'serviceArea');
  }
  if (fields.kind === 'residential_home' && (fields.publicAlias === null || fields.publicAlias.trim() === '')) {
    throw new DomainError('home_alias_required', "Enter the public alias for the children's home, for example Home 2", 'publicAlias');
  }
  if (fields.kind !== 'residential_home' && fields.publicAlias !== null && fields.publicAlias.trim() !== '') {
    throw new DomainError('alias_only_for_homes', "Only children's homes have a public alias", 'publicAlias');
  }
}

/** Published output compares homes year on year by alias, so an alias once given never changes. */
export function checkAliasChange(current: string | null, next: string | null): void {
  if (current !== null && current !== next) {
    throw new DomainError(
      'alias_is_permanent',
      `This home's public alias is ${current} and cannot change, so that published figures stay comparable from year to year`,
      'publicAlias',
    );
  }
}
