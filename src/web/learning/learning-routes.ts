/**
 * The learning log: lessons learnt from complaints with their actions, the queue of overdue
 * actions, a lesson's page, and the forms that record a lesson, link and unlink complaints,
 * and add, change, complete, cancel and reopen actions. Saves carry the lesson's or action's
 * version (409 when someone saved in between); a refused save shows the form again with its
 * error summary and the answers kept.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { LessonView } from '../../app/learning-service.ts';
import type { ActionFilters, LogKey } from '../../db/learning-repository.ts';
import { DomainError, InputProblems } from '../../domain/errors.ts';
import { ACTION_SOURCE_LABELS, ACTION_STATUSES, ACTION_STATUS_LABELS, isActionSource, isActionStatus } from '../../domain/learning/learning.ts';
import { formatLongDate } from '../../domain/cases/stage1-fields.ts';
import { HIDDEN_TEXT } from '../../app/case-query-service.ts';
import { isOneOf } from '../../domain/taxonomies/code-list.ts';
import { canAccess } from '../../domain/users/roles.ts';
import { staffActorOf } from '../actor.ts';
import { LEARNING_ACTION_COMPLETERS, LEARNING_KEEPERS, LEARNING_READERS } from '../cases/case-access.ts';
import { type FormBody, type FormErrors, formDate, formErrors, formText, queryDate, queryValue, wholeNumberOf } from '../forms.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { sendErrorPage } from '../errors.ts';
import { escapeHtml } from '../../reports/html-escape.ts';

type Body = FormBody;

const STATUS_TAGS: Readonly<Record<string, string>> = { open: 'govuk-tag--blue', done: 'govuk-tag--green', cancelled: 'govuk-tag--grey', overdue: 'govuk-tag--red' };

const STEPS = ['complete', 'cancel', 'reopen', 'edit'] as const;
type Step = (typeof STEPS)[number];

const STEP_HEADINGS: Readonly<Record<Step, string>> = {
  complete: 'Mark the action as done',
  cancel: 'Cancel the action',
  reopen: 'Reopen the action',
  edit: 'Change the action',
};

const formatDate = (date: string | null): string => (date === null ? 'Not recorded' : formatLongDate(date));
const lessonName = (lesson: { id: number; title: string }, isTextShown: boolean): string => (isTextShown ? lesson.title : `Lesson ${String(lesson.id)}`);
const statusTag = (status: string, isOverdue: boolean): string => {
  const key = isOverdue ? 'overdue' : status;
  const label = isOverdue ? 'Overdue' : isActionStatus(status) ? ACTION_STATUS_LABELS[status] : status;
  return `<strong class="govuk-tag ${STATUS_TAGS[key] ?? 'govuk-tag--grey'}">${escapeHtml(label)}</strong>`;
};
const isKeeper = (request: FastifyRequest): boolean => canAccess(LEARNING_KEEPERS, request.user?.roles);

/** A field as the action-field partial draws it. */
function dateField(name: string, label: string, body: Body, errors: FormErrors | undefined, hint = 'For example, 27 3 2026') {
  return { type: 'date', name, label, hint, error: errors?.fields[name], day: formText(body, `${name}-day`), month: formText(body, `${name}-month`), year: formText(body, `${name}-year`) };
}
function textField(type: 'input' | 'textarea', name: string, label: string, body: Body, errors: FormErrors | undefined, hint?: string) {
  return { type, name, label, hint, error: errors?.fields[name], value: formText(body, name) };
}
function selectField(name: string, label: string, options: readonly { value: string; text: string }[], body: Body, errors: FormErrors | undefined, hint?: string) {
  const chosen = formText(body, name);
  return { type: 'select', name, label, hint, error: errors?.fields[name], items: options.map((o) => ({ ...o, selected: o.value === chosen })) };
}
/** An ISO date as the three boxes of a date input, to fill a form from a record. */
function dateBoxes(name: string, iso: string | null): Record<string, string> {
  if (iso === null) return {};
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year };
}
/** A refusal as form errors, each against its field (or `fallback`). */
const errorsOf = (error: DomainError, fallback: string): FormErrors =>
  formErrors((error instanceof InputProblems ? error.problems : [error]).map((p) => ({ field: p.field ?? fallback, message: p.message })));

