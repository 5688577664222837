/**
 * "Your work" at the top of the dashboard: each role's own work (src/app/own-work-service.ts)
 * as GOV.UK summary lists and tables, each case a link, each due date tagged where it is
 * urgent. An administrator gets the pages they keep; a viewer the figures further down.
 */
import type { Container } from '../../container.ts';
import type { OwnCase, OwnDue, OwnWork } from '../../app/own-work-service.ts';
import { OWN_DUE_SOON_WORKING_DAYS } from '../../app/own-work-service.ts';
import { CASE_QUEUE_LABELS } from '../../app/case-query-service.ts';
import { formatLongDate } from '../../domain/cases/stage1-fields.ts';
import { escapeHtml } from '../../reports/html-escape.ts';
import type { Role } from '../../domain/users/roles.ts';
import { paths } from '../paths.ts';
import { tagHtml } from '../cases/case-routes.ts';

type Cell = { text: string } | { html: string };

const caseLink = (reference: string): Cell => ({ html: `<a class="govuk-link" href="${escapeHtml(paths.caseDetail.url({ reference }))}">${escapeHtml(reference)}</a>` });

function dueCell(due: OwnDue | undefined): Cell {
  if (due === undefined) return { text: 'No time limit running' };
  return { html: `${escapeHtml(formatLongDate(due.dueOn))} ${tagHtml(due.tag, due.text)}` };
}

const count = (n: number, one: string, many: string): string => `${String(n)} ${n === 1 ? one : many}`;

function caseRows(cases: readonly OwnCase[]): Cell[][] {
  return cases.map((c) => [caseLink(c.reference), { text: c.kindLabel }, { text: c.statusLabel }, dueCell(c.due)]);
}

/** The "Your work" section's data for the view (undefined parts are left out). */
export function ownWorkView(work: OwnWork, roles: readonly Role[]) {
  const team = work.complaintsTeam;
  const waiting = team?.awaitingRegistration;
  return {
    complaintsTeam: team && {
      rows: [
        {
          key: { text: CASE_QUEUE_LABELS.awaiting_registration },
          value: {
            text:
              waiting === undefined || waiting.count === 0 || waiting.oldestReceivedOn === undefined
                ? 'None'
                : `${String(waiting.count)}: the oldest was received on ${formatLongDate(waiting.oldestReceivedOn)}${waiting.oldestWorkingDays === undefined ? '' : `, ${count(waiting.oldestWorkingDays, 'working day', 'working days')} ago`}`,
          },
          actions: { items: [{ href: paths.cases.url({ queue: 'awaiting_registration' }), text: 'View', visuallyHiddenText: 'what is waiting to be registered' }] },
        },
        {
          key: { text: CASE_QUEUE_LABELS.awaiting_allocation },
          value: { text: String(team.awaitingAllocation) },
          actions: { items: [{ href: paths.cases.url({ queue: 'awaiting_allocation' }), text: 'View', visuallyHiddenText: 'what is waiting to be allocated' }] },
        },
        {
          key: { text: CASE_QUEUE_LABELS.due_soon },
          value: { text: String(team.dueSoon) },
          actions: { items: [{ href: paths.cases.url({ queue: 'due_soon' }), text: 'View', visuallyHiddenText: 'the cases due soon' }] },
        },
        {
          key: { text: CASE_QUEUE_LABELS.overdue },
          value: { text: String(team.overdue) },
          actions: { items: [{ href: paths.cases.url({ queue: 'overdue' }), text: 'View', visuallyHiddenText: 'the overdue cases' }] },
        },
      ],
      isOldWaiting: waiting !== undefined && waiting.count > 0,
    },
    responding: work.responding && {
      dueSoonDays: OWN_DUE_SOON_WORKING_DAYS,
      cases: caseRows(work.responding.cases),
      dueSoon: caseRows(work.responding.dueSoon),
      overdue: caseRows(work.responding.overdue),
      mineHref: paths.cases.url({ queue: 'mine' }),
    },
    appointments: work.appointments?.map((a) => [
      caseLink(a.reference),
      { text: `Stage ${String(a.stage)}: ${a.roleLabel}` },
      { text: formatLongDate(a.appointedOn) },
      a.next === undefined ? { text: 'No time limit running' } : { html: `${escapeHtml(a.next.label)}: ${(dueCell(a.next) as { html: string }).html}` },
    ]),
    decisions: work.decisions?.map((d) => [caseLink(d.reference), { text: d.kindLabel }, { text: d.what }, dueCell(d.due)]),
    admin: roles.includes('admin')
      ? [
          { href: paths.users.url(), text: 'Users and their roles' },
          { href: paths.teams.url(), text: 'Teams' },
          { href: paths.notificationTemplates.url(), text: 'Email templates' },
          { href: paths.calendar.url(), text: 'Working-day calendar' },
          { href: paths.councilSettings.url(), text: 'Council settings' },
        ]
      : undefined,
  };
}

/** The signed-in user's "Your work". */
export async function ownWorkFor(container: Container, user: { readonly id: number; readonly teamId: number | null; readonly roles: readonly Role[] } | undefined) {
  if (user === undefined) return undefined;
  return ownWorkView(await container.ownWork.forUser({ userId: user.id, teamId: user.teamId, roles: user.roles }), user.roles);
}
