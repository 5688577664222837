/** Decisions of the Local Government and Social Care Ombudsman on an enquiry. */
import { isOneOf } from './code-list.ts';

export const OMBUDSMAN_DECISIONS = ['closed_after_initial_enquiries', 'premature', 'not_upheld', 'upheld'] as const;

export type OmbudsmanDecision = (typeof OMBUDSMAN_DECISIONS)[number];

export const OMBUDSMAN_DECISION_LABELS: Readonly<Record<OmbudsmanDecision, string>> = {
  closed_after_initial_enquiries: 'Closed after initial enquiries',
  premature: 'Premature: referred back to the council',
  not_upheld: 'Not upheld',
  upheld: 'Upheld',
};

export function isOmbudsmanDecision(value: unknown): value is OmbudsmanDecision {
  return isOneOf(OMBUDSMAN_DECISIONS, value);
}
