/**
 * Letters. For administrators (and complaints managers): the list of letters and a page to
 * change each letter's wording, with its placeholders listed, a version check (a save over
 * someone else's newer save is refused with 409 and the typed wording kept) and a way back
 * to the shipped default. On a case: the letters that apply now, each filled from the case as
 * a printable page and as a Word document.
 *
 * A case's letters are for people who may see the case in full (`caseVisibility`); for anyone
 * else the case does not exist (404). Viewers, who see no personal details, are refused.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { LetterTemplateView } from '../../app/letter-service.ts';
import { DomainError } from '../../domain/errors.ts';
import { isLetterKey, titleInSentence } from '../../domain/letters/letter-definitions.ts';
import { isLetterAudience, LETTER_AUDIENCE_LABELS, type LetterAudience } from '../../domain/letters/letter-audience.ts';
import type { Role } from '../../domain/users/roles.ts';
import { tryParseReference } from '../../domain/taxonomies/case-reference.ts';
import { actorOf, staffActorOf } from '../actor.ts';
import { formText, type FormBody, type FormErrors, wholeNumberOf } from '../forms.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { formatDateTime } from '../cases/case-routes.ts';

/** Who may change the wording of letters. */
export const LETTER_TEMPLATE_EDITORS: readonly Role[] = ['admin', 'complaints_manager'];

/** Who may produce a case's letters (each only for cases they may see in full). */
export const LETTER_WRITERS: readonly Role[] = ['complaints_officer', 'complaints_manager', 'responding_manager', 'senior_manager'];

/** Every problem, each in the error summary (several unknown placeholders are all named), the first against its field. */
function problemErrors(problems: readonly DomainError[], fallbackField: string): FormErrors {
  const fields: Record<string, { text: string }> = {};
  const list = problems.map((problem) => {
    const field = problem.field ?? fallbackField;
    fields[field] ??= { text: problem.message };
    return { text: problem.message, href: `#${field}` };
  });
  return { list, fields };
}

function versionOf(body: FormBody): number | undefined {
  return wholeNumberOf(formText(body, 'version'));
}

/** The version of the letter a template page is about: `?audience=child` for the child version. */
function audienceOf(request: FastifyRequest): LetterAudience {
  const { audience } = request.query as { audience?: string };
  return isLetterAudience(audience) ? audience : 'standard';
}

/** The query that keeps a template page on its version. */
function audienceQuery(audience: LetterAudience): Record<string, string> {
  return audience === 'child' ? { audience } : {};
}

