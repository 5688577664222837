/**
 * `/api/v1/lessons` and `/api/v1/learning-actions`: the learning log for integrations — list
 * and read lessons, record one, add an action to it, list actions (the overdue ones, oldest
 * first) and mark one done. The same service and rules as the pages (`LearningService`): a
 * viewer gets figures with the text left out (null); a change to an action carries its
 * `version` (409 `stale_update`).
 */
import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Container } from '../container.ts';
import type { LessonView, LogEntry, QueueEntry } from '../app/learning-service.ts';
import { DomainError, InputProblems } from '../domain/errors.ts';
import { ACTION_SOURCES, ACTION_STATUSES } from '../domain/learning/learning.ts';
import { isOneOf } from '../domain/taxonomies/code-list.ts';
import { staffActorOf } from '../web/actor.ts';
import { wholeNumberOf } from '../web/forms.ts';
import { LEARNING_ACTION_COMPLETERS, LEARNING_KEEPERS, LEARNING_READERS } from '../web/cases/case-access.ts';
import { apiPaths } from './api-paths.ts';
import { checkedInHandler, errorResponse, plainJson, problemsReply, sendError } from './api-errors.ts';

const TAGS = ['learning'];
const SECURITY = [{ bearer: [] }];
const openApi = (schema: z.ZodType, description: string) => ({ ...z.toJSONSchema(schema, { target: 'openapi-3.0' }), description });
const HIDDEN = 'Null when the token’s user may see the figures but not the text (a viewer).';

const actionJson = z.object({
  id: z.number(),
  lesson_id: z.number(),
  description: z.string().nullable().describe(HIDDEN),
  owner_user_id: z.number().nullable(),
  owner_name: z.string().nullable().describe(`The owner’s name (a user’s, or someone without an account). ${HIDDEN}`),
  due_on: z.string(),
  status: z.enum(ACTION_STATUSES),
  done_on: z.string().nullable(),
  cancelled_reason: z.string().nullable().describe(HIDDEN),
  source: z.enum(ACTION_SOURCES),
  is_overdue: z.boolean(),
  days_overdue: z.number(),
  version: z.number(),
});

const lessonJson = z.object({
  id: z.number(),
  title: z.string().nullable().describe(HIDDEN),
  description: z.string().nullable().describe(HIDDEN),
  identified_on: z.string(),
  team_id: z.number().nullable(),
  team: z.string().nullable(),
  complaints: z.array(z.string()).describe('References of the complaints that raised it.'),
  version: z.number(),
  actions: z.array(actionJson),
});

const lessonListJson = z.object({
  lessons: z.array(
    z.object({
      id: z.number(),
      title: z.string().nullable().describe(HIDDEN),
      identified_on: z.string(),
      team: z.string().nullable(),
      complaints: z.array(z.string()),
      actions: z.object({ open: z.number(), done: z.number(), cancelled: z.number(), overdue: z.number() }),
    }),
  ),
});

const actionListJson = z.object({ actions: z.array(actionJson.extend({ lesson_title: z.string().nullable().describe(HIDDEN), team: z.string().nullable() })) });

const newLessonBody = z.object({
  title: z.string(),
  description: z.string(),
  identified_on: z.string().describe('YYYY-MM-DD'),
  team_id: z.number().int().nullable().optional(),
  case_references: z.array(z.string()).min(1).describe('The complaints that raised it (at least one).'),
});
const newActionBody = z.object({
  description: z.string(),
  due_on: z.string().describe('YYYY-MM-DD, not before the lesson was identified'),
  owner_user_id: z.number().int().optional().describe('A user who owns it; or give owner_name.'),
  owner_name: z.string().optional().describe('The owner when they have no account.'),
});
const completionBody = z.object({ version: z.number().int(), done_on: z.string().describe('YYYY-MM-DD, not in the future') });
const lessonQuery = z.object({ status: z.enum(ACTION_STATUSES).optional(), team_id: z.string().optional(), overdue: z.enum(['true', 'false']).optional() });
const actionQuery = z.object({ overdue: z.enum(['true', 'false']).optional().describe('true: open actions past their due date, longest overdue first'), status: z.enum(ACTION_STATUSES).optional() });

const ERRORS = {
  400: errorResponse('The request is not valid: every problem is listed'),
  401: errorResponse('No valid token (`unauthenticated`)'),
  403: errorResponse('The token or its user may not (`forbidden`): only the complaints team, or an action’s owner, may mark it done'),
  404: errorResponse('No such lesson or action, or not one the user may see (`lesson_not_found`, `action_not_found`)'),
  409: errorResponse('Someone saved a newer version (`stale_update`), or the action is not open (`action_not_open`)'),
};

function actionOut(a: LessonView['actions'][number], lessonId: number, isTextShown: boolean): z.infer<typeof actionJson> {
  return {
    id: a.id,
    lesson_id: lessonId,
    description: isTextShown ? a.description : null,
    owner_user_id: a.ownerUserId,
    owner_name: isTextShown ? a.ownerName : null,
    due_on: a.dueOn,
    status: a.status as z.infer<typeof actionJson>['status'],
    done_on: a.doneOn,
    cancelled_reason: isTextShown ? a.cancelledReason : null,
    source: a.source as z.infer<typeof actionJson>['source'],
    is_overdue: a.isOverdue,
    days_overdue: a.daysOverdue,
    version: a.version,
  };
}

