/**
 * The public front door's journeys as data: complain, say thank you (compliment) or tell us
 * an idea (comment), by a child or young person (written for a reading age of about 9: short
 * sentences, everyday words) or by an adult (a parent, carer, relative or professional).
 *
 * Each question is one page. Its wording depends on who is answering and what about; it
 * applies only when earlier answers make it relevant (`appliesWhen`); it checks its own
 * answers with GOV.UK error messages. The web layer renders these and carries the answers
 * from page to page; `submissionOf` turns a finished, valid set of answers into what is
 * stored. Pure: no I/O, the date is passed in.
 */
import type { IsoDate } from '../calendar/iso-date.ts';
import type { ComplainantRole } from '../taxonomies/complainant-roles.ts';
import type { ComplimentSource } from '../taxonomies/compliment-sources.ts';
import type { ContactMethod } from '../taxonomies/contact-methods.ts';
import { ALLOWED_FILES_TEXT, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_SUBMISSION } from '../attachments/file-kinds.ts';

// ---- answers ----

/** Every answer a journey can hold, by the form field that carries it. */
export const ANSWER_FIELDS = [
  'topic',
  'who',
  'relationship',
  'organisation',
  'for_child',
  'child_agrees',
  'child_name',
  'child_birth',
  'what_happened',
  'what_would_help',
  'thanks_who',
  'consent_to_quote',
  'advocate',
  'name',
  'contact',
  'contact_email',
  'contact_phone',
  'contact_address',
  'safe_contact',
] as const;

export type AnswerField = (typeof ANSWER_FIELDS)[number];

/** Answers by field; a missing field has not been answered (or does not apply). */
export type Answers = Readonly<Partial<Record<AnswerField, string>>>;

export const TOPICS = ['complaint', 'compliment', 'comment'] as const;
export type Topic = (typeof TOPICS)[number];

/** Who is answering: the children and young people's route, or the adults' route. */
export type Audience = 'young' | 'adult';

/** The most a long answer may hold. */
export const LONG_ANSWER_MAX = 5000;
/** The most a name may hold. */
export const NAME_MAX = 200;

const isTopic = (value: string | undefined): value is Topic => value !== undefined && (TOPICS as readonly string[]).includes(value);

export function topicOf(answers: Answers): Topic | undefined {
  return isTopic(answers.topic) ? answers.topic : undefined;
}

/** The route the answers are on: young for a child or a care leaver, adult otherwise (and before anyone has said). */
export function audienceOf(answers: Answers): Audience {
  return answers.who === 'child' || answers.who === 'care_leaver' ? 'young' : 'adult';
}

// ---- wording ----

export interface WordingContext {
  readonly audience: Audience;
  readonly topic: Topic | undefined;
}

/** Words for a page: the same for everyone, or chosen by who is answering and what about. */
export type Words = string | ((context: WordingContext) => string);

/** Words for the young people's route, and for the adults'. */
const byAudience =
  (young: string, adult: string): Words =>
  ({ audience }) =>
    audience === 'young' ? young : adult;

export function say(words: Words, context: WordingContext): string {
  return typeof words === 'string' ? words : words(context);
}

// ---- questions ----

export interface TextField {
  readonly name: AnswerField;
  readonly input: 'text' | 'email' | 'tel' | 'textarea';
  readonly label: Words;
  readonly hint?: Words;
  readonly maxLength: number;
  readonly isRequired: (answers: Answers) => boolean;
  readonly requiredMessage: Words;
  /** What the field is called in a "too long" message ("Your name"). */
  readonly shortName: Words;
  readonly format?: 'email' | 'phone';
  readonly autocomplete?: string;
  /** A GOV.UK width class for short inputs. */
  readonly width?: string;
}

export interface Choice {
  readonly value: string;
  readonly text: Words;
  readonly hint?: Words;
  /**
   * Fields shown with this choice (a GOV.UK conditional reveal; always shown without JavaScript).
   * The public journeys use none: govuk-frontend's script puts `aria-expanded` on the radio,
   * which ARIA does not allow there (axe `aria-allowed-attr`), so a follow-up is its own page.
   */
  readonly reveals?: readonly TextField[];
  /** Drawn after an "or" divider. */
  readonly isExclusive?: boolean;
}

interface QuestionBase {
  readonly id: string;
  /** The page's heading (the legend or label of its one question). */
  readonly title: Words;
  /** Paragraphs before the question (e.g. what an advocate is). */
  readonly paragraphs?: (context: WordingContext) => readonly string[];
  readonly hint?: Words;
  /** Its name on "Check your answers". */
  readonly checkLabel: Words;
  readonly appliesWhen: (answers: Answers) => boolean;
}

