/**
 * Stage 1 actions in the API, read from the same table as the case pages
 * (`STAGE1_TRANSITIONS`): what the token's user may do to a case now and what each action
 * records, and taking an action. The service (`CaseActionService`) and the table decide;
 * this module only turns their answers into HTTP.
 *
 * Statuses, from the domain's codes (the same for every action):
 *
 * - 400: the request's values (`missing_<field>`, `invalid_<field>`, `date_in_future`,
 *   `delay_reasons_required`, `extension_beyond_cap`, `unknown_field`, `missing_version`, …),
 *   every problem listed;
 * - 403: the token's user may not (`role_may_not`; a responding manager and a case not
 *   theirs: `not_allocated_to_you`); a token without the scope or role: `forbidden`;
 * - 404: `case_not_found` (no such case, or one the user may not know of) or `unknown_action`;
 * - 409: the case is not as the caller thought: `stale_update` (a newer version was saved:
 *   nothing was written; read the case and try again), or its state refuses the action now
 *   (`action_not_allowed_in_status`, `already_acknowledged`, `advocacy_offer_required`,
 *   `reopen_later_stage`, …).
 *
 * Re-opening (`reopen`, a complaints manager only, with a `reason`) takes a withdrawn or
 * closed case back to the status it had before; the reason for an extension (`extend`) is a
 * code, `extension_reason`, with `extension_reason_text` for `other`.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Container } from '../container.ts';
import type { CaseState } from '../app/case-state-service.ts';
import { DomainError } from '../domain/errors.ts';
import { CASE_STATUSES } from '../domain/cases/case-status.ts';
import { DUE_TAG_LABELS } from '../domain/cases/stage1-clock.ts';
import {
  ROLE_GUARDS,
  STAGE1_ACTIONS,
  STAGE1_ACTION_LABELS,
  STAGE1_GUARDS,
  STAGE1_REFUSALS,
  STAGE1_TRANSITIONS,
  transitionFor,
  type Condition,
  type Stage1Action,
  type Stage1Transition,
} from '../domain/cases/stage1-workflow.ts';
import { STAGE1_FIELD_SPECS, type FieldSpec, type Stage1Field } from '../domain/cases/stage1-fields.ts';
import { DEFAULT_ISSUES } from '../domain/taxonomies/issues.ts';
import { REPRESENTATION_KINDS } from '../domain/taxonomies/representation-kinds.ts';
import { tryParseReference } from '../domain/taxonomies/case-reference.ts';
import { staffActorOf } from '../web/actor.ts';
import { CASE_READERS } from '../web/cases/case-access.ts';
import { apiPaths } from './api-paths.ts';
import { checkedInHandler, errorResponse, plainJson, problemsReply, sendError } from './api-errors.ts';

// ---- what the table says, for the API ----

/** The actions taken on a registered case (registering is `POST /api/v1/representations`). */
export const API_ACTIONS = STAGE1_ACTIONS.filter((action) => action !== 'register');
const API_ACTION_ENUM = API_ACTIONS as [Stage1Action, ...Stage1Action[]];

const codesOf = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** Refusals because of who the user is. */
const FORBIDDING_CODES = new Set([
  'role_may_not',
  ...Object.values(ROLE_GUARDS).flatMap((names) => names.map((name) => STAGE1_GUARDS[name].code)),
]);

/** Refusals because of where the case stands now (no field: the request's values are not the problem). */
const STATE_CODES = new Set([
  'action_not_allowed_in_status',
  'action_not_for_kind',
  ...Object.values(STAGE1_GUARDS)
    .map((guard) => guard.code)
    .filter((code) => !FORBIDDING_CODES.has(code)),
  ...STAGE1_REFUSALS.map((refusal) => refusal.code),
]);

const NOT_FOUND_CODES = new Set(['case_not_found', 'unknown_action']);

/** The HTTP status for a refusal from the service (see the header comment). */
export function statusForRefusal(error: DomainError): 400 | 403 | 404 | 409 {
  if (NOT_FOUND_CODES.has(error.code)) return 404;
  if (FORBIDDING_CODES.has(error.code)) return 403;
  if (error.code === 'stale_update') return 409;
  if (error.field === undefined && STATE_CODES.has(error.code)) return 409;
  return 400;
}

const ACTION_TRANSITIONS = STAGE1_TRANSITIONS.filter((t) => t.action !== 'register');

