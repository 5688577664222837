import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FormErrors } from './forms.ts';
import { paths } from './paths.ts';
import { canAccess, type Role } from '../domain/users/roles.ts';
import { CASE_READERS, LEARNING_READERS, OMBUDSMAN_READERS, REPORT_READERS } from './cases/case-access.ts';
import { ADMIN_INDEX_READERS, isAdminPath } from './admin/admin-sections.ts';

interface NavItem {
  readonly text: string;
  readonly href: string;
  /** In this section (highlighted). */
  readonly active: boolean;
  /** On this very page (aria-current="page"). */
  readonly current: boolean;
}

const NAVIGATION: readonly { text: string; href: string; roles: readonly Role[] | 'signed_in' }[] = [
  { text: 'Dashboard', href: paths.dashboard.url(), roles: 'signed_in' },
  { text: 'Cases', href: paths.cases.url(), roles: CASE_READERS },
  { text: 'Ombudsman', href: paths.ombudsman.url(), roles: OMBUDSMAN_READERS },
  { text: 'Learning', href: paths.learning.url(), roles: LEARNING_READERS },
  { text: 'Reports', href: paths.annualReport.url(), roles: REPORT_READERS },
  { text: 'Audit', href: paths.auditTrail.url(), roles: ['information_governance'] },
  { text: 'Subject access', href: paths.subjectAccess.url(), roles: ['information_governance'] },
];

function navigation(request: FastifyRequest): NavItem[] {
  const user = request.user;
  if (!user) return [];
  const current = request.url.split('?')[0] ?? '';
  const items = NAVIGATION.filter((item) => canAccess(item.roles, user.roles)).map((item) => ({
    text: item.text,
    href: item.href,
    active: current === item.href || current.startsWith(`${item.href}/`),
    current: current === item.href,
  }));
  // The administration pages (teams, calendar, users, settings…) sit under one item.
  if (canAccess(ADMIN_INDEX_READERS, user.roles)) {
    const href = paths.adminIndex.url();
    items.push({ text: 'Admin', href, active: isAdminPath(current), current: current === href });
  }
  return items;
}

export interface PageData {
  readonly title: string;
  readonly errors?: FormErrors | undefined;
  readonly [key: string]: unknown;
}

/**
 * Renders a page with what every page needs: the CSP nonce, a CSRF token, the signed-in
 * user, the navigation and the typed paths. A page with errors is served as 400.
 */
export async function renderPage(request: FastifyRequest, reply: FastifyReply, template: string, data: PageData): Promise<FastifyReply> {
  const hasErrors = (data.errors?.list.length ?? 0) > 0;
  if (hasErrors && reply.statusCode === 200) reply.code(400);
  const nonce = (reply.cspNonce as { script?: string } | null)?.script;
  const html = await reply.viewAsync(template, {
    ...data,
    pageTitle: `${hasErrors ? 'Error: ' : ''}${data.title} – Redress`,
    cspNonce: nonce,
    csrfToken: reply.generateCsrf(),
    user: request.user,
    navigation: navigation(request),
    currentUrl: request.url,
  });
  return reply.type('text/html; charset=utf-8').send(html);
}