export interface RadiosQuestion extends QuestionBase {
  readonly type: 'radios';
  readonly field: AnswerField;
  readonly choices: readonly Choice[];
  readonly requiredMessage: Words;
}

export interface FieldsQuestion extends QuestionBase {
  readonly type: 'fields';
  readonly fields: readonly TextField[];
}

/**
 * An optional page of file uploads. The files are not answers: they are kept on the server
 * under the journey's key as they are uploaded (the web layer's business), so the page never
 * has a problem that stops the journey.
 */
export interface FilesQuestion extends QuestionBase {
  readonly type: 'files';
}

export type Question = RadiosQuestion | FieldsQuestion | FilesQuestion;

const always = (): boolean => true;
const isComplaint = (a: Answers): boolean => a.topic === 'complaint';
const isAdult = (a: Answers): boolean => a.who === 'adult';
const isCompliment = (a: Answers): boolean => a.topic === 'compliment';
const isYoung = (a: Answers): boolean => a.who === 'child' || a.who === 'care_leaver';

const tooLong = (field: TextField, context: WordingContext): string => {
  const limit = field.maxLength.toLocaleString('en-GB');
  return context.audience === 'young'
    ? `${say(field.shortName, context)} is too long. Use ${limit} letters or fewer`
    : `${say(field.shortName, context)} must be ${limit} characters or fewer`;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s()-]{7,25}$/;

const emailField: TextField = {
  name: 'contact_email',
  input: 'email',
  label: 'Email address',
  maxLength: 320,
  isRequired: (a) => a.contact === 'email',
  requiredMessage: byAudience('Tell us your email address', 'Enter your email address'),
  shortName: 'Your email address',
  format: 'email',
  autocomplete: 'email',
};

const phoneField: TextField = {
  name: 'contact_phone',
  input: 'tel',
  label: 'Phone number',
  maxLength: 40,
  isRequired: (a) => a.contact === 'telephone',
  requiredMessage: byAudience('Tell us your phone number', 'Enter your phone number'),
  shortName: 'Your phone number',
  format: 'phone',
  autocomplete: 'tel',
  width: 'govuk-input--width-20',
};

const addressField: TextField = {
  name: 'contact_address',
  input: 'textarea',
  label: byAudience('Your address', 'Address'),
  hint: 'Include the postcode.',
  maxLength: 1000,
  isRequired: (a) => a.contact === 'letter',
  requiredMessage: byAudience('Tell us your address', 'Enter your address'),
  shortName: 'Your address',
  autocomplete: 'street-address',
};

const organisationField: TextField = {
  name: 'organisation',
  input: 'text',
  label: 'Where do you work?',
  hint: 'For example, the name of the school, health service or charity.',
  maxLength: NAME_MAX,
  isRequired: (a) => a.relationship === 'professional',
  requiredMessage: 'Enter where you work',
  shortName: 'Where you work',
  autocomplete: 'organization',
};

const whatHappenedTitle: Words = ({ audience, topic }) => {
  const young = audience === 'young';
  if (topic === 'compliment') return young ? 'What would you like to say thank you for?' : 'What would you like to thank us for?';
  if (topic === 'comment') return young ? 'What is your idea?' : 'What is your comment or idea?';
  return young ? 'Tell us what happened' : 'What is your complaint about?';
};

const whatHappenedHint: Words = ({ audience, topic }) => {
  const young = audience === 'young';
  if (topic === 'compliment') return young ? 'Tell us who helped you and what they did.' : 'Tell us what happened and who helped.';
  if (topic === 'comment') return young ? 'Tell us what we could do better, or anything else you think.' : 'Tell us what we could do better, or what you think we should know.';
  return young ? 'Say what went wrong. If you can, say who was there and when it happened.' : 'Tell us what happened, when it happened and who was involved.';
};

const whatHappenedMissing: Words = ({ audience, topic }) => {
  const young = audience === 'young';
  if (topic === 'compliment') return young ? 'Tell us what you would like to say thank you for' : 'Enter what you would like to thank us for';
  if (topic === 'comment') return young ? 'Tell us your idea' : 'Enter your comment or idea';
  return young ? 'Tell us what happened' : 'Enter what your complaint is about';
};

const whatHappenedShort: Words = ({ topic }) => (topic === 'compliment' ? 'What you want to thank us for' : topic === 'comment' ? 'Your idea' : 'What happened');

