/**
 * Administrators' pages for notification emails: the templates (each message's subject and
 * body, with the placeholders it may use) and how the outbox stands (counts, and the
 * messages that failed — ids and error codes only, never addresses or content), with a
 * "try all failed emails again" action (confirmed, then audited).
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { Role } from '../../domain/users/roles.ts';
import type { TemplateInForce } from '../../notify/notification-template-service.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { formErrors, formText, wholeNumberOf, type FormBody, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { DomainError } from '../../domain/errors.ts';

const MANAGE: readonly Role[] = ['admin'];

export function notificationRoutes(container: Container): FastifyPluginCallback {
  const { notifications } = container;

  function renderForm(request: FastifyRequest, reply: FastifyReply, template: TemplateInForce, values: { subject: string; body: string; version: string }, errors?: FormErrors) {
    return renderPage(request, reply, 'pages/admin/notification-template-form.njk', {
      title: `Change the email: ${template.definition.label}`,
      action: paths.notificationTemplate.url({ templateKey: template.definition.key }),
      template,
      placeholders: Object.entries(template.definition.placeholders).map(([name, meaning]) => ({ name: `{{ ${name} }}`, meaning })),
      values,
      errors,
    });
  }

  async function find(key: string): Promise<TemplateInForce | undefined> {
    try {
      return await notifications.templates.get(key);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'template_not_found') return undefined;
      throw error;
    }
  }

  return (app, _options, done) => {
    app.get(paths.notificationTemplates.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const [templates, counts, failed] = await Promise.all([notifications.templates.list(), notifications.outbox.counts(), notifications.outbox.list({ status: 'failed', limit: 20 })]);
      return renderPage(request, reply, 'pages/admin/notifications.njk', {
        title: 'Notification emails',
        templates,
        counts,
        failed,
        transport: container.config.notify.transport,
        saved: (request.query as { saved?: string }).saved,
        retried: (request.query as { retried?: string }).retried,
      });
    });

    app.get(paths.retryFailedNotifications.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const { failed } = await notifications.outbox.counts();
      return renderPage(request, reply, 'pages/admin/notifications-retry.njk', { title: 'Try the failed emails again?', failed });
    });

    app.post(paths.retryFailedNotifications.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const count = await notifications.retryAllFailed(actorOf(request));
      return reply.redirect(paths.notificationTemplates.url({ retried: String(count) }), 303);
    });

    app.get<{ Params: { templateKey: string } }>(paths.notificationTemplate.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const template = await find(request.params.templateKey);
      if (template === undefined) {
        reply.callNotFound();
        return reply;
      }
      return renderForm(request, reply, template, { subject: template.subject, body: template.body, version: String(template.version) });
    });

    app.post<{ Params: { templateKey: string } }>(paths.notificationTemplate.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const template = await find(request.params.templateKey);
      if (template === undefined) {
        reply.callNotFound();
        return reply;
      }
      const body = (request.body ?? {}) as FormBody;
      const values = { subject: formText(body, 'subject'), body: typeof body.body === 'string' ? body.body : '', version: formText(body, 'version') };
      const version = wholeNumberOf(values.version) ?? -1;
      const problems = notifications.templates.problems(template.definition.key, values);
      if (problems.length > 0) {
        return renderForm(request, reply, template, values, formErrors(problems.map((p) => ({ field: p.field ?? 'body', message: p.message }))));
      }
      try {
        await notifications.templates.save(template.definition.key, values, version, actorOf(request));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // Someone saved first: show their version's number, keep what this user typed, ask again.
        if (error.code === 'stale_update') reply.code(409);
        const latest = (await find(template.definition.key)) ?? template;
        return renderForm(request, reply, latest, { ...values, version: String(latest.version) }, formErrors([{ field: error.field ?? 'subject', message: error.message }]));
      }
      return reply.redirect(paths.notificationTemplates.url({ saved: template.definition.label }), 303);
    });
    done();
  };
}
