/**
 * The public front door, `/contact-us`: complain, say thank you or tell us an idea, without
 * an account, one question a page, working without JavaScript.
 *
 * Stateless: the answers so far travel in hidden fields from page to page (nothing is kept on
 * the server until the end), with the journey's idempotency key, made on the first page. Each
 * page posts to `POST /contact-us`, which checks that page's answers and shows the next page
 * (or the same page with its errors). "Check your answers" lists them with a Change button
 * for each (a form button, so that the answers go with it), then `POST /contact-us/send`
 * checks everything again, stores it and redirects to the confirmation (so a refresh there
 * sends nothing). A repeat send with the same key finds the first (see the service).
 *
 * Protection: CSRF tokens on every form (the secret is a signed cookie, so no session is
 * needed); per-address rate limits (`SEND_LIMIT` on sending, a looser one on the pages);
 * Fastify's body limit; a honeypot field on the send form — a visually hidden box labelled
 * "leave this empty". When it is filled (by a robot filling every box), the sender sees the
 * confirmation page without a reference and nothing is stored, so a robot learns nothing.
 * It sits only on the last page, which has no other box to type in, so a person's browser
 * does not fill it by mistake.
 *
 * Files: the optional "send us a file" page is a multipart form (GOV.UK file upload) posted to
 * the same `POST /contact-us`, which alone accepts multipart bodies (`registerUploads` in its
 * own scope, src/web/uploads.ts). Each file is checked by its content and staged on the server under the
 * journey's key (`AttachmentService`); the pages list them with a Remove button, and sending
 * gives them to the representation in the same transaction. One file a request, at most
 * `MAX_ATTACHMENT_BYTES`: a larger one is refused on the page with an error summary, and a
 * body far larger than that is refused (413) before it is read.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { isIdempotencyKey } from '../../app/public-submission-service.ts';
import {
  allFieldsOf,
  ANSWER_FIELDS,
  applicableQuestions,
  audienceOf,
  checkRows,
  contextOf,
  firstUnfinished,
  nextQuestion,
  previousQuestion,
  questionById,
  questionProblems,
  QUESTIONS,
  say,
  answersFrom,
  type Answers,
  type Audience,
  type Question,
  type TextField,
  type WordingContext,
} from '../../domain/public/public-journeys.ts';
import { tryParseReference } from '../../domain/taxonomies/case-reference.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { formErrors, fromDomainError, wholeNumberOf, type FormBody, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { FILE_FIELD } from '../../app/attachment-service.ts';
import { registerUploads, uploadOf } from '../uploads.ts';
import type { Attachment } from '../../db/attachment-repository.ts';
import { DomainError } from '../../domain/errors.ts';
import { formatFileSize, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_SUBMISSION, mediaTypeLabel } from '../../domain/attachments/file-kinds.ts';

/** Sends from one address in ten minutes: enough for a family, too few for a flood. */
export const SEND_LIMIT = { max: 10, timeWindow: '10 minutes' } as const;
/** Pages of the journey from one address. */
export const PAGE_LIMIT = { max: 300, timeWindow: '10 minutes' } as const;

/** The honeypot's field name: a word robots like to fill in. */
export const HONEYPOT_FIELD = 'website';

const FIRST = QUESTIONS[0];

export function newIdempotencyKey(): string {
  return randomBytes(24).toString('base64url');
}

function fieldView(field: TextField, answers: Answers, context: WordingContext, errors: FormErrors | undefined, isPageHeading: boolean) {
  const hint = field.hint === undefined ? '' : say(field.hint, context);
  return {
    name: field.name,
    input: field.input,
    label: say(field.label, context),
    hint: hint === '' ? undefined : hint,
    value: answers[field.name] ?? '',
    errorMessage: errors?.fields[field.name],
    maxLength: field.maxLength,
    autocomplete: field.autocomplete,
    classes: field.width,
    isPageHeading,
  };
}