const isAnonymousAllowed = (a: Answers): boolean => a.topic !== 'complaint';

/** The name: needed for a complaint, optional otherwise. */
const nameField = (): TextField => ({
  name: 'name',
  input: 'text',
  label: ({ audience, topic }) => `${audience === 'young' ? 'What is your name?' : 'What is your full name?'}${topic === 'complaint' ? '' : ' (optional)'}`,
  hint: ({ audience, topic }) =>
    topic === 'complaint'
      ? audience === 'young'
        ? 'Tell us your first name and your last name.'
        : ''
      : 'You do not have to tell us your name.',
  maxLength: NAME_MAX,
  isRequired: (a) => !isAnonymousAllowed(a),
  requiredMessage: byAudience('Tell us your name', 'Enter your full name'),
  shortName: 'Your name',
  autocomplete: 'name',
});

/** Every question, in the order they are asked. */
export const QUESTIONS: readonly Question[] = [
  {
    id: 'topic',
    type: 'radios',
    field: 'topic',
    title: 'What would you like to tell us?',
    paragraphs: () => [
      'You can use these pages to tell our children’s social care team something. You do not need an account.',
      'It takes about 10 minutes.',
    ],
    checkLabel: 'What you want to tell us',
    appliesWhen: always,
    requiredMessage: 'Choose what you would like to tell us',
    choices: [
      { value: 'complaint', text: 'Make a complaint', hint: 'Tell us that something has gone wrong or is not fair.' },
      { value: 'compliment', text: 'Say thank you', hint: 'Tell us that someone did a good job.' },
      { value: 'comment', text: 'Tell us an idea', hint: 'Tell us how we could do things better. This is called a comment.' },
    ],
  },
  {
    id: 'who',
    type: 'radios',
    field: 'who',
    title: 'Who are you?',
    checkLabel: 'Who you are',
    appliesWhen: always,
    requiredMessage: 'Choose who you are',
    choices: [
      { value: 'child', text: 'I am a child or young person', hint: 'You are under 18.' },
      { value: 'care_leaver', text: 'I am a young person who has left care', hint: 'You are 18 or over, and you used to be looked after by us. This is called a care leaver.' },
      { value: 'adult', text: 'I am an adult', hint: 'For example, a parent, carer, relative, or someone who works with a child.' },
    ],
  },
  {
    id: 'relationship',
    type: 'radios',
    field: 'relationship',
    title: 'What is your relationship to the child or young person?',
    checkLabel: 'Your relationship to the child',
    // A compliment is kept short: who is saying thank you matters less than what for.
    appliesWhen: (a) => isAdult(a) && !isCompliment(a),
    requiredMessage: 'Select your relationship to the child or young person',
    choices: [
      { value: 'parent', text: 'Parent' },
      { value: 'relative', text: 'Another relative', hint: 'For example, a grandparent, aunt, uncle, brother or sister.' },
      { value: 'foster_carer', text: 'Foster carer' },
      { value: 'special_guardian', text: 'Special guardian' },
      { value: 'adopter', text: 'Adoptive parent' },
      { value: 'advocate', text: 'Their advocate' },
      { value: 'professional', text: 'I work with them', hint: 'For example, a teacher, nurse, doctor or youth worker.' },
      { value: 'other', text: 'Something else' },
    ],
  },
  {
    id: 'organisation',
    type: 'fields',
    title: organisationField.label,
    checkLabel: 'Where you work',
    appliesWhen: (a) => isAdult(a) && !isCompliment(a) && a.relationship === 'professional',
    fields: [organisationField],
  },
  {
    id: 'for_child',
    type: 'radios',
    field: 'for_child',
    title: 'Are you complaining for a child or young person?',
    hint: 'Choose ‘no’ if your complaint is about how we treated you.',
    checkLabel: 'Complaining for a child',
    appliesWhen: (a) => isAdult(a) && isComplaint(a),
    requiredMessage: 'Select yes if you are complaining for a child or young person',
    choices: [
      { value: 'yes', text: 'Yes, for a child or young person' },
      { value: 'no', text: 'No, about how you treated me' },
    ],
  },
  {
    id: 'child_agrees',
    type: 'radios',
    field: 'child_agrees',
    title: 'Does the child or young person know about this complaint and agree with it?',
    hint: 'We will still look at your complaint if they do not. It helps us to know, so that we can listen to them too.',
    checkLabel: 'The child knows and agrees',
    appliesWhen: (a) => isAdult(a) && isComplaint(a) && a.for_child === 'yes',
    requiredMessage: 'Select whether the child or young person knows about the complaint and agrees with it',
    choices: [
      { value: 'yes', text: 'Yes, they know and agree' },
      { value: 'disagrees', text: 'They know, but they do not agree' },
      { value: 'unaware', text: 'They do not know' },
      { value: 'unsure', text: 'I am not sure' },
    ],
  },
  {
    id: 'child',
    type: 'fields',
    title: 'Which child or young person is it about?',
    paragraphs: () => ['We need this to find the right records.'],
    checkLabel: 'The child or young person',
    appliesWhen: (a) => isAdult(a) && isComplaint(a),
    fields: [
      {
        name: 'child_name',
        input: 'text',
        label: 'Their full name',
        maxLength: NAME_MAX,
        isRequired: always,
        requiredMessage: 'Enter the child or young person’s name',
        shortName: 'Their name',
        autocomplete: 'off',
      },
      {
        name: 'child_birth',
        input: 'text',
        label: 'Their date of birth (optional)',
        hint: 'For example, 27 3 2012. If you do not know it, give their age.',
        maxLength: 40,
        isRequired: () => false,
        requiredMessage: '',
        shortName: 'Their date of birth',
        autocomplete: 'off',
        width: 'govuk-input--width-20',
      },
    ],
  },
  {
    id: 'what_happened',
    type: 'fields',
    title: whatHappenedTitle,
    checkLabel: whatHappenedShort,
    appliesWhen: (a) => !isCompliment(a),
    fields: [
      {
        name: 'what_happened',
        input: 'textarea',
        label: whatHappenedTitle,
        hint: whatHappenedHint,
        maxLength: LONG_ANSWER_MAX,
        isRequired: always,
        requiredMessage: whatHappenedMissing,
        shortName: whatHappenedShort,
      },
    ],
  },
  {
    id: 'thanks',
    type: 'fields',
    title: 'Say thank you',
    checkLabel: whatHappenedShort,
    appliesWhen: isCompliment,
    fields: [
      {
        name: 'what_happened',
        input: 'textarea',
        label: whatHappenedTitle,
        hint: whatHappenedHint,
        maxLength: LONG_ANSWER_MAX,
        isRequired: always,
        requiredMessage: whatHappenedMissing,
        shortName: whatHappenedShort,
      },
      {
        name: 'thanks_who',
        input: 'text',
        label: 'Who would you like to thank? (optional)',
        hint: byAudience('You can tell us a name, a team or a place.', 'You can give a person’s name, a team or a place.'),
        maxLength: NAME_MAX,
        isRequired: () => false,
        requiredMessage: '',
        shortName: 'Who you want to thank',
        autocomplete: 'off',
      },
    ],
  },
  {
    id: 'what_would_help',
    type: 'fields',
    title: byAudience('What would make it better?', 'What would you like us to do to put things right?'),
    checkLabel: byAudience('What would make it better', 'What you would like us to do'),
    appliesWhen: isComplaint,
    fields: [
      {
        name: 'what_would_help',
        input: 'textarea',
        label: byAudience('What would make it better?', 'What would you like us to do to put things right?'),
        hint: byAudience(
          'Tell us what you would like to happen now. If you are not sure, you can say that.',
          'For example, an apology, an explanation, or a change to a decision or plan.',
        ),
        maxLength: LONG_ANSWER_MAX,
        isRequired: always,
        requiredMessage: byAudience('Tell us what would make it better', 'Enter what you would like us to do'),
        shortName: byAudience('What would make it better', 'What you would like us to do'),
      },
    ],
  },
  {
    id: 'consent_to_quote',
    type: 'radios',
    field: 'consent_to_quote',
    title: 'Can we share what you said?',
    hint: byAudience(
      'Every year we write a report about our work. We might put your words in it. We will not use your name.',
      'We might quote your words, without your name, in our yearly report about complaints and compliments.',
    ),
    checkLabel: 'We can share what you said',
    appliesWhen: (a) => a.topic === 'compliment',
    requiredMessage: byAudience('Choose yes if we can share what you said', 'Select yes if we can share what you said'),
    choices: [
      { value: 'yes', text: 'Yes, you can share it' },
      { value: 'no', text: 'No, do not share it' },
    ],
  },
  {
    id: 'reply',
    type: 'fields',
    title: byAudience('Do you want us to reply? (optional)', 'Would you like a reply? (optional)'),
    paragraphs: ({ audience }) =>
      audience === 'young'
        ? ['If you want us to reply, tell us how. You do not have to.']
        : ['If you would like us to reply, tell us how to contact you. You do not have to.'],
    checkLabel: byAudience('How we can reply', 'Your contact details'),
    appliesWhen: isCompliment,
    fields: [
      {
        name: 'name',
        input: 'text',
        label: byAudience('Your name (optional)', 'Full name (optional)'),
        maxLength: NAME_MAX,
        isRequired: () => false,
        requiredMessage: '',
        shortName: 'Your name',
        autocomplete: 'name',
      },
      { ...emailField, label: 'Email address (optional)', isRequired: () => false },
      { ...phoneField, label: 'Phone number (optional)', isRequired: () => false },
    ],
  },
  {
    id: 'advocate',
    type: 'radios',
    field: 'advocate',
    title: 'Would you like an advocate to help you?',
    paragraphs: () => [
      'An advocate is someone who is on your side. They can help you say what you think and come to meetings with you. They do not work for the social workers.',
      'It is free.',
    ],
    checkLabel: 'An advocate',
    appliesWhen: (a) => isYoung(a) && isComplaint(a),
    requiredMessage: 'Choose if you would like an advocate',
    choices: [
      { value: 'yes', text: 'Yes, I would like an advocate' },
      { value: 'has_one', text: 'I already have an advocate' },
      { value: 'no', text: 'No, thank you' },
      { value: 'unsure', text: 'I am not sure yet', hint: 'We will tell you more about it.' },
    ],
  },
  {
    id: 'name',
    type: 'fields',
    title: ({ audience, topic }) => `${audience === 'young' ? 'What is your name?' : 'What is your full name?'}${topic === 'complaint' ? '' : ' (optional)'}`,
    checkLabel: 'Your name',
    appliesWhen: (a) => !isCompliment(a),
    fields: [nameField()],
  },
  {
    id: 'contact',
    type: 'radios',
    field: 'contact',
    title: byAudience('How can we get in touch with you?', 'How should we contact you?'),
    hint: byAudience('We will only use this to talk to you about what you told us.', 'We will only use this about what you have told us.'),
    checkLabel: byAudience('How we can get in touch', 'How we should contact you'),
    appliesWhen: (a) => !isCompliment(a),
    requiredMessage: byAudience('Choose how we can get in touch with you', 'Select how we should contact you'),
    choices: [
      { value: 'email', text: 'Email' },
      { value: 'telephone', text: byAudience('Phone call or text message', 'Telephone') },
      { value: 'letter', text: 'Letter' },
      {
        value: 'none',
        text: byAudience('Please do not contact me', 'Do not contact me'),
        hint: byAudience('We will still read what you told us. But we will not be able to tell you what happens next.', 'We will still look at what you told us, but we will not be able to reply.'),
        isExclusive: true,
      },
    ],
  },
  {
    id: 'contact_email',
    type: 'fields',
    title: 'What is your email address?',
    checkLabel: 'Email address',
    appliesWhen: (a) => !isCompliment(a) && a.contact === 'email',
    fields: [{ ...emailField, label: 'What is your email address?' }],
  },
  {
    id: 'contact_phone',
    type: 'fields',
    title: 'What is your phone number?',
    checkLabel: 'Phone number',
    appliesWhen: (a) => !isCompliment(a) && a.contact === 'telephone',
    fields: [{ ...phoneField, label: 'What is your phone number?' }],
  },
  {
    id: 'contact_address',
    type: 'fields',
    title: 'What is your address?',
    checkLabel: byAudience('Your address', 'Address'),
    appliesWhen: (a) => !isCompliment(a) && a.contact === 'letter',
    fields: [{ ...addressField, label: 'What is your address?' }],
  },
  {
    id: 'safe_contact',
    type: 'fields',
    title: byAudience('Is there anything we should know to contact you safely? (optional)', 'Is there anything we should know before we contact you? (optional)'),
    checkLabel: 'To contact you safely',
    appliesWhen: (a) => !isCompliment(a) && a.contact !== undefined && a.contact !== 'none',
    fields: [
      {
        name: 'safe_contact',
        input: 'textarea',
        label: byAudience('Is there anything we should know to contact you safely? (optional)', 'Is there anything we should know before we contact you? (optional)'),
        hint: 'For example, ‘only call after 4pm’ or ‘do not send letters to my home’.',
        maxLength: 1000,
        isRequired: () => false,
        requiredMessage: '',
        shortName: byAudience('Your answer', 'What we should know'),
      },
    ],
  },
  {
    id: 'files',
    type: 'files',
    title: byAudience('Do you want to send us a file? (optional)', 'Do you want to send us any files? (optional)'),
    paragraphs: ({ audience }) =>
      audience === 'young'
        ? ['You can send us a letter, a photo or a document if it helps us understand. You do not have to.']
        : ['For example, a letter, a photo or a report that helps explain. You do not have to send anything.'],
    hint: `You can send up to ${String(MAX_ATTACHMENTS_PER_SUBMISSION)} files. Each file must be ${ALLOWED_FILES_TEXT}, and smaller than ${String(MAX_ATTACHMENT_BYTES / (1024 * 1024))}MB.`,
    checkLabel: byAudience('Your files', 'Files'),
    appliesWhen: (a) => topicOf(a) !== undefined && !isCompliment(a),
  },
];

