/**
 * The notification templates Redress ships, and the one placeholder syntax they use:
 * `{{ name }}`, replaced by a value. Administrators may rewrite a template's subject and
 * body (src/notify/notification-template-service.ts); their text is never evaluated — only
 * known placeholders are replaced, and an unknown one is refused when the template is saved.
 *
 * Emails to complainants carry no more than the case reference and dates; emails to staff
 * carry the reference and a link to the case, never names, addresses or what happened.
 */
import { DomainError } from '../domain/errors.ts';

export const TEMPLATE_KEYS = ['submission_received', 'acknowledgement', 'allocation', 'reminder_due_soon', 'reminder_due_today', 'overdue_escalation', 'daily_digest', 'questionnaire', 'questionnaire_reminder', 'questionnaire_child', 'questionnaire_reminder_child', 'next_stage_link', 'next_stage_requested', 'submission_for_team'] as const;

export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export function isTemplateKey(value: unknown): value is TemplateKey {
  return typeof value === 'string' && (TEMPLATE_KEYS as readonly string[]).includes(value);
}

export interface TemplateDefinition {
  readonly key: TemplateKey;
  readonly label: string;
  readonly audience: 'complainant' | 'staff';
  readonly description: string;
  /** The placeholders the template may use, each with what it holds. */
  readonly placeholders: Readonly<Record<string, string>>;
  readonly subject: string;
  readonly body: string;
}

/** Filled in by every message, from the configuration. */
const COMMON = { council_name: 'the council’s name' };

