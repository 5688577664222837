/**
 * Stage 1 actions on a case (`/cases/:reference/actions/:action`): the form is generated
 * from the action's row in the Stage 1 table — what must be recorded, what may be — and
 * each field's type in `STAGE1_FIELD_SPECS`. Every problem is shown at once in a GOV.UK
 * error summary with the answers kept (400); a save based on an older version of the case
 * is refused (409), the answers kept; success goes back to the case page (303). Allocating
 * to a responding manager outside the case's team asks for confirmation first.
 *
 * Open to every case reader at the route: the case service and the table decide the rest
 * (a case the user may not see is "Page not found"; an action their role may not take is 403).
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { ActionForm } from '../../app/case-action-service.ts';
import { DomainError } from '../../domain/errors.ts';
import { STAGE1_ACTION_LABELS, fieldFitsKind, type Condition } from '../../domain/cases/stage1-workflow.ts';
import { STAGE1_FIELD_SPECS, type Stage1Field } from '../../domain/cases/stage1-fields.ts';
import { CODE_FIELDS } from '../../domain/cases/history-labels.ts';
import { ELIGIBILITY_DECISION_LABELS, ELIGIBILITY_RULES, ELIGIBILITY_DECISIONS } from '../../domain/cases/eligibility.ts';
import { DEFAULT_ISSUES } from '../../domain/taxonomies/issues.ts';
import { tryParseReference } from '../../domain/taxonomies/case-reference.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { type RefusalPages, sendErrorPage, sendRefusalPage } from '../errors.ts';
import { asList, formDate, formErrors, formText, type FormBody, type FormErrors } from '../forms.ts';
import { staffActorOf } from '../actor.ts';
import { CASE_READERS } from './case-access.ts';
import { withRevealedFields } from './revealed-fields.ts';
import { isProcedureKind } from '../../domain/procedures/procedure-definitions.ts';

type Body = FormBody;
type ResponderOption = ActionForm['responders'][number];
interface Params {
  reference: string;
  action: string;
}

/** Labels of each code field's codes (outcomes carry the decisions they belong to as a hint). */
const OUTCOME_LABELS: Readonly<Record<string, { text: string; hint: string }>> = (() => {
  const labels: Record<string, { text: string; hint: string }> = {};
  for (const decision of ELIGIBILITY_DECISIONS) {
    for (const outcome of ELIGIBILITY_RULES[decision].outcomes) {
      const existing = labels[outcome.code];
      if (existing === undefined) labels[outcome.code] = { text: outcome.label, hint: `For: ${ELIGIBILITY_DECISION_LABELS[decision]}` };
      else existing.hint += `, ${ELIGIBILITY_DECISION_LABELS[decision]}`;
    }
  }
  return labels;
})();

/** When a conditional field is needed, as its hint says. */
const CONDITION_HINTS: Readonly<Record<Condition, string>> = {
  new_kind_is_complaint: 'Needed for a complaint.',
  new_kind_is_complaint_without_role: 'Needed for a complaint when who made it is not recorded yet.',
  new_kind_is_other_agency: 'Needed for a complaint about another organisation.',
  new_kind_is_compliment: 'Needed for a compliment.',
  new_kind_is_informal: 'Needed for an informal complaint.',
  kind_has_procedure: 'Needed for a complaint taken through a procedure.',
  response_is_late: 'Needed when the response is after its due date.',
  eligibility_rule_asks: 'Needed for some decisions and outcomes.',
  extension_reason_is_other: 'Needed when the reason is “Other”.',
};

const SHORT_TEXT_FIELDS: readonly Stage1Field[] = ['agency', 'provider'];

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface FieldPlan {
  field: Stage1Field;
  label: string;
  isOptional: boolean;
  hint: string | undefined;
}

/** The fields the action's form asks for, in the table's order: what must be recorded, then what may be. */
function fieldPlan({ transition, kind }: ActionForm): FieldPlan[] {
  const plan: FieldPlan[] = [];
  const optional = new Set<Stage1Field>(transition.optional ?? []);
  for (const requirement of transition.records) {
    if (plan.some((p) => p.field === requirement.field)) continue;
    // Whether the case's kind has a procedure is known already: such a field is plainly required, or plainly optional.
    const when = requirement.when === 'kind_has_procedure' ? (isProcedureKind(kind) ? undefined : 'never') : requirement.when;
    plan.push({
      field: requirement.field,
      label: capitalise(requirement.label ?? STAGE1_FIELD_SPECS[requirement.field].label),
      isOptional: when !== undefined && optional.has(requirement.field),
      hint: when === undefined || when === 'never' ? undefined : CONDITION_HINTS[when],
    });
  }
  for (const field of transition.optional ?? []) {
    if (plan.some((p) => p.field === field)) continue;
    plan.push({ field, label: capitalise(STAGE1_FIELD_SPECS[field].label), isOptional: true, hint: undefined });
  }
  return plan.filter((p) => fieldFitsKind(p.field, kind));
}