/**
 * The actions list's filters (`GET /learning/actions?…`, linked from the annual report's
 * "Learning actions by status"): `identified_from`, `identified_to` (the lesson's date,
 * YYYY-MM-DD), `status` (open, done, cancelled), `overdue_on` (open and due before that
 * date). Anything not understood is ignored.
 */
export function actionFiltersFrom(query: unknown): ActionFilters {
  const raw = (query ?? {}) as Record<string, unknown>;
  const date = (name: string): string | undefined => queryDate(raw, name);
  const status = queryValue(raw.status);
  return { identifiedFrom: date('identified_from'), identifiedTo: date('identified_to'), status: isActionStatus(status) ? status : undefined, overdueBefore: date('overdue_on') };
}

/** The query string of the filters (the inverse of `actionFiltersFrom`). */
export function actionFiltersQuery(filters: ActionFilters): Record<string, string> {
  return Object.fromEntries(
    [
      ['identified_from', filters.identifiedFrom],
      ['identified_to', filters.identifiedTo],
      ['status', filters.status],
      ['overdue_on', filters.overdueBefore],
    ].filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** The filters in words: "of lessons identified from 1 April 2019 to 30 June 2020; status: Done". */
function actionFiltersText(filters: ActionFilters): string {
  const parts: string[] = [];
  if (filters.identifiedFrom !== undefined || filters.identifiedTo !== undefined) {
    parts.push(`of lessons identified ${filters.identifiedFrom === undefined ? 'up' : `from ${formatDate(filters.identifiedFrom)}`} to ${filters.identifiedTo === undefined ? 'now' : formatDate(filters.identifiedTo)}`);
  }
  if (filters.status !== undefined) parts.push(`status: ${isActionStatus(filters.status) ? ACTION_STATUS_LABELS[filters.status] : filters.status}`);
  if (filters.overdueBefore !== undefined) parts.push(`open and past their due date on ${formatDate(filters.overdueBefore)}`);
  return parts.join('; ');
}

const LOG_KEY_PATTERN = /^(\d{4}-\d{2}-\d{2})\.(\d{1,15})$/;

/** A place in the log's order as a link carries it (`after` or `before`): `identified.id`; anything else is ignored (the first page). */
function logKeyFrom(text: string | undefined): LogKey | undefined {
  const match = text === undefined ? null : LOG_KEY_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, identifiedOn = '', id = ''] = match;
  return { identifiedOn, id: Number(id) };
}

const logKeyText = (key: LogKey): string => `${key.identifiedOn}.${String(key.id)}`;

export function learningRoutes(container: Container): FastifyPluginCallback {
  const { learning, organisation } = container;

  const teamOptions = async () => [{ value: '', text: 'No team' }, ...(await organisation.listTeams()).filter((t) => t.isActive).map((t) => ({ value: String(t.id), text: t.name }))];
  const ownerOptions = async () => [{ value: '', text: 'Choose an owner' }, ...(await learning.possibleOwners()).map((u) => ({ value: String(u.id), text: u.name }))];

  const lessonFields = async (body: Body, errors: FormErrors | undefined, isNew: boolean) => [
    ...(isNew ? [textField('textarea', 'case_reference', 'References of the complaints that raised it', body, errors, 'One or more, for example CSC-2026-0042, CSC-2026-0043')] : []),
    textField('input', 'title', 'Title', body, errors, 'A short name for the lesson, without names or other personal details'),
    textField('textarea', 'description', 'What was learnt', body, errors, 'Do not include names or other personal details'),
    dateField('identified_on', 'When was the lesson identified?', body, errors),
    selectField('team_id', 'Team (optional)', await teamOptions(), body, errors, 'The team the lesson is mostly about'),
  ];
  const actionFields = async (body: Body, errors: FormErrors | undefined) => [
    textField('textarea', 'description', 'What is to be done', body, errors),
    selectField('owner_user_id', 'Owner', await ownerOptions(), body, errors, 'The member of staff responsible for it'),
    textField('input', 'owner_name', 'Or the name of an owner without an account (optional)', body, errors, 'For example, a manager in a partner agency'),
    dateField('due_on', 'When is it due?', body, errors),
  ];
  const teamIdOf = (body: Body): number | null => wholeNumberOf(formText(body, 'team_id')) ?? null;
  const actionInputOf = (body: Body) => ({
    description: formText(body, 'description'),
    dueOn: formDate(body, 'due_on'),
    ownerUserId: wholeNumberOf(formText(body, 'owner_user_id')) ?? null,
    ownerName: formText(body, 'owner_name'),
  });

  /** The lesson's page (with `errors` for the link form when a link was refused). */
  async function renderLesson(request: FastifyRequest, reply: FastifyReply, view: LessonView, body: Body = {}, errors?: FormErrors): Promise<FastifyReply> {
    const { lesson, complaints, actions, isTextShown } = view;
    const canKeep = isKeeper(request);
    const lessonId = lesson.id;
    return renderPage(request, reply, 'pages/learning/lesson.njk', {
      title: lessonName(lesson, isTextShown),
      heading: lessonName(lesson, isTextShown),
      lesson,
      canKeep,
      isTextShown,
      hiddenText: HIDDEN_TEXT,
      caseReference: formText(body, 'case_reference'),
      errors,
      editHref: paths.editLesson.url({ lessonId }),
      newActionHref: paths.newLearningAction.url({ lessonId }),
      linkHref: paths.lessonComplaints.url({ lessonId }),
      summaryRows: [
        { key: { text: 'Identified' }, value: { text: formatDate(lesson.identified_on) } },
        { key: { text: 'Team' }, value: { text: lesson.team_name ?? 'No team' } },
        { key: { text: 'What was learnt' }, value: { text: isTextShown ? lesson.description : HIDDEN_TEXT } },
      ],
      complaints: complaints.map((c) => ({
        reference: c.reference,
        href: paths.caseDetail.url({ reference: c.reference }),
        receivedOn: formatDate(c.receivedOn),
        unlinkHref: paths.unlinkLessonComplaint.url({ lessonId, representationId: c.representationId }),
      })),
      actionRows: actions.map((a) => {
        const links = [
          ...(a.canComplete ? [{ step: 'complete', text: 'Mark as done' }] : []),
          ...(canKeep && a.status === 'open' ? [{ step: 'edit', text: 'Change' }, { step: 'cancel', text: 'Cancel' }] : []),
          ...(canKeep && a.status !== 'open' ? [{ step: 'reopen', text: 'Reopen' }] : []),
        ];
        const described = isTextShown ? a.description : HIDDEN_TEXT;
        return [
          { text: described },
          { text: isTextShown ? (a.ownerName ?? 'Not assigned') : HIDDEN_TEXT },
          { text: formatDate(a.dueOn) },
          {
            html:
              statusTag(a.status, a.isOverdue) +
              (a.doneOn === null ? '' : `<br><span class="govuk-body-s">Done ${escapeHtml(formatDate(a.doneOn))}</span>`) +
              (a.cancelledReason === null || !isTextShown ? '' : `<br><span class="govuk-body-s">${escapeHtml(a.cancelledReason)}</span>`),
          },
          { text: isActionSource(a.source) ? ACTION_SOURCE_LABELS[a.source] : a.source },
          {
            html: links
              .map(
                (l) =>
                  `<a class="govuk-link" href="${escapeHtml(paths.learningActionStep.url({ actionId: a.id, step: l.step }))}">${l.text}<span class="govuk-visually-hidden"> (action due ${escapeHtml(formatDate(a.dueOn))})</span></a>`,
              )
              .join('<br>'),
          },
        ];
      }),
    });
  }

  /**
   * Loads a lesson for its page; not found (also when the user may not see it) sends the 404
   * page and gives undefined: the caller then returns `reply` (the page is sent).
   */
  async function lessonView(request: FastifyRequest, reply: FastifyReply, raw: string): Promise<LessonView | undefined> {
    const lessonId = wholeNumberOf(raw);
    try {
      if (lessonId !== undefined) return await learning.view(lessonId, staffActorOf(request));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'lesson_not_found') throw error;
    }
    await sendErrorPage(request, reply, 'notFound');
    return undefined;
  }

  async function renderStep(request: FastifyRequest, reply: FastifyReply, actionId: number, step: Step, body: Body, errors?: FormErrors): Promise<FastifyReply> {
    const action = await learning.action(actionId, staffActorOf(request));
    const fields =
      step === 'complete'
        ? [dateField('done_on', 'When was it done?', body, errors)]
        : step === 'edit'
          ? await actionFields(body, errors)
          : [textField('textarea', 'reason', step === 'cancel' ? 'Why is it cancelled?' : 'Why is it reopened?', body, errors)];
    return renderPage(request, reply, 'pages/cases/action.njk', {
      title: STEP_HEADINGS[step],
      heading: STEP_HEADINGS[step],
      reference: action.isTextShown ? action.description.slice(0, 80) : `Action ${String(action.id)}`,
      caseHref: paths.lesson.url({ lessonId: action.lesson_id }),
      actionHref: paths.learningActionStep.url({ actionId, step }),
      version: formText(body, 'version') === '' ? action.version : formText(body, 'version'),
      fields,
      errors,
    });
  }

  return (app, _options, done) => {
    app.get<{ Querystring: { status?: string; team?: string; overdue?: string; after?: string; before?: string } }>(paths.learning.pattern, { config: { access: LEARNING_READERS } }, async (request, reply) => {
      const status = isOneOf(ACTION_STATUSES, request.query.status) ? request.query.status : undefined;
      const teamId = wholeNumberOf(request.query.team);
      const isOverdueOnly = request.query.overdue === 'yes';
      const page = await learning.logPage(
        { ...(status === undefined ? {} : { status }), ...(teamId === undefined ? {} : { teamId }), isOverdueOnly },
        staffActorOf(request),
        { after: logKeyFrom(queryValue(request.query.after)), before: logKeyFrom(queryValue(request.query.before)) },
      );
      const entries = page.entries;
      // Another page keeps the filters.
      const filterQuery = { ...(status === undefined ? {} : { status }), ...(teamId === undefined ? {} : { team: String(teamId) }), ...(isOverdueOnly ? { overdue: 'yes' } : {}) };
      const isPaged = page.next !== undefined || page.previous !== undefined;
      const plural = (n: number) => `${String(n)} ${n === 1 ? 'lesson' : 'lessons'}`;
      const teams = await teamOptions();
      return renderPage(request, reply, 'pages/learning/log.njk', {
        title: 'Learning from complaints',
        canKeep: isKeeper(request),
        statusItems: [{ value: '', text: 'Any' }, ...ACTION_STATUSES.map((s) => ({ value: s, text: ACTION_STATUS_LABELS[s], selected: s === status }))],
        teamItems: [{ value: '', text: 'All teams' }, ...teams.slice(1).map((t) => ({ ...t, selected: t.value === String(teamId) }))],
        isOverdueOnly,
        countText: isPaged ? `Showing ${plural(entries.length)} on this page` : plural(entries.length),
        pagination: isPaged
          ? {
              ...(page.previous === undefined ? {} : { previous: { href: paths.learning.url({ ...filterQuery, before: logKeyText(page.previous) }) } }),
              ...(page.next === undefined ? {} : { next: { href: paths.learning.url({ ...filterQuery, after: logKeyText(page.next) }) } }),
            }
          : undefined,
        rows: entries.map((e) => [
          { html: `<a class="govuk-link" href="${escapeHtml(paths.lesson.url({ lessonId: e.id }))}">${escapeHtml(lessonName(e, e.isTextShown))}</a>` },
          { html: e.complaints.map((ref) => `<a class="govuk-link" href="${escapeHtml(paths.caseDetail.url({ reference: ref }))}">${escapeHtml(ref)}</a>`).join('<br>') },
          { text: e.teamName ?? 'No team' },
          { text: formatDate(e.identifiedOn) },
          { text: String(e.open), format: 'numeric' },
          { html: e.overdue > 0 ? `<strong class="govuk-tag govuk-tag--red">${String(e.overdue)}</strong>` : '0', format: 'numeric' },
          { text: String(e.done), format: 'numeric' },
          { text: String(e.cancelled), format: 'numeric' },
        ]),
      });
    });

    app.get(paths.learningActions.pattern, { config: { access: LEARNING_READERS } }, async (request, reply) => {
      const filters = actionFiltersFrom(request.query);
      const { entries, total } = await learning.actionList(filters, staffActorOf(request));
      const text = actionFiltersText(filters);
      return renderPage(request, reply, 'pages/learning/actions.njk', {
        title: 'Learning actions',
        filterText: text === '' ? undefined : text,
        clearHref: paths.learningActions.url(),
        total,
        isLimited: total > entries.length,
        shown: entries.length,
        rows: entries.map((a) => [
          { text: a.isTextShown ? a.description : HIDDEN_TEXT },
          { html: `<a class="govuk-link" href="${escapeHtml(paths.lesson.url({ lessonId: a.lessonId }))}">${escapeHtml(lessonName({ id: a.lessonId, title: a.lessonTitle }, a.isTextShown))}</a>` },
          { text: a.teamName ?? 'No team' },
          { text: a.isTextShown ? (a.ownerName ?? 'Not assigned') : HIDDEN_TEXT },
          { text: formatDate(a.dueOn) },
          { html: statusTag(a.status, a.isOverdue) },
        ]),
      });
    });

    app.get(paths.overdueLearningActions.pattern, { config: { access: LEARNING_READERS } }, async (request, reply) => {
      const queue = await learning.actionQueue({ isOverdueOnly: true }, staffActorOf(request));
      return renderPage(request, reply, 'pages/learning/overdue.njk', {
        title: 'Overdue learning actions',
        rows: queue.map((a) => [
          { text: a.isTextShown ? a.description : HIDDEN_TEXT },
          { html: `<a class="govuk-link" href="${escapeHtml(paths.lesson.url({ lessonId: a.lessonId }))}">${escapeHtml(lessonName({ id: a.lessonId, title: a.lessonTitle }, a.isTextShown))}</a>` },
          { text: a.teamName ?? 'No team' },
          { text: a.isTextShown ? (a.ownerName ?? 'Not assigned') : HIDDEN_TEXT },
          { text: formatDate(a.dueOn) },
          { text: String(a.daysOverdue), format: 'numeric' },
        ]),
      });
    });

    const renderNew = async (request: FastifyRequest, reply: FastifyReply, body: Body, errors?: FormErrors) =>
      renderPage(request, reply, 'pages/cases/action.njk', {
        title: 'Record a lesson learnt',
        heading: 'Record a lesson learnt',
        reference: 'Learning from complaints',
        caseHref: paths.learning.url(),
        actionHref: paths.newLesson.url(),
        version: 0,
        fields: await lessonFields(body, errors, true),
        errors,
      });

    app.get<{ Querystring: { case?: string } }>(paths.newLesson.pattern, { config: { access: LEARNING_KEEPERS } }, (request, reply) => renderNew(request, reply, { case_reference: request.query.case ?? '' }));

    app.post(paths.newLesson.pattern, { config: { access: LEARNING_KEEPERS } }, async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      try {
        const id = await learning.create(
          { title: formText(body, 'title'), description: formText(body, 'description'), identifiedOn: formDate(body, 'identified_on'), teamId: teamIdOf(body), caseReferences: formText(body, 'case_reference') },
          staffActorOf(request),
        );
        return await reply.redirect(paths.lesson.url({ lessonId: id }), 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return renderNew(request, reply, body, errorsOf(error, 'title'));
      }
    });

    app.get<{ Params: { lessonId: string } }>(paths.lesson.pattern, { config: { access: LEARNING_READERS } }, async (request, reply) => {
      const view = await lessonView(request, reply, request.params.lessonId);
      return view === undefined ? reply : renderLesson(request, reply, view);
    });

    const renderEdit = async (request: FastifyRequest, reply: FastifyReply, lessonId: number, version: number | string, body: Body, errors?: FormErrors) =>
      renderPage(request, reply, 'pages/cases/action.njk', {
        title: 'Change the lesson',
        heading: 'Change the lesson',
        reference: 'Learning from complaints',
        caseHref: paths.lesson.url({ lessonId }),
        actionHref: paths.editLesson.url({ lessonId }),
        version,
        fields: await lessonFields(body, errors, false),
        errors,
      });

    app.get<{ Params: { lessonId: string } }>(paths.editLesson.pattern, { config: { access: LEARNING_KEEPERS } }, async (request, reply) => {
      const view = await lessonView(request, reply, request.params.lessonId);
      if (view === undefined) return reply;
      const { lesson } = view;
      return renderEdit(request, reply, lesson.id, lesson.version, {
        title: lesson.title,
        description: lesson.description,
        team_id: lesson.team_id === null ? '' : String(lesson.team_id),
        ...dateBoxes('identified_on', lesson.identified_on),
      });
    });

    app.post<{ Params: { lessonId: string } }>(paths.editLesson.pattern, { config: { access: LEARNING_KEEPERS } }, async (request, reply) => {
      const lessonId = wholeNumberOf(request.params.lessonId);
      if (lessonId === undefined) return sendErrorPage(request, reply, 'notFound');
      const body = (request.body ?? {}) as Body;
      try {
        await learning.update(
          lessonId,
          { title: formText(body, 'title'), description: formText(body, 'description'), identifiedOn: formDate(body, 'identified_on'), teamId: teamIdOf(body) },
          staffActorOf(request),
          Number(formText(body, 'version')),
        );
        return await reply.redirect(paths.lesson.url({ lessonId }), 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.code === 'lesson_not_found') return sendErrorPage(request, reply, 'notFound');
        if (error.code === 'stale_update') reply.code(409);
        return renderEdit(request, reply, lessonId, formText(body, 'version'), body, errorsOf(error, 'title'));
      }
    });

    /** Links or unlinks a complaint; a refusal shows the lesson's page with the error. */
    const relink = async (request: FastifyRequest, reply: FastifyReply, rawLessonId: string, work: (lessonId: number, body: Body) => Promise<void>): Promise<FastifyReply> => {
      const lessonId = wholeNumberOf(rawLessonId);
      if (lessonId === undefined) return sendErrorPage(request, reply, 'notFound');
      const body = (request.body ?? {}) as Body;
      try {
        await work(lessonId, body);
        return await reply.redirect(paths.lesson.url({ lessonId }), 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.code === 'lesson_not_found') return sendErrorPage(request, reply, 'notFound');
        if (error.code === 'stale_update') reply.code(409);
        const view = await lessonView(request, reply, rawLessonId);
        return view === undefined ? reply : renderLesson(request, reply, view, body, errorsOf(error, 'case_reference'));
      }
    };

    app.post<{ Params: { lessonId: string } }>(paths.lessonComplaints.pattern, { config: { access: LEARNING_KEEPERS } }, (request, reply) =>
      relink(request, reply, request.params.lessonId, (lessonId, body) => learning.link(lessonId, formText(body, 'case_reference'), staffActorOf(request), Number(formText(body, 'version')))),
    );

    app.post<{ Params: { lessonId: string; representationId: string } }>(paths.unlinkLessonComplaint.pattern, { config: { access: LEARNING_KEEPERS } }, (request, reply) =>
      relink(request, reply, request.params.lessonId, (lessonId, body) =>
        learning.unlink(lessonId, wholeNumberOf(request.params.representationId) ?? 0, staffActorOf(request), Number(formText(body, 'version'))),
      ),
    );

    const renderNewAction = async (request: FastifyRequest, reply: FastifyReply, view: LessonView, body: Body, errors?: FormErrors) =>
      renderPage(request, reply, 'pages/cases/action.njk', {
        title: `Add an action: ${view.lesson.title}`,
        heading: 'Add an action',
        reference: view.lesson.title,
        caseHref: paths.lesson.url({ lessonId: view.lesson.id }),
        actionHref: paths.newLearningAction.url({ lessonId: view.lesson.id }),
        version: view.lesson.version,
        fields: await actionFields(body, errors),
        errors,
      });

    app.get<{ Params: { lessonId: string } }>(paths.newLearningAction.pattern, { config: { access: LEARNING_KEEPERS } }, async (request, reply) => {
      const view = await lessonView(request, reply, request.params.lessonId);
      return view === undefined ? reply : renderNewAction(request, reply, view, {});
    });

    app.post<{ Params: { lessonId: string } }>(paths.newLearningAction.pattern, { config: { access: LEARNING_KEEPERS } }, async (request, reply) => {
      const view = await lessonView(request, reply, request.params.lessonId);
      if (view === undefined) return reply;
      const body = (request.body ?? {}) as Body;
      try {
        await learning.addAction(view.lesson.id, actionInputOf(body), staffActorOf(request));
        return await reply.redirect(paths.lesson.url({ lessonId: view.lesson.id }), 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return renderNewAction(request, reply, view, body, errorsOf(error, 'description'));
      }
    });

    app.get<{ Params: { actionId: string; step: string } }>(paths.learningActionStep.pattern, { config: { access: LEARNING_ACTION_COMPLETERS } }, async (request, reply) => {
      const actionId = wholeNumberOf(request.params.actionId);
      const { step } = request.params;
      if (actionId === undefined || !isOneOf(STEPS, step)) return sendErrorPage(request, reply, 'notFound');
      if (step !== 'complete' && !isKeeper(request)) return sendErrorPage(request, reply, 'forbidden');
      try {
        const action = await learning.action(actionId, staffActorOf(request));
        const body =
          step === 'edit'
            ? { description: action.description, owner_user_id: action.owner_user_id === null ? '' : String(action.owner_user_id), owner_name: action.owner_name ?? '', ...dateBoxes('due_on', action.due_on) }
            : {};
        return await renderStep(request, reply, actionId, step, body);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'action_not_found') return sendErrorPage(request, reply, 'notFound');
        throw error;
      }
    });

    app.post<{ Params: { actionId: string; step: string } }>(paths.learningActionStep.pattern, { config: { access: LEARNING_ACTION_COMPLETERS } }, async (request, reply) => {
      const actionId = wholeNumberOf(request.params.actionId);
      const { step } = request.params;
      if (actionId === undefined || !isOneOf(STEPS, step)) return sendErrorPage(request, reply, 'notFound');
      if (step !== 'complete' && !isKeeper(request)) return sendErrorPage(request, reply, 'forbidden');
      const body = (request.body ?? {}) as Body;
      const actor = staffActorOf(request);
      const version = Number(formText(body, 'version'));
      try {
        const { lesson_id: lessonId } = await learning.action(actionId, actor);
        switch (step) {
          case 'complete':
            await learning.completeAction(actionId, formDate(body, 'done_on'), actor, version);
            break;
          case 'edit':
            await learning.editAction(actionId, actionInputOf(body), actor, version);
            break;
          case 'cancel':
          case 'reopen':
            await learning.moveAction(actionId, step, formText(body, 'reason'), actor, version);
            break;
        }
        return await reply.redirect(paths.lesson.url({ lessonId }), 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.code === 'action_not_found') return sendErrorPage(request, reply, 'notFound');
        if (error.code === 'forbidden') return sendErrorPage(request, reply, 'forbidden', { message: error.message });
        if (error.code === 'stale_update' || error.code.startsWith('action_not_')) reply.code(409);
        return renderStep(request, reply, actionId, step, body, errorsOf(error, 'action-form'));
      }
    });
    done();
  };
}