export function letterRoutes(container: Container): FastifyPluginCallback {
  const { letters } = container;

  function renderTemplateForm(
    request: FastifyRequest,
    reply: FastifyReply,
    view: LetterTemplateView,
    values: { subject: string; body: string },
    errors?: FormErrors,
  ): Promise<FastifyReply> {
    const { definition, audience } = view;
    const query = audienceQuery(audience);
    return renderPage(request, reply, 'pages/letters/template-form.njk', {
      title: audience === 'child' ? `Change the ${titleInSentence(definition)} letter for a child or young person` : `Change the ${titleInSentence(definition)} letter`,
      view,
      isChild: audience === 'child',
      otherVersion:
        audience === 'child'
          ? { text: 'Change the standard version of this letter', href: paths.letterTemplate.url({ key: definition.key }) }
          : { text: 'Change the version for a child or young person', href: paths.letterTemplate.url({ key: definition.key }, { audience: 'child' }) },
      values: { ...values, version: String(view.version) },
      errors,
      saved: (request.query as { saved?: string }).saved === 'yes',
      restored: (request.query as { restored?: string }).restored === 'yes',
      action: paths.letterTemplate.url({ key: definition.key }, query),
      restoreAction: paths.restoreLetterTemplate.url({ key: definition.key }, query),
      bodyHint:
        'Leave a blank line between paragraphs. Start a line with ## to make it a heading. Write a value from the case as a placeholder from the list below, ' +
        'for example {{ complainant_name }}. The letterhead (the council, the complainant’s name and address, the date and the reference) is added above the subject.',
      placeholderRows: view.placeholders.map((p) => [
        { html: `<code class="app-code">${p.text.replaceAll('<', '&lt;')}</code>` },
        { text: p.hint },
        { text: p.isRequired ? 'Required' : '' },
      ]),
      revisions: view.revisions.map((r) => ({
        version: r.version,
        heading: `Version ${String(r.version)}: ${r.change === 'restored' ? 'back to the default wording' : 'wording changed'}`,
        who: r.userName ?? 'Redress (automatic)',
        when: formatDateTime(r.createdAt),
        subject: r.subject,
        body: r.body,
      })),
    });
  }

  function notFound(reply: FastifyReply): FastifyReply {
    reply.callNotFound();
    return reply;
  }

  return (app, _options, done) => {
    // ---- the council's wording ----

    app.get(paths.letterTemplates.pattern, { config: { access: LETTER_TEMPLATE_EDITORS } }, async (request, reply) => {
      const templates = await letters.templates();
      return renderPage(request, reply, 'pages/letters/templates.njk', {
        title: 'Letters',
        rows: templates.map((t) => [
          {
            html:
              t.audience === 'child'
                ? `<a class="govuk-link" href="${paths.letterTemplate.url({ key: t.definition.key }, { audience: 'child' })}">${t.definition.title}: for a child or young person<span class="govuk-visually-hidden">: change its wording</span></a>`
                : `<a class="govuk-link" href="${paths.letterTemplate.url({ key: t.definition.key })}">${t.definition.title}<span class="govuk-visually-hidden"> letter: change its wording</span></a>`,
          },
          { text: t.audience === 'child' ? 'The same letter, in short sentences and everyday words, for a child or young person who complains.' : t.definition.description },
          { html: t.isCustomised ? '<strong class="govuk-tag govuk-tag--blue">Council’s wording</strong>' : '<strong class="govuk-tag govuk-tag--grey">Default wording</strong>' },
          { text: t.updatedAt === null ? 'Never changed' : `${formatDateTime(t.updatedAt)}${t.updatedBy === null ? '' : ` by ${t.updatedBy}`}` },
        ]),
      });
    });

    app.get<{ Params: { key: string } }>(paths.letterTemplate.pattern, { config: { access: LETTER_TEMPLATE_EDITORS } }, async (request, reply) => {
      const view = await letters.template(request.params.key, audienceOf(request));
      if (view === undefined) return notFound(reply);
      return renderTemplateForm(request, reply, view, { subject: view.subject, body: view.body });
    });

    app.post<{ Params: { key: string } }>(paths.letterTemplate.pattern, { config: { access: LETTER_TEMPLATE_EDITORS } }, async (request, reply) => {
      const { key } = request.params;
      const audience = audienceOf(request);
      const view = isLetterKey(key) ? await letters.template(key, audience) : undefined;
      if (view === undefined || !isLetterKey(key)) return notFound(reply);
      const body = (request.body ?? {}) as FormBody;
      const raw = body.body;
      const values = { subject: formText(body, 'subject'), body: typeof raw === 'string' ? raw.replaceAll('\r\n', '\n') : '' };
      const problems = letters.problems(key, values);
      if (problems.length > 0) return renderTemplateForm(request, reply, { ...view, version: versionOf(body) ?? view.version }, values, problemErrors(problems, 'body'));
      const result = await save(() => letters.saveTemplate(key, values, versionOf(body) ?? -1, actorOf(request), audience));
      if (!result.ok) {
        reply.code(result.error.code === 'stale_update' ? 409 : 400);
        // The form now carries the latest version: saving again is a deliberate choice to overwrite.
        return renderTemplateForm(request, reply, (await letters.template(key, audience)) ?? view, values, problemErrors([result.error], 'body'));
      }
      return reply.redirect(paths.letterTemplate.url({ key }, { ...audienceQuery(audience), saved: 'yes' }), 303);
    });

    app.post<{ Params: { key: string } }>(paths.restoreLetterTemplate.pattern, { config: { access: LETTER_TEMPLATE_EDITORS } }, async (request, reply) => {
      const { key } = request.params;
      const audience = audienceOf(request);
      const view = isLetterKey(key) ? await letters.template(key, audience) : undefined;
      if (view === undefined || !isLetterKey(key)) return notFound(reply);
      const body = (request.body ?? {}) as FormBody;
      const result = await save(() => letters.restoreDefault(key, versionOf(body) ?? -1, actorOf(request), audience));
      if (!result.ok) {
        reply.code(result.error.code === 'stale_update' ? 409 : 400);
        const latest = (await letters.template(key, audience)) ?? view;
        return renderTemplateForm(request, reply, latest, { subject: latest.subject, body: latest.body }, problemErrors([result.error], 'body'));
      }
      return reply.redirect(paths.letterTemplate.url({ key }, { ...audienceQuery(audience), restored: 'yes' }), 303);
    });

    // ---- a case's letters ----

    app.get<{ Params: { reference: string } }>(paths.caseLetters.pattern, { config: { access: LETTER_WRITERS } }, async (request, reply) => {
      const { reference } = request.params;
      const found = tryParseReference(reference) === undefined ? undefined : await letters.forCase(reference, staffActorOf(request));
      if (found === undefined) return notFound(reply);
      const item = (l: (typeof found.letters)[number]) => ({ title: l.definition.title, description: l.definition.description, href: paths.caseLetter.url({ reference: found.reference, key: l.definition.key }) });
      return renderPage(request, reply, 'pages/letters/case-letters.njk', {
        title: `Letters for ${found.reference}`,
        reference: found.reference,
        isChild: found.audience === 'child',
        audienceLabel: LETTER_AUDIENCE_LABELS[found.audience],
        applyNow: found.letters.filter((l) => l.appliesNow).map(item),
        others: found.letters.filter((l) => !l.appliesNow).map(item),
      });
    });

    app.get<{ Params: { reference: string; key: string } }>(paths.caseLetterDocx.pattern, { config: { access: LETTER_WRITERS } }, async (request, reply) => {
      const { reference, key } = request.params;
      const produced = tryParseReference(reference) === undefined ? undefined : await letters.produceDocx(reference, key, staffActorOf(request));
      if (produced === undefined) return notFound(reply);
      return reply
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', `attachment; filename="${produced.fileName}"`)
        .header('cache-control', 'no-store')
        .send(produced.docx);
    });

    app.get<{ Params: { reference: string; key: string } }>(paths.caseLetter.pattern, { config: { access: LETTER_WRITERS } }, async (request, reply) => {
      const { reference, key } = request.params;
      const produced = tryParseReference(reference) === undefined ? undefined : await letters.produceHtml(reference, key, staffActorOf(request));
      if (produced === undefined) return notFound(reply);
      reply.header('cache-control', 'no-store');
      return renderPage(request, reply, 'pages/letters/letter.njk', {
        title: `${produced.definition.title} letter for ${produced.reference}`,
        heading: produced.definition.title,
        reference: produced.reference,
        letterHtml: produced.html,
        isChild: produced.letter.audience === 'child',
        problems: produced.problems.map((p) => ({ text: p.message, href: `${paths.caseDetail.url({ reference: produced.reference })}#people` })),
        docxHref: paths.caseLetterDocx.url({ reference: produced.reference, key: produced.definition.key }),
        lettersHref: paths.caseLetters.url({ reference: produced.reference }),
      });
    });
    done();
  };

  async function save(action: () => Promise<number>): Promise<{ ok: true } | { ok: false; error: DomainError }> {
    try {
      await action();
      return { ok: true };
    } catch (error) {
      if (error instanceof DomainError) return { ok: false, error };
      throw error;
    }
  }
}
