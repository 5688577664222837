/**
 * Stage 2 and Stage 3 steps on a case (`/cases/:reference/stages/:step`): the form is drawn
 * from the step's fields in the later-stage table (src/domain/cases/later-stage-workflow.ts).
 * Every problem is shown at once in a GOV.UK error summary with the answers kept (400); a
 * save based on an older version of the case is refused (409), the answers kept; success goes
 * back to the case page (303).
 *
 * Open to every case reader at the route: the service decides the rest — a case the user may
 * not see (someone appointed to other cases, or no longer appointed) is "Page not found"; a
 * step their role may not take is 403.
 *
 * A step with a document (recording the investigation report) has a GOV.UK file upload: its
 * form is sent as `multipart/form-data` (src/web/uploads.ts), the file checked by its content
 * with the other answers, every problem in one error summary. A refused file is not kept and
 * must be chosen again (a browser cannot keep it across pages).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { LaterStagesView, ShownCase, StepForm } from '../../app/later-stage-service.ts';
import { DomainError, InputProblems } from '../../domain/errors.ts';
import type { LaterField } from '../../domain/cases/later-stage-fields.ts';
import { formatPence } from '../../domain/money.ts';
import { formatFileSize, MAX_ATTACHMENT_BYTES, mediaTypeLabel } from '../../domain/attachments/file-kinds.ts';
import { APPOINTMENT_ROLE_LABELS, LATER_STATE_LABELS } from '../../domain/cases/later-stage-workflow.ts';
import { formatLongDate } from '../../domain/cases/stage1-fields.ts';
import { FINDING_LABELS } from '../../domain/taxonomies/findings.ts';
import { DELAY_REASON_LABELS } from '../../domain/taxonomies/delay-reasons.ts';
import { tryParseReference } from '../../domain/taxonomies/case-reference.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { type RefusalPages, sendErrorPage, sendRefusalPage } from '../errors.ts';
import { asList, formDate, formErrors, formText, type FormBody, type FormErrors } from '../forms.ts';
import { staffActorOf } from '../actor.ts';
import { CASE_READERS } from './case-access.ts';
import { withRevealedFields } from './revealed-fields.ts';
import { registerUploads, uploadOf } from '../uploads.ts';
import { escapeHtml } from '../../reports/html-escape.ts';
import { decidedRecommendations, decisionText, recommendationLines } from '../../domain/cases/recommendation-decisions.ts';

interface Params {
  reference: string;
  step: string;
}

/** The form as the workflow takes it: only the step's fields (a file field's file from `files`). */
export function stepInputFrom(body: FormBody, fields: readonly LaterField[], files: (name: string) => unknown = () => undefined): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.kind === 'file') input[field.name] = files(field.name);
    else if (field.kind === 'date') input[field.name] = formDate(body, field.name);
    else if (field.kind === 'checkboxes') input[field.name] = asList(body[field.name]);
    else input[field.name] = formText(body, field.name);
  }
  return input;
}

/** Each field as the action form's partial takes it (partials/cases/action-field.njk), with a heading where a group starts. */
function fieldViews(form: StepForm, body: FormBody, errors: FormErrors | undefined) {
  return withRevealedFields(plainFieldViews(form, body, errors));
}

function plainFieldViews(form: StepForm, body: FormBody, errors: FormErrors | undefined) {
  let group: string | undefined;
  return form.fields.map((field) => {
    const label = field.required ? field.label : `${field.label}${field.label.endsWith('(optional)') ? '' : ' (optional)'}`;
    const value = formText(body, field.name);
    const chosen = asList(body[field.name]);
    const groupHeading = field.group !== undefined && field.group !== group ? field.group : undefined;
    group = field.group;
    const base = { name: field.name, label, hint: field.hint, error: errors?.fields[field.name], groupHeading };
    switch (field.kind) {
      case 'date':
        return {
          ...base,
          type: 'date',
          hint: field.hint ?? 'For example, 27 3 2026',
          day: formText(body, `${field.name}-day`),
          month: formText(body, `${field.name}-month`),
          year: formText(body, `${field.name}-year`),
        };
      case 'choice':
        return { ...base, type: 'radios', items: field.options.map((o) => ({ value: o.value, text: o.label, checked: o.value === value })) };
      case 'checkboxes':
        return { ...base, type: 'checkboxes', items: field.options.map((o) => ({ value: o.value, text: o.label, checked: chosen.includes(o.value) })) };
      case 'user':
        return {
          ...base,
          type: 'select',
          items: [{ value: '', text: 'No account' }, ...(form.userOptions[field.name] ?? []).map((u) => ({ value: String(u.id), text: u.name, selected: String(u.id) === value }))],
        };
      case 'lines':
      case 'long_text':
        return { ...base, type: 'textarea', value };
      case 'working_days':
        return { ...base, type: 'number', value };
      case 'pounds':
      case 'text':
        return { ...base, type: 'input', value };
      case 'file':
        return { ...base, type: 'file', accept: field.accepts.map((kind) => `.${kind}`).join(',') };
    }
  });
}