/** What the question page shows: the question, its fields, and every other answer to carry on. */
function questionView(question: Question, answers: Answers, errors: FormErrors | undefined) {
  const context = contextOf(answers);
  const paragraphs = question.paragraphs?.(context) ?? [];
  const hint = question.hint === undefined ? undefined : say(question.hint, context);
  const shown = new Set<string>(allFieldsOf(question));
  const single = question.type === 'fields' && question.fields.length === 1 && paragraphs.length === 0;
  return {
    title: say(question.title, context),
    questionId: question.id,
    paragraphs,
    hint,
    // With paragraphs first, the page has its own heading and the legend repeats it for screen readers only.
    isLegendHeading: paragraphs.length === 0,
    radios:
      question.type === 'radios'
        ? {
            name: question.field,
            errorMessage: errors?.fields[question.field],
            items: question.choices.map((choice) => ({
              value: choice.value,
              text: say(choice.text, context),
              hint: choice.hint === undefined ? undefined : say(choice.hint, context),
              checked: answers[question.field] === choice.value,
              isExclusive: choice.isExclusive === true,
              reveals: (choice.reveals ?? []).map((f) => fieldView(f, answers, context, errors, false)),
            })),
          }
        : undefined,
    fields: question.type === 'fields' ? question.fields.map((f) => fieldView(f, answers, context, errors, single)) : [],
    hasOwnHeading: question.type === 'fields' && !single,
    carried: carried(answers, shown),
  };
}

/** The answers as hidden fields, leaving out those the page shows itself. */
function carried(answers: Answers, except: ReadonlySet<string> = new Set()): { name: string; value: string }[] {
  return ANSWER_FIELDS.filter((f) => !except.has(f) && answers[f] !== undefined).map((f) => ({ name: f, value: answers[f] ?? '' }));
}

/**
 * Help now (999, Childline, the out-of-hours number) on a question page: an inset on the first
 * pages and at the start of each route, then a closed details on every page of the children's route.
 */
export function helpStyleOf(question: Question, answers: Answers): 'inset' | 'details' | undefined {
  const previous = previousQuestion(question, answers);
  if (previous === undefined || question.id === 'who' || previous.id === 'who') return 'inset';
  return audienceOf(answers) === 'young' ? 'details' : undefined;
}

/** What a page needs for its Back link (none on the first page). */
function backView(question: Question, answers: Answers) {
  return previousQuestion(question, answers) === undefined ? {} : { backFrom: question.id, carriedAll: carried(answers) };
}

interface JourneyState {
  readonly key: string;
  readonly isReturning: boolean;
}

/** A staged file as the pages list it. */
function fileView(file: Attachment) {
  return { id: file.id, name: file.fileName, details: `${mediaTypeLabel(file.mediaType)}, ${formatFileSize(file.sizeBytes)}` };
}

function renderFiles(request: FastifyRequest, reply: FastifyReply, question: Question, answers: Answers, state: JourneyState, files: readonly Attachment[], errors?: FormErrors) {
  const context = contextOf(answers);
  return renderPage(request, reply, 'pages/contact/files.njk', {
    title: say(question.title, context),
    questionId: question.id,
    paragraphs: question.paragraphs?.(context) ?? [],
    hint: question.hint === undefined ? undefined : say(question.hint, context),
    files: files.map(fileView),
    canAddMore: files.length < MAX_ATTACHMENTS_PER_SUBMISSION,
    maxFiles: MAX_ATTACHMENTS_PER_SUBMISSION,
    fileError: errors?.fields[FILE_FIELD],
    errors,
    audience: audienceOf(answers),
    carried: carried(answers),
    idempotencyKey: state.key,
    isReturning: state.isReturning,
    helpStyle: helpStyleOf(question, answers),
    ...backView(question, answers),
  });
}

