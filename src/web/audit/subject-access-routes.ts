/**
 * Subject access for information governance (/subject-access): name a young person (by the id
 * recorded on their cases) or a complainant (by contact record id or email address), see their
 * cases, and download one bundle — a ZIP of subject-access.json, a readable subject-access.docx
 * and the case files — with other people's details marked for redaction. The look and the
 * download are audited (src/app/subject-access-service.ts).
 */
import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../../container.ts';
import type { SubjectKind, SubjectRef } from '../../app/subject-access-service.ts';
import { DomainError } from '../../domain/errors.ts';
import { REPRESENTATION_KIND_LABELS, isRepresentationKind } from '../../domain/taxonomies/representation-kinds.ts';
import { subjectAccessZip } from '../../reports/subject-access/subject-access-files.ts';
import { formErrors, formText, type FormBody, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { formatLongDate } from '../../domain/cases/stage1-fields.ts';
import { AUDIT_READERS } from './audit-routes.ts';

interface SubjectQuery {
  kind?: string;
  id?: string;
}

const KINDS: readonly { value: SubjectKind; text: string; hint: string }[] = [
  { value: 'young_person', text: 'A young person', hint: 'Their id as recorded on their cases' },
  { value: 'complainant', text: 'A complainant', hint: 'Their contact record id or their email address' },
];

function parseSubject(raw: SubjectQuery): { subject?: SubjectRef; errors?: FormErrors } {
  const kind = (raw.kind ?? '').trim();
  const id = (raw.id ?? '').trim();
  const problems: { field: string; message: string }[] = [];
  if (kind !== 'young_person' && kind !== 'complainant') problems.push({ field: 'kind', message: 'Select whether the request is from a young person or a complainant' });
  if (id === '') problems.push({ field: 'id', message: 'Enter the young person’s id, or the complainant’s contact record id or email address' });
  if (problems.length > 0) return { errors: formErrors(problems) };
  return { subject: { kind: kind as SubjectKind, id } };
}

export function subjectAccessRoutes(container: Container): FastifyPluginCallback {
  const service = container.subjectAccess;

  return (app, _options, done) => {
    app.get<{ Querystring: SubjectQuery }>(paths.subjectAccess.pattern, { config: { access: AUDIT_READERS } }, async (request, reply) => {
      const isAsked = request.query.kind !== undefined || request.query.id !== undefined;
      const parsed = isAsked ? parseSubject(request.query) : {};
      const cases = parsed.subject === undefined ? undefined : await service.preview(parsed.subject, actorOf(request));
      return renderPage(request, reply, 'pages/audit/subject-access.njk', {
        title: 'Subject access',
        errors: parsed.errors,
        values: request.query,
        kindItems: KINDS.map((k) => ({ value: k.value, text: k.text, hint: { text: k.hint }, checked: request.query.kind === k.value })),
        subject: parsed.subject,
        rows: (cases ?? []).map((c) => [
          { text: c.reference },
          { text: isRepresentationKind(c.kind) ? REPRESENTATION_KIND_LABELS[c.kind] : c.kind },
          { text: formatLongDate(c.receivedOn) },
          { text: c.status.replaceAll('_', ' ') },
          { text: c.as },
        ]),
        hasCases: cases !== undefined && cases.length > 0,
        isSearched: cases !== undefined,
      });
    });

    app.post(paths.subjectAccessBundle.pattern, { config: { access: AUDIT_READERS } }, async (request, reply) => {
      const body = (request.body ?? {}) as FormBody;
      const parsed = parseSubject({ kind: formText(body, 'kind'), id: formText(body, 'id') });
      if (parsed.subject === undefined) return reply.redirect(paths.subjectAccess.url(), 303);
      let zip: Buffer;
      try {
        zip = await subjectAccessZip(await service.gather(parsed.subject, actorOf(request)), container.config.councilName);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'subject_not_found') return reply.redirect(paths.subjectAccess.url({ kind: parsed.subject.kind, id: parsed.subject.id }), 303);
        throw error;
      }
      const today = container.clock().toISOString().slice(0, 10);
      reply.header('content-disposition', `attachment; filename="subject-access-${today}.zip"`);
      return reply.type('application/zip').send(zip);
    });
    done();
  };
}