const PAGE_REFUSALS: RefusalPages = {
  case_not_found: 'notFound',
  unknown_action: 'notFound',
  role_may_not: 'forbidden',
  action_not_for_kind: 'forbidden',
};

export function laterStageRoutes(container: Container): FastifyPluginAsync {
  const { laterStages } = container;

  async function render(request: FastifyRequest, reply: FastifyReply, form: StepForm, body: FormBody, errors?: FormErrors): Promise<FastifyReply> {
    return renderPage(request, reply, 'pages/cases/action.njk', {
      title: `${form.label}: ${form.reference}`,
      heading: form.label,
      reference: form.reference,
      caseHref: paths.caseDetail.url({ reference: form.reference }),
      actionHref: paths.caseStep.url({ reference: form.reference, step: form.step }),
      version: form.version,
      isMultipart: form.fields.some((field) => field.kind === 'file'),
      fields: fieldViews(form, body, errors),
      errors,
    });
  }

  const refusal = (request: FastifyRequest, reply: FastifyReply, error: DomainError): Promise<FastifyReply> => sendRefusalPage(request, reply, error, PAGE_REFUSALS);

  return async (app) => {
    app.get<{ Params: Params }>(paths.caseStep.pattern, { config: { access: CASE_READERS } }, async (request, reply) => {
      const { reference, step } = request.params;
      if (tryParseReference(reference) === undefined) return sendErrorPage(request, reply, 'notFound');
      try {
        return await render(request, reply, await laterStages.form(reference, step, staffActorOf(request)), {});
      } catch (error) {
        if (error instanceof DomainError) return refusal(request, reply, error);
        throw error;
      }
    });

    // Steps are posted as plain forms, or as multipart ones when they carry a file.
    await app.register(async (scope) => {
      await registerUploads(scope, { files: 1, tooLarge: (request, reply) => renderPage(request, reply, 'pages/cases/too-large.njk', { title: 'The file is too big', maxSize: formatFileSize(MAX_ATTACHMENT_BYTES) }) });
      scope.post<{ Params: Params }>(paths.caseStep.pattern, { config: { access: CASE_READERS } }, async (request, reply) => {
        const { reference, step } = request.params;
        if (tryParseReference(reference) === undefined) return sendErrorPage(request, reply, 'notFound');
        const actor = staffActorOf(request);
        const body = (request.body ?? {}) as FormBody;
        let form: StepForm;
        try {
          form = await laterStages.form(reference, step, actor, { isAudited: false });
        } catch (error) {
          if (error instanceof DomainError) return refusal(request, reply, error);
          throw error;
        }
        const version = Number(formText(body, 'version'));
        try {
          await laterStages.apply(reference, step, stepInputFrom(body, form.fields, (name) => uploadOf(request, name)), actor, Number.isSafeInteger(version) ? version : -1);
          return await reply.redirect(`${paths.caseDetail.url({ reference: form.reference })}#later-stages`, 303);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          if (PAGE_REFUSALS[error.code] !== undefined) return refusal(request, reply, error);
          if (error.code === 'stale_update') {
            reply.code(409);
            return render(request, reply, form, body, formErrors([{ field: 'action-form', message: error.message }]));
          }
          const problems = error instanceof InputProblems ? error.problems : [error];
          const fallback = form.fields[0]?.name ?? 'action-form';
          return render(request, reply, form, body, formErrors(problems.map((p) => ({ field: p.field ?? fallback, message: p.message }))));
        }
      });
    });
  };
}

function dateText(date: string | null | undefined): string {
  return date === null || date === undefined ? 'Not yet' : formatLongDate(date);
}

/** Comma-separated delay reason codes as their labels. */
function reasonsText(codes: string): string {
  return codes
    .split(',')
    .filter((code) => code !== '')
    .map((code) => labelOf(DELAY_REASON_LABELS, code))
    .join('; ');
}

/** A code's label, or the code itself when the list does not know it. */
function labelOf(labels: Readonly<Record<string, string>>, code: string): string {
  return (labels as Readonly<Record<string, string | undefined>>)[code] ?? code;
}

type Row = { key: { text: string }; value: { text: string } | { html: string } };
const row = (key: string, value: string): Row => ({ key: { text: key }, value: { text: value } });

/** A numbered list in a summary list's value: recommendations, with the council's decisions when there are any. */
function listRow(key: string, items: readonly { text: string; decision?: string }[]): Row {
  if (items.length === 0) return row(key, 'None');
  const entries = items.map((item) => `<li>${escapeHtml(item.text)}${item.decision === undefined ? '' : `<br><span class="govuk-body-s">The council’s decision: ${escapeHtml(item.decision)}</span>`}</li>`);
  return { key: { text: key }, value: { html: `<ol class="govuk-list govuk-list--number">${entries.join('')}</ol>` } };
}