function renderQuestion(request: FastifyRequest, reply: FastifyReply, question: Question, answers: Answers, state: JourneyState, errors?: FormErrors) {
  const view = questionView(question, answers, errors);
  return renderPage(request, reply, 'pages/contact/question.njk', {
    ...view,
    errors,
    audience: audienceOf(answers),
    idempotencyKey: state.key,
    isReturning: state.isReturning,
    isFirst: question === FIRST,
    helpStyle: helpStyleOf(question, answers),
    ...backView(question, answers),
  });
}

function renderCheck(request: FastifyRequest, reply: FastifyReply, answers: Answers, key: string, files: readonly Attachment[]) {
  const audience = audienceOf(answers);
  return renderPage(request, reply, 'pages/contact/check.njk', {
    title: 'Check your answers',
    audience,
    topic: contextOf(answers).topic,
    rows: checkRows(answers, files.map((f) => f.fileName)).map((row) => (row.questionId === 'files' ? { ...row, files: files.map(fileView) } : row)),
    carried: carried(answers),
    idempotencyKey: key,
    honeypotField: HONEYPOT_FIELD,
    backFrom: 'check',
    carriedAll: carried(answers),
  });
}

function problemsAsErrors(question: Question, answers: Answers): FormErrors | undefined {
  const problems = questionProblems(question, answers);
  return problems.length === 0 ? undefined : formErrors(problems);
}

const text = (body: FormBody, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value : '';
};

