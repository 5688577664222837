/**
 * The work queues (`GET /cases`) and the case page (`GET /cases/:reference`). Both are open
 * to every case reader; what each sees of a case is the case query service's business
 * (`caseVisibility`): a case the user may not know of is "Page not found", exactly like a
 * reference that does not exist.
 */
import { filterDate, queryValue, wholeNumberOf } from '../forms.ts';
import { escapeHtml } from '../../reports/html-escape.ts';
import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../../container.ts';
import {
  CASE_QUEUE_LABELS,
  HIDDEN_TEXT,
  isCaseQueue,
  type CaseQueue,
  type CaseView,
  type ClockTag,
  type ClockView,
  type DueView,
  type PersonView,
  type QueueFilters,
  type QueueKey,
  type QueueList,
  type QueuePage,
  type QueueRow,
} from '../../app/case-query-service.ts';
import { CASE_STATUSES, CASE_STATUS_LABELS, isCaseStatus } from '../../domain/cases/case-status.ts';
import { tryParseReference } from '../../domain/taxonomies/case-reference.ts';
import { isRepresentationKind, REPRESENTATION_KINDS, REPRESENTATION_KIND_LABELS } from '../../domain/taxonomies/representation-kinds.ts';
import { canAccess } from '../../domain/users/roles.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { staffActorOf } from '../actor.ts';
import { OMBUDSMAN_KEEPERS, CASE_READERS, CASE_REGISTRARS, LEARNING_KEEPERS, LEARNING_READERS, queuesFor } from './case-access.ts';
import { sendErrorPage } from '../errors.ts';
import { formatFileSize, mediaTypeLabel } from '../../domain/attachments/file-kinds.ts';
import { laterStagesSection } from './later-stage-routes.ts';
import { figureFilterFrom, figureFilterQuery, figureFilterText } from './case-figure-filter.ts';
import { LEGAL_HOLD_KEEPERS } from '../admin/retention-routes.ts';
import { RESTRICTION_KEEPERS } from '../../domain/cases/case-restriction.ts';

// ---- presenting ----

const TAG_CLASSES: Readonly<Record<ClockTag, string>> = {
  on_track: 'govuk-tag--blue',
  due_soon: 'govuk-tag--yellow',
  overdue: 'govuk-tag--red',
  paused: 'govuk-tag--grey',
  met: 'govuk-tag--green',
  late: 'govuk-tag--orange',
  stopped: 'govuk-tag--grey',
  problem: 'govuk-tag--red',
};

function formatDate(date: string | null | undefined): string {
  return date === null || date === undefined || date === '' ? '' : filterDate(date);
}

/** "10 Nov 2026": GOV.UK's short form, for tables where space is tight. */
function formatShortDate(date: string): string {
  const long = formatDate(date);
  const [day, month, year] = long.split(' ');
  return day !== undefined && month !== undefined && year !== undefined ? `${day} ${month.slice(0, 3)} ${year}` : long;
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** "26 November 2026 at 10am", "3 March 2026 at 2:30pm" (GOV.UK style), in UK time. */
export function formatDateTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const parts = Object.fromEntries(LONDON.formatToParts(new Date(time)).map((p) => [p.type, p.value]));
  const minute = parts.minute === '00' ? '' : `:${parts.minute ?? ''}`;
  return `${parts.day ?? ''} ${parts.month ?? ''} ${parts.year ?? ''} at ${parts.hour ?? ''}${minute}${(parts.dayPeriod ?? '').toLowerCase().replaceAll(' ', '')}`;
}

/**
 * A clock's words in a GOV.UK tag coloured by where it stands. In the queue only the urgent
 * ones (due soon, overdue) are tagged, so that they stand out.
 */
function dueHtml(due: DueView, options: { alwaysTag: boolean }): string {
  const words = escapeHtml(due.text);
  const isUrgent = due.tag === 'due_soon' || due.tag === 'overdue';
  if (!options.alwaysTag && !isUrgent) return words;
  return tagHtml(due.tag, due.text);
}

/** A clock's words in a GOV.UK tag coloured by where it stands (on track, due soon, overdue…). */
export function tagHtml(tag: ClockTag, text: string): string {
  return `<strong class="govuk-tag ${TAG_CLASSES[tag]}">${escapeHtml(text)}</strong>`;
}

