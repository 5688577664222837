/** What the council did to put things right; a complaint may have several. */
import { isOneOf } from './code-list.ts';

export const REMEDIES = [
  'explanation',
  'apology',
  'service_provided',
  'service_reviewed',
  'care_plan_revised',
  'contact_revised',
  'change_of_worker',
  'financial',
  'staff_guidance',
  'policy_change',
  'other',
] as const;

export type Remedy = (typeof REMEDIES)[number];

export const REMEDY_LABELS: Readonly<Record<Remedy, string>> = {
  explanation: 'Explanation',
  apology: 'Apology',
  service_provided: 'Service provided',
  service_reviewed: 'Service reviewed',
  care_plan_revised: 'Care plan revised',
  contact_revised: 'Contact arrangements revised',
  change_of_worker: 'Change of worker',
  financial: 'Financial redress',
  staff_guidance: 'Guidance to staff',
  policy_change: 'Change of policy or procedure',
  other: 'Other',
};

export function isRemedy(value: unknown): value is Remedy {
  return isOneOf(REMEDIES, value);
}