export const TEMPLATE_DEFINITIONS: Readonly<Record<TemplateKey, TemplateDefinition>> = {
  submission_received: {
    key: 'submission_received',
    label: 'Sent online: we have it',
    audience: 'complainant',
    description: 'Sent at once to someone who contacted us through the online pages and asked for replies by email. Written so a child can read it.',
    placeholders: { ...COMMON, reference: 'the reference shown on the confirmation page', what: 'what they sent: “complaint”, “thank you” or “idea”' },
    subject: 'We have got your {{ what }} ({{ reference }})',
    body: [
      'Thank you for contacting {{ council_name }}.',
      '',
      'We have got your {{ what }}. Its reference is {{ reference }}. Please use it if you contact us about it.',
      '',
      'Someone from the complaints team will read it and get in touch.',
      '',
      '{{ council_name }} Complaints Team',
    ].join('\n'),
  },
  acknowledgement: {
    key: 'acknowledgement',
    label: 'Acknowledgement to the complainant',
    audience: 'complainant',
    description: 'Sent to the complainant, when they gave an email address, once the acknowledgement is recorded.',
    placeholders: { ...COMMON, reference: 'the case reference', received_on: 'the date it was received', response_due_on: 'when the response is due' },
    subject: 'We have received your complaint ({{ reference }})',
    body: [
      'Thank you for contacting {{ council_name }}.',
      '',
      'We received your complaint on {{ received_on }}. Its reference is {{ reference }}: please quote it if you contact us.',
      '',
      'We aim to reply by {{ response_due_on }}. If you would like help from an advocate, please tell us.',
      '',
      '{{ council_name }} Quality and Complaints Team',
    ].join('\n'),
  },
  allocation: {
    key: 'allocation',
    label: 'Allocation to a responding manager',
    audience: 'staff',
    description: 'Sent to the responding manager a Stage 1 complaint is allocated to.',
    placeholders: { ...COMMON, reference: 'the case reference', due_on: 'when the Stage 1 response is due', case_url: 'a link to the case' },
    subject: 'Complaint {{ reference }} has been allocated to you',
    body: ['Complaint {{ reference }} has been allocated to you to respond to at Stage 1.', '', 'The response is due by {{ due_on }}.', '', 'Open the case: {{ case_url }}'].join('\n'),
  },
  reminder_due_soon: {
    key: 'reminder_due_soon',
    label: 'Reminder: response due soon',
    audience: 'staff',
    description: 'Sent to the responding manager 3 working days before the Stage 1 response is due.',
    placeholders: { ...COMMON, reference: 'the case reference', due_on: 'when the response is due', working_days_left: 'how long is left, e.g. 3 working days', case_url: 'a link to the case' },
    subject: 'Reminder: the response to {{ reference }} is due on {{ due_on }}',
    body: ['The Stage 1 response to complaint {{ reference }} is due on {{ due_on }}, in {{ working_days_left }}.', '', 'Open the case: {{ case_url }}'].join('\n'),
  },
  reminder_due_today: {
    key: 'reminder_due_today',
    label: 'Reminder: response due today',
    audience: 'staff',
    description: 'Sent to the responding manager on the day the Stage 1 response is due.',
    placeholders: { ...COMMON, reference: 'the case reference', due_on: 'when the response is due', case_url: 'a link to the case' },
    subject: 'The response to {{ reference }} is due today',
    body: ['The Stage 1 response to complaint {{ reference }} is due today, {{ due_on }}.', '', 'Open the case: {{ case_url }}'].join('\n'),
  },
  overdue_escalation: {
    key: 'overdue_escalation',
    label: 'Overdue: escalation to managers',
    audience: 'staff',
    description: 'Sent to the complaints managers and the responding managers of the case’s team the first working day after a Stage 1 response was due.',
    placeholders: { ...COMMON, reference: 'the case reference', due_on: 'when the response was due', working_days_overdue: 'how late it is, e.g. 2 working days', case_url: 'a link to the case' },
    subject: 'Overdue: the response to {{ reference }} was due on {{ due_on }}',
    body: ['The Stage 1 response to complaint {{ reference }} was due on {{ due_on }} and is overdue by {{ working_days_overdue }}.', '', 'Open the case: {{ case_url }}'].join('\n'),
  },
  daily_digest: {
    key: 'daily_digest',
    label: 'Daily digest',
    audience: 'staff',
    description: 'Sent once each working day to each member of staff with open cases: how many are open, due soon and overdue.',
    placeholders: { ...COMMON, date: 'the date of the digest', open_cases: 'open cases', due_soon: 'cases due within 3 working days', overdue: 'overdue cases', cases_url: 'a link to the case list' },
    subject: 'Your complaints for {{ date }}',
    body: ['Your complaints on {{ date }}:', '', 'Open: {{ open_cases }}', 'Due within 3 working days: {{ due_soon }}', 'Overdue: {{ overdue }}', '', 'See your cases: {{ cases_url }}'].join('\n'),
  },
  questionnaire: {
    key: 'questionnaire',
    label: 'Questionnaire: how did we do?',
    audience: 'complainant',
    description: 'Sent to the complainant, when they gave an email address and did not ask not to be contacted, once their complaint is closed. The link works once and expires.',
    placeholders: { ...COMMON, reference: 'the case reference', link_url: 'the link to the questionnaire (it works once)', expires_on: 'the last day the link works' },
    subject: 'How did we do? ({{ reference }})',
    body: [
      'We have finished dealing with your complaint {{ reference }}.',
      '',
      'Please tell us how we did. There are 5 short questions and it takes about 2 minutes:',
      '',
      '{{ link_url }}',
      '',
      'The link works until {{ expires_on }}. You do not have to answer, and answering will not change the outcome of your complaint.',
      '',
      '{{ council_name }} Quality and Complaints Team',
    ].join('\n'),
  },
  questionnaire_reminder: {
    key: 'questionnaire_reminder',
    label: 'Questionnaire: reminder',
    audience: 'complainant',
    description: 'Sent once, some days after the questionnaire, if it has not been answered.',
    placeholders: { ...COMMON, reference: 'the case reference', link_url: 'the link to the questionnaire (it works once)', expires_on: 'the last day the link works' },
    subject: 'Reminder: how did we do? ({{ reference }})',
    body: [
      'A few days ago we asked how we dealt with your complaint {{ reference }}. If you have a moment, please tell us:',
      '',
      '{{ link_url }}',
      '',
      'The link works until {{ expires_on }}. This is the only reminder we will send.',
      '',
      '{{ council_name }} Quality and Complaints Team',
    ].join('\n'),
  },
  questionnaire_child: {
    key: 'questionnaire_child',
    label: 'Questionnaire for a child or young person',
    audience: 'complainant',
    description: 'The questionnaire email in words for a child or young person: sent instead of the questionnaire email when the complainant is a child or young person.',
    placeholders: { ...COMMON, reference: 'the case reference', link_url: 'the link to the questionnaire (it works once)', expires_on: 'the last day the link works' },
    subject: 'Tell us what you think ({{ reference }})',
    body: [
      'We have finished looking at your complaint. Your complaint number is {{ reference }}.',
      '',
      'Please tell us how we did. There are 4 quick questions:',
      '',
      '{{ link_url }}',
      '',
      'The link works until {{ expires_on }}. You do not have to answer. Your answers will not change what we decided.',
      '',
      '{{ council_name }} Complaints Team',
    ].join('\n'),
  },
  questionnaire_reminder_child: {
    key: 'questionnaire_reminder_child',
    label: 'Questionnaire reminder for a child or young person',
    audience: 'complainant',
    description: 'The questionnaire reminder in words for a child or young person: sent once, some days later, if they have not answered.',
    placeholders: { ...COMMON, reference: 'the case reference', link_url: 'the link to the questionnaire (it works once)', expires_on: 'the last day the link works' },
    subject: 'Tell us what you think: a reminder ({{ reference }})',
    body: [
      'A few days ago we asked what you think about how we looked at your complaint ({{ reference }}). If you have time, please tell us:',
      '',
      '{{ link_url }}',
      '',
      'The link works until {{ expires_on }}. We will not remind you again.',
      '',
      '{{ council_name }} Complaints Team',
    ].join('\n'),
  },
  next_stage_link: {
    key: 'next_stage_link',
    label: 'Asking for the next stage',
    audience: 'complainant',
    description: 'Sent with the Stage 1 response (and the Stage 2 adjudication) when the complainant gave an email address: a link to ask for the next stage online. The link works once and expires.',
    placeholders: {
      ...COMMON,
      reference: 'the case reference',
      next_stage: 'the next stage, in words',
      request_by: 'the last day to ask in time (20 working days after the response)',
      link_url: 'the link to ask for the next stage (it works once)',
    },
    subject: 'If you are not satisfied with our response ({{ reference }})',
    body: [
      'We have sent you our response to your complaint {{ reference }}.',
      '',
      'If you are not satisfied with it, you can ask for {{ next_stage }}. You can ask online, using this link:',
      '',
      '{{ link_url }}',
      '',
      'Please ask by {{ request_by }}. If you ask later, tell us why: we will still consider your request. You can also ask by letter, email, telephone or in person.',
      '',
      '{{ council_name }} Complaints Team',
    ].join('\n'),
  },
  next_stage_requested: {
    key: 'next_stage_requested',
    label: 'Next stage asked for online',
    audience: 'staff',
    description: 'Sent to the complaints managers when a complainant asks online for the next stage: the request needs recording on the case.',
    placeholders: { ...COMMON, reference: 'the case reference', next_stage: 'the stage asked for, in words', requested_on: 'the date it was asked for' },
    subject: 'Next stage asked for online: {{ reference }}',
    body: ['On {{ requested_on }} the complainant asked online for {{ next_stage }} on complaint {{ reference }}.', '', 'Record the request on the case: it is dated the day it came.'].join('\n'),
  },
  submission_for_team: {
    key: 'submission_for_team',
    label: 'Sent online: waiting to be registered',
    audience: 'staff',
    description:
      'Sent to the complaints team’s shared mailbox (COMPLAINTS_TEAM_EMAIL), or to each complaints manager when there is none, as soon as something is sent through the online pages. Its time limits already run from that day.',
    placeholders: { ...COMMON, reference: 'the reference it was given', what: 'what was sent: “complaint”, “compliment” or “comment”', received_on: 'the day it arrived (day 0 of its time limits)', case_url: 'a link to it' },
    subject: 'Sent online, waiting to be registered: {{ reference }}',
    body: [
      'A {{ what }} was sent online on {{ received_on }}. Its reference is {{ reference }}.',
      '',
      'The council received it that day, so its time limits are already running. Register it: {{ case_url }}',
    ].join('\n'),
  },
};