/** The conditions under which the table asks for a field, as the table uses them. */
const CONDITIONS = codesOf(ACTION_TRANSITIONS.flatMap((t) => t.records.flatMap((r) => (r.when === undefined ? [] : [r.when])))) as Condition[];

const FIELD_TYPES = ['date', 'code', 'codes', 'text', 'id', 'count', 'yes_no'] as const;
type ApiFieldType = (typeof FIELD_TYPES)[number];

/** How each kind of field is written in JSON. */
const FIELD_TYPE_HELP: Readonly<Record<ApiFieldType, string>> = {
  date: 'a date as a string, `YYYY-MM-DD`',
  code: 'one of `codes`, as a string',
  codes: 'an array of `codes`',
  text: 'a string of at most `max_length` characters',
  id: 'a whole number (for `responder_user_id`: one of `choices`)',
  count: 'a whole number, at least `min`',
  yes_no: 'a boolean',
};

const apiTypeOf = (spec: FieldSpec): ApiFieldType => (spec.type === 'issues' ? 'codes' : spec.type);

function allowedCodes(spec: FieldSpec): string[] | null {
  if (spec.type === 'code' || spec.type === 'codes') return [...spec.codes];
  if (spec.type === 'issues') return DEFAULT_ISSUES.filter((issue) => !issue.isRetired).map((issue) => issue.code);
  return null;
}

interface ResponderChoice {
  id: number;
  name: string;
  team: string | null;
}

interface ActionField {
  name: Stage1Field;
  label: string;
  type: ApiFieldType;
  required: boolean;
  required_when: Condition | null;
  codes: string[] | null;
  max_length: number | null;
  min: number | null;
  choices?: ResponderChoice[];
}

/** The fields an action records, in the table's order: what must be recorded, then what may be. */
export function fieldsOf(transition: Stage1Transition, choices?: readonly ResponderChoice[]): ActionField[] {
  const fields: ActionField[] = [];
  const add = (name: Stage1Field, required: boolean, when: Condition | null, label: string | undefined): void => {
    if (fields.some((f) => f.name === name)) return;
    const spec = STAGE1_FIELD_SPECS[name];
    const field: ActionField = {
      name,
      label: label ?? spec.label,
      type: apiTypeOf(spec),
      required,
      required_when: when,
      codes: allowedCodes(spec),
      max_length: spec.type === 'text' ? spec.maxLength : null,
      min: spec.type === 'count' ? spec.min : null,
    };
    if (name === 'responder_user_id' && choices !== undefined) field.choices = [...choices];
    fields.push(field);
  };
  for (const requirement of transition.records) add(requirement.field, requirement.when === undefined, requirement.when ?? null, requirement.label);
  for (const name of transition.optional ?? []) add(name, false, null, undefined);
  return fields;
}

/** The request properties an action reads: what it records, and what it refuses (so that the refusal is given, not the value dropped). */
function acceptedFields(transition: Stage1Transition): Set<string> {
  return new Set<string>([...transition.records.map((r) => r.field), ...(transition.optional ?? []), ...(transition.forbids ?? []).map((f) => f.field)]);
}

// ---- JSON schemas (OpenAPI) ----

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const clockJson = z.object({
  key: z.string().describe('`acknowledgement`, `stage1_response`, …'),
  label: z.string(),
  started_on: z.string().describe('YYYY-MM-DD'),
  due_on: z.string().describe('YYYY-MM-DD, counted in working days of England and Wales, extensions included (a hold pauses only a corporate clock, where the council’s policy allows)'),
  is_open: z.boolean(),
  tag: z.enum([...(Object.keys(DUE_TAG_LABELS) as [string, ...string[]]), 'stopped']),
  text: z.string().describe('"Due in 8 working days", "Overdue by 2 working days", "Responded in 4 working days", …'),
});

export const caseStateJson = z.object({
  reference: z.string(),
  kind: z.enum(REPRESENTATION_KINDS),
  status: z.enum(CASE_STATUSES),
  status_label: z.string(),
  version: z.number().int().describe('Send it back with the next action (`version`, or `If-Match`).'),
  clocks: z.array(clockJson),
});

