/** The finding of a complaint response. A withdrawn complaint has none. */
import { isOneOf } from './code-list.ts';

export const FINDINGS = ['upheld', 'partially_upheld', 'not_upheld', 'service_provided', 'resolution_meeting_offered'] as const;

export type Finding = (typeof FINDINGS)[number];

export const FINDING_LABELS: Readonly<Record<Finding, string>> = {
  upheld: 'Upheld',
  partially_upheld: 'Partially upheld',
  not_upheld: 'Not upheld',
  service_provided: 'Service provided',
  resolution_meeting_offered: 'Resolution meeting offered',
};

export function isFinding(value: unknown): value is Finding {
  return isOneOf(FINDINGS, value);
}
