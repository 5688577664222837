/**
 * `/emails`: where emails are only recorded, not sent (NOTIFY_TRANSPORT=log: development, the
 * demo and tests — production refuses it), every signed-in user can read them whole, newest
 * first, and follow their links: a Stage 2 request, a satisfaction questionnaire. Elsewhere the
 * page does not exist.
 */
import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../../container.ts';
import { EmailCopyRepository, type EmailCopy } from '../../db/email-copy-repository.ts';
import { isTemplateKey, TEMPLATE_DEFINITIONS } from '../../notify/templates.ts';
import { formatDateTime } from '../cases/case-routes.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';

const PAGE_SIZE = 20;

/** A run of an email's text: words, or a link to follow. */
interface BodyPart {
  readonly text: string;
  readonly href?: string;
}

/** The body as paragraphs of lines, each line words and links. */
export function bodyParagraphs(body: string): BodyPart[][][] {
  return body
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph.split('\n').map((line) =>
        line
          .split(/(https?:\/\/[^\s<>"]+)/)
          .filter((text) => text !== '')
          .map((text) => (/^https?:\/\//.test(text) ? { text, href: text } : { text })),
      ),
    );
}

function shown(copy: EmailCopy) {
  return {
    id: copy.id,
    subject: copy.subject,
    recipient: copy.recipient,
    recordedAt: formatDateTime(copy.recordedAt),
    kind: isTemplateKey(copy.templateKey) ? TEMPLATE_DEFINITIONS[copy.templateKey].label : copy.templateKey,
    paragraphs: bodyParagraphs(copy.body),
  };
}

export function emailCopyRoutes(container: Container): FastifyPluginCallback {
  const copies = new EmailCopyRepository(container.db.kysely);
  return (app, _options, done) => {
    app.get<{ Querystring: { before?: string } }>(paths.emailCopies.pattern, { config: { access: 'signed_in' } }, async (request, reply) => {
      if (container.config.notify.transport !== 'log') {
        reply.callNotFound();
        return reply;
      }
      const before = /^\d{1,12}$/.test(request.query.before ?? '') ? Number(request.query.before) : undefined;
      const page = await copies.page(PAGE_SIZE + 1, before);
      const emails = page.slice(0, PAGE_SIZE);
      const last = emails.at(-1);
      void reply.header('cache-control', 'no-store');
      return renderPage(request, reply, 'pages/admin/email-copies.njk', {
        title: 'Emails recorded, not sent',
        emails: emails.map(shown),
        isFirstPage: before === undefined,
        olderUrl: page.length > PAGE_SIZE && last !== undefined ? `${paths.emailCopies.url()}?before=${String(last.id)}` : undefined,
      });
    });
    done();
  };
}
