/**
 * Stages 2 and 3 in the API, from the same table as the pages (`later-stage-workflow.ts`):
 * a case's Stage 2 and 3 records with the steps the token's user may take and what each
 * records, and taking a step. Statuses as for the Stage 1 actions: 400 for the request's
 * values (every problem listed), 403 when the user may not, 404 for a case they may not see
 * (someone appointed to other cases, or no longer appointed), 409 when the case has moved on
 * (`stale_update`) or its state refuses the step.
 *
 * A step that keeps a document (recording the investigation report: field `report`, kind
 * `file`) is sent as `multipart/form-data`, the file in its field's part and the other fields
 * (and `version`) as text parts; other steps take JSON or multipart alike. The report's
 * documents are listed with Stage 2, each with its download URL (src/api/attachment-api.ts).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Container } from '../container.ts';
import type { LaterStagesView } from '../app/later-stage-service.ts';
import { DomainError, InputProblems } from '../domain/errors.ts';
import { LATER_STEPS } from '../domain/cases/later-stage-workflow.ts';
import type { LaterField } from '../domain/cases/later-stage-fields.ts';
import { tryParseReference } from '../domain/taxonomies/case-reference.ts';
import { staffActorOf } from '../web/actor.ts';
import { CASE_READERS } from '../web/cases/case-access.ts';
import { apiPaths } from './api-paths.ts';
import { checkedInHandler, errorResponse, plainJson, problemsReply, sendError } from './api-errors.ts';
import { versionOf } from './representation-actions-api.ts';
import { registerUploads, uploadFields, uploadOf } from '../web/uploads.ts';
import { FILE_KIND_INFO, formatFileSize, MAX_ATTACHMENT_BYTES } from '../domain/attachments/file-kinds.ts';

const FORBIDDING = new Set(['role_may_not']);
const NOT_FOUND = new Set(['case_not_found', 'unknown_action']);

/** The HTTP status for a refusal (see the header comment). */
export function statusForStepRefusal(error: DomainError): 400 | 403 | 404 | 409 {
  if (NOT_FOUND.has(error.code)) return 404;
  if (FORBIDDING.has(error.code)) return 403;
  if (error instanceof InputProblems) return 400;
  return 409;
}

const FIELD_KINDS = ['date', 'text', 'long_text', 'lines', 'choice', 'checkboxes', 'pounds', 'working_days', 'user', 'file'] as const;

const fieldJson = z.object({
  name: z.string(),
  label: z.string(),
  kind: z
    .enum(FIELD_KINDS)
    .describe(
      '`date`: "YYYY-MM-DD"; `text`, `long_text`: a string; `lines`: a string, one item a line, or an array of strings; `choice`: one of `options`; `checkboxes`: an array of `options`; `pounds`: "1,250.50" or a number; `working_days`: a whole number; `user`: the id of a user holding `role`; `file`: a file part of a `multipart/form-data` body, of one of the media types in `accepts`, smaller than ' +
        formatFileSize(MAX_ATTACHMENT_BYTES) +
        ' (checked by its content; the name must agree).',
    ),
  required: z.boolean(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).nullable(),
  role: z.string().nullable().describe('For `user`: the role the user must hold.'),
  accepts: z.array(z.string()).nullable().describe('For `file`: the media types accepted.'),
  group: z.string().nullable(),
});

const stepJson = z.object({
  step: z.enum(LATER_STEPS),
  stage: z.number().int(),
  label: z.string(),
  is_allowed: z.boolean(),
  held_back: z.string().nullable().describe('What must be done first, when the step is held back by the order of the work.'),
  fields: z.array(fieldJson).describe('For an allowed step: what it records.'),
  href: z.string(),
});

const stageJson = z
  .object({
    state: z.string(),
    requested_on: z.string(),
    window_ends_on: z.string(),
    is_late: z.boolean(),
    late_outcome: z.string().nullable(),
    acknowledged_on: z.string().nullable(),
    responded_on: z.string().nullable(),
    withdrawn_on: z.string().nullable(),
  })
  .catchall(z.unknown());

const documentJson = z.object({
  id: z.number().int(),
  file_name: z.string(),
  media_type: z.string(),
  size_bytes: z.number().int(),
  added_at: z.string(),
  download_url: z.string().describe('`GET` it with the same token: the file, as an attachment.'),
});

export const laterStagesJson = z.object({
  reference: z.string(),
  version: z.number().int().describe('Send it back with the next step (`version`, or `If-Match`).'),
  stage2: stageJson.nullable(),
  report_documents: z.array(documentJson).describe('The investigation report, as uploaded when it was recorded (`record_report`).'),
  stage3: stageJson.nullable(),
  points: z.array(z.object({ number: z.number().int(), text: z.string(), finding: z.string().nullable() })),
  appointments: z.array(
    z.object({ stage: z.number().int(), role: z.string(), name: z.string(), user_id: z.number().int().nullable(), is_chair: z.boolean(), appointed_on: z.string(), ended_on: z.string().nullable() }),
  ),
  clocks: z.array(z.object({ key: z.string(), label: z.string(), started_on: z.string(), due_on: z.string(), is_open: z.boolean(), tag: z.string(), text: z.string() })),
  steps: z.array(stepJson),
});

