/**
 * Restricted cases: `/cases/:reference/restrictions`, where a complaints manager (or
 * information governance) excludes named staff and whole teams from a case, with a reason, and
 * removes an exclusion (src/app/case-restriction-service.ts). Someone excluded from the case
 * finds nothing here either: "Page not found", as for a reference that does not exist.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { RESTRICTION_KEEPERS, RESTRICTION_REASON_MAX } from '../../domain/cases/case-restriction.ts';
import { DomainError, InputProblems } from '../../domain/errors.ts';
import { tryParseReference } from '../../domain/taxonomies/case-reference.ts';
import { asList, filterDate, formErrors, wholeNumberOf, type FormBody, type FormErrors } from '../forms.ts';
import { staffActorOf } from '../actor.ts';
import { paths } from '../paths.ts';
import { canAccess } from '../../domain/users/roles.ts';
import { CASE_READERS } from './case-access.ts';
import { renderPage } from '../render.ts';

interface Entered {
  readonly userIds: readonly number[];
  readonly teamIds: readonly number[];
  readonly reason: string;
}

const NOTHING_ENTERED: Entered = { userIds: [], teamIds: [], reason: '' };

/** The ids ticked in a checkbox list; a value that is not an id is kept as -1, which the service refuses as unknown. */
function idsOf(body: FormBody, name: string): number[] {
  return asList(body[name]).map((v) => wholeNumberOf(v.trim()) ?? -1);
}

export function caseRestrictionRoutes(container: Container): FastifyPluginCallback {
  const service = container.caseRestrictions;

  async function restrictionsPage(request: FastifyRequest, reply: FastifyReply, reference: string, entered: Entered = NOTHING_ENTERED, errors?: FormErrors): Promise<FastifyReply> {
    const found = tryParseReference(reference) === undefined ? undefined : await service.forCase(reference, staffActorOf(request));
    if (found === undefined) {
      reply.callNotFound();
      return reply;
    }
    const canReadCase = canAccess(CASE_READERS, request.user?.roles);
    return renderPage(request, reply, 'pages/cases/restrictions.njk', {
      title: `Restrict access to ${found.reference}`,
      reference: found.reference,
      caseHref: canReadCase ? paths.caseDetail.url({ reference: found.reference }) : undefined,
      formAction: paths.caseRestrictions.url({ reference: found.reference }),
      responderName: found.responderName,
      restrictions: found.restrictions.map((r) => ({
        who: r.userId === null ? `${r.name} (every member of the team)` : r.name,
        reason: r.reason,
        added: `${filterDate(r.addedAt.slice(0, 10))}${r.addedBy === null ? '' : `, ${r.addedBy}`}`,
        removeAction: paths.caseRestrictionRemove.url({ reference: found.reference, restrictionId: r.id }),
        removeLabel: `Remove the exclusion of ${r.name}`,
      })),
      staffItems: found.staff.map((s) => ({
        value: String(s.id),
        text: s.name,
        hint: s.teamName === null ? undefined : { text: s.teamName },
        checked: entered.userIds.includes(s.id),
      })),
      teamItems: found.teams.map((t) => ({ value: String(t.id), text: t.name, checked: entered.teamIds.includes(t.id) })),
      reason: entered.reason,
      reasonMax: RESTRICTION_REASON_MAX,
      errors,
    });
  }

  return (app, _options, done) => {
    app.get<{ Params: { reference: string } }>(paths.caseRestrictions.pattern, { config: { access: RESTRICTION_KEEPERS } }, (request, reply) =>
      restrictionsPage(request, reply, request.params.reference),
    );

    app.post<{ Params: { reference: string }; Body: FormBody }>(paths.caseRestrictions.pattern, { config: { access: RESTRICTION_KEEPERS } }, async (request, reply) => {
      const { reference } = request.params;
      const body = request.body;
      const entered: Entered = { userIds: idsOf(body, 'users'), teamIds: idsOf(body, 'teams'), reason: typeof body.reason === 'string' ? body.reason : '' };
      try {
        await service.add(reference, entered, staffActorOf(request));
      } catch (error) {
        if (error instanceof DomainError && error.code === 'case_not_found') {
          reply.callNotFound();
          return reply;
        }
        if (error instanceof DomainError) {
          const problems = error instanceof InputProblems ? error.problems : [error];
          return restrictionsPage(request, reply, reference, entered, formErrors(problems.map((p) => ({ field: p.field ?? 'users', message: p.message }))));
        }
        throw error;
      }
      return reply.redirect(paths.caseRestrictions.url({ reference: reference.trim().toUpperCase() }), 303);
    });

    app.post<{ Params: { reference: string; restrictionId: string }; Body: FormBody }>(
      paths.caseRestrictionRemove.pattern,
      { config: { access: RESTRICTION_KEEPERS } },
      async (request, reply) => {
        const { reference } = request.params;
        const restrictionId = wholeNumberOf(request.params.restrictionId);
        try {
          if (restrictionId === undefined) throw new DomainError('restriction_not_found', 'That restriction has already been removed');
          await service.remove(reference, restrictionId, staffActorOf(request));
        } catch (error) {
          if (error instanceof DomainError && error.code === 'case_not_found') {
            reply.callNotFound();
            return reply;
          }
          if (error instanceof DomainError) return restrictionsPage(request, reply, reference, NOTHING_ENTERED, formErrors([{ field: 'restrictions', message: error.message }]));
          throw error;
        }
        return reply.redirect(paths.caseRestrictions.url({ reference: reference.trim().toUpperCase() }), 303);
      },
    );
    done();
  };
}