function lessonOut(view: LessonView): z.infer<typeof lessonJson> {
  const { lesson, isTextShown } = view;
  return {
    id: lesson.id,
    title: isTextShown ? lesson.title : null,
    description: isTextShown ? lesson.description : null,
    identified_on: lesson.identified_on,
    team_id: lesson.team_id,
    team: lesson.team_name,
    complaints: view.complaints.map((c) => c.reference),
    version: lesson.version,
    actions: view.actions.map((a) => actionOut(a, lesson.id, isTextShown)),
  };
}

const lessonListOut = (entries: readonly LogEntry[]): z.infer<typeof lessonListJson> => ({
  lessons: entries.map((e) => ({
    id: e.id,
    title: e.isTextShown ? e.title : null,
    identified_on: e.identifiedOn,
    team: e.teamName,
    complaints: [...e.complaints],
    actions: { open: e.open, done: e.done, cancelled: e.cancelled, overdue: e.overdue },
  })),
});

const actionListOut = (entries: readonly QueueEntry[]): z.infer<typeof actionListJson> => ({
  actions: entries.map((a) => ({
    ...actionOut({ ...a, canComplete: false }, a.lessonId, a.isTextShown),
    lesson_title: a.isTextShown ? a.lessonTitle : null,
    team: a.teamName,
  })),
});

/** A body that does not match its schema, as problems (the domain checks the values themselves). */
const bodyProblems = (error: z.ZodError): DomainError[] =>
  error.issues.map((issue) => new DomainError('invalid_request', `${issue.path.join('.') || 'body'}: ${issue.message}`, String(issue.path[0] ?? 'body')));

/** A refusal from the service as the API gives it. */
function refusal(reply: FastifyReply, error: DomainError): FastifyReply {
  if (error instanceof InputProblems) return problemsReply(reply, error.problems);
  if (error.code === 'lesson_not_found' || error.code === 'action_not_found') return sendError(reply, 404, error.code, error.message);
  if (error.code === 'forbidden') return sendError(reply, 403, error.code, error.message);
  if (error.code === 'stale_update' || error.code.startsWith('action_not_')) return sendError(reply, 409, error.code, error.message);
  return problemsReply(reply, [error]);
}