type Cell = { text: string } | { html: string };
interface SummaryRow {
  key: { text: string };
  value: Cell;
}

const row = (key: string, value: Cell): SummaryRow => ({ key: { text: key }, value });
const textRow = (key: string, value: string | null | undefined): SummaryRow => row(key, { text: value === null || value === undefined || value === '' ? 'Not recorded' : value });
const hiddenRow = (key: string): SummaryRow => row(key, { html: `<span class="govuk-hint govuk-!-margin-bottom-0">${escapeHtml(HIDDEN_TEXT)}</span>` });
const listHtml = (items: readonly string[]): Cell =>
  items.length === 0 ? { text: 'None recorded' } : items.length === 1 ? { text: items[0] ?? '' } : { html: `<ul class="govuk-list">${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` };
const multiline = (text: string): { html: string } => ({ html: text.split(/\r?\n/).map(escapeHtml).join('<br>') });

function summaryRows(view: CaseView): SummaryRow[] {
  const rows: SummaryRow[] = [
    textRow('Kind', view.kindLabel),
    textRow('Status', view.statusLabel),
    textRow('Stage', `Stage ${String(view.stage)}`),
    textRow('Team', view.teamName),
    textRow('Received', formatDate(view.receivedOn)),
    textRow('Date of the events', formatDate(view.eventOn)),
    textRow('How it was received', view.channel?.label),
    textRow('Came to the complaints team', view.isViaComplaintsTeam ? 'Directly' : 'Through the service'),
  ];
  if (view.isComplaint) rows.push(textRow('Responding manager', view.responderName ?? 'Not allocated'));
  if (view.acknowledgedOn !== null) rows.push(textRow('Acknowledged', formatDate(view.acknowledgedOn)));
  if (view.respondedOn !== null) rows.push(textRow('Responded', formatDate(view.respondedOn)));
  if (view.finding !== null) rows.push(textRow('Finding', view.finding.label));
  if (view.withdrawnOn !== null) rows.push(textRow('Withdrawn', formatDate(view.withdrawnOn)));
  if (view.closedOn !== null) rows.push(textRow('Closed', formatDate(view.closedOn)));
  if (view.reopenedOn !== null) rows.push(textRow('Re-opened', `Open again since ${formatDate(view.reopenedOn)}`));
  if (view.agency !== null) rows.push(textRow('Forwarded to', view.agency));
  if (view.forwardedOn !== null) rows.push(textRow('Forwarded', formatDate(view.forwardedOn)));
  if (view.complimentSource !== null) {
    rows.push(textRow('Compliment from', view.complimentSource.label), textRow('May be quoted', view.hasConsentToQuote ? 'Yes' : 'No'));
    rows.push(view.personal ? textRow('Worker', view.personal.workerName) : hiddenRow('Worker'));
  }
  if (view.isComplaint || view.issues.length > 0) rows.push(row('Issues', listHtml(view.issues.map((i) => i.label))));
  if (view.remedies.length > 0) rows.push(row('Remedies', listHtml(view.remedies.map((r) => r.label))));
  if (view.delayReasons.length > 0) rows.push(row('Reasons for delay', listHtml(view.delayReasons.map((r) => r.label))));
  if (view.isProcedure) {
    const { hasParentalResponsibility, isMadeForChild, hasProceedings } = view.circumstances;
    rows.push(
      textRow('Complainant has parental responsibility', YES_NO_UNKNOWN(hasParentalResponsibility)),
      textRow('Made for the young person', YES_NO_UNKNOWN(isMadeForChild)),
      textRow('Court or other proceedings', YES_NO_UNKNOWN(hasProceedings)),
    );
  }
  if (view.kind === 'comment' && view.respondedOn !== null) rows.push(view.personal ? row('Reply', multiline(view.personal.reply ?? 'None')) : hiddenRow('Reply'));
  if (view.kind === 'informal') rows.push(view.personal ? textRow('Why it is not a complaint', view.personal.informalReason) : hiddenRow('Why it is not a complaint'));
  rows.push(view.personal ? row('Summary', multiline(view.personal.summary)) : hiddenRow('Summary'));
  return rows;
}

