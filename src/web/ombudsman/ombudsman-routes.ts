/**
 * The Ombudsman register: the list of enquiries with where each stands, an enquiry's page,
 * and the forms that record an enquiry, a request for information (and its answer), the
 * decision and the council's compliance. The forms use the same field partial as the Stage 1
 * actions; every save carries the enquiry's version (409 when someone saved in between).
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { DomainError, InputProblems } from '../../domain/errors.ts';
import { ENQUIRY_STATES, ENQUIRY_STATE_LABELS, type EnquiryState } from '../../domain/ombudsman/enquiry.ts';
import { formatPence } from '../../domain/money.ts';
import { OMBUDSMAN_DECISIONS, OMBUDSMAN_DECISION_LABELS, isOmbudsmanDecision } from '../../domain/taxonomies/ombudsman-decisions.ts';
import { formatLongDate } from '../../domain/cases/stage1-fields.ts';
import { isOneOf } from '../../domain/taxonomies/code-list.ts';
import { staffActorOf } from '../actor.ts';
import { OMBUDSMAN_KEEPERS, OMBUDSMAN_READERS } from '../cases/case-access.ts';
import { type FormBody, type FormErrors, formDate, formErrors, formText, queryValue, wholeNumberOf } from '../forms.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { sendErrorPage } from '../errors.ts';
import { escapeHtml } from '../../reports/html-escape.ts';
import { enquiryFilterFrom, enquiryFilterQuery, enquiryFilterText, registerKeyFrom, registerKeyText } from './ombudsman-register-filter.ts';
import type { RegisterKey } from '../../db/ombudsman-repository.ts';

type Body = FormBody;

const STATE_TAGS: Readonly<Record<EnquiryState, string>> = {
  awaiting_information: 'govuk-tag--yellow',
  awaiting_decision: 'govuk-tag--blue',
  remedy_due: 'govuk-tag--purple',
  remedy_overdue: 'govuk-tag--red',
  closed: 'govuk-tag--grey',
};

const STEPS = ['information-request', 'decision', 'compliance'] as const;
type Step = (typeof STEPS)[number];

const STEP_HEADINGS: Readonly<Record<Step, string>> = {
  'information-request': 'Record a request for information',
  decision: 'Record the Ombudsman’s decision',
  compliance: 'Record that the remedy was carried out',
};

const formatDate = (date: string | null): string => (date === null ? 'Not recorded' : formatLongDate(date));

/** A field as the action-field partial draws it. */
function dateField(name: string, label: string, body: Body, errors: FormErrors | undefined, hint = 'For example, 27 3 2026') {
  return { type: 'date', name, label, hint, error: errors?.fields[name], day: formText(body, `${name}-day`), month: formText(body, `${name}-month`), year: formText(body, `${name}-year`) };
}
function textField(type: 'input' | 'textarea', name: string, label: string, body: Body, errors: FormErrors | undefined, hint?: string) {
  return { type, name, label, hint, error: errors?.fields[name], value: formText(body, name) };
}
function radiosField(name: string, label: string, options: readonly { value: string; text: string }[], body: Body, errors: FormErrors | undefined, hint?: string) {
  const chosen = formText(body, name);
  return { type: 'radios', name, label, hint, error: errors?.fields[name], items: options.map((o) => ({ ...o, checked: o.value === chosen })) };
}
const YES_NO = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
];

function stepFields(step: Step, body: Body, errors: FormErrors | undefined) {
  switch (step) {
    case 'information-request':
      return [
        dateField('requested_on', 'When did the Ombudsman ask?', body, errors),
        dateField('due_on', 'When is the answer due?', body, errors),
        textField('textarea', 'details', 'What did the Ombudsman ask for?', body, errors),
      ];
    case 'decision':
      return [
        radiosField('decision', 'What did the Ombudsman decide?', OMBUDSMAN_DECISIONS.map((code) => ({ value: code, text: OMBUDSMAN_DECISION_LABELS[code] })), body, errors),
        dateField('decided_on', 'Date of the decision', body, errors),
        radiosField('fault', 'Did the Ombudsman find fault?', YES_NO, body, errors, 'Needed when the complaint was upheld or not upheld'),
        radiosField('injustice', 'Did the fault cause injustice?', YES_NO, body, errors, 'Needed when there was fault'),
        {
          type: 'checkboxes',
          name: 'apology',
          label: 'Remedies',
          hint: 'Select all that apply',
          error: errors?.fields.apology,
          items: [{ value: 'yes', text: 'An apology', checked: formText(body, 'apology') === 'yes' }],
        },
        textField('input', 'amount', 'Amount to pay, in pounds (optional)', body, errors, 'For example, 250 or 1,250.50'),
        textField('textarea', 'service_improvements', 'Service improvements (optional)', body, errors),
        dateField('compliance_due_on', 'When must the remedy be carried out?', body, errors, 'Needed when there is a remedy. For example, 27 3 2026'),
      ];
    case 'compliance':
      return [dateField('done_on', 'When was the remedy carried out?', body, errors)];
  }
}

