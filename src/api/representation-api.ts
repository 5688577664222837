/**
 * `/api/v1/representations`: register representations, list them (the Cases page's queues
 * and filters) and read them, for integrations (the council's social care system, a public
 * form elsewhere); the Stage 1 actions are in `representation-actions-api.ts`. Bearer tokens
 * only — the session cookie does not authenticate the API — and errors as
 * `{ "error": { "code", "message" } }` (`api-errors.ts`).
 */
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import type { Container } from '../container.ts';
import { CASE_QUEUES, QUEUE_PAGE_SIZE } from '../app/case-query-service.ts';
import { CASE_STATUSES } from '../domain/cases/case-status.ts';
import type { RegistrationInput } from '../domain/cases/registration.ts';
import { DomainError } from '../domain/errors.ts';
import { DUE_TAG_LABELS } from '../domain/cases/stage1-clock.ts';
import { REPRESENTATION_KINDS } from '../domain/taxonomies/representation-kinds.ts';
import { staffActorOf } from '../web/actor.ts';
import { CASE_READERS, CASE_REGISTRARS } from '../web/cases/case-access.ts';
import { paths } from '../web/paths.ts';
import { apiPaths } from './api-paths.ts';
import { checkedInHandler, errorResponse, plainJson, problemsReply, sendError } from './api-errors.ts';
import { representationActionsApi } from './representation-actions-api.ts';

const person = z.object({
  name: z.string().max(200),
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
  address: z.string().max(1000).optional(),
  preferred_contact: z.string().max(20).optional(),
  reasonable_adjustments: z.string().max(2000).optional(),
  organisation: z.string().max(200).optional(),
});

/** The request body: the register action's fields, teams by name, and the people. */
export const registrationBody = z.object({
  kind: z.string(),
  received_on: z.string(),
  event_on: z.string().optional(),
  channel: z.string(),
  via_complaints_team: z.boolean().optional(),
  summary: z.string(),
  issues: z.array(z.string()).optional(),
  complainant_role: z.string().optional(),
  agency: z.string().optional(),
  forwarded_on: z.string().optional(),
  compliment_source: z.string().optional(),
  consent_to_quote: z.boolean().optional(),
  informal_reason: z.string().optional(),
  parental_responsibility: z.boolean().optional().describe('Whether the complainant has parental responsibility for the young person (leave out when not known).'),
  made_for_child: z.boolean().optional().describe('Whether the complaint is made for the young person rather than about the complainant’s own dealings.'),
  proceedings: z.boolean().optional().describe('Whether there are court or other proceedings about the young person.'),
  worker: z.string().max(200).optional().describe('For a compliment: the worker praised.'),
  teams: z.array(z.string()).min(1).describe('Team names; one representation is registered for each team.'),
  young_person: z.object({ id: z.string(), date_of_birth: z.string().optional(), ethnicity: z.string().optional() }).optional(),
  complainant: person.optional(),
  advocate: person.optional(),
});

type RegistrationBody = z.infer<typeof registrationBody>;

const toPerson = (p: z.infer<typeof person> | undefined) =>
  p && { name: p.name, email: p.email, phone: p.phone, address: p.address, preferredContact: p.preferred_contact, reasonableAdjustments: p.reasonable_adjustments, organisation: p.organisation };

const errorSchema = errorResponse('An error');

// ---- listing ----

/** The queue and filters of the /cases page, for the API. */
export const listQuery = z.object({
  queue: z.enum(CASE_QUEUES).optional().describe('The work queue (default `all_open`), as on the Cases page.'),
  kind: z.enum(REPRESENTATION_KINDS).optional(),
  team: z.string().max(200).optional().describe('A team id, or its name.'),
  status: z.enum(CASE_STATUSES).optional(),
  q: z.string().max(200).optional().describe('A reference, a young person’s id, part of the complainant’s name, or words in the summary or notes (all must match; the last may be the start of a word) — a viewer: the reference only.'),
  page: z.coerce.number().int().min(1).max(1_000_000).optional().describe(`From 1; ${String(QUEUE_PAGE_SIZE)} a page. A page past the last gives the last.`),
});

const listRow = z.object({
  reference: z.string(),
  kind: z.string(),
  kind_label: z.string(),
  team: z.string().nullable(),
  status: z.string(),
  status_label: z.string(),
  received_on: z.string().describe('YYYY-MM-DD'),
  stage1_due: z
    .object({ due_on: z.string(), tag: z.string(), text: z.string() })
    .nullable()
    .describe('The Stage 1 clock, when the case has one'),
  responder: z.string().nullable().describe('The responding manager allocated'),
  href: z.string(),
});