function personRows(person: PersonView | undefined, withRole: string | undefined, isHidden: boolean): SummaryRow[] {
  const rows: SummaryRow[] = [];
  if (withRole !== undefined) rows.push(textRow('Role', withRole));
  if (isHidden) return [...rows, hiddenRow('Name and contact details')];
  if (person === undefined) return [...rows, textRow('Name', undefined)];
  rows.push(textRow('Name', person.name));
  if (person.organisation !== null) rows.push(textRow('Organisation', person.organisation));
  rows.push(textRow('Email', person.email), textRow('Telephone', person.phone));
  if (person.address !== null) rows.push(row('Address', multiline(person.address)));
  rows.push(textRow('Preferred contact', person.preferredContact));
  if (person.reasonableAdjustments !== null) rows.push(row('Reasonable adjustments', multiline(person.reasonableAdjustments)));
  return rows;
}

function peopleSections(view: CaseView): { title: string; rows: SummaryRow[] }[] {
  const personal = view.personal;
  const isHidden = personal === undefined;
  const young = personal?.youngPerson;
  const sections = [
    {
      title: 'Young person',
      rows: isHidden
        ? [hiddenRow('Young person')]
        : young === undefined
          ? [textRow('Young person', 'Not recorded')]
          : [textRow('Id in the social care system', young.externalId), textRow('Date of birth', formatDate(young.dateOfBirth)), textRow('Ethnicity', young.ethnicity?.label)],
    },
  ];
  if (view.complainantRole !== null || personal?.complainant !== undefined || isHidden) {
    sections.push({ title: 'Complainant', rows: personRows(personal?.complainant, view.complainantRole?.label ?? 'Not recorded', isHidden) });
  }
  if (personal?.advocate !== undefined || isHidden) sections.push({ title: 'Advocate', rows: personRows(personal?.advocate, undefined, isHidden) });
  return sections;
}

function clockRows(clocks: readonly ClockView[]): Cell[][] {
  return clocks.map((clock) => [{ text: clock.label }, { text: formatDate(clock.startedOn) }, { text: formatDate(clock.dueOn) }, { html: dueHtml(clock, { alwaysTag: true }) + extensionsHtml(clock) }]);
}

/** A clock's extensions under where it stands: "Extended by 10 working days: The complaint is complex". */
function extensionsHtml(clock: ClockView): string {
  return clock.extensions
    .map((e) => {
      const days = e.extraWorkingDays === undefined ? 'Extended' : `Extended by ${String(e.extraWorkingDays)} working ${e.extraWorkingDays === 1 ? 'day' : 'days'}`;
      return `<p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">${escapeHtml(days)}: ${escapeHtml(e.reason)}</p>`;
    })
    .join('');
}

function linkedHtml(view: CaseView): string | undefined {
  if (view.linked.length < 2) return undefined;
  const noun = view.isComplaint ? 'complaints' : 'representations';
  const items = view.linked.map((l) => {
    const team = escapeHtml(l.teamName ?? 'no team');
    if (l.reference === view.reference) return `<li>${escapeHtml(l.reference)} (${team}): this one</li>`;
    if (!l.canOpen) return `<li>One about ${team}</li>`;
    return `<li><a class="govuk-link" href="${escapeHtml(paths.caseDetail.url({ reference: l.reference }))}">${escapeHtml(l.reference)}</a> (${team})</li>`;
  });
  return `<p class="govuk-body">One of ${String(view.linked.length)} ${noun} from the same contact, one for each team:</p><ul class="govuk-list govuk-list--bullet">${items.join('')}</ul>`;
}

/** A decision's reasons, with what else it recorded: the young person's views, the parts declined, when the complainant was told. */
function decisionDetails(decision: CaseView['eligibilityDecisions'][number]): Cell {
  if (decision.reason === undefined) return { text: HIDDEN_TEXT };
  const parts = [multiline(decision.reason).html];
  if (decision.childViews !== undefined) parts.push(`<strong>Young person’s views:</strong> ${multiline(decision.childViews).html}`);
  if (decision.partsDeclined !== undefined) parts.push(`<strong>Not considered:</strong> ${multiline(decision.partsDeclined).html}`);
  if (decision.notifiedOn !== null) parts.push(`<strong>Complainant told:</strong> ${escapeHtml(formatDate(decision.notifiedOn))}`);
  return { html: parts.map((p) => `<p class="govuk-body-s govuk-!-margin-bottom-1">${p}</p>`).join('') };
}