export function ombudsmanRoutes(container: Container): FastifyPluginCallback {
  const { ombudsman } = container;

  async function renderStep(request: FastifyRequest, reply: FastifyReply, enquiryId: number, step: Step, body: Body, errors?: FormErrors): Promise<FastifyReply> {
    const { enquiry } = await ombudsman.view(enquiryId, staffActorOf(request));
    return renderPage(request, reply, 'pages/cases/action.njk', {
      title: `${STEP_HEADINGS[step]}: ${enquiry.lgsco_reference}`,
      heading: STEP_HEADINGS[step],
      reference: `Ombudsman ${enquiry.lgsco_reference}`,
      caseHref: paths.ombudsmanEnquiry.url({ enquiryId }),
      actionHref: paths.ombudsmanStep.url({ enquiryId, step }),
      version: formText(body, 'version') === '' ? enquiry.version : formText(body, 'version'),
      fields: stepFields(step, body, errors),
      errors,
    });
  }

  /** Runs a save; on a refusal, the form again with its error summary (409 for a stale save). */
  async function save(request: FastifyRequest, reply: FastifyReply, enquiryId: number, redisplay: (errors: FormErrors) => Promise<FastifyReply>, work: () => Promise<void>): Promise<FastifyReply> {
    try {
      await work();
      return await reply.redirect(paths.ombudsmanEnquiry.url({ enquiryId }), 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'enquiry_not_found') return sendErrorPage(request, reply, 'notFound');
      if (error.code === 'stale_update') reply.code(409);
      const problems = error instanceof InputProblems ? error.problems : [error];
      return redisplay(formErrors(problems.map((p) => ({ field: p.field ?? 'action-form', message: p.message }))));
    }
  }

  return (app, _options, done) => {
    app.get<{ Querystring: { state?: string; after?: string; before?: string } }>(paths.ombudsman.pattern, { config: { access: OMBUDSMAN_READERS } }, async (request, reply) => {
      const state = isOneOf(ENQUIRY_STATES, request.query.state) ? request.query.state : undefined;
      const filter = enquiryFilterFrom(request.query);
      const after = registerKeyFrom(queryValue(request.query.after));
      const before = registerKeyFrom(queryValue(request.query.before));
      const page = await ombudsman.registerPage(state, filter ?? {}, staffActorOf(request), { after, before });
      const entries = page.entries;
      // Another page keeps the state and the filters.
      const pageHref = (key: { after: RegisterKey } | { before: RegisterKey }) =>
        paths.ombudsman.url({ ...(state === undefined ? {} : { state }), ...enquiryFilterQuery(filter), ...('after' in key ? { after: registerKeyText(key.after) } : { before: registerKeyText(key.before) }) });
      const isPaged = page.next !== undefined || page.previous !== undefined;
      const plural = (n: number) => `${String(n)} ${n === 1 ? 'enquiry' : 'enquiries'}`;
      reply.header('Cache-Control', 'no-store');
      return renderPage(request, reply, 'pages/ombudsman/register.njk', {
        title: 'Ombudsman enquiries',
        filterText: filter === undefined ? undefined : enquiryFilterText(filter),
        filterQuery: Object.entries(enquiryFilterQuery(filter)).map(([name, value]) => ({ name, value })),
        clearHref: paths.ombudsman.url(state === undefined ? {} : { state }),
        countText: isPaged ? `Showing ${plural(entries.length)} on this page` : plural(entries.length),
        pagination: isPaged
          ? {
              ...(page.previous === undefined ? {} : { previous: { href: pageHref({ before: page.previous }) } }),
              ...(page.next === undefined ? {} : { next: { href: pageHref({ after: page.next }) } }),
            }
          : undefined,
        canKeep: request.user?.roles.some((r) => OMBUDSMAN_KEEPERS.includes(r)) === true,
        stateItems: [{ value: '', text: 'All' }, ...ENQUIRY_STATES.map((s) => ({ value: s, text: ENQUIRY_STATE_LABELS[s], selected: s === state }))],
        rows: entries.map((e) => [
          { html: `<a class="govuk-link" href="${paths.ombudsmanEnquiry.url({ enquiryId: e.id })}">${escapeHtml(e.lgscoReference)}</a>` },
          { html: `<a class="govuk-link" href="${paths.caseDetail.url({ reference: e.caseReference })}">${escapeHtml(e.caseReference)}</a>` },
          { text: e.teamName ?? 'No team' },
          { text: formatDate(e.receivedOn) },
          { text: e.decision !== null && isOmbudsmanDecision(e.decision) ? OMBUDSMAN_DECISION_LABELS[e.decision] : 'Not decided' },
          { html: `<strong class="govuk-tag ${STATE_TAGS[e.state]}">${ENQUIRY_STATE_LABELS[e.state]}</strong>` },
          { text: e.state === 'awaiting_information' ? formatDate(e.nextRequestDueOn) : e.state.startsWith('remedy') ? formatDate(e.complianceDueOn) : '' },
        ]),
      });
    });

    app.get<{ Querystring: { case?: string } }>(paths.newOmbudsmanEnquiry.pattern, { config: { access: OMBUDSMAN_KEEPERS } }, (request, reply) =>
      renderNew(request, reply, { case_reference: request.query.case ?? '' }),
    );

    const renderNew = (request: FastifyRequest, reply: FastifyReply, body: Body, errors?: FormErrors) =>
      renderPage(request, reply, 'pages/cases/action.njk', {
        title: 'Record an Ombudsman enquiry',
        heading: 'Record an Ombudsman enquiry',
        reference: 'Ombudsman',
        caseHref: paths.ombudsman.url(),
        actionHref: paths.newOmbudsmanEnquiry.url(),
        version: 0,
        fields: [
          textField('input', 'case_reference', 'Reference of the complaint', body, errors, 'For example, CSC-2026-0042'),
          textField('input', 'lgsco_reference', 'The Ombudsman’s reference', body, errors, 'As it appears on the Ombudsman’s letter, for example 24 012 345'),
          dateField('received_on', 'When was the enquiry received?', body, errors),
        ],
        errors,
      });

    app.post(paths.newOmbudsmanEnquiry.pattern, { config: { access: OMBUDSMAN_KEEPERS } }, async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      try {
        const id = await ombudsman.create(formText(body, 'case_reference'), { lgscoReference: formText(body, 'lgsco_reference'), receivedOn: formDate(body, 'received_on') }, staffActorOf(request));
        return await reply.redirect(paths.ombudsmanEnquiry.url({ enquiryId: id }), 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const problems = error instanceof InputProblems ? error.problems : [error];
        return renderNew(request, reply, body, formErrors(problems.map((p) => ({ field: p.field ?? 'case_reference', message: p.message }))));
      }
    });

    app.get<{ Params: { enquiryId: string } }>(paths.ombudsmanEnquiry.pattern, { config: { access: OMBUDSMAN_READERS } }, async (request, reply) => {
      const enquiryId = wholeNumberOf(request.params.enquiryId);
      if (enquiryId === undefined) return sendErrorPage(request, reply, 'notFound');
      let view;
      try {
        view = await ombudsman.view(enquiryId, staffActorOf(request));
      } catch (error) {
        if (error instanceof DomainError && error.code === 'enquiry_not_found') return sendErrorPage(request, reply, 'notFound');
        throw error;
      }
      const { enquiry, requests, state } = view;
      const remedies = [
        ...(enquiry.remedy_apology === 1 ? ['An apology'] : []),
        ...(enquiry.remedy_amount_pence === null ? [] : [`A payment of ${formatPence(enquiry.remedy_amount_pence)}`]),
        ...(enquiry.remedy_service_improvements === null ? [] : [`Service improvements: ${enquiry.remedy_service_improvements}`]),
      ];
      const yesNo = (flag: number | null): string => (flag === null ? 'Not recorded' : flag === 1 ? 'Yes' : 'No');
      return renderPage(request, reply, 'pages/ombudsman/enquiry.njk', {
        title: `Ombudsman enquiry ${enquiry.lgsco_reference}`,
        enquiry,
        canKeep: request.user?.roles.some((r) => OMBUDSMAN_KEEPERS.includes(r)) === true,
        stateLabel: ENQUIRY_STATE_LABELS[state],
        stateTag: STATE_TAGS[state],
        caseHref: paths.caseDetail.url({ reference: enquiry.case_reference }),
        stepHref: (step: Step) => paths.ombudsmanStep.url({ enquiryId, step }),
        summaryRows: [
          { key: { text: 'Complaint' }, value: { html: `<a class="govuk-link" href="${paths.caseDetail.url({ reference: enquiry.case_reference })}">${escapeHtml(enquiry.case_reference)}</a>` } },
          { key: { text: 'Received' }, value: { text: formatDate(enquiry.received_on) } },
          { key: { text: 'Decision' }, value: { text: enquiry.decision !== null && isOmbudsmanDecision(enquiry.decision) ? OMBUDSMAN_DECISION_LABELS[enquiry.decision] : 'Not decided yet' } },
          ...(enquiry.decision === null
            ? []
            : [
                { key: { text: 'Decided' }, value: { text: formatDate(enquiry.decided_on) } },
                { key: { text: 'Fault' }, value: { text: yesNo(enquiry.is_fault) } },
                { key: { text: 'Injustice' }, value: { text: yesNo(enquiry.is_injustice) } },
                { key: { text: 'Remedies' }, value: remedies.length === 0 ? { text: 'None' } : { html: `<ul class="govuk-list">${remedies.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` } },
                { key: { text: 'Remedy due' }, value: { text: formatDate(enquiry.compliance_due_on) } },
                { key: { text: 'Remedy carried out' }, value: { text: formatDate(enquiry.compliance_done_on) } },
              ]),
        ],
        requests: requests.map((r) => ({
          id: r.id,
          details: r.details,
          requestedOn: formatDate(r.requested_on),
          dueOn: formatDate(r.due_on),
          answeredOn: r.answered_on === null ? undefined : formatDate(r.answered_on),
          answerHref: paths.ombudsmanAnswer.url({ enquiryId, requestId: r.id }),
        })),
      });
    });

    app.get<{ Params: { enquiryId: string; step: string } }>(paths.ombudsmanStep.pattern, { config: { access: OMBUDSMAN_KEEPERS } }, async (request, reply) => {
      const enquiryId = wholeNumberOf(request.params.enquiryId);
      const { step } = request.params;
      if (enquiryId === undefined || !isOneOf(STEPS, step)) return sendErrorPage(request, reply, 'notFound');
      try {
        return await renderStep(request, reply, enquiryId, step, {});
      } catch (error) {
        if (error instanceof DomainError && error.code === 'enquiry_not_found') return sendErrorPage(request, reply, 'notFound');
        throw error;
      }
    });

    app.post<{ Params: { enquiryId: string; step: string } }>(paths.ombudsmanStep.pattern, { config: { access: OMBUDSMAN_KEEPERS } }, async (request, reply) => {
      const enquiryId = wholeNumberOf(request.params.enquiryId);
      const { step } = request.params;
      if (enquiryId === undefined || !isOneOf(STEPS, step)) return sendErrorPage(request, reply, 'notFound');
      const body = (request.body ?? {}) as Body;
      const actor = staffActorOf(request);
      const version = Number(formText(body, 'version'));
      return save(
        request,
        reply,
        enquiryId,
        (errors) => renderStep(request, reply, enquiryId, step, body, errors),
        () => {
          switch (step) {
            case 'information-request':
              return ombudsman.addInformationRequest(enquiryId, { requestedOn: formDate(body, 'requested_on'), dueOn: formDate(body, 'due_on'), details: formText(body, 'details') }, actor, version);
            case 'decision':
              return ombudsman.recordDecision(
                enquiryId,
                {
                  decision: formText(body, 'decision'),
                  decidedOn: formDate(body, 'decided_on'),
                  fault: formText(body, 'fault'),
                  injustice: formText(body, 'injustice'),
                  apology: formText(body, 'apology') === 'yes',
                  amount: formText(body, 'amount'),
                  serviceImprovements: formText(body, 'service_improvements'),
                  complianceDueOn: formDate(body, 'compliance_due_on'),
                },
                actor,
                version,
              );
            case 'compliance':
              return ombudsman.recordCompliance(enquiryId, formDate(body, 'done_on'), actor, version);
          }
        },
      );
    });

    app.post<{ Params: { enquiryId: string; requestId: string } }>(paths.ombudsmanAnswer.pattern, { config: { access: OMBUDSMAN_KEEPERS } }, async (request, reply) => {
      const enquiryId = wholeNumberOf(request.params.enquiryId);
      const requestId = wholeNumberOf(request.params.requestId);
      if (enquiryId === undefined || requestId === undefined) return sendErrorPage(request, reply, 'notFound');
      const body = (request.body ?? {}) as Body;
      const answeredOn = formDate(body, 'answered_on');
      return save(
        request,
        reply,
        enquiryId,
        // The answer form sits on the enquiry page: a problem is shown on a page of its own, with the date kept.
        (errors) =>
          renderPage(request, reply, 'pages/cases/action.njk', {
            title: 'Record the answer to the Ombudsman',
            heading: 'Record the answer to the Ombudsman',
            reference: 'Ombudsman',
            caseHref: paths.ombudsmanEnquiry.url({ enquiryId }),
            actionHref: paths.ombudsmanAnswer.url({ enquiryId, requestId }),
            version: formText(body, 'version'),
            fields: [dateField('answered_on', 'When did the council answer?', body, errors)],
            errors,
          }),
        () => ombudsman.answerInformationRequest(enquiryId, requestId, answeredOn, staffActorOf(request), Number(formText(body, 'version'))),
      );
    });
    done();
  };
}

