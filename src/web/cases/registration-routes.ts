/**
 * Registering a representation from the staff pages: one page in sections (what, when, who,
 * the young person, the people), every problem shown at once in a GOV.UK error summary with
 * the answers kept, then a confirmation naming each reference made (one per team).
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { RegistrationInput, PersonInput } from '../../domain/cases/registration.ts';
import { REPRESENTATION_KINDS, REPRESENTATION_KIND_LABELS } from '../../domain/taxonomies/representation-kinds.ts';
import { CHANNELS, CHANNEL_LABELS } from '../../domain/taxonomies/channels.ts';
import { COMPLAINANT_ROLES, COMPLAINANT_ROLE_LABELS } from '../../domain/taxonomies/complainant-roles.ts';
import { ETHNICITIES, ETHNICITY_LABELS } from '../../domain/taxonomies/ethnicities.ts';
import { COMPLIMENT_SOURCES, COMPLIMENT_SOURCE_LABELS } from '../../domain/taxonomies/compliment-sources.ts';
import { CONTACT_METHODS, CONTACT_METHOD_LABELS } from '../../domain/taxonomies/contact-methods.ts';
import { DEFAULT_ISSUES } from '../../domain/taxonomies/issues.ts';
import { tryParseReference } from '../../domain/taxonomies/case-reference.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { asList, formDate, formErrors, formText, tryAction, type FormBody, type FormErrors } from '../forms.ts';
import { staffActorOf } from '../actor.ts';
import { CASE_REGISTRARS } from './case-access.ts';
import { formatDateTime } from './case-routes.ts';
import { formatLongDate } from '../../domain/cases/stage1-fields.ts';
import type { RegistrationDraft } from '../../app/public-submission-service.ts';

type Body = FormBody;

const DATE_FIELDS = ['received_on', 'event_on', 'forwarded_on', 'young_person_date_of_birth'] as const;

function person(body: Body, prefix: 'complainant' | 'advocate'): PersonInput | undefined {
  const fields = ['name', 'email', 'phone', 'address', 'preferred_contact', 'reasonable_adjustments', 'organisation'].map((f) => formText(body, `${prefix}_${f}`));
  if (fields.every((f) => f === '')) return undefined;
  const [name = '', email, phone, address, preferredContact, reasonableAdjustments, organisation] = fields;
  return { name, email, phone, address, preferredContact, reasonableAdjustments, organisation };
}

/** Facts that decide which eligibility decisions a complaint needs, each optional. */
const CIRCUMSTANCES = [
  { name: 'parental_responsibility', legend: 'Does the complainant have parental responsibility for the young person? (optional)' },
  { name: 'made_for_child', legend: 'Is the complaint made for the young person, rather than about the complainant’s own dealings with us? (optional)' },
  { name: 'proceedings', legend: 'Are there court or other proceedings about the young person? (optional)' },
] as const;

/** The form as the registration service takes it. */
export function registrationFromForm(body: Body): RegistrationInput {
  const youngPersonId = formText(body, 'young_person_id');
  const born = formDate(body, 'young_person_date_of_birth');
  const ethnicity = formText(body, 'young_person_ethnicity');
  return {
    fields: {
      kind: formText(body, 'kind'),
      received_on: formDate(body, 'received_on'),
      event_on: formDate(body, 'event_on'),
      channel: formText(body, 'channel'),
      via_complaints_team: formText(body, 'via_complaints_team'),
      summary: formText(body, 'summary'),
      issues: asList(body.issues),
      complainant_role: formText(body, 'complainant_role'),
      agency: formText(body, 'agency'),
      forwarded_on: formDate(body, 'forwarded_on'),
      compliment_source: formText(body, 'compliment_source'),
      consent_to_quote: formText(body, 'consent_to_quote'),
      informal_reason: formText(body, 'informal_reason'),
      ...Object.fromEntries(CIRCUMSTANCES.map(({ name }) => [name, formText(body, name)])),
    },
    teamIds: asList(body.team_id).map(Number).filter((id) => Number.isSafeInteger(id) && id > 0),
    youngPerson: youngPersonId === '' && born === '' && ethnicity === '' ? undefined : { externalId: youngPersonId, dateOfBirth: born, ethnicity },
    complainant: person(body, 'complainant'),
    advocate: person(body, 'advocate'),
    workerName: formText(body, 'worker_name'),
  };
}

const options = <C extends string>(codes: readonly C[], labels: Readonly<Record<C, string>>, selected: string | undefined) =>
  codes.map((code) => ({ value: code, text: labels[code], selected: code === selected, checked: code === selected }));

