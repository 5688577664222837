/**
 * Case references: unique, human-friendly, quoted on letters and over the telephone,
 * e.g. `CSC-2026-0042`.
 *
 * Format: PREFIX-YEAR-SEQUENCE.
 *
 * - PREFIX: three capital letters for the kind of representation it was registered as
 *   (table below). The prefixes differ, so references of different kinds never collide.
 * - YEAR: the calendar year of registration, four digits.
 * - SEQUENCE: the case's number among those of its prefix and year (1, 2, 3 …, allocated by
 *   the repository), written with at least four digits: zero-padded up to 9999, then as
 *   many digits as it needs (`CSC-2026-10000`).
 *
 * A reference is given once and never changes: a case reclassified later (informal →
 * children_statutory, say) keeps the reference it was registered with, because the
 * complainant and the letters already quote it. So the prefix says how the case was first
 * registered, never what it is now: read the case's kind for that.
 */
import { DomainError } from '../errors.ts';
import { type RepresentationKind, REPRESENTATION_KINDS } from './representation-kinds.ts';

export const REFERENCE_PREFIXES: Readonly<Record<RepresentationKind, string>> = {
  children_statutory: 'CSC', // children's social care
  corporate: 'COR',
  adult_statutory: 'ASC', // adult social care
  informal: 'INF',
  other_agency: 'OAG',
  comment: 'CMT',
  compliment: 'CPL',
};

export interface ReferenceParts {
  /** The kind the case was registered as. */
  kind: RepresentationKind;
  year: number;
  sequence: number;
}

const MIN_YEAR = 1000;
const MAX_YEAR = 9999;
const PADDED_DIGITS = 4;
const REFERENCE_PATTERN = /^([A-Z]{3})-(\d{4})-(\d{4,16})$/;

const KIND_BY_PREFIX: ReadonlyMap<string, RepresentationKind> = new Map(REPRESENTATION_KINDS.map((kind) => [REFERENCE_PREFIXES[kind], kind]));

/**
 * The reference of the `sequence`-th case of `kind` registered in `year`. Refuses
 * (DomainError `invalid_reference_year`, `invalid_reference_sequence`) a year that is not
 * four digits and a sequence that is not a whole number from 1.
 */
export function referenceFor(kind: RepresentationKind, year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new DomainError('invalid_reference_year', `A reference's year must be four digits (got ${String(year)})`, 'year');
  }
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new DomainError('invalid_reference_sequence', `A reference's number must be a whole number, 1 or more (got ${String(sequence)})`, 'sequence');
  }
  return `${REFERENCE_PREFIXES[kind]}-${String(year)}-${String(sequence).padStart(PADDED_DIGITS, '0')}`;
}

/**
 * The parts of a reference, or undefined when `text` is not one. Spaces around it and lower
 * case are forgiven (people type references into a search box); otherwise only the exact
 * spelling `referenceFor` gives is a reference — `CSC-2026-00042` is not — so each case has
 * one spelling to search and import by.
 */
export function tryParseReference(text: string): ReferenceParts | undefined {
  const match = REFERENCE_PATTERN.exec(text.trim().toUpperCase());
  if (match === null) return undefined;
  const [, prefix = '', yearDigits = '', sequenceDigits = ''] = match;
  const kind = KIND_BY_PREFIX.get(prefix);
  const year = Number(yearDigits);
  const sequence = Number(sequenceDigits);
  if (kind === undefined || year < MIN_YEAR || sequence < 1 || !Number.isSafeInteger(sequence)) return undefined;
  if (sequenceDigits.length > PADDED_DIGITS && sequenceDigits.startsWith('0')) return undefined;
  return { kind, year, sequence };
}

/** The parts of a reference; DomainError `invalid_reference` when `text` is not one. */
export function parseReference(text: string): ReferenceParts {
  const parts = tryParseReference(text);
  if (parts === undefined) {
    throw new DomainError('invalid_reference', 'Enter a case reference in the form CSC-2026-0042', 'reference');
  }
  return parts;
}
