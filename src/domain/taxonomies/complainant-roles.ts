/**
 * Who made the representation, in relation to the young person it is about.
 * Who may complain without a decision on their standing is in `cases/eligibility.ts`.
 */
import { isOneOf } from './code-list.ts';

export const COMPLAINANT_ROLES = [
  'child',
  'advocate',
  'parent',
  'relative',
  'foster_carer',
  'special_guardian',
  'adopter',
  'care_leaver',
  'iro',
  'professional',
  'other',
] as const;

export type ComplainantRole = (typeof COMPLAINANT_ROLES)[number];

export const COMPLAINANT_ROLE_LABELS: Readonly<Record<ComplainantRole, string>> = {
  child: 'Child or young person',
  advocate: 'Advocate',
  parent: 'Parent',
  relative: 'Relative',
  foster_carer: 'Foster carer',
  special_guardian: 'Special guardian',
  adopter: 'Adopter',
  care_leaver: 'Care leaver',
  iro: 'Independent Reviewing Officer',
  professional: 'Professional',
  other: 'Someone else',
};

export function isComplainantRole(value: unknown): value is ComplainantRole {
  return isOneOf(COMPLAINANT_ROLES, value);
}
