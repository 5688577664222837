/**
 * The audit trail for information governance (/audit): who looked at or changed which case,
 * when and from where, newest first, filtered by user, case, person and dates (a plain GET form,
 * so it works without JavaScript), with "older entries" paging by id and the filtered entries
 * as CSV. Only the information governance role reads it: administrators and complaints
 * managers do not. Each look and each download is audited (src/app/audit-service.ts).
 */
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { AuditQuery } from '../../app/audit-service.ts';
import { DomainError } from '../../domain/errors.ts';
import { canAccess, type Role } from '../../domain/users/roles.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { CASE_READERS } from '../cases/case-access.ts';
import { formatDateTime } from '../cases/case-routes.ts';

export const AUDIT_READERS: readonly Role[] = ['information_governance'];

interface AuditQueryString {
  user?: string;
  case?: string;
  person?: string;
  from?: string;
  to?: string;
  before?: string;
}

const text = (value: string | undefined): string | undefined => {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? undefined : trimmed;
};

/** The query string as the service's query, or the problems with it (shown in the error summary). */
function parseQuery(raw: AuditQueryString): { query: AuditQuery; errors?: FormErrors } {
  const problems: { field: string; message: string }[] = [];
  const user = text(raw.user);
  const before = text(raw.before);
  const from = text(raw.from);
  const to = text(raw.to);
  const isDate = (v: string | undefined) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v);
  if (user !== undefined && !/^\d+$/.test(user)) problems.push({ field: 'user', message: 'Select a user from the list' });
  if (!isDate(from)) problems.push({ field: 'from', message: 'Enter the "from" date as YYYY-MM-DD, for example 2026-04-01' });
  if (!isDate(to)) problems.push({ field: 'to', message: 'Enter the "to" date as YYYY-MM-DD, for example 2026-12-31' });
  const query: AuditQuery = {
    ...(user === undefined || !/^\d+$/.test(user) ? {} : { userId: Number(user) }),
    ...(text(raw.case) === undefined ? {} : { caseReference: text(raw.case) }),
    ...(text(raw.person) === undefined ? {} : { person: text(raw.person) }),
    ...(from === undefined || !isDate(from) ? {} : { from }),
    ...(to === undefined || !isDate(to) ? {} : { to }),
    ...(before === undefined || !/^\d+$/.test(before) ? {} : { before: Number(before) }),
  };
  return problems.length === 0 ? { query } : { query, errors: formErrors(problems) };
}

/** The filters as a query string, for the CSV link and the next page. */
function queryOf(raw: AuditQueryString): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['user', 'case', 'person', 'from', 'to'] as const) {
    const value = text(raw[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function auditRoutes(container: Container): FastifyPluginCallback {
  const service = container.auditTrail;

  async function tryQuery<T>(work: () => Promise<T>): Promise<{ value: T } | { errors: FormErrors }> {
    try {
      return { value: await work() };
    } catch (error) {
      if (error instanceof DomainError) return { errors: formErrors([{ field: error.field ?? 'from', message: error.message }]) };
      throw error;
    }
  }

  const mayOpenCases = (request: FastifyRequest): boolean => canAccess(CASE_READERS, request.user?.roles);

  return (app, _options, done) => {
    app.get<{ Querystring: AuditQueryString }>(paths.auditTrail.pattern, { config: { access: AUDIT_READERS } }, async (request, reply) => {
      const parsed = parseQuery(request.query);
      let errors = parsed.errors;
      let rows: Awaited<ReturnType<typeof service.page>>['rows'] = [];
      let olderBefore: number | undefined;
      if (errors === undefined) {
        const result = await tryQuery(() => service.page(parsed.query, actorOf(request)));
        if ('errors' in result) errors = result.errors;
        else ({ rows, olderBefore } = result.value);
      }
      const users = await service.users();
      const filters = queryOf(request.query);
      const linkCases = mayOpenCases(request);
      return renderPage(request, reply, 'pages/audit/audit-trail.njk', {
        title: 'Audit trail',
        errors,
        values: request.query,
        userItems: [{ value: '', text: 'Anyone' }, ...users.map((u) => ({ value: String(u.id), text: `${u.name} (${u.email})`, selected: String(u.id) === text(request.query.user) }))],
        isFiltered: Object.keys(filters).length > 0,
        csvUrl: paths.auditTrailCsv.url(filters),
        clearUrl: paths.auditTrail.url(),
        olderUrl: olderBefore === undefined ? undefined : paths.auditTrail.url({ ...filters, before: String(olderBefore) }),
        newestUrl: parsed.query.before === undefined ? undefined : paths.auditTrail.url(filters),
        head: [{ text: 'When' }, { text: 'Who' }, { text: 'What' }, { text: 'About' }, { text: 'From' }],
        rows: rows.map((row) => [
          { text: formatDateTime(row.occurredAt) },
          { text: row.who },
          { text: row.actionText },
          linkCases && row.caseReference !== undefined
            ? { html: `<a class="govuk-link" href="${escapeHtml(paths.caseDetail.url({ reference: row.caseReference }))}">${escapeHtml(row.about)}</a>` }
            : { text: row.about },
          { text: row.ip ?? 'Not recorded' },
        ]),
      });
    });

    app.get<{ Querystring: AuditQueryString }>(paths.auditTrailCsv.pattern, { config: { access: AUDIT_READERS } }, async (request, reply) => {
      const parsed = parseQuery(request.query);
      if (parsed.errors !== undefined) return reply.redirect(paths.auditTrail.url(queryOf(request.query)), 303);
      const result = await tryQuery(() => service.csv(parsed.query, actorOf(request)));
      if ('errors' in result) return reply.redirect(paths.auditTrail.url(queryOf(request.query)), 303);
      const today = container.clock().toISOString().slice(0, 10);
      reply.header('content-disposition', `attachment; filename="audit-trail-${today}.csv"`);
      return reply.type('text/csv; charset=utf-8').send(result.value);
    });
    done();
  };
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