export const listJson = z.object({
  queue: z.enum(CASE_QUEUES),
  total: z.number().int(),
  page: z.number().int(),
  page_count: z.number().int(),
  page_size: z.number().int(),
  representations: z.array(listRow),
});

// ---- registering ----

export const registeredJson = z.object({
  representations: z
    .array(
      z.object({
        reference: z.string(),
        kind: z.enum(REPRESENTATION_KINDS),
        status: z.enum(CASE_STATUSES),
        team: z.string().nullable(),
        received_on: z.string().describe('YYYY-MM-DD'),
        url: z.string().describe('The case page, for staff.'),
      }),
    )
    .describe('One for each team, in the order the teams were sent.'),
});

// ---- reading one ----

const isoDate = z.string().describe('YYYY-MM-DD');
const labelledCode = z.object({ code: z.string(), label: z.string() });
const personJson = z.object({
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  preferredContact: z.string().nullable().describe('How they prefer to be contacted, as its label.'),
  reasonableAdjustments: z.string().nullable(),
  organisation: z.string().nullable(),
});

/** The case as its page shows it (`CaseQueryService.load`), with the version the next change must send. */
export const representationJson = z.object({
  id: z.number().int(),
  reference: z.string(),
  kind: z.enum(REPRESENTATION_KINDS),
  kindLabel: z.string(),
  isComplaint: z.boolean(),
  isProcedure: z.boolean().describe('Taken through a complaints procedure (statutory, corporate or adult): eligibility decisions apply.'),
  status: z.enum(CASE_STATUSES),
  statusLabel: z.string(),
  stage: z.number().int().describe('1, 2 or 3.'),
  version: z
    .number()
    .int()
    .min(1)
    .describe(
      'The case’s version: send it with the next change (`version` in the body of `POST …/actions/{action}` or `POST …/stages/{step}`, or `If-Match`; also the `ETag`). It goes up with every change; a change based on an older one is refused with 409 `stale_update`.',
    ),
  receivedOn: isoDate,
  eventOn: isoDate.nullable(),
  channel: labelledCode.nullable(),
  isViaComplaintsTeam: z.boolean(),
  teamId: z.number().int().nullable(),
  teamName: z.string().nullable(),
  complainantRole: labelledCode.nullable(),
  responderName: z.string().nullable().describe('The responding manager allocated.'),
  acknowledgedOn: isoDate.nullable(),
  respondedOn: isoDate.nullable(),
  finding: labelledCode.nullable(),
  withdrawnOn: isoDate.nullable(),
  closedOn: isoDate.nullable(),
  reopenedOn: isoDate.nullable().describe('When a withdrawn or closed case was last re-opened, while it is open again.'),
  agency: z.string().nullable(),
  forwardedOn: isoDate.nullable(),
  complimentSource: labelledCode.nullable(),
  hasConsentToQuote: z.boolean(),
  circumstances: z
    .object({ hasParentalResponsibility: z.boolean().nullable(), isMadeForChild: z.boolean().nullable(), hasProceedings: z.boolean().nullable() })
    .describe('What decides the eligibility decisions a complaint needs; null: not known yet.'),
  issues: z.array(labelledCode),
  remedies: z.array(labelledCode),
  delayReasons: z.array(labelledCode),
  linked: z
    .array(z.object({ reference: z.string(), teamName: z.string().nullable(), canOpen: z.boolean().describe('False when the user may not open it.') }))
    .describe('Every representation from the same contact, this one included.'),
  clocks: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      startedOn: isoDate,
      isOpen: z.boolean(),
      dueOn: isoDate,
      tag: z.enum([...(Object.keys(DUE_TAG_LABELS) as [string, ...string[]]), 'stopped']),
      text: z.string(),
      extensions: z
        .array(z.object({ extraWorkingDays: z.number().int().optional(), reason: z.string().describe('The reason’s label; its own words for “other” only for a user who may see personal details.') }))
        .describe('Its extensions, oldest first.'),
    }),
  ),
  eligibilityDecisions: z.array(
    z.object({
      decision: labelledCode,
      outcome: labelledCode,
      reason: z.string().optional().describe('Absent for a user who may not see personal details (so are `childViews` and `partsDeclined`).'),
      childViews: z.string().optional(),
      partsDeclined: z.string().optional(),
      notifiedOn: isoDate.nullable(),
      decidedOn: isoDate,
      decidedBy: z.string().nullable(),
    }),
  ),
  advocacyOffers: z.array(z.object({ stage: z.number().int(), offeredOn: isoDate, outcome: labelledCode, provider: z.string().nullable(), recordedBy: z.string().nullable() })),
  history: z.array(
    z.object({
      occurredAt: z.string().describe('An ISO 8601 timestamp.'),
      who: z.string(),
      action: z.string(),
      summary: z.string().describe('One sentence in words, dates written out ("4 December 2026").'),
      changes: z
        .array(
          z.object({
            field: z.string().describe('The field as recorded: a stable key for clients, not for people.'),
            label: z.string().describe('The field in words, e.g. "Finding", "Responding manager", "Stage 1 response due".'),
            before: z.string().optional().describe('The value before, in words: a code by its label, a person by name, a date as "4 December 2026", Yes or No, a list joined with commas.'),
            after: z.string().optional().describe('The value after, in words, as `before`.'),
          }),
        )
        .describe('Empty for a user who may not see personal details.'),
    }),
  ),
  visibility: z.enum(['full', 'figures']).describe('`figures`: the user may see no personal details.'),
  personal: z
    .object({
      summary: z.string(),
      youngPerson: z.object({ externalId: z.string(), dateOfBirth: isoDate.nullable(), ethnicity: labelledCode.nullable() }).optional(),
      complainant: personJson.optional(),
      advocate: personJson.optional(),
      informalReason: z.string().nullable(),
      workerName: z.string().nullable(),
      reply: z.string().nullable().describe('A comment’s reply.'),
      notes: z.array(z.object({ body: z.string(), author: z.string(), createdAt: z.string() })),
    })
    .optional()
    .describe('Absent for a user who may not see personal details.'),
});

