/**
 * What registering a representation records beyond the Stage 1 table's `register` action
 * (which checks the representation's own fields for each team): the teams it is about, the
 * young person, and the people — complainant and advocate. Pure: the service checks that the
 * teams exist and writes the records.
 */
import { DomainError } from '../errors.ts';
import { tryParseIsoDate, type IsoDate } from '../calendar/iso-date.ts';
import { isEthnicity } from '../taxonomies/ethnicities.ts';
import { isContactMethod } from '../taxonomies/contact-methods.ts';
import { isProcedureKind } from '../procedures/procedure-definitions.ts';

export interface PersonInput {
  readonly name: string;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly address?: string | undefined;
  readonly preferredContact?: string | undefined;
  readonly reasonableAdjustments?: string | undefined;
  readonly organisation?: string | undefined;
}

export interface YoungPersonInput {
  /** The pseudonymous id from the council's social care system: never a name. */
  readonly externalId: string;
  readonly dateOfBirth?: string | undefined;
  readonly ethnicity?: string | undefined;
}

export interface RegistrationInput {
  /**
   * The representation's own fields, named as the Stage 1 table's `register` action names
   * them (`kind`, `received_on`, `channel`, `summary`, `issues`, `complainant_role`, …), as a
   * form or API body gives them. `team_id` comes from `teamIds`.
   */
  readonly fields: Readonly<Record<string, unknown>>;
  /** One representation is registered for each team (DOMAIN.md §2). */
  readonly teamIds: readonly number[];
  readonly youngPerson?: YoungPersonInput | undefined;
  readonly complainant?: PersonInput | undefined;
  readonly advocate?: PersonInput | undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkPerson(person: PersonInput | undefined, prefix: 'complainant' | 'advocate'): void {
  if (person === undefined) return;
  if (person.name.trim() === '') throw new DomainError('name_required', `Enter the ${prefix}’s name`, `${prefix}_name`);
  if (person.name.length > 200) throw new DomainError('name_too_long', `The ${prefix}’s name must be 200 characters or fewer`, `${prefix}_name`);
  const method = person.preferredContact ?? '';
  if (method !== '' && !isContactMethod(method)) {
    throw new DomainError('contact_method_unknown', `Select how the ${prefix} would like to be contacted`, `${prefix}_preferred_contact`);
  }
  const email = person.email ?? '';
  if (email !== '' && !EMAIL.test(email)) {
    throw new DomainError('email_invalid', `Enter the ${prefix}’s email address in the correct format, like name@example.com`, `${prefix}_email`);
  }
}

/**
 * Checks the teams and people of a registration. `kind` and `receivedOn` are the checked
 * values of the register action (undefined when those are themselves wrong: their own
 * errors are reported by the action).
 */
export function checkRegistrationPeople(input: RegistrationInput, kind: string | undefined, receivedOn: IsoDate | undefined): void {
  if (input.teamIds.length === 0) throw new DomainError('missing_team_id', 'Select the team or teams it is about', 'team_id');
  if (new Set(input.teamIds).size !== input.teamIds.length) throw new DomainError('team_repeated', 'Select each team only once', 'team_id');

  const young = input.youngPerson;
  if (young !== undefined) {
    if (young.externalId.trim() === '') throw new DomainError('missing_young_person_id', 'Enter the young person’s id from the social care system', 'young_person_id');
    if (young.externalId.length > 60) throw new DomainError('young_person_id_too_long', 'The young person’s id must be 60 characters or fewer', 'young_person_id');
    const born = young.dateOfBirth ?? '';
    if (born !== '') {
      if (tryParseIsoDate(born) === undefined) throw new DomainError('invalid_date_of_birth', 'The young person’s date of birth must be a real date', 'young_person_date_of_birth');
      if (receivedOn !== undefined && born > receivedOn) {
        throw new DomainError('born_after_receipt', 'The young person’s date of birth must be before the date it was received', 'young_person_date_of_birth');
      }
    }
    const ethnicity = young.ethnicity ?? '';
    if (ethnicity !== '' && !isEthnicity(ethnicity)) throw new DomainError('invalid_ethnicity', 'Select the young person’s ethnicity from the list', 'young_person_ethnicity');
  }

  if (kind !== undefined && isProcedureKind(kind) && input.complainant === undefined) {
    throw new DomainError('missing_complainant_name', 'Enter the complainant’s name', 'complainant_name');
  }
  checkPerson(input.complainant, 'complainant');
  checkPerson(input.advocate, 'advocate');
}