const fieldJson = z.object({
  name: z.string().describe('The request property.'),
  label: z.string(),
  type: z.enum(FIELD_TYPES).describe(FIELD_TYPES.map((t) => `\`${t}\`: ${FIELD_TYPE_HELP[t]}`).join('; ')),
  required: z.boolean().describe('Always required.'),
  required_when: z
    .enum(CONDITIONS as [Condition, ...Condition[]])
    .nullable()
    .describe('Required only when this holds (for example `response_is_late`: the response is after its due date); otherwise optional.'),
  codes: z.array(z.string()).nullable().describe('For `code` and `codes`: the codes allowed.'),
  max_length: z.number().int().nullable(),
  min: z.number().int().nullable(),
  choices: z
    .array(z.object({ id: z.number().int(), name: z.string(), team: z.string().nullable() }))
    .optional()
    .describe('For `responder_user_id`, when the action is allowed: the active responding managers.'),
});

const actionJson = z.object({
  action: z.enum(API_ACTION_ENUM),
  label: z.string(),
  is_allowed: z.boolean(),
  held_back: z
    .object({ code: z.string(), message: z.string() })
    .nullable()
    .describe('Why the action cannot be taken yet (for example `advocacy_offer_required`): do that first.'),
  fields: z.array(fieldJson),
  href: z.string().describe('Where to POST it.'),
});

export const actionsJson = caseStateJson.extend({
  actions: z.array(actionJson).describe("The actions the user's roles could take in the case's status: allowed, or held back with the reason. Empty for a role that takes none (a viewer)."),
});

export const actionResultJson = caseStateJson.extend({
  action: z.object({
    action: z.enum(API_ACTION_ENUM),
    from: z.enum(CASE_STATUSES),
    to: z.enum(CASE_STATUSES),
    acting_role: z.string(),
    is_late: z.boolean().nullable().describe('For `record_response`: whether it came after the due date.'),
  }),
});

/** A JSON schema for one field's value, from its spec. */
function valueSchema(spec: FieldSpec): z.ZodType {
  const codes = allowedCodes(spec) as [string, ...string[]] | null;
  switch (spec.type) {
    case 'date':
      return z.string().regex(ISO_DATE).describe(`${spec.label}: YYYY-MM-DD`);
    case 'code':
      return z.enum(codes ?? ['']).describe(spec.label);
    case 'codes':
    case 'issues':
      return z.array(z.enum(codes ?? [''])).describe(spec.plural);
    case 'text':
      return z.string().max(spec.maxLength).describe(spec.label);
    case 'id':
      return z.number().int().min(1).describe(spec.label);
    case 'count':
      return z.number().int().min(spec.min).describe(spec.label);
    case 'yes_no':
      return z.boolean().describe(spec.label);
  }
}

/** The body: the case's version and the action's fields (every field any action records; `GET …/actions` says which this one takes). */
export const actionBodyJson = z
  .object({
    version: z.number().int().min(1).optional().describe('The version of the case the change is based on (required here or in `If-Match`).'),
    ...Object.fromEntries(
      [...new Set(ACTION_TRANSITIONS.flatMap((t) => [...acceptedFields(t)]))].map((f) => [f, valueSchema(STAGE1_FIELD_SPECS[f as Stage1Field]).optional()]),
    ),
  })
  .describe('Send only the fields the action records (see `GET …/actions`); any other property is refused (`unknown_field`).');

const referenceParams = {
  type: 'object',
  properties: { reference: { type: 'string', description: 'The case reference, e.g. CSC-2026-0042' } },
  required: ['reference'],
} as const;

const actionParams = {
  type: 'object',
  properties: { ...referenceParams.properties, action: { type: 'string', enum: API_ACTIONS, description: 'The Stage 1 action' } },
  required: ['reference', 'action'],
} as const;

const openApi = (schema: z.ZodType, description: string): Record<string, unknown> => ({ ...z.toJSONSchema(schema, { target: 'openapi-3.0' }), description });

const codeList = (codes: Iterable<string>): string => codesOf(codes).map((c) => `\`${c}\``).join(', ');

const COMMON_ERRORS = {
  401: errorResponse('`unauthenticated`: no token, or one unknown, revoked or whose user is disabled.'),
  403: errorResponse(`The token lacks the scope, or its user's roles may not use this route (\`forbidden\`), or may not take this action on this case: ${codeList(FORBIDDING_CODES)}.`),
  404: errorResponse('`case_not_found`: no such case, or one the user may not know of (the two look the same). `unknown_action`: no such action.'),
};

// ---- the routes ----

