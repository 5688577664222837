/**
 * The letters Redress writes, as data: for each, its title, the placeholders it may use and
 * must use, when it applies to a case, and the shipped default wording. The database holds
 * only a council's edited wording (see `LetterService`); an administrator can always go back
 * to the default here.
 *
 * To add a letter: add its key to `LETTER_KEYS` and one
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
import { CHILD_LETTER_WORDING } from './child-letter-wording.ts';
import type { LetterAudience } from './letter-audience.ts';

const STAGE1_LETTER_KEYS = ['acknowledgement', 'extension', 'stage1_response', 'request_for_information', 'closure_warning', 'withdrawal'] as const;
const LATER_LETTER_KEYS = [
  'stage2_acknowledgement',
  'corporate_stage2_acknowledgement',
  'stage2_extension',
  'stage2_adjudication',
  'corporate_final_response',
  'stage3_acknowledgement',
  'panel_invitation',
  'stage3_response',
] as const;

export const LETTER_KEYS = [...STAGE1_LETTER_KEYS, ...LATER_LETTER_KEYS] as const;

export type LetterKey = (typeof LETTER_KEYS)[number];

export function isLetterKey(value: unknown): value is LetterKey {
  return isOneOf(LETTER_KEYS, value);
}

/** Facts of a case, beyond its status, that decide whether a letter applies now. */
export type LetterCondition = 'extended' | 'responded' | 'information_requested' | 'stage2_extended' | 'stage2_adjudicated' | 'panel_appointed' | 'stage3_responded';

export interface LetterDefinition {
  readonly key: LetterKey;
  readonly title: string;
  /** One sentence for the lists: when the letter is sent. */
  readonly description: string;
  /** The stage the letter belongs to. */
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
  /** The version for a child or young person (`child-letter-wording.ts`): same placeholders, simpler words. */
  readonly childSubject: string;
  readonly childBody: string;
}

/** A letter's definition before its child version is added. */
type StandardDefinition = Omit<LetterDefinition, 'childSubject' | 'childBody'>;

/** The shipped wording of the letter for the audience. */
export function defaultWording(definition: LetterDefinition, audience: LetterAudience): { subject: string; body: string } {
  return audience === 'child' ? { subject: definition.childSubject, body: definition.childBody } : { subject: definition.defaultSubject, body: definition.defaultBody };
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
  'advocate_name',
  'advocate_help',
];

const PROCEDURE_KINDS: readonly RepresentationKind[] = ['children_statutory', 'corporate', 'adult_statutory'];
const STAGE1_OPEN: readonly CaseStatus[] = ['registered', 'allocated', 'awaiting_information', 'closure_warning_sent'];

const SIGN_OFF = `Yours sincerely

Complaints Team
{{ council_name }}`;

