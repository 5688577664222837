/**
 * The satisfaction questionnaire's public pages, opened by the secure link in the email
 * (src/app/questionnaire-service.ts): the questions on one page, "Check your answers", then
 * a confirmation. Stateless like the front door: the answers travel in hidden fields until
 * they are sent. Works without JavaScript; CSRF on every post; rate-limited per address.
 *
 * A link that does not work gets a page that shows nobody's data: the same page (404) for a
 * token that never existed and one that expired, so that a guess learns nothing; a used link
 * (the questionnaire was answered) says so (410). Tokens appear only in the path; request
 * logs carry the route pattern, never the path, and the pages are not cached.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { SECURE_LINK_RATE_LIMIT, type SecureLinkRefusal } from '../../domain/links/secure-link.ts';
import { COMMENTS_FIELD, COMMENTS_MAX, SCALE, checkAnswers, commentsQuestionFor, questionsFor, type QuestionnaireVersion, type RawAnswers } from '../../domain/questionnaires/questionnaire.ts';
import type { DomainError } from '../../domain/errors.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { formErrors, type FormBody, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { renderLinkRefusal, secureLinkHeaders, type UsedLinkWording } from '../links/secure-link-pages.ts';

const TITLE = 'How did we do?';
const CHILD_TITLE = 'Tell us what you think';

const text = (body: FormBody, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value : '';
};

function rawAnswers(body: FormBody): RawAnswers {
  return {
    ease: text(body, 'ease'),
    kept_informed: text(body, 'kept_informed'),
    timeliness: text(body, 'timeliness'),
    listened: text(body, 'listened'),
    comments: text(body, COMMENTS_FIELD).slice(0, COMMENTS_MAX * 2),
  };
}

/** The answers as hidden fields, for the next page. */
function carried(raw: RawAnswers): { name: string; value: string }[] {
  return Object.entries(raw).map(([name, value]) => ({ name, value }));
}

const USED: UsedLinkWording = { title: 'You have already answered', message: 'This questionnaire has already been answered, so the link no longer works. Thank you.' };

const refuse = (request: FastifyRequest, reply: FastifyReply, refusal: SecureLinkRefusal): Promise<FastifyReply> => renderLinkRefusal(request, reply, refusal, USED);

/** A child or young person's questionnaire: the same questions, in words for them (`questionnaire.ts`). */
function renderForm(request: FastifyRequest, reply: FastifyReply, token: string, raw: RawAnswers, version: QuestionnaireVersion, errors?: FormErrors): Promise<FastifyReply> {
  secureLinkHeaders(reply);
  return renderPage(request, reply, 'pages/questionnaire/form.njk', {
    title: version === 'child' ? CHILD_TITLE : TITLE,
    isChild: version === 'child',
    errors,
    action: paths.questionnaire.url({ token }),
    questions: questionsFor(version).map((q) => ({
      name: q.name,
      text: q.text,
      errorMessage: errors?.fields[q.name],
      items: SCALE.map((point) => ({ value: String(point), text: q.labels[point], checked: raw[q.name] === String(point) })),
    })),
    comments: { name: COMMENTS_FIELD, label: commentsQuestionFor(version), value: raw.comments, maxLength: COMMENTS_MAX, errorMessage: errors?.fields[COMMENTS_FIELD] },
  });
}

function renderCheck(request: FastifyRequest, reply: FastifyReply, token: string, raw: RawAnswers, version: QuestionnaireVersion): Promise<FastifyReply> {
  secureLinkHeaders(reply);
  const rows = questionsFor(version).map((q) => {
    const point = SCALE.find((p) => String(p) === raw[q.name]);
    return { label: q.text, value: point === undefined ? '' : q.labels[point] };
  });
  rows.push({ label: commentsQuestionFor(version), value: raw.comments.trim() === '' ? 'Nothing' : raw.comments.trim() });
  return renderPage(request, reply, 'pages/questionnaire/check.njk', {
    title: 'Check your answers',
    rows,
    carried: carried(raw),
    changeAction: paths.questionnaire.url({ token }),
    sendAction: paths.questionnaireSend.url({ token }),
  });
}

const errorsOf = (problems: readonly DomainError[]): FormErrors => formErrors(problems.map((p) => ({ field: p.field ?? 'ease', message: p.message })));

export function questionnaireRoutes(container: Container): FastifyPluginCallback {
  const service = container.questionnaires;
  const limits = { access: 'public', rateLimit: SECURE_LINK_RATE_LIMIT } as const;
  const empty: RawAnswers = { ease: '', kept_informed: '', timeliness: '', listened: '', comments: '' };

  return (app, _options, done) => {
    app.get<{ Params: { token: string } }>(paths.questionnaire.pattern, { config: limits }, async (request, reply) => {
      const { token } = request.params;
      const opened = await service.open(token);
      if (!opened.ok) return refuse(request, reply, opened.refusal);
      return renderForm(request, reply, token, empty, opened.version);
    });

    // The questions answered (or "Change" on the check page): check them, then "Check your answers".
    app.post<{ Params: { token: string } }>(paths.questionnaire.pattern, { config: limits }, async (request, reply) => {
      const { token } = request.params;
      const opened = await service.open(token);
      if (!opened.ok) return refuse(request, reply, opened.refusal);
      const body = (request.body ?? {}) as FormBody;
      const raw = rawAnswers(body);
      if (text(body, '_change') !== '') return renderForm(request, reply, token, raw, opened.version);
      const checked = checkAnswers(raw, opened.version);
      if (checked.answers === undefined) return renderForm(request, reply, token, raw, opened.version, errorsOf(checked.problems));
      return renderCheck(request, reply, token, raw, opened.version);
    });

    app.post<{ Params: { token: string } }>(paths.questionnaireSend.pattern, { config: limits }, async (request, reply) => {
      const { token } = request.params;
      const raw = rawAnswers((request.body ?? {}) as FormBody);
      const outcome = await service.answer(token, raw, actorOf(request));
      if (outcome.ok) return reply.redirect(paths.questionnaireThanks.url(), 303);
      if (outcome.refusal === 'invalid') {
        const opened = await service.open(token);
        return renderForm(request, reply, token, raw, opened.ok ? opened.version : 'standard', errorsOf(outcome.problems));
      }
      return refuse(request, reply, outcome.refusal);
    });

    app.get(paths.questionnaireThanks.pattern, { config: { access: 'public' } }, (request, reply) => {
      secureLinkHeaders(reply);
      return renderPage(request, reply, 'pages/questionnaire/thank-you.njk', { title: 'Thank you for your answers' });
    });
    done();
  };
}