/** The form as the workflow takes it: only the fields the action asks for. */
function inputFrom(body: Body, form: ActionForm): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const { field } of fieldPlan(form)) {
    const spec = STAGE1_FIELD_SPECS[field];
    if (spec.type === 'date') input[field] = formDate(body, field);
    else if (spec.type === 'codes' || spec.type === 'issues') input[field] = asList(body[field]);
    else input[field] = formText(body, field);
  }
  return input;
}

/** Each field as the page's macros take it, a field revealed under a choice inside that choice's item (`reveal`). */
function fieldViews(form: ActionForm, body: Body, errors: FormErrors | undefined) {
  return withRevealedFields(plainFieldViews(form, body, errors));
}

function plainFieldViews(form: ActionForm, body: Body, errors: FormErrors | undefined) {
  return fieldPlan(form).map((plan) => {
    const spec = STAGE1_FIELD_SPECS[plan.field];
    const label = plan.isOptional ? `${plan.label} (optional)` : plan.label;
    const chosen = asList(body[plan.field]);
    const value = formText(body, plan.field);
    const base = { name: plan.field, label, hint: plan.hint, error: errors?.fields[plan.field] };
    switch (spec.type) {
      case 'date':
        return {
          ...base,
          type: 'date',
          hint: plan.hint ?? 'For example, 27 3 2026',
          day: formText(body, `${plan.field}-day`),
          month: formText(body, `${plan.field}-month`),
          year: formText(body, `${plan.field}-year`),
        };
      case 'code': {
        if (plan.field === 'outcome') {
          return { ...base, type: 'radios', items: spec.codes.map((code) => ({ value: code, text: OUTCOME_LABELS[code]?.text ?? code, hint: { text: OUTCOME_LABELS[code]?.hint ?? '' }, checked: code === value })) };
        }
        const labels = CODE_FIELDS[plan.field] ?? {};
        const items = spec.codes.map((code) => ({ value: code, text: labels[code] ?? code, checked: code === value, selected: code === value }));
        return items.length > 8 ? { ...base, type: 'select', items: [{ value: '', text: 'Select one' }, ...items] } : { ...base, type: 'radios', items };
      }
      case 'codes': {
        const labels = CODE_FIELDS[plan.field] ?? {};
        return { ...base, type: 'checkboxes', items: spec.codes.map((code) => ({ value: code, text: labels[code] ?? code, checked: chosen.includes(code) })) };
      }
      case 'issues':
        return { ...base, type: 'checkboxes', items: DEFAULT_ISSUES.filter((i) => !i.isRetired).map((i) => ({ value: i.code, text: i.label, checked: chosen.includes(i.code) })) };
      case 'text':
        return { ...base, type: SHORT_TEXT_FIELDS.includes(plan.field) ? 'input' : 'textarea', value };
      case 'count':
        return { ...base, type: 'number', value };
      case 'yes_no':
        return {
          ...base,
          type: 'radios',
          items: [
            { value: 'yes', text: 'Yes', checked: value === 'yes' },
            { value: 'no', text: 'No', checked: value === 'no' },
          ],
        };
      case 'id': {
        const options =
          plan.field === 'responder_user_id'
            ? form.responders.map((r) => ({ value: String(r.id), text: r.teamName === null ? r.name : `${r.name} (${r.teamName})`, selected: String(r.id) === value }))
            : [];
        return options.length === 0 && plan.field !== 'responder_user_id'
          ? { ...base, type: 'number', value }
          : { ...base, type: 'select', items: [{ value: '', text: 'Select one' }, ...options] };
      }
    }
  });
}

/** The error page for a refusal that is not about the form's answers; undefined when it is. */
const PAGE_REFUSALS: RefusalPages = {
  case_not_found: 'notFound',
  unknown_action: 'notFound',
  role_may_not: 'forbidden',
  not_allocated_to_you: 'forbidden',
};

/** The confirmation step's own fields, left out when the answers are carried on. */
const CONFIRMATION_FIELDS: ReadonlySet<string> = new Set(['_csrf', 'confirm_step', 'confirm_other_team']);

/** Why allocating to `responder` is asked about: "Sam is in Fostering, not Care Management North." */
function otherTeamText(responder: ResponderOption, caseTeam: string): string {
  return responder.teamName === null ? `${responder.name} is not in a team; this case is with ${caseTeam}.` : `${responder.name} is in ${responder.teamName}, not ${caseTeam}.`;
}

