/**
 * `/api/v1/representations`: register representations and read them, for integrations
 * (the council's social care system, a public form elsewhere). Bearer tokens only — the
 * session cookie does not authenticate the API — and errors as `{ "error": { "code", "message" } }`.
 */
import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Container } from '../container.ts';
import type { RegistrationInput } from '../domain/cases/registration.ts';
import type { DomainError } from '../domain/errors.ts';
import { staffActorOf } from '../web/actor.ts';
import { CASE_READERS, CASE_REGISTRARS } from '../web/cases/case-access.ts';
import { paths } from '../web/paths.ts';

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
  worker: z.string().max(200).optional().describe('For a compliment: the worker praised.'),
  teams: z.array(z.string()).min(1).describe('Team names; one representation is registered for each team.'),
  young_person: z.object({ id: z.string(), date_of_birth: z.string().optional(), ethnicity: z.string().optional() }).optional(),
  complainant: person.optional(),
  advocate: person.optional(),
});

type RegistrationBody = z.infer<typeof registrationBody>;

const toPerson = (p: z.infer<typeof person> | undefined) =>
  p && { name: p.name, email: p.email, phone: p.phone, address: p.address, preferredContact: p.preferred_contact, reasonableAdjustments: p.reasonable_adjustments, organisation: p.organisation };

function problemsReply(reply: FastifyReply, problems: readonly DomainError[]): FastifyReply {
  const [first] = problems;
  return reply.code(400).send({
    error: {
      code: first?.code ?? 'invalid_request',
      message: first?.message ?? 'The request is not valid',
      problems: problems.map((p) => ({ code: p.code, message: p.message, field: p.field ?? null })),
    },
  });
}

const problemSchema = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string', nullable: true } },
  required: ['code', 'message'],
} as const;

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { ...problemSchema.properties, problems: { type: 'array', items: problemSchema } },
      required: ['code', 'message'],
    },
  },
} as const;

export function representationApi(container: Container): FastifyPluginCallback {
  return (app, _options, done) => {
    app.post(
      '/api/v1/representations',
      {
        config: { access: CASE_REGISTRARS, scope: 'representations:write' },
        schema: {
          summary: 'Register a representation (one per team)',
          tags: ['representations'],
          security: [{ bearer: [] }],
          body: z.toJSONSchema(registrationBody, { target: 'openapi-3.0' }),
          response: { 201: { type: 'object', properties: { representations: { type: 'array' } } }, 400: errorSchema, 401: errorSchema, 403: errorSchema },
        },
        // The body is checked by zod below, so that errors take the API's shape.
        validatorCompiler: () => () => true,
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
        });
      },
    );

    app.get<{ Params: { reference: string } }>(
      '/api/v1/representations/:reference',
      {
        config: { access: CASE_READERS, scope: 'representations:read' },
        schema: { summary: 'Read a representation', tags: ['representations'], security: [{ bearer: [] }], params: { type: 'object', properties: { reference: { type: 'string' } } }, response: { 404: errorSchema } },
      },
      async (request, reply) => {
        const found = await container.cases.load(request.params.reference, staffActorOf(request));
        if (!found) return reply.code(404).send({ error: { code: 'not_found', message: `There is no representation ${request.params.reference} that you may see` } });
        return found;
      },
    );
    done();
  };
}