export type Personalisation = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const NAME = /^[a-z][a-z0-9_]*$/;

/** The placeholders a text uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/**
 * Every problem with a subject or body for `key`: a placeholder the template does not have,
 * or braces that do not make a placeholder. Empty when the text is fine.
 */
export function templateTextProblems(key: TemplateKey, field: 'subject' | 'body', text: string): DomainError[] {
  const known = TEMPLATE_DEFINITIONS[key].placeholders;
  const problems: DomainError[] = [];
  for (const name of placeholdersIn(text)) {
    if (!NAME.test(name) || !Object.hasOwn(known, name)) {
      problems.push(new DomainError('unknown_placeholder', `${field === 'subject' ? 'Subject' : 'Body'} uses {{ ${name} }}, which this message does not have: use ${Object.keys(known).map((n) => `{{ ${n} }}`).join(', ')}`, field));
    }
  }
  const leftover = text.replace(PLACEHOLDER, '');
  if (leftover.includes('{{') || leftover.includes('}}')) {
    problems.push(new DomainError('broken_placeholder', `${field === 'subject' ? 'Subject' : 'Body'} has braces that are not a placeholder: write placeholders as {{ name }}`, field));
  }
  // A message carrying a secure link (src/notify/secure-link-email.ts) is no use without it.
  if (field === 'body' && Object.hasOwn(known, 'link_url') && !placeholdersIn(text).includes('link_url')) {
    problems.push(new DomainError('link_url_required', 'Body must include {{ link_url }}: it is the link the message is sent for', field));
  }
  return problems;
}

/** Replaces each `{{ name }}` with its value; a placeholder without a value becomes empty. The text itself is never evaluated. */
export function fillPlaceholders(text: string, values: Personalisation): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    return value === undefined ? '' : String(value);
  });
}

/** A subject is one line: line breaks (which could add mail headers) become spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}