/** A type with every part of it read-only, as the services hand their views out. */
type ReadOnlyDeep<T> = T extends readonly (infer U)[] ? readonly ReadOnlyDeep<U>[] : T extends object ? { readonly [K in keyof T]: ReadOnlyDeep<T[K]> } : T;
/** A reply as documented, its kind and status being stored codes (typed as strings by the services). */
type StoredCodes<T> = Omit<T, 'kind' | 'status'> & { readonly kind: string; readonly status: string };
type DocumentedCase = ReadOnlyDeep<StoredCodes<z.infer<typeof representationJson>>>;
type DocumentedRegistration = ReadOnlyDeep<{ representations: StoredCodes<z.infer<typeof registeredJson>['representations'][number]>[] }>;

export function representationApi(container: Container): FastifyPluginCallback {
  return (app, _options, done) => {
    app.post(
      apiPaths.representations.pattern,
      {
        config: { access: CASE_REGISTRARS, scope: 'representations:write' },
        schema: {
          summary: 'Register a representation (one per team)',
          operationId: 'registerRepresentations',
          tags: ['representations'],
          security: [{ bearer: [] }],
          body: z.toJSONSchema(registrationBody, { target: 'openapi-3.0' }),
          response: {
            201: { ...z.toJSONSchema(registeredJson, { target: 'openapi-3.0' }), description: 'Registered: one representation for each team' },
            400: errorSchema,
            401: errorSchema,
            403: errorSchema,
          },
        },
        // The body is checked by zod below, so that errors take the API's shape.
        validatorCompiler: checkedInHandler,
        serializerCompiler: plainJson,
      },
      async (request, reply) => {
        const parsed = registrationBody.safeParse(request.body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return reply.code(400).send({ error: { code: 'invalid_request', message: `${issue?.path.join('.') ?? 'body'}: ${issue?.message ?? 'not valid'}` } });
        }
        const body: RegistrationBody = parsed.data;
        const teams = await container.organisation.listTeams();
        const teamIds: number[] = [];
        for (const name of body.teams) {
          const team = teams.find((t) => t.isActive && t.name.toLowerCase() === name.trim().toLowerCase());
          if (!team) return reply.code(400).send({ error: { code: 'team_unknown', message: `There is no active team called "${name}"`, field: 'teams' } });
          teamIds.push(team.id);
        }
        const input: RegistrationInput = {
          fields: {
            kind: body.kind,
            received_on: body.received_on,
            event_on: body.event_on,
            channel: body.channel,
            via_complaints_team: body.via_complaints_team,
            summary: body.summary,
            issues: body.issues,
            complainant_role: body.complainant_role,
            agency: body.agency,
            forwarded_on: body.forwarded_on,
            compliment_source: body.compliment_source,
            consent_to_quote: body.consent_to_quote,
            informal_reason: body.informal_reason,
            parental_responsibility: body.parental_responsibility,
            made_for_child: body.made_for_child,
            proceedings: body.proceedings,
          },
          teamIds,
          youngPerson: body.young_person && { externalId: body.young_person.id, dateOfBirth: body.young_person.date_of_birth, ethnicity: body.young_person.ethnicity },
          complainant: toPerson(body.complainant),
          advocate: toPerson(body.advocate),
          workerName: body.worker,
        };
        const actor = staffActorOf(request);
        const problems = await container.registration.problems(input, actor);
        if (problems.length > 0) return problemsReply(reply, problems);
        const created = await container.registration.register(input, actor);
        return reply.code(201).send({
          representations: created.map((r) => ({ reference: r.reference, kind: r.kind, status: r.status, team: r.teamName, received_on: r.receivedOn, url: paths.caseDetail.url({ reference: r.reference }) })),
        } satisfies DocumentedRegistration);
      },
    );

    app.get(
      apiPaths.representations.pattern,
      {
        config: { access: CASE_READERS, scope: 'representations:read' },
        schema: {
          summary: 'List representations: a work queue, filtered, a page at a time',
          operationId: 'listRepresentations',
          description:
            "The queues and filters of the Cases page. Each user sees what their role allows: a responding manager their own team's and allocated cases, a viewer every case but no personal details (and searches by reference only).",
          tags: ['representations'],
          security: [{ bearer: [] }],
          querystring: z.toJSONSchema(listQuery, { target: 'openapi-3.0', io: 'input' }),
          response: {
            200: { ...z.toJSONSchema(listJson, { target: 'openapi-3.0' }), description: 'A page of the queue' },
            400: errorResponse('A filter is not valid (`invalid_queue`, `invalid_kind`, `invalid_status`, `invalid_page`, `team_unknown`, …), every problem listed.'),
            401: errorResponse('`unauthenticated`'),
            403: errorResponse('`forbidden`: the token lacks `representations:read` or its user may not read cases.'),
          },
        },
        validatorCompiler: checkedInHandler,
        serializerCompiler: plainJson,
      },
      async (request, reply) => {
        const parsed = listQuery.safeParse(request.query ?? {});
        if (!parsed.success) {
          return problemsReply(
            reply,
            parsed.error.issues.map((issue) => {
              const field = issue.path.map(String).join('.') || 'query';
              return new DomainError(`invalid_${field}`, `${field}: ${issue.message}`, field);
            }),
          );
        }
        const query = parsed.data;
        let teamId: number | undefined;
        if (query.team !== undefined && query.team.trim() !== '') {
          const wanted = query.team.trim().toLowerCase();
          const team = (await container.organisation.listTeams()).find((t) => String(t.id) === wanted || t.name.toLowerCase() === wanted);
          if (team === undefined) return problemsReply(reply, [new DomainError('team_unknown', `There is no team "${query.team}"`, 'team')]);
          teamId = team.id;
        }
        const result = await container.cases.queue(staffActorOf(request), { queue: query.queue, kind: query.kind, teamId, status: query.status, search: query.q, page: query.page });
        return {
          queue: result.queue,
          total: result.total,
          page: result.page,
          page_count: result.pageCount,
          page_size: result.pageSize,
          representations: result.rows.map((row) => ({
            reference: row.reference,
            kind: row.kind,
            kind_label: row.kindLabel,
            team: row.teamName,
            status: row.status,
            status_label: row.statusLabel,
            received_on: row.receivedOn,
            stage1_due: row.stage1Due === undefined ? null : { due_on: row.stage1Due.dueOn, tag: row.stage1Due.tag, text: row.stage1Due.text },
            responder: row.responderName,
            href: apiPaths.representation.url({ reference: row.reference }),
          })),
        } satisfies z.infer<typeof listJson>;
      },
    );

    app.get<{ Params: { reference: string } }>(
      apiPaths.representation.pattern,
      {
        config: { access: CASE_READERS, scope: 'representations:read' },
        schema: {
          summary: 'Read a representation',
          operationId: 'getRepresentation',
          description:
            'The case as its page shows it, as the user may see it: a viewer gets no personal details (`personal` is absent). Every read is audited, as a view of the case page is. ' +
            'Its `version` (also the `ETag`) is what the next change must send, to `POST …/actions/{action}` or `POST …/stages/{step}`.',
          tags: ['representations'],
          security: [{ bearer: [] }],
          params: { type: 'object', properties: { reference: { type: 'string', description: 'The case reference, e.g. CSC-2026-0042' } }, required: ['reference'] },
          response: {
            200: { ...z.toJSONSchema(representationJson, { target: 'openapi-3.0' }), description: 'The case, with its version' },
            401: errorResponse('`unauthenticated`'),
            403: errorResponse('`forbidden`: the token lacks `representations:read` or its user may not read cases.'),
            404: errorResponse('`case_not_found`: no such case, or one the user may not know of (the two look the same).'),
          },
        },
        serializerCompiler: plainJson,
      },
      async (request, reply) => {
        const found = await container.cases.load(request.params.reference, staffActorOf(request));
        if (!found) return sendError(reply, 404, 'case_not_found', `There is no representation ${request.params.reference} that you may see`);
        void reply.header('etag', `"${String(found.version)}"`);
        return found satisfies DocumentedCase;
      },
    );

    void app.register(representationActionsApi(container));
    done();
  };
}
