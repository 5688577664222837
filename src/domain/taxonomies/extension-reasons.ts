/**
 * Why the time to respond was extended (Stage 1's `extend`, Stage 2's `extend_stage2`): one
 * code, and for `other` the reason in the user's own words.
 *
 * An extension is kept on its clock (src/domain/clocks): the clock engine wants a `reason`
 * string there, so a coded extension keeps the words of its reason in `reason` (the code's
 * label, or the words given for `other`: what a letter quotes) and its code in `reasonCode`.
 * Extensions recorded before the codes existed have a `reason` and no `reasonCode`: they read
 * as `other`, with their words.
 */
import { isOneOf } from './code-list.ts';

export const EXTENSION_REASONS = ['complexity', 'advocate_needed', 'other'] as const;

export type ExtensionReason = (typeof EXTENSION_REASONS)[number];

export const EXTENSION_REASON_LABELS: Readonly<Record<ExtensionReason, string>> = {
  complexity: 'The complaint is complex',
  advocate_needed: 'The complainant needs an advocate',
  other: 'Other',
};

export function isExtensionReason(value: unknown): value is ExtensionReason {
  return isOneOf(EXTENSION_REASONS, value);
}

/** An extension's reason as stored on its clock: the words, and the code when there is one. */
export interface StoredExtensionReason {
  readonly reason?: string | undefined;
  readonly reasonCode?: unknown;
}

/** An extension's reason as read: its code, the code's label, and for `other` the words given. */
export interface ExtensionReasonView {
  readonly code: ExtensionReason;
  readonly label: string;
  /** For `other` only. */
  readonly text?: string;
}

/** What to store on the clock for a reason: `reason` (the words) and `reasonCode`. */
export function storedExtensionReason(code: ExtensionReason, otherText: string | undefined): { reason: string; reasonCode: ExtensionReason } {
  return { reason: code === 'other' ? (otherText ?? '').trim() : EXTENSION_REASON_LABELS[code], reasonCode: code };
}

/** Reads an extension's reason: its code when it has one, otherwise (an older extension) `other` with its words. */
export function readExtensionReason(extension: StoredExtensionReason): ExtensionReasonView {
  const words = (extension.reason ?? '').trim();
  if (isExtensionReason(extension.reasonCode) && extension.reasonCode !== 'other') {
    return { code: extension.reasonCode, label: EXTENSION_REASON_LABELS[extension.reasonCode] };
  }
  return { code: 'other', label: EXTENSION_REASON_LABELS.other, text: words };
}

/** One line for a page: "The complaint is complex", or "Other: <the words>" (just "Other" when the words may not be shown). */
export function describeExtensionReason(view: ExtensionReasonView, showWords = true): string {
  if (view.code !== 'other') return view.label;
  return showWords && view.text !== undefined && view.text !== '' ? `${view.label}: ${view.text}` : view.label;
}
