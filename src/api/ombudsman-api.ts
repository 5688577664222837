/**
 * `/api/v1/ombudsman-enquiries`: the Ombudsman register for integrations — list and read
 * enquiries, record one about a complaint, its requests for information and their answers,
 * the decision and the council's compliance. The same service and rules as the pages
 * (`OmbudsmanService`); every change carries the enquiry's `version` (409 `stale_update`).
 */
import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Container } from '../container.ts';
import type { EnquiryView, RegisterEntry } from '../app/ombudsman-service.ts';
import { DomainError, InputProblems } from '../domain/errors.ts';
import { ENQUIRY_STATES } from '../domain/ombudsman/enquiry.ts';
import { isOneOf } from '../domain/taxonomies/code-list.ts';
import { staffActorOf } from '../web/actor.ts';
import { wholeNumberOf } from '../web/forms.ts';
import { OMBUDSMAN_KEEPERS, OMBUDSMAN_READERS } from '../web/cases/case-access.ts';
import { apiPaths } from './api-paths.ts';
import { checkedInHandler, errorResponse, plainJson, problemsReply, sendError } from './api-errors.ts';

const TAGS = ['ombudsman'];
const SECURITY = [{ bearer: [] }];
const openApi = (schema: z.ZodType, description: string) => ({ ...z.toJSONSchema(schema, { target: 'openapi-3.0' }), description });

const enquiryJson = z.object({
  id: z.number(),
  lgsco_reference: z.string(),
  case_reference: z.string(),
  received_on: z.string(),
  state: z.enum(ENQUIRY_STATES),
  decision: z.string().nullable(),
  decided_on: z.string().nullable(),
  fault: z.boolean().nullable(),
  injustice: z.boolean().nullable(),
  remedy: z.object({ apology: z.boolean(), amount_pence: z.number().nullable(), service_improvements: z.string().nullable() }),
  compliance_due_on: z.string().nullable(),
  compliance_done_on: z.string().nullable(),
  version: z.number(),
  information_requests: z.array(z.object({ id: z.number(), requested_on: z.string(), due_on: z.string(), details: z.string(), answered_on: z.string().nullable() })),
});

const listJson = z.object({
  enquiries: z.array(z.object({ id: z.number(), lgsco_reference: z.string(), case_reference: z.string(), received_on: z.string(), state: z.enum(ENQUIRY_STATES), decision: z.string().nullable() })),
});

const newEnquiryBody = z.object({ case_reference: z.string(), lgsco_reference: z.string(), received_on: z.string().describe('YYYY-MM-DD') });
const requestBody = z.object({ version: z.number().int(), requested_on: z.string(), due_on: z.string(), details: z.string() });
const answerBody = z.object({ version: z.number().int(), answered_on: z.string() });
const decisionBody = z.object({
  version: z.number().int(),
  decision: z.string().describe('closed_after_initial_enquiries, premature, not_upheld or upheld'),
  decided_on: z.string(),
  fault: z.boolean().optional().describe('Required for upheld and not_upheld.'),
  injustice: z.boolean().optional().describe('Required when there was fault.'),
  apology: z.boolean().optional(),
  amount_pence: z.number().int().positive().optional(),
  service_improvements: z.string().optional(),
  compliance_due_on: z.string().optional().describe('Required when there is a remedy.'),
});
const complianceBody = z.object({ version: z.number().int(), done_on: z.string() });

const ERRORS = {
  400: errorResponse('The request is not valid: every problem is listed'),
  401: errorResponse('No valid token (`unauthenticated`)'),
  403: errorResponse('The token or its user may not (`forbidden`)'),
  404: errorResponse('No such enquiry (`enquiry_not_found`)'),
  409: errorResponse('Someone saved a newer version (`stale_update`), or the step was already recorded (`already_decided`, `already_answered`, `already_complied`)'),
};

const idParams = z.object({ enquiryId: z.string() });
const requestParams = idParams.extend({ requestId: z.string() });

