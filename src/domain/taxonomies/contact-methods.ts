/**
 * How a complainant prefers to be contacted. `none` means they have asked
 * not to be contacted (or left no details, as an anonymous complaint may): letters are not
 * sent, and the case record says why.
 */
import { isOneOf } from './code-list.ts';

export const CONTACT_METHODS = ['email', 'telephone', 'letter', 'none'] as const;

export type ContactMethod = (typeof CONTACT_METHODS)[number];

export const CONTACT_METHOD_LABELS: Readonly<Record<ContactMethod, string>> = {
  email: 'Email',
  telephone: 'Telephone',
  letter: 'Letter',
  none: 'Does not want to be contacted',
};

export function isContactMethod(value: unknown): value is ContactMethod {
  return isOneOf(CONTACT_METHODS, value);
}
