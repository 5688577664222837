/** The kinds of representation. */
import { isOneOf } from './code-list.ts';

export const REPRESENTATION_KINDS = [
  'children_statutory',
  'corporate',
  'adult_statutory',
  'informal',
  'other_agency',
  'comment',
  'compliment',
] as const;

export type RepresentationKind = (typeof REPRESENTATION_KINDS)[number];

export const REPRESENTATION_KIND_LABELS: Readonly<Record<RepresentationKind, string>> = {
  children_statutory: 'Complaint (Children Act 1989 procedure)',
  corporate: 'Corporate complaint',
  adult_statutory: 'Adult social care complaint',
  informal: 'Informal complaint',
  other_agency: 'Complaint about another organisation',
  comment: 'Comment',
  compliment: 'Compliment',
};

export function isRepresentationKind(value: unknown): value is RepresentationKind {
  return isOneOf(REPRESENTATION_KINDS, value);
}

// The kinds run through a procedure with clocks are `PROCEDURE_KINDS` in
// `procedures/procedure-definitions.ts`: children_statutory, corporate, adult_statutory.

/** Complaints: the kinds someone complains under, formally or informally, and that have a complainant. */
export const COMPLAINT_KINDS = ['children_statutory', 'corporate', 'adult_statutory', 'informal'] as const satisfies readonly RepresentationKind[];

/**
 * The kinds the council answers: complaints, and comments (whose response is optional).
 * Complaints about another body are forwarded, and compliments registered, not answered.
 */
export const RESPONSE_KINDS = [...COMPLAINT_KINDS, 'comment'] as const satisfies readonly RepresentationKind[];

export function isComplaintKind(kind: RepresentationKind): boolean {
  return isOneOf(COMPLAINT_KINDS, kind);
}
