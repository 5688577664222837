/**
 * The letters Redress writes, as data: for each, its title, the placeholders it may use and
 * must use, when it applies to a case, and the shipped default wording. The database holds
 * only a council's edited wording (see `LetterService`); an administrator can always go back
 * to the default here.
 *
 * To add a letter (Stage 2 and Stage 3 letters next): add its key to `LETTER_KEYS` and one
 * entry to `LETTER_DEFINITIONS`. Nothing else needs to change: the admin pages, the case's
 * letter list, the HTML and DOCX output all read this table.
 *
 * Template text: plain text. A blank line starts a new paragraph; a paragraph whose first
 * line starts with `## ` is a heading; line breaks inside a paragraph are kept. Values are
 * written `{{ name }}` (see `letter-template.ts`).
 */
import type { CaseStatus } from '../cases/case-status.ts';
import { isOneOf } from '../taxonomies/code-list.ts';
import type { RepresentationKind } from '../taxonomies/representation-kinds.ts';
import type { LetterField } from './letter-fields.ts';

export const LETTER_KEYS = ['acknowledgement', 'extension', 'stage1_response', 'request_for_information', 'closure_warning', 'withdrawal'] as const;

export type LetterKey = (typeof LETTER_KEYS)[number];

export function isLetterKey(value: unknown): value is LetterKey {
  return isOneOf(LETTER_KEYS, value);
}

/** Facts of a case, beyond its status, that decide whether a letter applies now. */
export type LetterCondition = 'extended' | 'responded' | 'information_requested';

export interface LetterDefinition {
  readonly key: LetterKey;
  readonly title: string;
  /** One sentence for the lists: when the letter is sent. */
  readonly description: string;
  /** The stage the letter belongs to (Stage 2 and 3 letters will say 2 and 3). */
  readonly stage: number;
  /** Placeholders the template may use. */
  readonly fields: readonly LetterField[];
  /** Placeholders the template must use: a save without one is refused. */
  readonly required: readonly LetterField[];
  /** When the letter applies to a case: all must hold. */
  readonly appliesWhen: {
    readonly kinds: readonly RepresentationKind[];
    readonly statuses: readonly CaseStatus[];
    readonly conditions?: readonly LetterCondition[];
  };
  readonly defaultSubject: string;
  readonly defaultBody: string;
}

/** Every letter may use these. */
const COMMON: readonly LetterField[] = [
  'case_reference',
  'today',
  'council_name',
  'complainant_name',
  'complainant_address',
  'young_person_id',
  'team_name',
  'received_date',
  'acknowledgement_date',
  'responding_manager_name',
];

const PROCEDURE_KINDS: readonly RepresentationKind[] = ['children_statutory', 'corporate', 'adult_statutory'];
const STAGE1_OPEN: readonly CaseStatus[] = ['registered', 'allocated', 'awaiting_information', 'closure_warning_sent'];

const SIGN_OFF = `Yours sincerely

Complaints Team
{{ council_name }}`;