function fieldOf(field: LaterField) {
  return {
    name: field.name,
    label: field.label,
    kind: field.kind,
    required: field.required,
    options: field.kind === 'choice' || field.kind === 'checkboxes' ? field.options.map((o) => ({ ...o })) : null,
    role: field.kind === 'user' ? field.role : null,
    accepts: field.kind === 'file' ? [...new Set(field.accepts.map((kind) => FILE_KIND_INFO[kind].mediaType))] : null,
    group: field.group ?? null,
  };
}

function stageOf(row: LaterStagesView['stage2'] | LaterStagesView['stage3']) {
  if (row === undefined) return null;
  const { id: _id, representation_id: _rep, created_by: _by, version: _version, is_late: isLate, late_reason: _reason, ...rest } = row;
  return { ...rest, is_late: isLate === 1 };
}

const referenceParams = { type: 'object', properties: { reference: { type: 'string' } }, required: ['reference'] } as const;
const openApi = (schema: z.ZodType, description: string): Record<string, unknown> => ({ ...z.toJSONSchema(schema, { target: 'openapi-3.0' }), description });
const ERRORS = {
  401: errorResponse('`unauthenticated`'),
  403: errorResponse('`forbidden` (scope or role), `role_may_not` (the user may not take this step).'),
  404: errorResponse('`case_not_found`: no such case, or one the user may not see. `unknown_action`: no such step.'),
};