/** A timeline change in words: "From A to B", the value when there was none before, or what was cleared. */
function changeText(before: string | undefined, after: string | undefined): string {
  if (before !== undefined && after !== undefined) return `From ${before} to ${after}`;
  if (after !== undefined) return after;
  return `No longer recorded (was ${before ?? 'not recorded'})`;
}

const YES_NO_UNKNOWN = (value: boolean | null): string => (value === null ? 'Not known yet' : value ? 'Yes' : 'No');

function casePageData(view: CaseView) {
  return {
    title: view.reference,
    view,
    hiddenText: HIDDEN_TEXT,
    summaryRows: summaryRows(view),
    linkedHtml: linkedHtml(view),
    peopleSections: peopleSections(view),
    clockRows: clockRows(view.clocks),
    decisionRows: view.eligibilityDecisions.map((d) => [
      { text: d.decision.label },
      { text: d.outcome.label },
      { text: formatDate(d.decidedOn) },
      { text: d.decidedBy ?? 'Not recorded' },
      decisionDetails(d),
    ]),
    advocacyRows: view.advocacyOffers.map((o) => [
      { text: `Stage ${String(o.stage)}` },
      { text: formatDate(o.offeredOn) },
      { text: o.outcome.label },
      { text: o.provider ?? 'Not recorded' },
      { text: o.recordedBy ?? 'Not recorded' },
    ]),
    notes: view.personal?.notes.map((n) => ({ html: multiline(n.body).html, author: n.author, when: formatDateTime(n.createdAt) })),
    timeline: view.history.map((h) => ({
      summary: h.summary,
      who: h.who,
      when: formatDateTime(h.occurredAt),
      datetime: h.occurredAt,
      changes: h.changes.map((c) => ({ label: c.label, text: changeText(c.before, c.after) })),
    })),
  };
}

// ---- the queue's query string ----

/** The queue and filters from the query string; anything not understood is ignored. */
export function queueFiltersFrom(query: unknown): QueueFilters & { queue: CaseQueue } {
  const raw = (query ?? {}) as Record<string, unknown>;
  const queue = queryValue(raw.queue);
  const kind = queryValue(raw.kind);
  const status = queryValue(raw.status);
  return {
    queue: isCaseQueue(queue) ? queue : 'all_open',
    kind: isRepresentationKind(kind) ? kind : undefined,
    teamId: wholeNumberOf(queryValue(raw.team)),
    status: isCaseStatus(status) ? status : undefined,
    search: queryValue(raw.q)?.slice(0, 200),
    page: wholeNumberOf(queryValue(raw.page)),
    after: queueKeyFrom(queryValue(raw.after)),
    before: queueKeyFrom(queryValue(raw.before)),
    figure: figureFilterFrom(raw),
  };
}

const QUEUE_KEY_PATTERN = /^(\d{4}-\d{2}-\d{2})\.(\d{4}-\d{2}-\d{2})\.(\d{1,15})$/;

/** A place in a queue's order as a link carries it: `due.received.id`; anything else is ignored (the first page). */
function queueKeyFrom(text: string | undefined): QueueKey | undefined {
  const match = text === undefined ? null : QUEUE_KEY_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, dueOn = '', receivedOn = '', id = ''] = match;
  return { dueOn, receivedOn, id: Number(id) };
}

const queueKeyText = (key: QueueKey): string => `${key.dueOn}.${key.receivedOn}.${String(key.id)}`;

/** The query string for these filters (page 1 unless given; or the page after or before a place in the queue). */
function queueQuery(filters: QueueFilters & { queue: CaseQueue }, page?: number | { after: QueueKey } | { before: QueueKey }): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.queue !== 'all_open') query.queue = filters.queue;
  if (filters.kind !== undefined) query.kind = filters.kind;
  if (filters.teamId !== undefined) query.team = String(filters.teamId);
  if (filters.status !== undefined) query.status = filters.status;
  if (filters.search !== undefined) query.q = filters.search;
  Object.assign(query, figureFilterQuery(filters.figure));
  if (typeof page === 'number' && page > 1) query.page = String(page);
  if (typeof page === 'object' && 'after' in page) query.after = queueKeyText(page.after);
  if (typeof page === 'object' && 'before' in page) query.before = queueKeyText(page.before);
  return query;
}