export const LETTER_DEFINITIONS: Readonly<Record<LetterKey, LetterDefinition>> = {
  acknowledgement: {
    key: 'acknowledgement',
    title: 'Acknowledgement',
    description: 'Sent when a complaint is received: says who will answer it and by when.',
    stage: 1,
    fields: [...COMMON, 'due_date'],
    required: [],
    appliesWhen: { kinds: PROCEDURE_KINDS, statuses: STAGE1_OPEN },
    defaultSubject: 'Your complaint: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

Thank you for your complaint, which we received on {{ received_date }}. We have recorded it under the reference {{ case_reference }}: please quote it if you contact us.

## What happens next

Your complaint has been passed to the manager of the team concerned ({{ team_name }}), who will look into it and write to you with a response by {{ due_date }}. If we need more time, we will write to tell you why and when you can expect to hear from us.

If your complaint is about a child or young person, they can have an advocate: someone independent who helps children and young people make their views known. Please tell us if you would like us to arrange one.

${SIGN_OFF}`,
  },
  extension: {
    key: 'extension',
    title: 'Extension',
    description: 'Sent when the time to respond at Stage 1 is extended: says why and the new date.',
    stage: 1,
    fields: [...COMMON, 'due_date', 'extension_days', 'extension_reason', 'new_due_date'],
    required: ['new_due_date'],
    appliesWhen: { kinds: PROCEDURE_KINDS, statuses: STAGE1_OPEN, conditions: ['extended'] },
    defaultSubject: 'More time to answer your complaint: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

I am writing about your complaint, reference {{ case_reference }}, which we received on {{ received_date }}.

We have not been able to finish looking into your complaint in the time we first set. The reason is: {{ extension_reason }}. We have therefore extended the time to respond by {{ extension_days }}.

You should now receive our response by {{ new_due_date }}. We are sorry for the delay.

${SIGN_OFF}`,
  },
  stage1_response: {
    key: 'stage1_response',
    title: 'Stage 1 response',
    description: 'The response to the complaint at Stage 1, with the finding and remedies, and how to go to Stage 2.',
    stage: 1,
    fields: [...COMMON, 'due_date', 'response_date', 'finding', 'remedies', 'stage2_request_by', 'stage2_route'],
    required: ['stage2_route'],
    appliesWhen: { kinds: PROCEDURE_KINDS, statuses: ['allocated', 'responded', 'closed'] },
    defaultSubject: 'Our response to your complaint: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

Thank you for your complaint, reference {{ case_reference }}, which we received on {{ received_date }}. I have looked into it and this letter is my response.

## What we found

Having considered everything, your complaint is: {{ finding }}.

## What we will do

{{ remedies }}

## If you are not satisfied

{{ stage2_route }}

Yours sincerely

{{ responding_manager_name }}
{{ team_name }}
{{ council_name }}`,
  },
  request_for_information: {
    key: 'request_for_information',
    title: 'Request for information',
    description: 'Asks the complainant for the details needed to look into the complaint.',
    stage: 1,
    fields: [...COMMON, 'information_requested', 'information_requested_date', 'reply_by_date'],
    required: ['information_requested'],
    appliesWhen: { kinds: PROCEDURE_KINDS, statuses: ['registered', 'allocated', 'awaiting_information'] },
    defaultSubject: 'We need more information about your complaint: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

Thank you for your complaint, reference {{ case_reference }}, which we received on {{ received_date }}.

To look into your complaint properly we need some more information from you:

{{ information_requested }}

Please reply by {{ reply_by_date }}, quoting your reference. If you need help to reply, or would like an advocate, please contact us.

${SIGN_OFF}`,
  },
  closure_warning: {
    key: 'closure_warning',
    title: 'Closure warning',
    description: 'Sent when the information asked for has not come: says the complaint will be closed unless the complainant replies.',
    stage: 1,
    fields: [...COMMON, 'information_requested', 'information_requested_date', 'closure_warning_date', 'closure_date'],
    required: ['closure_date'],
    appliesWhen: { kinds: PROCEDURE_KINDS, statuses: ['awaiting_information', 'closure_warning_sent'], conditions: ['information_requested'] },
    defaultSubject: 'Your complaint will be closed unless we hear from you: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

On {{ information_requested_date }} we wrote to ask you for more information about your complaint, reference {{ case_reference }}:

{{ information_requested }}

We have not heard from you. If we do not hear from you by {{ closure_date }}, we will close your complaint as withdrawn. You can still contact us before then, and you can make a complaint again later.

${SIGN_OFF}`,
  },
  withdrawal: {
    key: 'withdrawal',
    title: 'Withdrawal',
    description: 'Confirms that the complaint has been withdrawn and closed.',
    stage: 1,
    fields: [...COMMON, 'withdrawn_date'],
    required: [],
    appliesWhen: { kinds: PROCEDURE_KINDS, statuses: ['withdrawn'] },
    defaultSubject: 'Your complaint has been withdrawn: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

This letter confirms that your complaint, reference {{ case_reference }}, which we received on {{ received_date }}, was withdrawn on {{ withdrawn_date }} and is now closed.

If you would like to raise your concerns again, or if anything changes, please contact us.

${SIGN_OFF}`,
  },
};

/** The letter's title inside a sentence: "the acknowledgement letter", "the Stage 1 response letter". */
export function titleInSentence(definition: LetterDefinition): string {
  return /^Stage \d/.test(definition.title) ? definition.title : definition.title.toLowerCase();
}

/** In the order the lists show them. */
export const LETTERS: readonly LetterDefinition[] = LETTER_KEYS.map((key) => LETTER_DEFINITIONS[key]);

/** What `letterApplies` reads from a case. */
export interface LetterCaseState {
  readonly kind: string;
  readonly status: string;
  readonly isExtended: boolean;
  readonly hasResponse: boolean;
  readonly hasInformationRequest: boolean;
}

export function letterApplies(definition: LetterDefinition, state: LetterCaseState): boolean {
  const { kinds, statuses, conditions = [] } = definition.appliesWhen;
  if (!(kinds as readonly string[]).includes(state.kind) || !(statuses as readonly string[]).includes(state.status)) return false;
  return conditions.every((condition) => {
    switch (condition) {
      case 'extended':
        return state.isExtended;
      case 'responded':
        return state.hasResponse;
      case 'information_requested':
        return state.hasInformationRequest;
    }
  });
}