const BY_ID: ReadonlyMap<string, Question> = new Map(QUESTIONS.map((q) => [q.id, q]));

export function questionById(id: string): Question | undefined {
  return BY_ID.get(id);
}

export function contextOf(answers: Answers): WordingContext {
  return { audience: audienceOf(answers), topic: topicOf(answers) };
}

/** The fields a question shows for these answers: its own, and those revealed by the choice made. */
export function fieldsOf(question: Question, answers: Answers): TextField[] {
  if (question.type === 'fields') return [...question.fields];
  if (question.type === 'files') return [];
  const chosen = question.choices.find((c) => c.value === answers[question.field]);
  return [...(chosen?.reveals ?? [])];
}

/** Every field a question can show, whatever is chosen. */
export function allFieldsOf(question: Question): AnswerField[] {
  if (question.type === 'fields') return question.fields.map((f) => f.name);
  if (question.type === 'files') return [];
  return [question.field, ...question.choices.flatMap((c) => (c.reveals ?? []).map((f) => f.name))];
}

// ---- checking ----

export interface Problem {
  readonly field: AnswerField;
  readonly message: string;
}

function fieldProblem(field: TextField, answers: Answers, context: WordingContext): Problem | undefined {
  const value = answers[field.name] ?? '';
  if (value === '') return field.isRequired(answers) ? { field: field.name, message: say(field.requiredMessage, context) } : undefined;
  if (value.length > field.maxLength) return { field: field.name, message: tooLong(field, context) };
  if (field.format === 'email' && !EMAIL.test(value)) return { field: field.name, message: 'Enter an email address in the correct format, like name@example.com' };
  if (field.format === 'phone' && !PHONE.test(value)) return { field: field.name, message: 'Enter a phone number, like 07700 900 982' };
  return undefined;
}

