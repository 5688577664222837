/** Why a response came after its deadline; recorded for every late response. */
import { isOneOf } from './code-list.ts';

export const DELAY_REASONS = [
  'complex_multi_team',
  'insufficient_detail',
  'further_complaints',
  'redress',
  'court_proceedings',
  'consent_check',
  'other_procedure',
  'other',
] as const;

export type DelayReason = (typeof DELAY_REASONS)[number];

export const DELAY_REASON_LABELS: Readonly<Record<DelayReason, string>> = {
  complex_multi_team: 'Complex issues involving more than one team',
  insufficient_detail: 'Too few details: more information had to be asked for',
  further_complaints: 'Further complaints made about the same matter',
  redress: 'Arranging redress',
  court_proceedings: 'Court proceedings had to be kept separate',
  consent_check: 'Checking the young person supports the complaint made for them',
  other_procedure: 'Another procedure had to finish first',
  other: 'Other',
};

export function isDelayReason(value: unknown): value is DelayReason {
  return isOneOf(DELAY_REASONS, value);
}