/** GOV.UK pagination with previous and next only: a page found by its place in the queue. */
function keyPagination(result: QueueList, filters: QueueFilters & { queue: CaseQueue }) {
  if (result.next === undefined && result.previous === undefined) return undefined;
  return {
    ...(result.previous === undefined ? {} : { previous: { href: paths.cases.url(queueQuery(filters, { before: result.previous })) } }),
    ...(result.next === undefined ? {} : { next: { href: paths.cases.url(queueQuery(filters, { after: result.next })) } }),
  };
}

/** The words above the list: how many cases, as far as the page knows without counting the whole list. */
function countText(result: QueuePage | QueueList): string {
  const plural = (n: number) => `${String(n)} ${n === 1 ? 'case' : 'cases'}`;
  if ('total' in result) {
    const first = (result.page - 1) * result.pageSize + 1;
    return result.total > result.rows.length ? `Showing ${String(first)} to ${String(first + result.rows.length - 1)} of ${String(result.total)} cases` : plural(result.total);
  }
  return result.next === undefined && result.previous === undefined ? plural(result.rows.length) : `Showing ${plural(result.rows.length)} on this page`;
}

/** GOV.UK pagination: first, last, and the pages either side of the current one, with ellipses between. */
function pagination(result: QueuePage, filters: QueueFilters & { queue: CaseQueue }) {
  if (result.pageCount <= 1) return undefined;
  const href = (page: number) => paths.cases.url(queueQuery(filters, page));
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  let previous = 0;
  for (let page = 1; page <= result.pageCount; page++) {
    if (page !== 1 && page !== result.pageCount && Math.abs(page - result.page) > 1) continue;
    if (page - previous > 1) items.push({ ellipsis: true });
    items.push({ number: page, href: href(page), current: page === result.page });
    previous = page;
  }
  return {
    items,
    ...(result.page > 1 ? { previous: { href: href(result.page - 1) } } : {}),
    ...(result.page < result.pageCount ? { next: { href: href(result.page + 1) } } : {}),
  };
}

/** Under a listed case's reference: where the search's words were found, if full-text. */
function matchedHtml(matchedIn: QueuePage['rows'][number]['matchedIn']): string {
  const where = matchedIn.map((m) => (m === 'summary' ? 'the summary' : 'the notes')).join(' and ');
  return where === '' ? '' : `<span class="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">Found in ${where}</span>`;
}

// ---- routes ----