function enquiryOut(view: EnquiryView): z.infer<typeof enquiryJson> {
  const { enquiry: e, requests, state } = view;
  const flag = (value: number | null): boolean | null => (value === null ? null : value === 1);
  return {
    id: e.id,
    lgsco_reference: e.lgsco_reference,
    case_reference: e.case_reference,
    received_on: e.received_on,
    state,
    decision: e.decision,
    decided_on: e.decided_on,
    fault: flag(e.is_fault),
    injustice: flag(e.is_injustice),
    remedy: { apology: e.remedy_apology === 1, amount_pence: e.remedy_amount_pence, service_improvements: e.remedy_service_improvements },
    compliance_due_on: e.compliance_due_on,
    compliance_done_on: e.compliance_done_on,
    version: e.version,
    information_requests: requests.map((r) => ({ id: r.id, requested_on: r.requested_on, due_on: r.due_on, details: r.details, answered_on: r.answered_on })),
  };
}

const listOut = (entries: readonly RegisterEntry[]): z.infer<typeof listJson> => ({
  enquiries: entries.map((e) => ({ id: e.id, lgsco_reference: e.lgscoReference, case_reference: e.caseReference, received_on: e.receivedOn, state: e.state, decision: e.decision })),
});

/** A body that does not match its schema, as problems (the domain checks the values themselves). */
const bodyProblems = (error: z.ZodError): DomainError[] =>
  error.issues.map((issue) => new DomainError('invalid_request', `${issue.path.join('.') || 'body'}: ${issue.message}`, String(issue.path[0] ?? 'body')));

/** A refusal from the service as the API gives it. */
function refusal(reply: FastifyReply, error: DomainError): FastifyReply {
  if (error instanceof InputProblems) return problemsReply(reply, error.problems);
  if (error.code === 'enquiry_not_found') return sendError(reply, 404, error.code, error.message);
  if (error.code === 'stale_update' || error.code.startsWith('already_')) return sendError(reply, 409, error.code, error.message);
  return problemsReply(reply, [error]);
}

