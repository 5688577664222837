/**
 * The child version of each letter: what a child or young person who complains gets (see
 * `letter-audience.ts`). Written for a reading age of about 9: short sentences, everyday
 * words, no jargon, one idea a sentence. `test/unit/letters/reading-age.test.ts` fills each
 * with realistic values and measures it (Flesch–Kincaid grade + 5 ≤ 9), so a change that
 * makes one harder to read fails the tests.
 *
 * Every child letter names the advocate, or says what an advocate is, through
 * `{{ advocate_help }}`, and never shows or asks for an address: the letterhead of a child
 * letter carries the name only, and a "Copy to" line names the advocate when there is one.
 */
import type { LetterKey } from './letter-definitions.ts';

export interface ChildWording {
  readonly subject: string;
  readonly body: string;
}

const SIGN_OFF = `From

The Complaints Team
{{ council_name }}`;

const NUMBER = 'Your complaint number is {{ case_reference }}.';

export const CHILD_LETTER_WORDING: Readonly<Record<LetterKey, ChildWording>> = {
  acknowledgement: {
    subject: 'We got your complaint: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

Thank you for telling us what is wrong. We got your complaint on {{ received_date }}. ${NUMBER} Please use it if you call or write to us.

## What happens next

A manager from {{ team_name }} will look at your complaint. They will write to you by {{ due_date }}. If they need more time, we will tell you why.

{{ advocate_help }}

${SIGN_OFF}`,
  },
  extension: {
    subject: 'We need more time: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

This letter is about your complaint. ${NUMBER}

We need more time to look at it. This is why: {{ extension_reason }}.

We will write to you by {{ new_due_date }}. We are sorry it is taking longer.

{{ advocate_help }}

${SIGN_OFF}`,
  },
  stage1_response: {
    subject: 'Our answer to your complaint: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

Thank you for your complaint. ${NUMBER} I have looked at it. This letter is my answer.

## What we found

{{ finding }}

## What we will do

{{ remedies }}

## If you are not happy

{{ stage2_route }}

{{ advocate_help }}

From

{{ responding_manager_name }}
{{ team_name }}
{{ council_name }}`,
  },
  request_for_information: {
    subject: 'Please tell us more: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

Thank you for your complaint. ${NUMBER}

We need to know a bit more so we can help you. Please tell us this:

{{ information_requested }}

Please tell us by {{ reply_by_date }}. You can phone us, write to us or email us.

{{ advocate_help }}

${SIGN_OFF}`,
  },
  closure_warning: {
    subject: 'Please get in touch: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

On {{ information_requested_date }} we asked you to tell us more about your complaint. ${NUMBER} We asked about this:

{{ information_requested }}

We have not heard from you. If we do not hear from you by {{ closure_date }}, we will stop looking at your complaint. You can still get in touch before then. You can also make a new complaint later.

{{ advocate_help }}

${SIGN_OFF}`,
  },
  withdrawal: {
    subject: 'Your complaint is closed: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

Your complaint stopped on {{ withdrawn_date }}, so we have closed it. ${NUMBER}

If you want to tell us about it again, just get in touch. You can do this at any time.

{{ advocate_help }}

${SIGN_OFF}`,
  },
  stage2_acknowledgement: {
    subject: 'Stage 2 of your complaint: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

On {{ stage2_request_date }} you asked us to look at your complaint again. This is called Stage 2. ${NUMBER}

## What happens next

A new person will look at your complaint. They do not work in the team you told us about. Another person will check that it is fair. First, they will write down your complaint with you. This is so they get it right.

We will send you our answer by {{ stage2_due_date }}. If we need more time, we will tell you why.

{{ advocate_help }}

${SIGN_OFF}`,
  },
  corporate_stage2_acknowledgement: {
    subject: 'Stage 2 of your complaint: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

On {{ stage2_request_date }} you asked us to look at your complaint again. ${NUMBER}

## What happens next

Someone new will look at your complaint. This is called Stage 2. It is the last stage.

We will send you our last answer by {{ stage2_due_date }}. If we need more time, we will tell you why.

{{ advocate_help }}

${SIGN_OFF}`,
  },
  stage2_extension: {
    subject: 'We need more time: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

This letter is about Stage 2 of your complaint. ${NUMBER}

We need more time to look at it. This is why: {{ stage2_extension_reason }}.

We will send you our answer by {{ stage2_new_due_date }}. We are sorry it is taking longer.

{{ advocate_help }}

${SIGN_OFF}`,
  },
  stage2_adjudication: {
    subject: 'Our answer after Stage 2: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

{{ investigating_officer_name }} has looked at your complaint again. {{ independent_person_name }} checked that it was fair. I have read what they wrote. This letter is our answer. ${NUMBER}

## What we found

{{ stage2_findings }}

{{ stage2_finding }}

## What we will do

{{ stage2_recommendations }}

## If you are not happy

{{ stage3_route }}

{{ advocate_help }}

From

{{ council_name }}`,
  },
  corporate_final_response: {
    subject: 'Our last answer to your complaint: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

On {{ stage2_request_date }} you asked us to look at your complaint again. We have done that. This letter is our last answer. ${NUMBER}

## What we found

{{ stage2_finding }}

## If you are still not happy

This was the last stage of our complaints steps.

{{ ombudsman_route }}

{{ advocate_help }}

From

{{ council_name }}`,
  },
  stage3_acknowledgement: {
    subject: 'Your review panel: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

On {{ stage3_request_date }} you asked for a review panel to look at your complaint. ${NUMBER}

## What happens next

A panel is three people. They do not work for the council. They will meet by {{ panel_due_date }} to talk about your complaint. You can come and say what you think. You can bring someone with you. We will tell you the date, the time and the place.

{{ advocate_help }}

${SIGN_OFF}`,
  },
  panel_invitation: {
    subject: 'The panel for your complaint: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

The panel for your complaint will meet on {{ panel_meeting_date }}. ${NUMBER} The people on the panel are:

{{ panel_members }}

Please come and tell them what you think. You can bring someone with you. Tell us if you need help to take part.

The panel will write to us within 5 working days of the meeting. Then we will write to you within 15 working days.

{{ advocate_help }}

${SIGN_OFF}`,
  },
  stage3_response: {
    subject: 'Our answer after the panel: {{ case_reference }}',
    body: `Dear {{ complainant_name }}

The panel met on {{ panel_meeting_date }} to talk about your complaint. They told us what they think we should do. We looked at this with {{ independent_person_name }}. This letter is our answer. ${NUMBER}

## What the panel said and what we decided

{{ council_decisions }}

## If you are not happy

{{ ombudsman_route }}

{{ advocate_help }}

From

{{ council_name }}`,
  },
};
