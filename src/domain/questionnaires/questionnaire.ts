/**
 * The satisfaction questionnaire sent after a complaint is closed:
 * four questions answered on a five-point scale and a box for anything else, in plain words.
 * Pure rules: the questions, who gets one, checking answers, and the yearly summary's shape.
 */
import { DomainError } from '../errors.ts';
import { letterAudienceFor } from '../letters/letter-audience.ts';

/** The scale, 5 best. Stored as the number. */
export const SCALE = [5, 4, 3, 2, 1] as const;
export type ScaleAnswer = (typeof SCALE)[number];

export interface ScaleQuestion {
  /** The form field and the column's suffix (`answer_<name>`). */
  readonly name: 'ease' | 'kept_informed' | 'timeliness' | 'listened';
  readonly text: string;
  /** What each point of the scale says, 5 first. */
  readonly labels: Readonly<Record<ScaleAnswer, string>>;
  /** What the error says when it is not answered. */
  readonly missing: string;
}

const AGREEMENT: Readonly<Record<ScaleAnswer, string>> = { 5: 'Yes, completely', 4: 'Mostly', 3: 'Partly', 2: 'Not really', 1: 'No, not at all' };

export const SCALE_QUESTIONS: readonly ScaleQuestion[] = [
  {
    name: 'ease',
    text: 'How easy was it to make your complaint?',
    labels: { 5: 'Very easy', 4: 'Easy', 3: 'Neither easy nor hard', 2: 'Hard', 1: 'Very hard' },
    missing: 'Select how easy it was to make your complaint',
  },
  { name: 'kept_informed', text: 'Did we keep you up to date?', labels: AGREEMENT, missing: 'Select whether we kept you up to date' },
  { name: 'timeliness', text: 'Were you happy with how long it took?', labels: AGREEMENT, missing: 'Select whether you were happy with how long it took' },
  { name: 'listened', text: 'Do you feel you were listened to?', labels: AGREEMENT, missing: 'Select whether you feel you were listened to' },
];

export const COMMENTS_FIELD = 'comments';
export const COMMENTS_QUESTION = 'Anything else you want to tell us?';
export const COMMENTS_MAX = 1200;

/**
 * The children's questionnaire: what a child or young person who complained gets (the same
 * complainants who get the child version of the letters, `letter-audience.ts`). The same four
 * questions in simpler words, each stored in the same answer as the standard one (5 best), so
 * the yearly summary counts both together.
 */
export type QuestionnaireVersion = 'standard' | 'child';

const CHILD_AGREEMENT: Readonly<Record<ScaleAnswer, string>> = { 5: 'Yes', 4: 'Mostly', 3: 'A bit', 2: 'Not really', 1: 'No' };

export const CHILD_SCALE_QUESTIONS: readonly ScaleQuestion[] = [
  {
    name: 'ease',
    text: 'Was it easy to tell us what was wrong?',
    labels: { 5: 'Very easy', 4: 'Quite easy', 3: 'OK', 2: 'Quite hard', 1: 'Very hard' },
    missing: 'Choose how easy it was to tell us',
  },
  { name: 'kept_informed', text: 'Did we tell you what was going on?', labels: CHILD_AGREEMENT, missing: 'Choose if we told you what was going on' },
  { name: 'timeliness', text: 'Did we sort it out fast enough?', labels: CHILD_AGREEMENT, missing: 'Choose if we were fast enough' },
  { name: 'listened', text: 'Did we listen to you?', labels: CHILD_AGREEMENT, missing: 'Choose if we listened to you' },
];

export const CHILD_COMMENTS_QUESTION = 'Is there anything else you want to tell us?';

/** The questionnaire a complainant with this role gets. */
export function questionnaireVersionFor(complainantRole: string | null | undefined): QuestionnaireVersion {
  return letterAudienceFor(complainantRole) === 'child' ? 'child' : 'standard';
}

export function questionsFor(version: QuestionnaireVersion): readonly ScaleQuestion[] {
  return version === 'child' ? CHILD_SCALE_QUESTIONS : SCALE_QUESTIONS;
}