/** Every problem with a question's answers (empty when they are fine). */
export function questionProblems(question: Question, answers: Answers): Problem[] {
  const context = contextOf(answers);
  const problems: Problem[] = [];
  if (question.type === 'radios') {
    const value = answers[question.field];
    if (!question.choices.some((c) => c.value === value)) {
      problems.push({ field: question.field, message: say(question.requiredMessage, context) });
      return problems;
    }
  }
  for (const field of fieldsOf(question, answers)) {
    const problem = fieldProblem(field, answers, context);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** The questions these answers call for, in order. */
export function applicableQuestions(answers: Answers): Question[] {
  return QUESTIONS.filter((q) => q.appliesWhen(answers));
}

/** The first question these answers call for that is not yet answered well (undefined: ready to check). */
export function firstUnfinished(answers: Answers): Question | undefined {
  return applicableQuestions(answers).find((q) => questionProblems(q, answers).length > 0);
}

/**
 * The question before `current` that these answers call for: where its Back link goes
 * (undefined on the first page, which has none).
 */
export function previousQuestion(current: Question, answers: Answers): Question | undefined {
  const at = QUESTIONS.indexOf(current);
  if (at <= 0) return undefined;
  return QUESTIONS.slice(0, at).findLast((q) => q.appliesWhen(answers));
}

/** The question after `current` that these answers call for (undefined: none, check the answers). */
export function nextQuestion(current: Question, answers: Answers): Question | undefined {
  const at = QUESTIONS.indexOf(current);
  return QUESTIONS.slice(at + 1).find((q) => q.appliesWhen(answers));
}

/**
 * The answers from a form body: known fields only, as single trimmed strings (line endings
 * made `\n`), keeping only what the other answers call for — a question that no longer
 * applies, or a field its choice does not reveal, is dropped. Never trusts the browser:
 * anything else in the body is ignored, and the answers are still to be checked.
 */
export function answersFrom(body: Readonly<Record<string, unknown>>): Answers {
  const raw: Partial<Record<AnswerField, string>> = {};
  for (const field of ANSWER_FIELDS) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    const text = value.replaceAll('\r\n', '\n').trim();
    if (text !== '') raw[field] = text;
  }
  const kept: Partial<Record<AnswerField, string>> = {};
  for (const question of QUESTIONS) {
    if (!question.appliesWhen(kept)) continue;
    if (question.type === 'radios' && raw[question.field] !== undefined) kept[question.field] = raw[question.field];
    for (const field of fieldsOf(question, raw)) {
      if (raw[field.name] !== undefined) kept[field.name] = raw[field.name];
    }
  }
  return kept;
}

// ---- check your answers ----

export interface CheckRow {
  readonly questionId: string;
  readonly label: string;
  /** One line an item: the answer's words (the choice's text for radios, what was typed otherwise). */
  readonly lines: readonly string[];
}

/** What "Check your answers" lists: one row a question these answers call for (the files page lists `fileNames`). */
export function checkRows(answers: Answers, fileNames: readonly string[] = []): CheckRow[] {
  const context = contextOf(answers);
  return applicableQuestions(answers).map((question) => {
    const lines: string[] = [];
    if (question.type === 'files') return { questionId: question.id, label: say(question.checkLabel, context), lines: fileNames.length > 0 ? [...fileNames] : ['None'] };
    if (question.type === 'radios') {
      const chosen = question.choices.find((c) => c.value === answers[question.field]);
      if (chosen) lines.push(say(chosen.text, context));
    }
    for (const field of fieldsOf(question, answers)) {
      const value = answers[field.name];
      if (value !== undefined) lines.push(...value.split('\n'));
    }
    return { questionId: question.id, label: say(question.checkLabel, context), lines: lines.length > 0 ? lines : ['Not given'] };
  });
}

// ---- what is stored ----

export interface SubmittedPerson {
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly address: string | null;
  readonly preferredContact: ContactMethod;
  readonly reasonableAdjustments: string | null;
  readonly organisation: string | null;
}

/** A finished journey as it is stored: a representation awaiting registration. */
export interface PublicSubmission {
  readonly audience: Audience;
  readonly topic: Topic;
  /** Provisional: the complaints team confirms or changes it when they register it. */
  readonly kind: 'children_statutory' | 'compliment' | 'comment';
  readonly receivedOn: IsoDate;
  readonly channel: 'online';
  readonly complainantRole: ComplainantRole;
  readonly summary: string;
  /** Undefined when they gave no name and asked not to be contacted. */
  readonly complainant: SubmittedPerson | undefined;
  /** Complaints by adults: made for the child (true) or about the complainant's own dealings. */
  readonly isMadeForChild: boolean | undefined;
  readonly complimentSource: ComplimentSource | null;
  readonly hasConsentToQuote: boolean;
  readonly workerName: string | null;
  /** Where to send the acknowledgement, when they chose email. */
  readonly email: string | undefined;
}

const KINDS: Readonly<Record<Topic, PublicSubmission['kind']>> = { complaint: 'children_statutory', compliment: 'compliment', comment: 'comment' };

const ROLES: Readonly<Record<string, ComplainantRole>> = {
  child: 'child',
  care_leaver: 'care_leaver',
  parent: 'parent',
  relative: 'relative',
  foster_carer: 'foster_carer',
  special_guardian: 'special_guardian',
  adopter: 'adopter',
  advocate: 'advocate',
  professional: 'professional',
  other: 'other',
};

const SOURCES: Readonly<Record<ComplainantRole, ComplimentSource>> = {
  child: 'child',
  care_leaver: 'child',
  parent: 'parent_or_carer',
  relative: 'parent_or_carer',
  special_guardian: 'parent_or_carer',
  foster_carer: 'foster_carer',
  adopter: 'adopter',
  advocate: 'other_professional',
  iro: 'other_professional',
  professional: 'other_professional',
  other: 'other',
};

const TOPIC_WORDS: Readonly<Record<Topic, string>> = { complaint: 'Complaint', compliment: 'Compliment', comment: 'Comment' };
const WHO_WORDS: Readonly<Record<string, string>> = {
  child: 'a child or young person',
  care_leaver: 'a care leaver',
  parent: 'a parent',
  relative: 'a relative',
  foster_carer: 'a foster carer',
  special_guardian: 'a special guardian',
  adopter: 'an adoptive parent',
  advocate: 'the young person’s advocate',
  professional: 'a professional who works with the young person',
  other: 'someone else',
  adult: 'an adult',
};

/** Staff-facing words for the coded answers, for the summary. */
const STAFF_ANSWER_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  child_agrees: { yes: 'knows and agrees', disagrees: 'knows but does not agree', unaware: 'does not know', unsure: 'not sure' },
  advocate: { yes: 'would like one', has_one: 'already has one', no: 'does not want one', unsure: 'not sure yet' },
};

