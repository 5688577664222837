/**
 * Who a letter is written for. A complaint made by a child or young person gets every letter
 * in a version written for them: short sentences in everyday words (a reading age of about
 * 9, which `readability.ts` measures), naming their advocate and copied to them, with no
 * address block. Everyone else gets the standard letter.
 *
 * "Child or young person" here is the complainant roles the Children Act procedure must
 * offer an advocate to (s.26A): `child` and `care_leaver`. A care leaver may be in their early
 * twenties, but the law treats them as a young person for the procedure, and plain words do
 * no one harm; a council that wants otherwise can change the child version's wording.
 */
import { isOneOf } from '../taxonomies/code-list.ts';
import { ROLES_OFFERED_ADVOCACY } from '../cases/advocacy.ts';

export const LETTER_AUDIENCES = ['standard', 'child'] as const;

export type LetterAudience = (typeof LETTER_AUDIENCES)[number];

export function isLetterAudience(value: unknown): value is LetterAudience {
  return isOneOf(LETTER_AUDIENCES, value);
}

/** The complainant roles who get letters written for a child or young person. */
export const CHILD_LETTER_ROLES = ROLES_OFFERED_ADVOCACY;

/** The version of the letters a complainant with this role gets. */
export function letterAudienceFor(complainantRole: string | null | undefined): LetterAudience {
  return isOneOf(CHILD_LETTER_ROLES, complainantRole) ? 'child' : 'standard';
}

export const LETTER_AUDIENCE_LABELS: Readonly<Record<LetterAudience, string>> = {
  standard: 'Standard letter',
  child: 'Letter for a child or young person',
};