export function ombudsmanApi(container: Container): FastifyPluginCallback {
  const { ombudsman } = container;
  const read = { access: OMBUDSMAN_READERS, scope: 'ombudsman:read' } as const;
  const write = { access: OMBUDSMAN_KEEPERS, scope: 'ombudsman:write' } as const;
  const common = { validatorCompiler: checkedInHandler, serializerCompiler: plainJson };

  /** Parses the body, runs a change, then answers with the enquiry as it now is. */
  async function change<T extends z.ZodType>(
    reply: FastifyReply,
    rawId: string,
    schema: T,
    body: unknown,
    actor: ReturnType<typeof staffActorOf>,
    work: (id: number, input: z.infer<T>) => Promise<unknown>,
  ): Promise<FastifyReply> {
    const id = wholeNumberOf(rawId);
    if (id === undefined) return sendError(reply, 404, 'enquiry_not_found', 'There is no such Ombudsman enquiry');
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) return problemsReply(reply, bodyProblems(parsed.error));
    try {
      await work(id, parsed.data);
      return await reply.send(enquiryOut(await ombudsman.view(id, actor)));
    } catch (error) {
      if (error instanceof DomainError) return refusal(reply, error);
      throw error;
    }
  }

  return (app, _options, done) => {
    app.get<{ Querystring: { state?: string } }>(
      apiPaths.ombudsmanEnquiries.pattern,
      {
        config: read,
        schema: {
          summary: 'The Ombudsman register',
          operationId: 'listOmbudsmanEnquiries',
          description: 'Every enquiry, newest first, with where it stands; `state` filters.',
          tags: TAGS,
          security: SECURITY,
          querystring: z.toJSONSchema(z.object({ state: z.enum(ENQUIRY_STATES).optional() }), { target: 'openapi-3.0' }),
          response: { 200: openApi(listJson, 'The enquiries'), ...ERRORS },
        },
        ...common,
      },
      async (request, reply) => {
        const { state } = request.query;
        if (state !== undefined && !isOneOf(ENQUIRY_STATES, state)) return problemsReply(reply, [new DomainError('invalid_state', `state must be one of ${ENQUIRY_STATES.join(', ')}`, 'state')]);
        return reply.send(listOut(await ombudsman.register(state, {}, staffActorOf(request))));
      },
    );

    app.post(
      apiPaths.ombudsmanEnquiries.pattern,
      {
        config: write,
        schema: { summary: 'Record an enquiry about a complaint', operationId: 'createOmbudsmanEnquiry', tags: TAGS, security: SECURITY, body: z.toJSONSchema(newEnquiryBody, { target: 'openapi-3.0' }), response: { 201: openApi(enquiryJson, 'The enquiry'), ...ERRORS } },
        ...common,
      },
      async (request, reply) => {
        const parsed = newEnquiryBody.safeParse(request.body ?? {});
        if (!parsed.success) return problemsReply(reply, bodyProblems(parsed.error));
        const actor = staffActorOf(request);
        try {
          const id = await ombudsman.create(parsed.data.case_reference, { lgscoReference: parsed.data.lgsco_reference, receivedOn: parsed.data.received_on }, actor);
          return await reply.code(201).send(enquiryOut(await ombudsman.view(id, actor)));
        } catch (error) {
          if (error instanceof DomainError) return refusal(reply, error);
          throw error;
        }
      },
    );

    app.get<{ Params: { enquiryId: string } }>(
      apiPaths.ombudsmanEnquiry.pattern,
      { config: read, schema: { summary: 'An enquiry and its requests for information', operationId: 'getOmbudsmanEnquiry', tags: TAGS, security: SECURITY, params: z.toJSONSchema(idParams, { target: 'openapi-3.0' }), response: { 200: openApi(enquiryJson, 'The enquiry'), ...ERRORS } }, ...common },
      async (request, reply) => {
        const id = wholeNumberOf(request.params.enquiryId);
        if (id === undefined) return sendError(reply, 404, 'enquiry_not_found', 'There is no such Ombudsman enquiry');
        try {
          return await reply.send(enquiryOut(await ombudsman.view(id, staffActorOf(request))));
        } catch (error) {
          if (error instanceof DomainError) return refusal(reply, error);
          throw error;
        }
      },
    );

    const step = <T extends z.ZodType>(
      pattern: string,
      operationId: string,
      summary: string,
      schema: T,
      work: (id: number, input: z.infer<T>, actor: ReturnType<typeof staffActorOf>, params: Record<string, string>) => Promise<unknown>,
    ) => {
      const params = pattern.includes(':requestId') ? requestParams : idParams;
      app.post<{ Params: Record<string, string> }>(
        pattern,
        { config: write, schema: { summary, operationId, tags: TAGS, security: SECURITY, params: z.toJSONSchema(params, { target: 'openapi-3.0' }), body: z.toJSONSchema(schema, { target: 'openapi-3.0' }), response: { 200: openApi(enquiryJson, 'The enquiry as it now is'), ...ERRORS } }, ...common },
        async (request, reply) => {
          const actor = staffActorOf(request);
          return change(reply, request.params.enquiryId ?? '', schema, request.body, actor, (id, input) => work(id, input, actor, request.params));
        },
      );
    };

    step(apiPaths.ombudsmanInformationRequests.pattern, 'addOmbudsmanInformationRequest', 'Record a request for information from the Ombudsman', requestBody, (id, input, actor) =>
      ombudsman.addInformationRequest(id, { requestedOn: input.requested_on, dueOn: input.due_on, details: input.details }, actor, input.version),
    );
    step(apiPaths.ombudsmanInformationAnswer.pattern, 'answerOmbudsmanInformationRequest', 'Record the council’s answer to a request for information', answerBody, (id, input, actor, params) => {
      const requestId = wholeNumberOf(params.requestId ?? '');
      if (requestId === undefined) throw new DomainError('enquiry_not_found', 'There is no such request for information');
      return ombudsman.answerInformationRequest(id, requestId, input.answered_on, actor, input.version);
    });
    step(apiPaths.ombudsmanDecision.pattern, 'recordOmbudsmanDecision', 'Record the Ombudsman’s decision and remedies', decisionBody, (id, input, actor) =>
      ombudsman.recordDecision(
        id,
        {
          decision: input.decision,
          decidedOn: input.decided_on,
          fault: input.fault === undefined ? '' : input.fault ? 'yes' : 'no',
          injustice: input.injustice === undefined ? '' : input.injustice ? 'yes' : 'no',
          apology: input.apology === true,
          amount: input.amount_pence === undefined ? '' : (input.amount_pence / 100).toFixed(2),
          serviceImprovements: input.service_improvements ?? '',
          complianceDueOn: input.compliance_due_on ?? '',
        },
        actor,
        input.version,
      ),
    );
    step(apiPaths.ombudsmanCompliance.pattern, 'recordOmbudsmanCompliance', 'Record that the council carried out the remedy', complianceBody, (id, input, actor) => ombudsman.recordCompliance(id, input.done_on, actor, input.version));
    done();
  };
}