function caseStateOf(state: CaseState) {
  return {
    reference: state.reference,
    kind: state.kind,
    status: state.status,
    status_label: state.statusLabel,
    version: state.version,
    clocks: state.clocks.map((c) => ({ key: c.key, label: c.label, started_on: c.startedOn, due_on: c.dueOn, is_open: c.isOpen, tag: c.tag, text: c.text })),
  };
}

/** The version the change is based on: `version` in the body or `If-Match` (`"3"`, `W/"3"` or `3`); both must agree. */
export function versionOf(request: FastifyRequest, body: Record<string, unknown>): number | DomainError {
  const header = request.headers['if-match'];
  const fromHeader = header === undefined ? undefined : /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header)?.[1];
  if (header !== undefined && fromHeader === undefined) return new DomainError('invalid_version', 'If-Match must be the version of the case, for example "3"', 'version');
  const raw = body.version;
  if (raw !== undefined && (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 1)) {
    return new DomainError('invalid_version', 'version must be the version of the case you read, a whole number', 'version');
  }
  const headerVersion = fromHeader === undefined ? undefined : Number(fromHeader);
  if (raw !== undefined && headerVersion !== undefined && raw !== headerVersion) {
    return new DomainError('invalid_version', 'version and If-Match give different versions: send one', 'version');
  }
  const version = raw ?? headerVersion;
  if (version === undefined) return new DomainError('missing_version', 'Send the version of the case you read (version, or the If-Match header), so that a newer change is not overwritten', 'version');
  return version;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function representationActionsApi(container: Container): FastifyPluginCallback {
  const { caseActions, caseStates } = container;

  const refusal = (reply: FastifyReply, error: DomainError): FastifyReply => {
    const status = statusForRefusal(error);
    if (status === 400) return problemsReply(reply, [error]);
    return sendError(reply, status, error.code, error.message);
  };

  return (app, _options, done) => {
    app.get<{ Params: { reference: string } }>(
      apiPaths.representationActions.pattern,
      {
        config: { access: CASE_READERS, scope: 'representations:read' },
        schema: {
          summary: 'The Stage 1 actions the user may take on a case now, and what each records',
          operationId: 'listRepresentationActions',
          description:
            "Read from the Stage 1 table, for the token's user: each action their roles could take in the case's status, either allowed or held back (with the reason code and message), and the fields it records. Also the case's status, version (send it back with the action; also the `ETag`) and clocks. No personal details; a viewer gets no actions.",
          tags: ['stage 1 actions'],
          security: [{ bearer: [] }],
          params: referenceParams,
          response: { 200: openApi(actionsJson, 'The case and its actions'), ...COMMON_ERRORS },
        },
        validatorCompiler: checkedInHandler,
        serializerCompiler: plainJson,
      },
      async (request, reply) => {
        const { reference } = request.params;
        const actor = staffActorOf(request);
        if (tryParseReference(reference) === undefined) return refusal(reply, new DomainError('case_not_found', 'There is no case with that reference'));
        let state: CaseState;
        try {
          state = await caseStates.state(reference, actor);
        } catch (error) {
          if (error instanceof DomainError) return refusal(reply, error);
          throw error;
        }
        const actions = [];
        for (const available of await caseActions.available(state.reference, actor)) {
          const transition = transitionFor(state.status, available.action);
          if (transition === undefined) continue;
          let choices: ResponderChoice[] | undefined;
          if (available.isAllowed && transition.records.some((r) => r.field === 'responder_user_id')) {
            // Undefined if the case moved on since it was read: the action then says so when taken.
            const form = await caseActions.form(state.reference, available.action, actor).catch((error: unknown) => {
              if (error instanceof DomainError) return undefined;
              throw error;
            });
            choices = form?.responders.map((r) => ({ id: r.id, name: r.name, team: r.teamName }));
          }
          actions.push({
            action: available.action,
            label: available.label,
            is_allowed: available.isAllowed,
            held_back: available.isAllowed ? null : { code: available.code, message: available.message },
            fields: fieldsOf(transition, choices),
            href: apiPaths.representationAction.url({ reference: state.reference, action: available.action }),
          });
        }
        void reply.header('etag', `"${String(state.version)}"`);
        return { ...caseStateOf(state), actions } satisfies z.infer<typeof actionsJson>;
      },
    );

    app.post<{ Params: { reference: string; action: string } }>(
      apiPaths.representationAction.pattern,
      {
        config: { access: CASE_READERS, scope: 'representations:write' },
        schema: {
          summary: 'Take a Stage 1 action on a case',
          operationId: 'takeRepresentationAction',
          description: [
            "The body is `{ \"version\": n, ...fields }`: the version of the case you read (or send it as `If-Match: \"n\"`) and the fields the action records, as `GET …/actions` lists them. Dates are `YYYY-MM-DD` strings, codes strings, lists of codes arrays, numbers numbers and yes/no booleans. The Stage 1 table decides who may, when, and what must be recorded; the change, the case's history and the audit trail are written in one transaction.",
            '',
            'A save based on an older version is refused with 409 `stale_update` and nothing is written: read the case again, then send the action with the new version.',
            '',
            'Replies: 200 with the case as it now is (status, new version, clocks with due dates); 400 for the request\'s values, every problem listed; 403 when the user may not; 404 for a case they may not see; 409 when the case has moved on or its state refuses the action.',
          ].join('\n'),
          tags: ['stage 1 actions'],
          security: [{ bearer: [] }],
          params: actionParams,
          headers: { type: 'object', properties: { 'if-match': { type: 'string', description: 'The version the change is based on, e.g. "3" (instead of `version` in the body).' } } },
          body: z.toJSONSchema(actionBodyJson, { target: 'openapi-3.0' }),
          response: {
            200: openApi(actionResultJson, 'Done: the case as it now is'),
            400: errorResponse(
              'The request\'s values, every problem listed in `problems` with its field: `missing_<field>`, `invalid_<field>`, `<field>_too_long`, `date_in_future`, `date_before_receipt`, `response_before_receipt`, `delay_reasons_required`, `extension_beyond_cap`, `invalid_extension_reason` (not one of the reasons listed), `missing_extension_reason_text` (the words for an `other` reason), `finding_on_withdrawn`, `unknown_field`, `missing_version`, `invalid_version`, `invalid_request`, …',
            ),
            ...COMMON_ERRORS,
            409: errorResponse(
              `The case is not as the request expects, and nothing was written. \`stale_update\`: someone saved a newer version; read the case again. Or the case's state refuses the action now: ${codeList(STATE_CODES)}.`,
            ),
          },
        },
        validatorCompiler: checkedInHandler,
        serializerCompiler: plainJson,
      },
      async (request, reply) => {
        const { reference, action } = request.params;
        const actor = staffActorOf(request);
        if (tryParseReference(reference) === undefined) return refusal(reply, new DomainError('case_not_found', 'There is no case with that reference'));
        const body: unknown = request.body ?? {};
        if (!isPlainObject(body)) return problemsReply(reply, [new DomainError('invalid_request', 'Send a JSON object: { "version": n, ...fields }')]);
        const version = versionOf(request, body);
        if (version instanceof DomainError) return problemsReply(reply, [version]);

        let transition: Stage1Transition;
        try {
          // Refuses as taking the action would (no case, unknown action, role, status, guards) before the values are looked at.
          transition = (await caseActions.form(reference, action, actor)).transition;
        } catch (error) {
          if (error instanceof DomainError) return refusal(reply, error);
          throw error;
        }
        const accepted = acceptedFields(transition);
        const input: Record<string, unknown> = {};
        const unknown: DomainError[] = [];
        for (const [name, value] of Object.entries(body)) {
          if (name === 'version') continue;
          if (accepted.has(name)) input[name] = value;
          else unknown.push(new DomainError('unknown_field', `"${name}" is not recorded by this action (${STAGE1_ACTION_LABELS[transition.action].toLowerCase()})`, name));
        }
        if (unknown.length > 0) return problemsReply(reply, unknown);

        let problems: DomainError[];
        try {
          problems = await caseActions.problems(reference, action, input, actor);
        } catch (error) {
          if (error instanceof DomainError) return refusal(reply, error);
          throw error;
        }
        if (problems.length > 0) return problemsReply(reply, problems);
        try {
          const decision = await caseActions.apply(reference, action, input, actor, version);
          const state = await caseStates.state(reference, actor);
          void reply.header('etag', `"${String(state.version)}"`);
          return {
            ...caseStateOf(state),
            action: { action: transition.action, from: decision.from, to: decision.to, acting_role: decision.actingRole, is_late: decision.isLate ?? null },
          } satisfies z.infer<typeof actionResultJson>;
        } catch (error) {
          if (error instanceof DomainError) return refusal(reply, error);
          throw error;
        }
      },
    );
    done();
  };
}