export function caseActionRoutes(container: Container): FastifyPluginCallback {
  const { caseActions } = container;

  async function render(request: FastifyRequest, reply: FastifyReply, form: ActionForm, action: string, body: Body, errors?: FormErrors): Promise<FastifyReply> {
    const label = STAGE1_ACTION_LABELS[form.transition.action];
    return renderPage(request, reply, 'pages/cases/action.njk', {
      title: `${label}: ${form.reference}`,
      heading: label,
      reference: form.reference,
      caseHref: paths.caseDetail.url({ reference: form.reference }),
      actionHref: paths.caseAction.url({ reference: form.reference, action }),
      version: form.version,
      fields: fieldViews(form, body, errors),
      errors,
    });
  }

  /**
   * Asks whether to allocate to a responding manager outside the case's team, the answers
   * carried in hidden fields so that it works without JavaScript.
   */
  async function renderTeamConfirmation(
    request: FastifyRequest,
    reply: FastifyReply,
    form: ActionForm,
    action: string,
    body: Body,
    responder: ResponderOption,
    caseTeam: string,
    errors?: FormErrors,
  ): Promise<FastifyReply> {
    const hiddenFields = Object.entries(body)
      .filter(([name]) => !CONFIRMATION_FIELDS.has(name))
      .flatMap(([name, value]) => asList(value).map((v) => ({ name, value: v })));
    const question = `Allocate to ${responder.name} anyway?`;
    return renderPage(request, reply, 'pages/cases/action-confirm-team.njk', {
      title: `${question} ${form.reference}`,
      reference: form.reference,
      caseHref: paths.caseDetail.url({ reference: form.reference }),
      actionHref: paths.caseAction.url({ reference: form.reference, action }),
      question,
      explanation: otherTeamText(responder, caseTeam),
      responderName: responder.name,
      hiddenFields,
      errors,
    });
  }

  /** A refusal as an error page (404, 403, or 400 with its message). */
  const refusal = (request: FastifyRequest, reply: FastifyReply, error: DomainError): Promise<FastifyReply> => sendRefusalPage(request, reply, error, PAGE_REFUSALS);

  return (app, _options, done) => {
    app.get<{ Params: Params }>(paths.caseAction.pattern, { config: { access: CASE_READERS } }, async (request, reply) => {
      const { reference, action } = request.params;
      if (tryParseReference(reference) === undefined) return sendErrorPage(request, reply, 'notFound');
      try {
        const form = await caseActions.form(reference, action, staffActorOf(request));
        return await render(request, reply, form, action, {});
      } catch (error) {
        if (error instanceof DomainError) return refusal(request, reply, error);
        throw error;
      }
    });

    app.post<{ Params: Params }>(paths.caseAction.pattern, { config: { access: CASE_READERS } }, async (request, reply) => {
      const { reference, action } = request.params;
      if (tryParseReference(reference) === undefined) return sendErrorPage(request, reply, 'notFound');
      const actor = staffActorOf(request);
      const body = (request.body ?? {}) as Body;
      let form: ActionForm;
      try {
        form = await caseActions.form(reference, action, actor);
      } catch (error) {
        if (error instanceof DomainError) return refusal(request, reply, error);
        throw error;
      }
      const input = inputFrom(body, form);
      // A responding manager outside the case's team: asked to confirm first.
      const responder = form.responders.find((r) => String(r.id) === formText(body, 'responder_user_id'));
      if (form.team !== undefined && responder !== undefined && responder.teamId !== form.team.id) {
        const answer = formText(body, 'confirm_other_team');
        if (answer === 'no') {
          const kept = Object.fromEntries(Object.entries(body).filter(([name]) => !CONFIRMATION_FIELDS.has(name)));
          return render(request, reply, form, action, kept);
        }
        if (answer !== 'yes' && (await caseActions.problems(reference, action, input, actor)).length === 0) {
          const isUnanswered = formText(body, 'confirm_step') === 'other_team';
          if (isUnanswered) reply.code(400);
          const errors = isUnanswered ? formErrors([{ field: 'confirm_other_team', message: `Select yes to allocate to ${responder.name}, or no to choose someone else` }]) : undefined;
          return renderTeamConfirmation(request, reply, form, action, body, responder, form.team.name, errors);
        }
      }
      const version = Number(formText(body, 'version'));
      try {
        await caseActions.apply(reference, action, input, actor, Number.isSafeInteger(version) ? version : -1);
        return await reply.redirect(paths.caseDetail.url({ reference: form.reference }), 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (PAGE_REFUSALS[error.code] !== undefined) return refusal(request, reply, error);
        if (error.code === 'stale_update') {
          reply.code(409);
          return render(request, reply, form, action, body, formErrors([{ field: 'action-form', message: error.message }]));
        }
        const problems = await caseActions.problems(reference, action, input, actor);
        const shown = problems.length > 0 ? problems : [error];
        const fallback = fieldPlan(form)[0]?.field ?? 'action-form';
        return render(request, reply, form, action, body, formErrors(shown.map((p) => ({ field: p.field ?? fallback, message: p.message }))));
      }
    });
    done();
  };
}
