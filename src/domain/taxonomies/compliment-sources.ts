/** Who paid a compliment. */
import { isOneOf } from './code-list.ts';

export const COMPLIMENT_SOURCES = [
  'parent_or_carer',
  'child',
  'foster_carer',
  'adopter',
  'judge',
  'solicitor',
  'guardian',
  'other_professional',
  'other',
] as const;

export type ComplimentSource = (typeof COMPLIMENT_SOURCES)[number];

export const COMPLIMENT_SOURCE_LABELS: Readonly<Record<ComplimentSource, string>> = {
  parent_or_carer: 'Parent or carer',
  child: 'Child or young person',
  foster_carer: 'Foster carer',
  adopter: 'Adopter',
  judge: 'Judge',
  solicitor: 'Solicitor',
  guardian: "Children's guardian",
  other_professional: 'Other professional',
  other: 'Someone else',
};

export function isComplimentSource(value: unknown): value is ComplimentSource {
  return isOneOf(COMPLIMENT_SOURCES, value);
}