export function learningApi(container: Container): FastifyPluginCallback {
  const { learning } = container;
  const read = { access: LEARNING_READERS, scope: 'learning:read' } as const;
  const keep = { access: LEARNING_KEEPERS, scope: 'learning:write' } as const;
  const complete = { access: LEARNING_ACTION_COMPLETERS, scope: 'learning:write' } as const;
  const common = { validatorCompiler: checkedInHandler, serializerCompiler: plainJson };
  const lessonParams = z.toJSONSchema(z.object({ lessonId: z.string() }), { target: 'openapi-3.0' });

  /** Runs `work`, answering its refusals as coded errors. */
  async function guarded(reply: FastifyReply, work: () => Promise<FastifyReply>): Promise<FastifyReply> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError) return refusal(reply, error);
      throw error;
    }
  }

  return (app, _options, done) => {
    app.get<{ Querystring: Record<string, string | undefined> }>(
      apiPaths.lessons.pattern,
      {
        config: read,
        schema: {
          summary: 'The learning log',
          operationId: 'listLessons',
          description: 'Lessons, newest first (at most 500), with their complaints and action counts; `status` keeps those with an action in that status, `overdue=true` those with an overdue action.',
          tags: TAGS,
          security: SECURITY,
          querystring: z.toJSONSchema(lessonQuery, { target: 'openapi-3.0' }),
          response: { 200: openApi(lessonListJson, 'The lessons'), ...ERRORS },
        },
        ...common,
      },
      async (request, reply) => {
        const parsed = lessonQuery.safeParse(request.query);
        if (!parsed.success) return problemsReply(reply, bodyProblems(parsed.error));
        const teamId = parsed.data.team_id === undefined ? undefined : wholeNumberOf(parsed.data.team_id);
        if (parsed.data.team_id !== undefined && teamId === undefined) return problemsReply(reply, [new DomainError('invalid_team_id', 'team_id must be a whole number', 'team_id')]);
        const filters = { ...(parsed.data.status === undefined ? {} : { status: parsed.data.status }), ...(teamId === undefined ? {} : { teamId }), isOverdueOnly: parsed.data.overdue === 'true' };
        return guarded(reply, async () => reply.send(lessonListOut(await learning.log(filters, staffActorOf(request)))));
      },
    );

    app.post(
      apiPaths.lessons.pattern,
      {
        config: keep,
        schema: { summary: 'Record a lesson raised by one or more complaints', operationId: 'createLesson', tags: TAGS, security: SECURITY, body: z.toJSONSchema(newLessonBody, { target: 'openapi-3.0' }), response: { 201: openApi(lessonJson, 'The lesson'), ...ERRORS } },
        ...common,
      },
      async (request, reply) => {
        const parsed = newLessonBody.safeParse(request.body ?? {});
        if (!parsed.success) return problemsReply(reply, bodyProblems(parsed.error));
        const actor = staffActorOf(request);
        const { data } = parsed;
        return guarded(reply, async () => {
          const id = await learning.create(
            { title: data.title, description: data.description, identifiedOn: data.identified_on, teamId: data.team_id ?? null, caseReferences: data.case_references.join(',') },
            actor,
          );
          return reply.code(201).send(lessonOut(await learning.view(id, actor)));
        });
      },
    );

    app.get<{ Params: { lessonId: string } }>(
      apiPaths.lesson.pattern,
      { config: read, schema: { summary: 'A lesson with its complaints and actions', operationId: 'getLesson', tags: TAGS, security: SECURITY, params: lessonParams, response: { 200: openApi(lessonJson, 'The lesson'), ...ERRORS } }, ...common },
      async (request, reply) => {
        const id = wholeNumberOf(request.params.lessonId);
        if (id === undefined) return sendError(reply, 404, 'lesson_not_found', 'There is no such lesson');
        return guarded(reply, async () => reply.send(lessonOut(await learning.view(id, staffActorOf(request)))));
      },
    );

    app.post<{ Params: { lessonId: string } }>(
      apiPaths.lessonActions.pattern,
      {
        config: keep,
        schema: { summary: 'Add an action to a lesson', operationId: 'addLessonAction', tags: TAGS, security: SECURITY, params: lessonParams, body: z.toJSONSchema(newActionBody, { target: 'openapi-3.0' }), response: { 201: openApi(lessonJson, 'The lesson as it now is'), ...ERRORS } },
        ...common,
      },
      async (request, reply) => {
        const id = wholeNumberOf(request.params.lessonId);
        if (id === undefined) return sendError(reply, 404, 'lesson_not_found', 'There is no such lesson');
        const parsed = newActionBody.safeParse(request.body ?? {});
        if (!parsed.success) return problemsReply(reply, bodyProblems(parsed.error));
        const actor = staffActorOf(request);
        const { data } = parsed;
        return guarded(reply, async () => {
          await learning.addAction(id, { description: data.description, dueOn: data.due_on, ownerUserId: data.owner_user_id ?? null, ownerName: data.owner_name ?? '' }, actor);
          return reply.code(201).send(lessonOut(await learning.view(id, actor)));
        });
      },
    );

    app.get<{ Querystring: Record<string, string | undefined> }>(
      apiPaths.learningActions.pattern,
      {
        config: read,
        schema: {
          summary: 'Learning actions',
          operationId: 'listLearningActions',
          description: 'With `overdue=true`, the open actions past their due date, longest overdue first; otherwise every action (at most 500) by due date, or those with `status`.',
          tags: TAGS,
          security: SECURITY,
          querystring: z.toJSONSchema(actionQuery, { target: 'openapi-3.0' }),
          response: { 200: openApi(actionListJson, 'The actions'), ...ERRORS },
        },
        ...common,
      },
      async (request, reply) => {
        const parsed = actionQuery.safeParse(request.query);
        if (!parsed.success) return problemsReply(reply, bodyProblems(parsed.error));
        const { status } = parsed.data;
        const options = { isOverdueOnly: parsed.data.overdue === 'true', ...(status !== undefined && isOneOf(ACTION_STATUSES, status) ? { status } : {}) };
        return guarded(reply, async () => reply.send(actionListOut(await learning.actionQueue(options, staffActorOf(request)))));
      },
    );

    app.post<{ Params: { actionId: string } }>(
      apiPaths.learningActionCompletion.pattern,
      {
        config: complete,
        schema: {
          summary: 'Mark an action done',
          operationId: 'completeLearningAction',
          description: 'By the complaints team, or by the action’s owner.',
          tags: TAGS,
          security: SECURITY,
          params: z.toJSONSchema(z.object({ actionId: z.string() }), { target: 'openapi-3.0' }),
          body: z.toJSONSchema(completionBody, { target: 'openapi-3.0' }),
          response: { 200: openApi(lessonJson, 'The action’s lesson as it now is'), ...ERRORS },
        },
        ...common,
      },
      async (request, reply) => {
        const id = wholeNumberOf(request.params.actionId);
        if (id === undefined) return sendError(reply, 404, 'action_not_found', 'There is no such action');
        const parsed = completionBody.safeParse(request.body ?? {});
        if (!parsed.success) return problemsReply(reply, bodyProblems(parsed.error));
        const actor = staffActorOf(request);
        return guarded(reply, async () => {
          const { lesson_id: lessonId } = await learning.action(id, actor);
          await learning.completeAction(id, parsed.data.done_on, actor, parsed.data.version);
          return reply.send(lessonOut(await learning.view(lessonId, actor)));
        });
      },
    );
    done();
  };
}