export function registrationRoutes(container: Container): FastifyPluginCallback {
  async function renderForm(request: FastifyRequest, reply: FastifyReply, body: Body, errors?: FormErrors, extra: Readonly<Record<string, unknown>> = {}) {
    const teams = (await container.organisation.listTeams()).filter((t) => t.isActive);
    const chosenTeams = asList(body.team_id);
    const chosenIssues = asList(body.issues);
    const value = (name: string) => formText(body, name);
    return renderPage(request, reply, 'pages/cases/register.njk', {
      title: 'Register a representation',
      ...extra,
      values: body,
      errors,
      dateErrors: Object.fromEntries(DATE_FIELDS.map((f) => [f, errors?.fields[f] !== undefined])),
      kindItems: options(REPRESENTATION_KINDS, REPRESENTATION_KIND_LABELS, value('kind')),
      channelItems: [{ value: '', text: 'Select how it was received' }, ...options(CHANNELS, CHANNEL_LABELS, value('channel'))],
      roleItems: [{ value: '', text: 'Select who made it' }, ...options(COMPLAINANT_ROLES, COMPLAINANT_ROLE_LABELS, value('complainant_role'))],
      ethnicityItems: [{ value: '', text: 'Not recorded' }, ...ETHNICITIES.map((code) => ({ value: code, text: `${ETHNICITY_LABELS[code]} (${code})`, selected: code === value('young_person_ethnicity') }))],
      sourceItems: [{ value: '', text: 'Select who paid the compliment' }, ...options(COMPLIMENT_SOURCES, COMPLIMENT_SOURCE_LABELS, value('compliment_source'))],
      contactItems: options(CONTACT_METHODS, CONTACT_METHOD_LABELS, value('complainant_preferred_contact')),
      teamItems: teams.map((t) => ({ value: String(t.id), text: t.name, hint: { text: t.serviceAreaName }, checked: chosenTeams.includes(String(t.id)) })),
      circumstanceQuestions: CIRCUMSTANCES.map(({ name, legend }) => ({
        name,
        legend,
        items: ['yes', 'no'].map((answer) => ({ value: answer, text: answer === 'yes' ? 'Yes' : 'No', checked: value(name) === answer })),
      })),
      issueItems: DEFAULT_ISSUES.filter((i) => !i.isRetired).map((i) => ({ value: i.code, text: i.label, checked: chosenIssues.includes(i.code) })),
    });
  }

  return (app, _options, done) => {
    app.get(paths.newCase.pattern, { config: { access: CASE_REGISTRARS } }, (request, reply) =>
      renderForm(request, reply, { via_complaints_team: 'yes' }),
    );

    app.post(paths.newCase.pattern, { config: { access: CASE_REGISTRARS } }, async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const input = registrationFromForm(body);
      const actor = staffActorOf(request);
      const problems = await container.registration.problems(input, actor);
      if (problems.length > 0) {
        return renderForm(request, reply, body, formErrors(problems.map((p) => ({ field: p.field ?? 'kind', message: p.message }))));
      }
      const created = await container.registration.register(input, actor);
      return reply.redirect(paths.caseRegistered.url({ references: created.map((r) => r.reference).join(',') }), 303);
    });

    app.get<{ Querystring: { references?: string } }>(paths.caseRegistered.pattern, { config: { access: CASE_REGISTRARS } }, (request, reply) => {
      const references = (request.query.references ?? '').split(',').filter((r) => tryParseReference(r) !== undefined);
      if (references.length === 0) {
        reply.callNotFound();
        return reply;
      }
      return renderPage(request, reply, 'pages/cases/registered.njk', {
        title: references.length === 1 ? 'Representation registered' : `${String(references.length)} representations registered`,
        cases: references.map((reference) => ({ reference, href: paths.caseDetail.url({ reference }) })),
      });
    });

    // A representation sent from the public pages: the same form, started from what was sent,
    // registering the existing row (its reference stays).
    app.get<{ Params: { reference: string } }>(paths.registerSubmission.pattern, { config: { access: CASE_REGISTRARS } }, async (request, reply) => {
      // Restricted cases: someone excluded from it finds no submission either.
      const isExcluded = await container.caseRestrictions.excludesReference(request.params.reference, staffActorOf(request));
      const draft = isExcluded ? undefined : await container.publicSubmissions.registrationDraft(request.params.reference, staffActorOf(request));
      if (draft === undefined) {
        reply.callNotFound();
        return reply;
      }
      return renderForm(request, reply, draft.values, undefined, await submissionExtra(container, request.params.reference, draft));
    });

    app.post<{ Params: { reference: string } }>(paths.registerSubmission.pattern, { config: { access: CASE_REGISTRARS } }, async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const reference = request.params.reference.trim().toUpperCase();
      if (await container.caseRestrictions.excludesReference(reference, staffActorOf(request))) {
        reply.callNotFound();
        return reply;
      }
      const version = Number(formText(body, 'version'));
      const input = { ...registrationFromForm(body), complainant: undefined, advocate: undefined };
      const result = await tryAction(() => container.registration.registerSubmission(reference, input, staffActorOf(request), version), 'kind');
      if (!result.ok) {
        const draft = result.code === 'case_not_found' ? undefined : await container.publicSubmissions.registrationDraft(reference, staffActorOf(request));
        if (draft === undefined) {
          reply.callNotFound();
          return reply;
        }
        return renderForm(request, reply, body, result.errors, { ...(await submissionExtra(container, reference, draft)), version });
      }
      return reply.redirect(paths.caseRegistered.url({ references: result.value.reference }), 303);
    });
    done();
  };
}

/**
 * What the form of a submission shows beyond the form: the day it arrived (its date received,
 * fixed: the time limits run from it), where those time limits stand, and the child named.
 */
async function submissionExtra(container: Container, reference: string, draft: RegistrationDraft): Promise<Record<string, unknown>> {
  const limits = await container.registration.timeLimitsFromReceipt(draft.kind, draft.receivedOn, draft.receiptRule);
  return {
    isSubmission: true,
    submissionReference: reference,
    version: draft.version,
    formAction: paths.registerSubmission.url({ reference }),
    arrivedOn: formatLongDate(draft.receivedOn),
    arrivedAt: formatDateTime(draft.submittedAt),
    timeLimits: limits.map((l) => ({
      label: l.label,
      dueOn: formatLongDate(l.dueOn),
      isOverdue: l.isOverdue,
      used: `${String(l.workingDaysUsed)} working ${l.workingDaysUsed === 1 ? 'day' : 'days'}`,
    })),
    isLate: limits.some((l) => l.isOverdue),
    namedChild: draft.namedChild,
  };
}
