/**
 * Retention and disposal pages (docs/adr/0015-retention-and-disposal.md):
 * - `/admin/retention`: the council's retention policy, the closed cases due for disposal
 *   today, those kept on legal hold, those coming due in the next year and the disposal log —
 *   references and dates only, never personal data. Complaints managers, information
 *   governance and administrators read it; `redress retention run` disposes.
 * - `/cases/:reference/legal-hold`: a complaints manager (or information governance) places a
 *   legal hold on a case, or removes it, with a reason (required, audited, in the case's
 *   history). A case on hold is never disposed of.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { Role } from '../../domain/users/roles.ts';
import { addYears } from '../../domain/retention/retention-policy.ts';
import { REPRESENTATION_KIND_LABELS, isRepresentationKind } from '../../domain/taxonomies/representation-kinds.ts';
import { filterDate, formErrors, formText, tryAction, type FormBody, type FormErrors } from '../forms.ts';
import { actorOf, staffActorOf } from '../actor.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import type { RetentionItem } from '../../app/retention-service.ts';

/** Who reads the retention schedule and the disposal log. */
export const RETENTION_READERS: readonly Role[] = ['admin', 'complaints_manager', 'information_governance'];
/** Who places and removes legal holds. */
export const LEGAL_HOLD_KEEPERS: readonly Role[] = ['complaints_manager', 'information_governance'];

const REASON_MAX = 1000;

/** The day of a timestamp, as GOV.UK writes dates ("1 June 2032"). */
function formatDay(iso: string): string {
  return filterDate(iso.slice(0, 10));
}

/** Labels of what a disposal erased, for the log. */
const ERASED_LABELS: Readonly<Record<string, string>> = {
  case_text: 'case summary and replies',
  person: 'people and their contact details',
  young_person: 'young person’s id and date of birth',
  case_note: 'notes',
  eligibility_decision: 'decisions’ reasons',
  public_submission: 'what was sent online',
  questionnaire_comment: 'questionnaire comments',
  notification: 'emails',
  complaint_point: 'points of complaint',
  appointment_name: 'names of people appointed from outside',
  stage2: 'Stage 2 reasons',
  stage3: 'Stage 3 recommendations and attendees',
  ombudsman_enquiry: 'Ombudsman remedies’ words',
  ombudsman_information_request: 'Ombudsman requests’ details',
  history_entry: 'history details',
  clock_reason: 'reasons for holds and extensions',
  attachment: 'files',
};

function kindLabel(kind: string): string {
  return isRepresentationKind(kind) ? REPRESENTATION_KIND_LABELS[kind] : kind;
}

function itemRow(item: RetentionItem, withBasis: boolean) {
  return [
    { html: `<a class="govuk-link" href="${paths.caseDetail.url({ reference: item.reference })}">${item.reference}</a>` },
    { text: kindLabel(item.kind) },
    { text: filterDate(item.endedOn) },
    { text: filterDate(item.dueOn) },
    ...(withBasis ? [{ text: item.basis === 'age' ? 'The young person’s age' : 'Years after the case closed' }] : []),
  ];
}

export function retentionRoutes(container: Container): FastifyPluginCallback {
  const service = container.retention;

  async function holdPage(request: FastifyRequest, reply: FastifyReply, reference: string, data: { reason?: string; errors?: FormErrors } = {}): Promise<FastifyReply> {
    const state = await service.caseState(reference);
    // Restricted cases: someone excluded from the case finds no legal hold page for it either.
    if (state === undefined || (await container.caseRestrictions.excludes(state.id, staffActorOf(request)))) {
      reply.callNotFound();
      return reply;
    }
    await service.recordView(actorOf(request), 'legal_hold', state.id);
    return renderPage(request, reply, 'pages/admin/legal-hold.njk', {
      title: state.hold === undefined ? `Place a legal hold on ${state.reference}` : `Remove the legal hold on ${state.reference}`,
      reference: state.reference,
      caseHref: paths.caseDetail.url({ reference: state.reference }),
      formAction: paths.caseLegalHold.url({ reference: state.reference }),
      disposedOn: state.disposedAt === null ? undefined : formatDay(state.disposedAt),
      hold: state.hold && { reason: state.hold.reason, placedBy: state.hold.placedBy ?? 'the command line', placedAt: formatDay(state.hold.placedAt) },
      intent: state.hold === undefined ? 'place' : 'remove',
      reason: data.reason ?? '',
      errors: data.errors,
    });
  }

  return (app, _options, done) => {
    app.get(paths.retention.pattern, { config: { access: RETENTION_READERS } }, async (request, reply) => {
      const schedule = await service.schedule();
      const inAYear = addYears(schedule.asAt, 1);
      const log = await service.log();
      await service.recordView(actorOf(request), 'retention_schedule');
      return renderPage(request, reply, 'pages/admin/retention.njk', {
        title: 'Retention and disposal',
        policy: schedule.policy,
        today: filterDate(schedule.asAt),
        due: schedule.due.map((i) => itemRow(i, true)),
        held: (await service.holds()).map((h) => {
          const item = [...schedule.held, ...schedule.later].find((i) => i.reference === h.reference);
          return [
            { html: `<a class="govuk-link" href="${paths.caseDetail.url({ reference: h.reference })}">${h.reference}</a>` },
            { text: item === undefined ? 'Not closed' : filterDate(item.dueOn) },
            { text: h.reason },
            { text: `${formatDay(h.placedAt)}, ${h.placedBy ?? 'the command line'}` },
          ];
        }),
        comingUp: schedule.later.filter((i) => i.dueOn <= inAYear).map((i) => itemRow(i, true)),
        log: log.map((l) => [
          { text: l.reference },
          { text: formatDay(l.disposedAt) },
          { text: l.disposedBy ?? 'redress retention run' },
          { text: filterDate(l.dueOn) },
          {
            text: Object.entries(l.erased)
              .map(([key, n]) => `${ERASED_LABELS[key] ?? key} (${String(n)})`)
              .join(', '),
          },
        ]),
      });
    });

    app.get<{ Params: { reference: string } }>(paths.caseLegalHold.pattern, { config: { access: LEGAL_HOLD_KEEPERS } }, (request, reply) => holdPage(request, reply, request.params.reference));

    app.post<{ Params: { reference: string }; Body: FormBody }>(paths.caseLegalHold.pattern, { config: { access: LEGAL_HOLD_KEEPERS } }, async (request, reply) => {
      const { reference } = request.params;
      const reason = formText(request.body, 'reason');
      const intent = formText(request.body, 'intent');
      const state = await service.caseState(reference);
      if (state === undefined || (await container.caseRestrictions.excludes(state.id, staffActorOf(request)))) {
        reply.callNotFound();
        return reply;
      }
      const problems: { field: string; message: string }[] = [];
      if (reason.trim() === '') problems.push({ field: 'reason', message: intent === 'remove' ? 'Enter why the legal hold can be removed' : 'Enter why the case must be kept' });
      else if (reason.length > REASON_MAX) problems.push({ field: 'reason', message: `The reason must be ${String(REASON_MAX)} characters or fewer` });
      if (problems.length > 0) return holdPage(request, reply, reference, { reason, errors: formErrors(problems) });
      const result = await tryAction(
        () => (intent === 'remove' ? service.removeHold(state.reference, reason, actorOf(request)) : service.placeHold(state.reference, reason, actorOf(request))),
        'reason',
      );
      if (!result.ok) return holdPage(request, reply, reference, { reason, errors: result.errors });
      return reply.redirect(paths.caseDetail.url({ reference: state.reference }), 303);
    });
    done();
  };
}
