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
  /** One representation is registered for each team. */
  readonly teamIds: readonly number[];
  readonly youngPerson?: YoungPersonInput | undefined;
  readonly complainant?: PersonInput | undefined;
  readonly advocate?: PersonInput | undefined;
  /** For a compliment: the worker praised, when there is one. */
  readonly workerName?: string | undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function personProblems(person: PersonInput | undefined, prefix: 'complainant' | 'advocate'): DomainError[] {
  if (person === undefined) return [];
  const problems: DomainError[] = [];
  if (person.name.trim() === '') problems.push(new DomainError('name_required', `Enter the ${prefix}’s name`, `${prefix}_name`));
  if (person.name.length > 200) problems.push(new DomainError('name_too_long', `The ${prefix}’s name must be 200 characters or fewer`, `${prefix}_name`));
  const method = person.preferredContact ?? '';
  if (method !== '' && !isContactMethod(method)) {
    problems.push(new DomainError('contact_method_unknown', `Select how the ${prefix} would like to be contacted`, `${prefix}_preferred_contact`));
  }
  const email = person.email ?? '';
  if (email !== '' && !EMAIL.test(email)) {
    problems.push(new DomainError('email_invalid', `Enter the ${prefix}’s email address in the correct format, like name@example.com`, `${prefix}_email`));
  }
  return problems;
}

function youngPersonProblems(young: YoungPersonInput | undefined, receivedOn: IsoDate | undefined): DomainError[] {
  if (young === undefined) return [];
  const problems: DomainError[] = [];
  if (young.externalId.trim() === '') problems.push(new DomainError('missing_young_person_id', 'Enter the young person’s id from the social care system', 'young_person_id'));
  if (young.externalId.length > 60) problems.push(new DomainError('young_person_id_too_long', 'The young person’s id must be 60 characters or fewer', 'young_person_id'));
  const born = young.dateOfBirth ?? '';
  if (born !== '' && tryParseIsoDate(born) === undefined) {
    problems.push(new DomainError('invalid_date_of_birth', 'The young person’s date of birth must be a real date', 'young_person_date_of_birth'));
  } else if (born !== '' && receivedOn !== undefined && born > receivedOn) {
    problems.push(new DomainError('born_after_receipt', 'The young person’s date of birth must be before the date it was received', 'young_person_date_of_birth'));
  }
  const ethnicity = young.ethnicity ?? '';
  if (ethnicity !== '' && !isEthnicity(ethnicity)) problems.push(new DomainError('invalid_ethnicity', 'Select the young person’s ethnicity from the list', 'young_person_ethnicity'));
  return problems;
}

/**
 * Every problem with the teams, the young person and the people of a registration (empty
 * when there is none). `kind` and `receivedOn` are the register action's checked values
 * (undefined when those are themselves wrong: the action reports their own errors).
 */
export function registrationPeopleProblems(input: RegistrationInput, kind: string | undefined, receivedOn: IsoDate | undefined): DomainError[] {
  const problems: DomainError[] = [];
  // One contact may be about several teams, each once (the register action checks each team).
  if (new Set(input.teamIds).size !== input.teamIds.length) problems.push(new DomainError('team_repeated', 'Select each team only once', 'team_id'));
  problems.push(...youngPersonProblems(input.youngPerson, receivedOn));
  if (kind !== undefined && isProcedureKind(kind) && input.complainant === undefined) {
    problems.push(new DomainError('missing_complainant_name', 'Enter the complainant’s name', 'complainant_name'));
  }
  problems.push(...personProblems(input.complainant, 'complainant'), ...personProblems(input.advocate, 'advocate'));
  if ((input.workerName ?? '').length > 200) problems.push(new DomainError('worker_name_too_long', 'The worker’s name must be 200 characters or fewer', 'worker_name'));
  return problems;
}