/** The report's row: when it was received, and its documents, each a download link with its type, size and the date it was added. */
function reportRow(reference: string, receivedOn: string | null, documents: LaterStagesView['reportDocuments']): Row {
  if (documents.length === 0) return row('Investigation report received', dateText(receivedOn));
  const links = documents.map((d) => {
    const href = paths.caseAttachment.url({ reference, attachmentId: d.id });
    const details = `${mediaTypeLabel(d.mediaType)}, ${formatFileSize(d.sizeBytes)}, added ${formatLongDate(d.createdAt.slice(0, 10))}`;
    return `<a class="govuk-link govuk-!-text-break-word" href="${escapeHtml(href)}" download>${escapeHtml(d.fileName)}<span class="govuk-visually-hidden"> (download the investigation report)</span></a> <span class="govuk-hint govuk-body-s">(${escapeHtml(details)})</span>`;
  });
  return { key: { text: 'Investigation report received' }, value: { html: [escapeHtml(dateText(receivedOn)), ...links].join('<br>') } };
}

/**
 * The case page's "Stages 2 and 3" section: where each stage stands, the points of the
 * complaint and their findings, who is appointed, and the steps the viewer may take now (or
 * what must come first), of a case the page shows the viewer in full. Undefined when there is
 * nothing to show (no later stage, and no step the viewer may take).
 */
export async function laterStagesSection(container: Container, viewer: ReturnType<typeof staffActorOf>, shown: ShownCase) {
  // The case page has read the case and shown it in full already: only its later stages are read.
  const view = await container.laterStages.viewShown(shown, viewer);
  const steps = view.steps.map((s) => ({ ...s, href: paths.caseStep.url({ reference: view.reference, step: s.step }) }));
  if (view.stage2 === undefined && steps.length === 0 && view.onlineRequests.length === 0) return undefined;
  const requestRows = (stage: NonNullable<LaterStagesView['stage2']> | NonNullable<LaterStagesView['stage3']>): Row[] => [
    row('State', labelOf(LATER_STATE_LABELS, stage.state)),
    row('Asked for', formatLongDate(stage.requested_on)),
    row('Time to ask ended', formatLongDate(stage.window_ends_on)),
    ...(stage.is_late === 1 ? [row('Late request', `${stage.late_outcome === 'accepted' ? 'Accepted' : 'Refused'} on ${dateText(stage.late_decided_on)}: ${stage.late_reason ?? ''}`)] : []),
    row('Acknowledged', dateText(stage.acknowledged_on)),
  ];
  const stage2 = view.stage2;
  const stage3 = view.stage3;
  const costs = stage2 === undefined ? 0 : (stage2.cost_investigator_pence ?? 0) + (stage2.cost_independent_person_pence ?? 0) + (stage2.cost_other_pence ?? 0);
  return {
    steps,
    onlineRequests: view.onlineRequests.map((r) => `${r.stage === 2 ? 'Stage 2' : 'A review panel (Stage 3)'} was asked for online on ${formatLongDate(r.on)}: record the request, dated that day.`),
    stage2Rows:
      stage2 === undefined
        ? undefined
        : [
            ...requestRows(stage2),
            row('Statement of complaint agreed', dateText(stage2.statement_agreed_on)),
            reportRow(view.reference, stage2.report_received_on, view.reportDocuments),
            row('Adjudication', stage2.responded_on === null ? 'Not yet' : `${formatLongDate(stage2.responded_on)}${stage2.finding === null ? '' : `: ${labelOf(FINDING_LABELS, stage2.finding)}`}`),
            ...(stage2.responded_on === null ? [] : [listRow('Recommendations accepted', recommendationLines(stage2.recommendations).map((text) => ({ text })))]),
            row('Cost', costs === 0 ? 'None recorded' : formatPence(costs)),
          ],
    stage3Rows:
      stage3 === undefined
        ? undefined
        : [
            ...requestRows(stage3),
            row('Panel met', dateText(stage3.panel_met_on)),
            ...(stage3.panel_delay_reasons === null ? [] : [row('Why the panel met late', reasonsText(stage3.panel_delay_reasons))]),
            row('Recommendations received', dateText(stage3.recommendations_received_on)),
            ...(stage3.recommendations === null
              ? []
              : [
                  listRow(
                    'The panel’s recommendations',
                    decidedRecommendations(stage3.recommendations, stage3.council_decisions).map((r) => ({ text: r.text, ...(r.decision === undefined ? {} : { decision: decisionText(r.decision) }) })),
                  ),
                ]),
            row('Council’s response', dateText(stage3.responded_on)),
          ],
    pointRows: view.points.map((p) => [{ text: String(p.number) }, { text: p.text }, { text: p.finding === undefined ? 'No finding yet' : labelOf(FINDING_LABELS, p.finding) }]),
    appointmentRows: view.appointments.map((a) => [
      { text: labelOf(APPOINTMENT_ROLE_LABELS, a.role) },
      { text: `${a.name}${a.is_chair === 1 ? ' (chair)' : ''}${a.is_external === 1 ? ', from outside the council' : ''}` },
      { text: formatLongDate(a.appointed_on) },
      { text: a.ended_on === null ? 'Appointed now' : `Ended ${formatLongDate(a.ended_on)}` },
    ]),
  };
}
