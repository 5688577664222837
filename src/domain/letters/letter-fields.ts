/**
 * The placeholders a letter template may use, each a value taken from the case (or made by
 * Redress, like `stage2_route`). An administrator writes them as `{{ name }}`; which of them a
 * letter may use is the letter's definition's business (`letter-definitions.ts`).
 *
 * `label` names the value in the placeholder list on the edit page and in the visible gap a
 * letter shows when the value has not been recorded: "[not recorded: due date]".
 */
import { isOneOf } from '../taxonomies/code-list.ts';

export const LETTER_FIELDS = [
  'case_reference',
  'today',
  'council_name',
  'complainant_name',
  'complainant_address',
  'young_person_id',
  'team_name',
  'received_date',
  'acknowledgement_date',
  'due_date',
  'extension_days',
  'extension_reason',
  'new_due_date',
  'response_date',
  'finding',
  'remedies',
  'responding_manager_name',
  'information_requested',
  'information_requested_date',
  'reply_by_date',
  'closure_warning_date',
  'closure_date',
  'withdrawn_date',
  'stage2_request_by',
  'stage2_route',
] as const;

export type LetterField = (typeof LETTER_FIELDS)[number];

export interface LetterFieldInfo {
  /** Lower case, as it reads in "[not recorded: …]". */
  readonly label: string;
  /** What the value is, for the list of placeholders on the edit page. */
  readonly hint: string;
}

export const LETTER_FIELD_INFO: Readonly<Record<LetterField, LetterFieldInfo>> = {
  case_reference: { label: 'case reference', hint: 'The case’s reference, for example CSC-2026-0042' },
  today: { label: 'date of the letter', hint: 'Today’s date, for example 26 November 2026' },
  council_name: { label: 'council name', hint: 'The council’s name, as set for Redress' },
  complainant_name: { label: 'complainant’s name', hint: 'The complainant’s name' },
  complainant_address: { label: 'complainant’s address', hint: 'The complainant’s postal address, over several lines' },
  young_person_id: { label: 'young person’s id', hint: 'The young person’s id in the social care system' },
  team_name: { label: 'team', hint: 'The team the complaint is about' },
  received_date: { label: 'date received', hint: 'The date the complaint was received' },
  acknowledgement_date: { label: 'acknowledgement date', hint: 'The date the complaint was acknowledged' },
  due_date: { label: 'due date', hint: 'The date the Stage 1 response is due, from the Stage 1 time limit (extensions and pauses included)' },
  extension_days: { label: 'extension', hint: 'The working days the Stage 1 time limit was extended by, for example “10 working days”' },
  extension_reason: { label: 'reason for the extension', hint: 'The reason recorded for the latest extension' },
  new_due_date: { label: 'new due date', hint: 'The Stage 1 due date after the extension' },
  response_date: { label: 'response date', hint: 'The date of the Stage 1 response' },
  finding: { label: 'finding', hint: 'The finding of the Stage 1 response, for example “Partially upheld”' },
  remedies: { label: 'remedies', hint: 'The remedies recorded, one a line' },
  responding_manager_name: { label: 'responding manager’s name', hint: 'The name of the manager who answers the complaint' },
  information_requested: { label: 'information asked for', hint: 'What more information was asked for, as recorded' },
  information_requested_date: { label: 'date information was asked for', hint: 'The date more information was last asked for' },
  reply_by_date: { label: 'reply-by date', hint: '10 working days after the information was asked for (or after today)' },
  closure_warning_date: { label: 'date of the closure letter', hint: 'The date the closure letter was recorded as sent (or today)' },
  closure_date: { label: 'closure date', hint: 'The date the complaint will be closed without a reply: 10 working days after the closure letter' },
  withdrawn_date: { label: 'date withdrawn', hint: 'The date the complaint was withdrawn' },
  stage2_request_by: { label: 'Stage 2 request date', hint: 'The last day to ask for Stage 2: 20 working days after the Stage 1 response' },
  stage2_route: { label: 'how to ask for Stage 2', hint: 'A paragraph, written by Redress, saying how and by when to ask for Stage 2. Required in the Stage 1 response' },
};

export function isLetterField(value: unknown): value is LetterField {
  return isOneOf(LETTER_FIELDS, value);
}

/** Working days a complainant is given to reply to a request for information or a closure letter. */
export const REPLY_WORKING_DAYS = 10;

/** DOMAIN.md §3: the Stage 2 request window, in working days from the Stage 1 response. */
export const STAGE2_REQUEST_WORKING_DAYS = 20;

/** The values of one case, as text; a field not present has not been recorded. */
export type LetterValues = Partial<Record<LetterField, string>>;