const STAGE1_LETTERS: Readonly<Record<(typeof STAGE1_LETTER_KEYS)[number], StandardDefinition>> = {
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

const CHILDREN: readonly RepresentationKind[] = ['children_statutory'];
/** The corporate procedure has two stages: its Stage 2 response is final, and the next step is the Ombudsman (no review panel). */
const CORPORATE: readonly RepresentationKind[] = ['corporate'];
const STAGE2_KINDS: readonly RepresentationKind[] = ['children_statutory', 'corporate'];
const STAGE2_COMMON: readonly LetterField[] = [...COMMON, 'stage2_request_date', 'statement_agreed_date', 'stage2_due_date', 'investigating_officer_name', 'independent_person_name'];
const STAGE3_COMMON: readonly LetterField[] = [...STAGE2_COMMON, 'adjudication_date', 'stage3_request_date', 'panel_due_date', 'panel_members', 'panel_meeting_date'];

const LATER_LETTERS: Readonly<Record<(typeof LATER_LETTER_KEYS)[number], StandardDefinition>> = {
  stage2_acknowledgement: {
    key: 'stage2_acknowledgement',
    title: 'Stage 2 acknowledgement',
    description: 'Sent when Stage 2 is asked for under the Children Act procedure: says how the investigation works and when the response is due.',
    stage: 2,
    fields: STAGE2_COMMON,
    required: [],
    appliesWhen: { kinds: CHILDREN, statuses: ['stage2'] },
    defaultSubject: 'Your complaint at Stage 2: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

Thank you for your request of {{ stage2_request_date }} for your complaint, reference {{ case_reference }}, to be looked at again at Stage 2 of the complaints procedure.

## What happens next

An investigating officer who does not work for the service concerned will look into your complaint. An Independent Person will oversee the investigation to make sure it is fair. The investigating officer will first agree with you a written statement of the points of your complaint.

We will send you our response, the adjudication, by {{ stage2_due_date }}. If we need more time we will write to tell you why.

If your complaint is about a child or young person, they can have an advocate to help them at Stage 2 too. Please tell us if you would like us to arrange one.

${SIGN_OFF}`,
  },
  corporate_stage2_acknowledgement: {
    key: 'corporate_stage2_acknowledgement',
    title: 'Corporate Stage 2 acknowledgement',
    description: 'Sent when Stage 2 of the corporate procedure is asked for: says who will look at the complaint again and when the final response is due.',
    stage: 2,
    fields: [...COMMON, 'stage2_request_date', 'stage2_due_date'],
    required: [],
    appliesWhen: { kinds: CORPORATE, statuses: ['stage2'] },
    defaultSubject: 'Your complaint at Stage 2: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

Thank you for asking us on {{ stage2_request_date }} to look at your complaint again. Your reference is {{ case_reference }}.

## What happens next

Someone who has not worked on your complaint before will look at it again. This is Stage 2, the last stage of our complaints procedure.

We will send you our final response by {{ stage2_due_date }}. If we need more time, we will write and tell you why.

${SIGN_OFF}`,
  },
  stage2_extension: {
    key: 'stage2_extension',
    title: 'Stage 2 extension',
    description: 'Sent when the time for the Stage 2 response is extended: says why and the new date.',
    stage: 2,
    fields: [...STAGE2_COMMON, 'stage2_extension_days', 'stage2_extension_reason', 'stage2_new_due_date'],
    required: ['stage2_new_due_date'],
    appliesWhen: { kinds: STAGE2_KINDS, statuses: ['stage2'], conditions: ['stage2_extended'] },
    defaultSubject: 'More time to investigate your complaint: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

I am writing about the Stage 2 investigation of your complaint, reference {{ case_reference }}.

The investigation needs more time than we first set. The reason is: {{ stage2_extension_reason }}. We have therefore extended the time for our response by {{ stage2_extension_days }}.

You should now receive our response by {{ stage2_new_due_date }}. We are sorry for the delay.

${SIGN_OFF}`,
  },
  stage2_adjudication: {
    key: 'stage2_adjudication',
    title: 'Stage 2 adjudication',
    description: 'The council’s response to the Stage 2 investigation under the Children Act procedure, with a finding on each point, and how to ask for a review panel.',
    stage: 2,
    fields: [...STAGE2_COMMON, 'adjudication_date', 'stage2_finding', 'stage2_findings', 'stage2_recommendations', 'stage3_request_by', 'stage3_route'],
    required: ['stage3_route'],
    appliesWhen: { kinds: CHILDREN, statuses: ['responded', 'closed'], conditions: ['stage2_adjudicated'] },
    defaultSubject: 'Our response to the Stage 2 investigation of your complaint: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

Your complaint, reference {{ case_reference }}, has been investigated at Stage 2 by {{ investigating_officer_name }}, overseen by the Independent Person, {{ independent_person_name }}. I have read their reports and this letter is the council’s response.

## What we found

{{ stage2_findings }}

Taken as a whole, your complaint is: {{ stage2_finding }}.

## What we will do

{{ stage2_recommendations }}

## If you are not satisfied

{{ stage3_route }}

Yours sincerely

{{ council_name }}`,
  },
  corporate_final_response: {
    key: 'corporate_final_response',
    title: 'Corporate final response',
    description: 'The council’s final response at Stage 2 of the corporate procedure, and how to go to the Ombudsman.',
    stage: 2,
    fields: [...COMMON, 'stage2_request_date', 'stage2_due_date', 'stage2_response_date', 'stage2_finding', 'ombudsman_route'],
    required: ['ombudsman_route'],
    appliesWhen: { kinds: CORPORATE, statuses: ['responded', 'closed'], conditions: ['stage2_adjudicated'] },
    defaultSubject: 'Our final response to your complaint: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

You asked us on {{ stage2_request_date }} to look at your complaint again. Your reference is {{ case_reference }}. We have done that, and this letter is our final response.

## What we found

Having looked at everything again, your complaint is: {{ stage2_finding }}.

## If you are still not happy

This is the last stage of our complaints procedure.

{{ ombudsman_route }}

Yours sincerely

{{ council_name }}`,
  },
  stage3_acknowledgement: {
    key: 'stage3_acknowledgement',
    title: 'Stage 3 acknowledgement',
    description: 'Sent when a review panel is asked for: says how the panel works and when it will meet.',
    stage: 3,
    fields: STAGE3_COMMON,
    required: [],
    appliesWhen: { kinds: CHILDREN, statuses: ['stage3'] },
    defaultSubject: 'Your request for a review panel: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

Thank you for your request of {{ stage3_request_date }} for a review panel to consider your complaint, reference {{ case_reference }}.

## What happens next

A panel of three people who are independent of the council will meet by {{ panel_due_date }} to consider your complaint. You are welcome to attend and to bring someone with you, and you can ask for an advocate. We will write to you with the date, time and place.

${SIGN_OFF}`,
  },
  panel_invitation: {
    key: 'panel_invitation',
    title: 'Review panel invitation',
    description: 'Invites the complainant to the review panel and names its members.',
    stage: 3,
    fields: STAGE3_COMMON,
    required: ['panel_members'],
    appliesWhen: { kinds: CHILDREN, statuses: ['stage3'], conditions: ['panel_appointed'] },
    defaultSubject: 'The review panel for your complaint: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

The review panel for your complaint, reference {{ case_reference }}, will meet on {{ panel_meeting_date }}, and by {{ panel_due_date }} at the latest. The panel members are:

{{ panel_members }}

You are invited to attend and to say what you think, and you can bring someone with you or an advocate. The investigating officer and the Independent Person from Stage 2 may also attend. Please tell us if you need anything to help you take part.

The panel will send its recommendations within 5 working days of the meeting, and the council will then respond within 15 working days.

${SIGN_OFF}`,
  },
  stage3_response: {
    key: 'stage3_response',
    title: 'Council’s response to the review panel',
    description: 'The council’s response to the panel’s recommendations, made with the Independent Person, and how to go to the Ombudsman.',
    stage: 3,
    fields: [...STAGE3_COMMON, 'council_response_date', 'council_decisions', 'ombudsman_route'],
    required: ['council_decisions', 'ombudsman_route'],
    appliesWhen: { kinds: CHILDREN, statuses: ['responded', 'closed'], conditions: ['stage3_responded'] },
    defaultSubject: 'The council’s response to the review panel: {{ case_reference }}',
    defaultBody: `Dear {{ complainant_name }}

The review panel met on {{ panel_meeting_date }} to consider your complaint, reference {{ case_reference }}, and sent its recommendations to the council. Having considered them with the Independent Person, {{ independent_person_name }}, this letter is the council’s response.

## The panel’s recommendations and our decisions

{{ council_decisions }}

## If you are not satisfied

{{ ombudsman_route }}

Yours sincerely

{{ council_name }}`,
  },
};

const STANDARD_DEFINITIONS: Readonly<Record<LetterKey, StandardDefinition>> = { ...STAGE1_LETTERS, ...LATER_LETTERS };

export const LETTER_DEFINITIONS: Readonly<Record<LetterKey, LetterDefinition>> = Object.fromEntries(
  LETTER_KEYS.map((key) => [key, { ...STANDARD_DEFINITIONS[key], childSubject: CHILD_LETTER_WORDING[key].subject, childBody: CHILD_LETTER_WORDING[key].body }]),
) as Record<LetterKey, LetterDefinition>;

/** The letter's title inside a sentence: "the acknowledgement letter", "the Stage 1 response letter". */
export function titleInSentence(definition: LetterDefinition): string {
  if (/^Stage \d/.test(definition.title)) return definition.title;
  return /Stage \d/.test(definition.title) ? definition.title.charAt(0).toLowerCase() + definition.title.slice(1) : definition.title.toLowerCase();
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
  readonly isStage2Extended?: boolean;
  readonly isStage2Adjudicated?: boolean;
  readonly isPanelAppointed?: boolean;
  readonly isStage3Responded?: boolean;
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
      case 'stage2_extended':
        return state.isStage2Extended === true;
      case 'stage2_adjudicated':
        return state.isStage2Adjudicated === true;
      case 'panel_appointed':
        return state.isPanelAppointed === true;
      case 'stage3_responded':
        return state.isStage3Responded === true;
    }
  });
}