/** The summary staff first see: who wrote, and what they said, in their own words. */
export function summaryOf(answers: Answers): string {
  const topic = topicOf(answers) ?? 'comment';
  const role = answers.who === 'adult' ? (answers.relationship ?? 'adult') : (answers.who ?? 'other');
  const parts = [`${TOPIC_WORDS[topic]} sent online by ${WHO_WORDS[role] ?? 'someone'}.`];
  if (answers.what_happened !== undefined) parts.push(`${topic === 'complaint' ? 'What happened' : topic === 'compliment' ? 'Thanks for' : 'Comment'}:\n${answers.what_happened}`);
  if (answers.what_would_help !== undefined) parts.push(`What they would like to happen:\n${answers.what_would_help}`);
  if (answers.thanks_who !== undefined) parts.push(`Who they want to thank: ${answers.thanks_who}`);
  if (answers.for_child !== undefined) parts.push(answers.for_child === 'yes' ? 'Made for the child or young person.' : 'About how the complainant was treated.');
  if (answers.child_agrees !== undefined) parts.push(`The child ${STAFF_ANSWER_WORDS.child_agrees?.[answers.child_agrees] ?? answers.child_agrees}.`);
  if (answers.advocate !== undefined) parts.push(`Advocate: ${STAFF_ANSWER_WORDS.advocate?.[answers.advocate] ?? answers.advocate}.`);
  if (answers.contact === 'none') parts.push('Asked not to be contacted.');
  if (topic === 'compliment' && answers.contact_email === undefined && answers.contact_phone === undefined) parts.push('Left no contact details.');
  return parts.join('\n\n');
}