export function laterStageApi(container: Container): FastifyPluginAsync {
  const { laterStages } = container;

  const refusal = (reply: FastifyReply, error: DomainError): FastifyReply => {
    const status = statusForStepRefusal(error);
    if (status === 400) return problemsReply(reply, error instanceof InputProblems ? error.problems : [error]);
    return sendError(reply, status, error.code, error.message);
  };

  /** The view as JSON, with each allowed step's fields. */
  async function viewJson(reference: string, actor: ReturnType<typeof staffActorOf>): Promise<z.infer<typeof laterStagesJson>> {
    const view = await laterStages.view(reference, actor);
    const steps = [];
    for (const step of view.steps) {
      const fields = step.isAllowed ? (await laterStages.form(view.reference, step.step, actor, { isAudited: false })).fields.map(fieldOf) : [];
      steps.push({
        step: step.step,
        stage: step.stage,
        label: step.label,
        is_allowed: step.isAllowed,
        held_back: step.message ?? null,
        fields,
        href: apiPaths.representationStage.url({ reference: view.reference, step: step.step }),
      });
    }
    return {
      reference: view.reference,
      version: view.version,
      stage2: stageOf(view.stage2),
      report_documents: view.reportDocuments.map((d) => ({
        id: d.id,
        file_name: d.fileName,
        media_type: d.mediaType,
        size_bytes: d.sizeBytes,
        added_at: d.createdAt,
        download_url: apiPaths.representationAttachment.url({ reference: view.reference, attachmentId: d.id }),
      })),
      stage3: stageOf(view.stage3),
      points: view.points.map((p) => ({ number: p.number, text: p.text, finding: p.finding ?? null })),
      appointments: view.appointments.map((a) => ({ stage: a.stage, role: a.role, name: a.name, user_id: a.user_id, is_chair: a.is_chair === 1, appointed_on: a.appointed_on, ended_on: a.ended_on })),
      clocks: view.clocks.map((c) => ({ key: c.key, label: c.label, started_on: c.startedOn, due_on: c.dueOn, is_open: c.isOpen, tag: c.tag, text: c.text })),
      steps,
    };
  }

  return async (app) => {
    app.get<{ Params: { reference: string } }>(
      apiPaths.representationStages.pattern,
      {
        config: { access: CASE_READERS, scope: 'representations:read' },
        schema: {
          summary: 'A case’s Stage 2 and Stage 3: records, people appointed, clocks and the steps the user may take',
          operationId: 'getRepresentationStages',
          tags: ['stages 2 and 3'],
          security: [{ bearer: [] }],
          params: referenceParams,
          response: { 200: openApi(laterStagesJson, 'The case’s later stages'), ...ERRORS },
        },
        validatorCompiler: checkedInHandler,
        serializerCompiler: plainJson,
      },
      async (request, reply) => {
        const { reference } = request.params;
        if (tryParseReference(reference) === undefined) return refusal(reply, new DomainError('case_not_found', 'There is no case with that reference'));
        try {
          const json = await viewJson(reference, staffActorOf(request));
          void reply.header('etag', `"${String(json.version)}"`);
          return json;
        } catch (error) {
          if (error instanceof DomainError) return refusal(reply, error);
          throw error;
        }
      },
    );

    // Steps are sent as JSON, or as multipart when they carry a file.
    await app.register(async (scope) => {
      await registerUploads(scope, { files: 1, tooLarge: (_request, reply) => sendError(reply, 413, 'file_too_large', `A file must be smaller than ${formatFileSize(MAX_ATTACHMENT_BYTES)}`) });
      scope.post<{ Params: { reference: string; step: string } }>(
        apiPaths.representationStage.pattern,
        {
          config: { access: CASE_READERS, scope: 'representations:write' },
          schema: {
            summary: 'Take a Stage 2 or Stage 3 step',
            operationId: 'takeRepresentationStageStep',
            description:
              'The body is `{ "version": n, ...fields }` (or `If-Match: "n"`), with the fields `GET …/stages` lists for the step. A late request for the next stage needs `late_outcome` (`accepted` or `refused`), `late_reason` and `late_decided_on`: it is never refused automatically. ' +
              'A step with a field of kind `file` — `record_report`, whose `report` is the investigation report itself (a PDF or Word document) — must be sent as `multipart/form-data`: the file as the part named after the field (`report`), `version` and the other fields as text parts (for example `curl -F version=7 -F report_received_on=2026-05-01 -F report=@report.pdf`); a JSON body cannot carry it and is refused (`missing_report`, or `invalid_report` when `report` is not a file). ' +
              'Other steps may be sent either way. 200 with the later stages as they now are (the report listed in `report_documents`).',
            tags: ['stages 2 and 3'],
            security: [{ bearer: [] }],
            params: { type: 'object', properties: { reference: { type: 'string' }, step: { type: 'string', enum: LATER_STEPS } }, required: ['reference', 'step'] },
            consumes: ['application/json', 'multipart/form-data'],
            body: {
              type: 'object',
              properties: {
                version: { type: 'integer', description: 'The version of the case you read (or send `If-Match`).' },
                report: { type: 'string', format: 'binary', description: 'For `record_report`, as a multipart file part: the investigation report, a PDF or Word document.' },
              },
              additionalProperties: true,
              description: 'The step’s fields, as `GET …/stages` lists them.',
            },
            response: {
              200: openApi(laterStagesJson, 'Done'),
              400: errorResponse(
                'Every problem with the values, in `problems`: `missing_<field>`, `invalid_<field>`, `date_in_future`, `file_empty`, `file_too_large`, `file_type_not_allowed`, `file_not_what_name_says`, `missing_late_decision`, `extension_beyond_cap`, `independent_person_not_external` (an Independent Person recorded as not from outside the council), `independence_not_declared` (for a panel member, against `member_<n>_declarations`), `panel_includes_stage2_independent_person`, `adjudication_without_findings`, `delay_reasons_required` (a late Stage 2 response, panel meeting or council response), `unknown_field`, `missing_version`, …',
              ),
              ...ERRORS,
              409: errorResponse('`stale_update`, or the case’s state refuses the step now: `stage2_before_stage1_response`, `stage3_before_stage2_response`, `stage2_not_open`, `statement_not_agreed`, `report_not_received`, `adjudicator_not_independent` (the senior manager is the investigating officer or responded at Stage 1), …'),
              413: errorResponse('`file_too_large`: the body is far larger than one file may be (refused before it is read).'),
            },
          },
          validatorCompiler: checkedInHandler,
          serializerCompiler: plainJson,
        },
        async (request, reply) => {
          const { reference, step } = request.params;
          const actor = staffActorOf(request);
          if (tryParseReference(reference) === undefined) return refusal(reply, new DomainError('case_not_found', 'There is no case with that reference'));
          const body: unknown = request.body ?? {};
          if (typeof body !== 'object' || body === null || Array.isArray(body)) return problemsReply(reply, [new DomainError('invalid_request', 'Send a JSON object: { "version": n, ...fields }')]);
          const values = request.isMultipart() ? multipartValues(request, body as Record<string, unknown>) : (body as Record<string, unknown>);
          const version = versionOf(request, values);
          if (version instanceof DomainError) return problemsReply(reply, [version]);
          let names: Set<string>;
          try {
            names = new Set((await laterStages.form(reference, step, actor, { isAudited: false })).fields.map((f) => f.name));
          } catch (error) {
            if (error instanceof DomainError) return refusal(reply, error);
            throw error;
          }
          const unknown = Object.keys(values)
            .filter((name) => name !== 'version' && !names.has(name))
            .map((name) => new DomainError('unknown_field', `"${name}" is not recorded by this step`, name));
          if (unknown.length > 0) return problemsReply(reply, unknown);
          const { version: _version, ...input } = values;
          try {
            await laterStages.apply(reference, step, input, actor, version);
            const json = await viewJson(reference, actor);
            void reply.header('etag', `"${String(json.version)}"`);
            return json;
          } catch (error) {
            if (error instanceof DomainError) return refusal(reply, error);
            throw error;
          }
        },
      );
    });
  };
}

/**
 * A multipart body as the step takes it: its text parts (`version` as a number), and each file
 * under its part's name.
 */
function multipartValues(request: FastifyRequest, fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const values: Record<string, unknown> = { ...fields };
  if (typeof values.version === 'string' && /^\d{1,15}$/.test(values.version)) values.version = Number(values.version);
  for (const name of uploadFields(request)) values[name] = uploadOf(request, name);
  return values;
}