export function commentsQuestionFor(version: QuestionnaireVersion): string {
  return version === 'child' ? CHILD_COMMENTS_QUESTION : COMMENTS_QUESTION;
}

export type ScaleName = ScaleQuestion['name'];

export interface QuestionnaireAnswers {
  readonly ease: ScaleAnswer;
  readonly kept_informed: ScaleAnswer;
  readonly timeliness: ScaleAnswer;
  readonly listened: ScaleAnswer;
  /** '' when nothing was written. */
  readonly comments: string;
}

/** What a form sent, as text (a missing field is ''). */
export type RawAnswers = Readonly<Record<ScaleName | 'comments', string>>;

function scaleOf(raw: string): ScaleAnswer | undefined {
  return (SCALE as readonly number[]).includes(Number(raw)) && /^[1-5]$/.test(raw) ? (Number(raw) as ScaleAnswer) : undefined;
}

/** The answers, checked: every scale question answered, comments within the limit. Problems carry the field. */
export function checkAnswers(raw: RawAnswers, version: QuestionnaireVersion = 'standard'): { answers: QuestionnaireAnswers; problems: [] } | { answers: undefined; problems: DomainError[] } {
  const problems: DomainError[] = [];
  const values: Partial<Record<ScaleName, ScaleAnswer>> = {};
  for (const question of questionsFor(version)) {
    const value = scaleOf(raw[question.name].trim());
    if (value === undefined) problems.push(new DomainError(`${question.name}_required`, question.missing, question.name));
    else values[question.name] = value;
  }
  const comments = raw.comments.replace(/\r\n?/g, '\n').trim();
  if (comments.length > COMMENTS_MAX) problems.push(new DomainError('comments_too_long', `What you tell us must be ${String(COMMENTS_MAX)} characters or fewer`, COMMENTS_FIELD));
  const { ease, kept_informed, timeliness, listened } = values;
  if (problems.length > 0 || ease === undefined || kept_informed === undefined || timeliness === undefined || listened === undefined) return { answers: undefined, problems };
  return { answers: { ease, kept_informed, timeliness, listened, comments }, problems: [] };
}

/** Kinds of complaint that get a questionnaire when closed: those with a complaints procedure and a response. */
export const QUESTIONNAIRE_KINDS: readonly string[] = ['children_statutory', 'corporate'];

/** Days after the questionnaire that the one reminder goes, if it is unanswered. */
export const REMINDER_AFTER_DAYS = 10;

export interface QuestionnaireEligibility {
  readonly kind: string;
  readonly respondedOn: string | null;
  readonly withdrawnOn: string | null;
  readonly email: string | null;
  readonly preferredContact: string | null;
}

/** Whether a closed complaint's complainant is sent the questionnaire: a responded complaint, an email address, and no request not to be contacted. */
export function getsQuestionnaire(c: QuestionnaireEligibility): boolean {
  const email = c.email?.trim() ?? '';
  return QUESTIONNAIRE_KINDS.includes(c.kind) && c.respondedOn !== null && c.withdrawnOn === null && /^[^\s@]+@[^\s@]+$/.test(email) && c.preferredContact !== 'none';
}

/** The yearly summary (counted in SQL by the service). */
export interface QuestionnaireSummary {
  readonly from: string;
  readonly to: string;
  readonly sent: number;
  readonly reminded: number;
  readonly answered: number;
  /** Answered as a whole percentage of sent; null when none were sent. */
  readonly responseRate: number | null;
  /** For each question, how many gave each point of the scale. */
  readonly questions: readonly { readonly name: ScaleName; readonly text: string; readonly counts: Readonly<Record<ScaleAnswer, number>>; readonly labels: Readonly<Record<ScaleAnswer, string>> }[];
  readonly withComments: number;
}

export function responseRate(sent: number, answered: number): number | null {
  return sent === 0 ? null : Math.round((answered / sent) * 100);
}
