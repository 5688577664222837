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
  'advocate_name',
  'advocate_help',
  'information_requested',
  'information_requested_date',
  'reply_by_date',
  'closure_warning_date',
  'closure_date',
  'withdrawn_date',
  'stage2_request_by',
  'stage2_route',
  'stage2_request_date',
  'statement_agreed_date',
  'stage2_due_date',
  'stage2_response_date',
  'stage2_extension_days',
  'stage2_extension_reason',
  'stage2_new_due_date',
  'investigating_officer_name',
  'independent_person_name',
  'adjudication_date',
  'stage2_finding',
  'stage2_findings',
  'stage2_recommendations',
  'stage3_request_by',
  'stage3_route',
  'stage3_request_date',
  'panel_due_date',
  'panel_members',
  'panel_meeting_date',
  'council_response_date',
  'council_decisions',
  'ombudsman_route',
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
  advocate_name: { label: 'advocate’s name', hint: 'The name of the complainant’s advocate, as recorded on the case' },
  advocate_help: {
    label: 'advocate paragraph',
    hint: 'A short paragraph, written by Redress, for letters to a child or young person: names their advocate and says they have a copy, or (with no advocate recorded) says what an advocate is and how to ask for one',
  },
  information_requested: { label: 'information asked for', hint: 'What more information was asked for, as recorded' },
  information_requested_date: { label: 'date information was asked for', hint: 'The date more information was last asked for' },
  reply_by_date: { label: 'reply-by date', hint: '10 working days after the information was asked for (or after today)' },
  closure_warning_date: { label: 'date of the closure letter', hint: 'The date the closure letter was recorded as sent (or today)' },
  closure_date: { label: 'closure date', hint: 'The date the complaint will be closed without a reply: 10 working days after the closure letter' },
  withdrawn_date: { label: 'date withdrawn', hint: 'The date the complaint was withdrawn' },
  stage2_request_by: { label: 'Stage 2 request date', hint: 'The last day to ask for Stage 2: 20 working days after the Stage 1 response (the same date Redress uses to decide whether a request is late)' },
  stage2_route: { label: 'how to ask for Stage 2', hint: 'A paragraph, written by Redress, saying how and by when to ask for Stage 2. Required in the Stage 1 response' },
  stage2_request_date: { label: 'date Stage 2 was asked for', hint: 'The date the request for Stage 2 was received' },
  statement_agreed_date: { label: 'date the statement was agreed', hint: 'The date the statement of complaint was agreed with the complainant' },
  stage2_due_date: { label: 'Stage 2 due date', hint: 'The date the Stage 2 response is due (25 working days from the statement, extensions and pauses included)' },
  stage2_response_date: { label: 'Stage 2 response date', hint: 'The date of the Stage 2 response (the adjudication under the Children Act procedure, the final response under the corporate procedure)' },
  stage2_extension_days: { label: 'Stage 2 extension', hint: 'The working days the Stage 2 time limit was extended by in all' },
  stage2_extension_reason: { label: 'reason for the Stage 2 extension', hint: 'The reason recorded for the latest Stage 2 extension' },
  stage2_new_due_date: { label: 'new Stage 2 due date', hint: 'The Stage 2 due date after the extension' },
  investigating_officer_name: { label: 'investigating officer’s name', hint: 'The investigating officer appointed at Stage 2' },
  independent_person_name: { label: 'Independent Person’s name', hint: 'The Independent Person appointed at Stage 2' },
  adjudication_date: { label: 'adjudication date', hint: 'The date of the Stage 2 adjudication' },
  stage2_finding: { label: 'Stage 2 finding', hint: 'The finding on the complaint as a whole at Stage 2' },
  stage2_findings: { label: 'findings on each point', hint: 'Each point of the statement of complaint with its finding, one a line' },
  stage2_recommendations: {
    label: 'recommendations accepted',
    hint: 'The recommendations the adjudication accepted, numbered, one a line (or a sentence saying there are none)',
  },
  stage3_request_by: { label: 'Stage 3 request date', hint: 'The last day to ask for a review panel: 20 working days after the adjudication (the same date Redress uses to decide whether a request is late)' },
  stage3_route: { label: 'how to ask for a review panel', hint: 'A paragraph, written by Redress, saying how and by when to ask for Stage 3. Required in the adjudication letter' },
  stage3_request_date: { label: 'date the review panel was asked for', hint: 'The date the request for Stage 3 was received' },
  panel_due_date: { label: 'date the panel must meet by', hint: '30 working days from the request for a review panel' },
  panel_members: { label: 'panel members', hint: 'The members of the review panel, one a line, the chair marked' },
  panel_meeting_date: { label: 'panel meeting date', hint: 'The date the panel met (or meets)' },
  council_response_date: { label: 'date of the council’s response', hint: 'The date of the council’s response to the panel' },
  council_decisions: {
    label: 'the council’s decisions on the panel’s recommendations',
    hint: 'Each of the review panel’s recommendations, numbered, with the council’s decision on it and its reasons. Required in the council’s response to the panel',
  },
  ombudsman_route: {
    label: 'how to go to the Ombudsman',
    hint: 'A paragraph, written by Redress, saying how to take the complaint to the Local Government and Social Care Ombudsman. Required in the council’s response to the panel and in the corporate final response',
  },
};

export function isLetterField(value: unknown): value is LetterField {
  return isOneOf(LETTER_FIELDS, value);
}

/** Working days a complainant is given to reply to a request for information or a closure letter. */
export const REPLY_WORKING_DAYS = 10;

/** The values of one case, as text; a field not present has not been recorded. */
export type LetterValues = Partial<Record<LetterField, string>>;