export function publicRoutes(container: Container): FastifyPluginCallback {
  const { attachments } = container;

  /** A question page: the files page lists the journey's staged files. */
  async function showQuestion(request: FastifyRequest, reply: FastifyReply, question: Question, answers: Answers, state: JourneyState, errors?: FormErrors) {
    if (question.type === 'files') return renderFiles(request, reply, question, answers, state, await attachments.staged(state.key), errors);
    return renderQuestion(request, reply, question, answers, state, errors);
  }

  async function showCheck(request: FastifyRequest, reply: FastifyReply, answers: Answers, key: string) {
    return renderCheck(request, reply, answers, key, await attachments.staged(key));
  }

  /** After a page: the first unfinished question, or "Check your answers". */
  async function showNext(request: FastifyRequest, reply: FastifyReply, answers: Answers, state: JourneyState, next: Question | undefined) {
    return next === undefined ? showCheck(request, reply, answers, state.key) : showQuestion(request, reply, next, answers, state);
  }

  return (app, _options, done) => {
    const startPage = paths.contactUs.pattern;

    app.get(startPage, { config: { access: 'public' } }, (request, reply) => {
      if (FIRST === undefined) throw new Error('the journey has no questions');
      return renderQuestion(request, reply, FIRST, {}, { key: newIdempotencyKey(), isReturning: false });
    });

    // One page answered (or a Change or Remove button pressed): the next page. The only route that takes files.
    void app.register(async (scope) => {
      // Far too big to be one file and a form: refused before it is read.
      await registerUploads(scope, {
        files: 1,
        tooLarge: (request, reply) => renderPage(request, reply, 'pages/contact/too-large.njk', { title: 'The file is too big', maxSize: `${String(MAX_ATTACHMENT_BYTES / (1024 * 1024))}MB` }),
      });

      scope.post(startPage, { config: { access: 'public', rateLimit: PAGE_LIMIT } }, async (request, reply) => {
        const body = (request.body ?? {}) as FormBody;
        const answers = answersFrom(body);
        const given = text(body, '_key');
        const state: JourneyState = { key: isIdempotencyKey(given) ? given : newIdempotencyKey(), isReturning: text(body, '_return') === 'check' };
        const current = questionById(text(body, '_question'));

        // Remove a staged file: back to the page the button was on.
        const removing = wholeNumberOf(text(body, '_remove'));
        if (removing !== undefined) {
          await attachments.removeStaged(state.key, removing);
          if (current?.type === 'files' && current.appliesWhen(answers)) return showQuestion(request, reply, current, answers, state);
          return showNext(request, reply, answers, state, firstUnfinished(answers));
        }

        // Back: the question before this one (from "Check your answers", the last one). After a
        // Change, back to "Check your answers" once everything is answered again.
        const backFrom = text(body, '_back');
        if (backFrom !== '') {
          if (state.isReturning && firstUnfinished(answers) === undefined) return showNext(request, reply, answers, state, undefined);
          const from = questionById(backFrom);
          const previous = backFrom === 'check' ? applicableQuestions(answers).at(-1) : from === undefined ? undefined : previousQuestion(from, answers);
          return showNext(request, reply, answers, state, previous ?? firstUnfinished(answers));
        }

        const change = questionById(text(body, '_change'));
        if (change?.appliesWhen(answers) === true) return showQuestion(request, reply, change, answers, { ...state, isReturning: true });

        if (current === undefined || !current.appliesWhen(answers)) return showNext(request, reply, answers, state, firstUnfinished(answers));

        if (current.type === 'files') {
          const upload = uploadOf(request, FILE_FIELD);
          const isUploadOnly = text(body, '_upload') !== '';
          if (upload !== undefined) {
            try {
              await attachments.stage(state.key, upload, request.ip);
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              request.log.info({ event: 'public_upload_refused', reason: error.code }, 'upload refused');
              return showQuestion(request, reply, current, answers, state, fromDomainError(error, FILE_FIELD));
            }
            if (isUploadOnly) return showQuestion(request, reply, current, answers, state);
          } else if (isUploadOnly) {
            return showQuestion(request, reply, current, answers, state, formErrors([{ field: FILE_FIELD, message: 'Choose a file to upload' }]));
          }
        }

        const errors = problemsAsErrors(current, answers);
        if (errors) return showQuestion(request, reply, current, answers, state, errors);

        const next = state.isReturning ? firstUnfinished(answers) : (nextQuestion(current, answers) ?? firstUnfinished(answers));
        return showNext(request, reply, answers, state, next);
      });
    });

    app.post(paths.contactUsSend.pattern, { config: { access: 'public', rateLimit: SEND_LIMIT } }, async (request, reply) => {
      const body = (request.body ?? {}) as FormBody;
      const answers = answersFrom(body);
      if (text(body, HONEYPOT_FIELD).trim() !== '') {
        request.log.info({ event: 'public_submission_discarded', reason: 'honeypot' }, 'public submission discarded');
        return renderPage(request, reply, 'pages/contact/sent.njk', { title: 'Thank you', audience: audienceOf(answers), topic: contextOf(answers).topic, reference: undefined });
      }
      const given = text(body, '_key');
      const key = isIdempotencyKey(given) ? given : newIdempotencyKey();
      const unfinished = firstUnfinished(answers);
      if (unfinished !== undefined) {
        return showQuestion(request, reply, unfinished, answers, { key, isReturning: true }, problemsAsErrors(unfinished, answers));
      }
      if (!isIdempotencyKey(given)) return showCheck(request, reply, answers, key);
      const result = await container.publicSubmissions.submit(answers, key, actorOf(request));
      return reply.redirect(paths.contactUsSent.url({ reference: result.reference, for: result.audience }), 303);
    });

    app.get<{ Querystring: { reference?: string; for?: string } }>(paths.contactUsSent.pattern, { config: { access: 'public' } }, (request, reply) => {
      const reference = request.query.reference ?? '';
      const parts = tryParseReference(reference);
      if (parts === undefined) {
        reply.callNotFound();
        return reply;
      }
      const audience: Audience = request.query.for === 'young' ? 'young' : 'adult';
      const topic = parts.kind === 'compliment' ? 'compliment' : parts.kind === 'comment' ? 'comment' : 'complaint';
      return renderPage(request, reply, 'pages/contact/sent.njk', { title: audience === 'young' ? 'We have got your message' : 'Message sent', audience, topic, reference });
    });
    done();
  };
}