/**
 * What a finished journey stores. Throws (a programming error) when the answers are not
 * finished: check `firstUnfinished` first. Only the contact details for the way they chose
 * are kept; "do not contact me" keeps none.
 */
export function submissionOf(answers: Answers, today: IsoDate): PublicSubmission {
  const unfinished = firstUnfinished(answers);
  const topic = topicOf(answers);
  if (unfinished !== undefined || topic === undefined) throw new Error(`the journey is not finished (at ${unfinished?.id ?? 'topic'})`);
  const audience = audienceOf(answers);
  const role = ROLES[audience === 'young' ? (answers.who ?? '') : (answers.relationship ?? '')] ?? 'other';
  // A compliment asks for no way of contact, only optional details: email first if both are given.
  const replyMethod: ContactMethod = answers.contact_email !== undefined ? 'email' : answers.contact_phone !== undefined ? 'telephone' : 'none';
  const method = topic === 'compliment' ? replyMethod : ((answers.contact ?? 'none') as ContactMethod);
  const name = answers.name ?? '';
  const email = method === 'email' || topic === 'compliment' ? (answers.contact_email ?? null) : null;
  const phone = method === 'telephone' || topic === 'compliment' ? (answers.contact_phone ?? null) : null;
  const address = method === 'letter' ? (answers.contact_address ?? null) : null;
  const hasPerson = name !== '' || method !== 'none';
  return {
    audience,
    topic,
    kind: KINDS[topic],
    receivedOn: today,
    channel: 'online',
    complainantRole: role,
    summary: summaryOf(answers),
    complainant: hasPerson
      ? {
          name: name === '' ? 'Name not given' : name,
          email,
          phone,
          address,
          preferredContact: method,
          reasonableAdjustments: method !== 'none' && answers.safe_contact !== undefined ? `To contact them safely: ${answers.safe_contact}` : null,
          organisation: role === 'professional' ? (answers.organisation ?? null) : null,
        }
      : undefined,
    isMadeForChild: answers.for_child === undefined ? undefined : answers.for_child === 'yes',
    complimentSource: topic === 'compliment' ? SOURCES[role] : null,
    hasConsentToQuote: topic === 'compliment' && answers.consent_to_quote === 'yes',
    workerName: topic === 'compliment' ? (answers.thanks_who ?? null) : null,
    email: email ?? undefined,
  };
}