export function caseRoutes(container: Container): FastifyPluginCallback {
  const { cases, organisation } = container;

  return (app, _options, done) => {
    app.get(paths.cases.pattern, { config: { access: CASE_READERS } }, async (request, reply) => {
      const viewer = staffActorOf(request);
      const filters = queueFiltersFrom(request.query);
      // Only the queues that apply to the user's roles (case-access.ts); another is refused like a page the role does not have.
      const applicable = queuesFor(viewer.roles);
      if (!applicable.includes(filters.queue)) return sendErrorPage(request, reply, 'forbidden');
      const isRegistrar = canAccess(CASE_REGISTRARS, viewer.roles);
      // A report figure's records are counted and numbered (a year's at most); every queue is read by its place in the queue's order.
      const [result, teams, waiting] = await Promise.all([
        filters.figure === undefined ? cases.queueList(viewer, filters) : cases.queue(viewer, filters),
        organisation.listTeams(),
        isRegistrar ? container.ownWork.awaitingRegistration() : Promise.resolve(undefined),
      ]);
      const isFiltered = filters.kind !== undefined || filters.teamId !== undefined || filters.status !== undefined || filters.search !== undefined || filters.figure !== undefined;
      const canSearchPeople = viewer.roles.some((role) => role !== 'viewer' && CASE_READERS.includes(role));
      return renderPage(request, reply, 'pages/cases/queue.njk', {
        title: 'Cases',
        queueLabel: CASE_QUEUE_LABELS[result.queue],
        figureText: filters.figure === undefined ? undefined : figureFilterText(filters.figure),
        figureQuery: Object.entries(figureFilterQuery(filters.figure)).map(([name, value]) => ({ name, value })),
        filters,
        isFiltered,
        canRegister: isRegistrar,
        waiting:
          waiting === undefined || waiting.count === 0 || waiting.oldestReceivedOn === undefined
            ? undefined
            : {
                count: waiting.count,
                oldest: formatDate(waiting.oldestReceivedOn),
                age: waiting.oldestWorkingDays === undefined ? undefined : `${String(waiting.oldestWorkingDays)} working ${waiting.oldestWorkingDays === 1 ? 'day' : 'days'}`,
                href: paths.cases.url({ queue: 'awaiting_registration' }),
              },
        searchLabel: canSearchPeople ? 'Reference, young person’s id, complainant’s name or words in the summary or notes' : 'Reference',
        queues: applicable.map((queue) => ({
          label: CASE_QUEUE_LABELS[queue],
          href: paths.cases.url(queueQuery({ ...filters, queue })),
          isCurrent: queue === result.queue,
        })),
        clearHref: paths.cases.url(queueQuery({ queue: filters.queue })),
        allCasesHref: paths.cases.url(queueQuery({ ...filters, queue: 'all' })),
        kindItems: [{ value: '', text: 'All kinds' }, ...REPRESENTATION_KINDS.map((kind) => ({ value: kind, text: REPRESENTATION_KIND_LABELS[kind], selected: kind === filters.kind }))],
        teamItems: [
          { value: '', text: 'All teams' },
          ...teams.filter((t) => t.isActive || t.id === filters.teamId).map((t) => ({ value: String(t.id), text: t.name, selected: t.id === filters.teamId })),
        ],
        statusItems: [{ value: '', text: 'All statuses' }, ...CASE_STATUSES.map((status) => ({ value: status, text: CASE_STATUS_LABELS[status], selected: status === filters.status }))],
        countText: countText(result),
        rows: result.rows.map((r: QueueRow) => [
          { html: `<a class="govuk-link" href="${escapeHtml(paths.caseDetail.url({ reference: r.reference }))}">${escapeHtml(r.reference)}</a>${matchedHtml(r.matchedIn)}` },
          { text: r.kindLabel },
          { text: r.teamName ?? 'No team' },
          { text: r.statusLabel },
          { text: formatShortDate(r.receivedOn) },
          r.problem !== undefined ? { html: `<strong class="govuk-tag govuk-tag--red">Problem</strong> ${escapeHtml(r.problem)}` } : r.stage1Due === undefined ? { text: '–' } : { html: dueHtml(r.stage1Due, { alwaysTag: false }) },
          { text: r.responderName ?? '–' },
        ]),
        pagination: 'total' in result ? pagination(result, filters) : keyPagination(result, filters),
      });
    });

    app.get<{ Params: { reference: string } }>(paths.caseDetail.pattern, { config: { access: CASE_READERS } }, async (request, reply) => {
      const { reference } = request.params;
      const viewer = staffActorOf(request);
      // Read once (CaseQueryService.page) and handed down: the actions, later stages and restrictions are not read again.
      const page = tryParseReference(reference) === undefined ? undefined : await cases.page(reference, viewer);
      if (page === undefined) {
        reply.callNotFound();
        return reply;
      }
      const { view } = page;
      // Retention (src/web/admin/retention-routes.ts): a disposed-of case shows no personal data and no actions.
      if (page.disposedAt !== null) {
        return renderPage(request, reply, 'pages/cases/disposed.njk', {
          title: view.reference,
          reference: view.reference,
          kindLabel: view.kindLabel,
          statusLabel: view.statusLabel,
          teamName: view.teamName,
          disposedOn: formatDate(page.disposedAt.slice(0, 10)),
        });
      }
      const canHold = canAccess(LEGAL_HOLD_KEEPERS, viewer.roles);
      const isLearningReader = view.isComplaint && canAccess(LEARNING_READERS, viewer.roles);
      const user = request.user;
      // Independent reads: at once on PostgreSQL (on SQLite they run one after another anyway).
      const [hold, sentOnline, enquiries, later, lessonRows, files, sentQuestionnaire] = await Promise.all([
        container.retention.activeHold(view.id),
        view.personal === undefined ? undefined : container.publicSubmissions.answersFor(view.id),
        view.isComplaint ? container.ombudsman.forRepresentation(view.id) : [],
        view.visibility === 'full' && view.isProcedure && page.loaded !== undefined && user !== undefined
          ? laterStagesSection(container, viewer, { ...page, loaded: page.loaded, actorName: user.name })
          : undefined,
        isLearningReader ? container.learning.forRepresentation(view.id) : [],
        view.personal === undefined ? [] : container.attachments.forRepresentation(view.id),
        view.isComplaint ? container.questionnaires.forRepresentation(view.id) : undefined,
      ]);
      const legalHold =
        hold === undefined && !canHold
          ? undefined
          : {
              isHeld: hold !== undefined,
              reason: view.visibility === 'full' ? hold?.reason : undefined,
              placedOn: hold === undefined ? undefined : formatDate(hold.placedAt.slice(0, 10)),
              href: canHold ? paths.caseLegalHold.url({ reference: view.reference }) : undefined,
            };
      // Restricted cases (src/web/cases/case-restriction-routes.ts): those who manage them see how many are excluded.
      const restriction = canAccess(RESTRICTION_KEEPERS, viewer.roles) ? { count: page.restrictions.length, href: paths.caseRestrictions.url({ reference: view.reference }) } : undefined;
      const actions = (page.loaded === undefined ? [] : container.caseActions.availableOn(page.loaded, viewer)).map((a) => ({
        ...a,
        href: paths.caseAction.url({ reference: view.reference, action: a.action }),
      }));
      // Sent from the public pages: what they typed, shown as text (never as markup).
      const submitted = sentOnline && {
        routeLabel: sentOnline.audience === 'young' ? 'the children and young people’s pages' : 'the adults’ pages',
        when: formatDateTime(sentOnline.submittedAt),
        rows: sentOnline.rows.map((r) => row(r.question, multiline(r.answer))),
        registerHref:
          view.status === 'awaiting_registration' && canAccess(CASE_REGISTRARS, viewer.roles) ? paths.registerSubmission.url({ reference: view.reference }) : undefined,
      };
      const ombudsman = view.isComplaint
        ? {
            canRecord: viewer.roles.some((r) => OMBUDSMAN_KEEPERS.includes(r)),
            newHref: paths.newOmbudsmanEnquiry.url({ case: view.reference }),
            enquiries: enquiries.map((e) => ({ ...e, href: paths.ombudsmanEnquiry.url({ enquiryId: e.id }), receivedOn: formatDate(e.receivedOn) })),
          }
        : undefined;
      // Lessons learnt from a complaint: titles only for those who see the case in full.
      const lessons = isLearningReader
        ? {
            canRecord: canAccess(LEARNING_KEEPERS, viewer.roles),
            newHref: paths.newLesson.url({ case: view.reference }),
            items: lessonRows.map((l) => ({
              href: paths.lesson.url({ lessonId: l.id }),
              title: view.visibility === 'full' ? l.title : `Lesson ${String(l.id)}`,
              identifiedOn: formatDate(l.identifiedOn),
              open: l.open,
              overdue: l.overdue,
            })),
          }
        : undefined;
      // Files sent with it, each a download: only for those who see the case in full.
      const attachments = files.map((a) => ({
        name: a.fileName,
        type: mediaTypeLabel(a.mediaType),
        size: formatFileSize(a.sizeBytes),
        href: paths.caseAttachment.url({ reference: view.reference, attachmentId: a.id }),
      }));
      // The satisfaction questionnaire sent after closure (src/app/questionnaire-service.ts): whether it was sent, reminded, answered.
      const questionnaire = sentQuestionnaire && {
        sentOn: formatDateTime(sentQuestionnaire.sentAt),
        remindedOn: sentQuestionnaire.reminderSentAt === null ? undefined : formatDateTime(sentQuestionnaire.reminderSentAt),
        answeredOn: sentQuestionnaire.answeredAt === null ? undefined : formatDateTime(sentQuestionnaire.answeredAt),
      };
      return renderPage(request, reply, 'pages/cases/case.njk', { ...casePageData(view), questionnaire, actions, submitted, ombudsman, later, attachments, lessons, legalHold, restriction });
    });
    done();
  };
}
