import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Container } from '../../container.ts';
import { TEAM_KINDS, TEAM_KIND_LABELS } from '../../domain/organisation/team.ts';
import type { Role } from '../../domain/users/roles.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { fromZod, tryAction, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import type { TeamInput } from '../../app/organisation-service.ts';

const MANAGE: readonly Role[] = ['admin'];

const teamForm = z.object({
  name: z.string().trim().min(1, 'Enter the team name').max(200, 'Team name must be 200 characters or fewer'),
  serviceArea: z.string().trim().min(1, 'Select the service area'),
  kind: z.enum(TEAM_KINDS, { error: 'Select what kind of team it is' }),
  publicAlias: z.string().trim().max(50, 'Alias must be 50 characters or fewer').default(''),
  isActive: z.enum(['yes', 'no']).default('yes'),
  version: z.coerce.number().int().min(1).optional(),
});

type TeamFormValues = Partial<Record<keyof z.infer<typeof teamForm>, string>>;

const serviceAreaForm = z.object({
  name: z.string().trim().min(1, 'Enter the name of the service area').max(200, 'Name must be 200 characters or fewer'),
});

const kindItems = (selected: string | undefined) =>
  TEAM_KINDS.map((kind) => ({ value: kind, text: TEAM_KIND_LABELS[kind], checked: kind === selected }));

function toInput(form: z.infer<typeof teamForm>): TeamInput {
  return {
    name: form.name,
    serviceAreaName: form.serviceArea,
    kind: form.kind,
    publicAlias: form.publicAlias === '' ? null : form.publicAlias,
    isActive: form.isActive === 'yes',
  };
}

export function teamRoutes(container: Container): FastifyPluginCallback {
  const { organisation } = container;

  /** The add form (no team) or the edit form of `team`, titled by its saved name whatever was typed. */
  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    team: { id: number; name: string } | undefined,
    values: TeamFormValues,
    errors?: FormErrors,
  ) {
    const areas = await organisation.serviceAreas();
    return renderPage(request, reply, 'pages/admin/team-form.njk', {
      title: team === undefined ? 'Add a team' : `Change ${team.name}`,
      action: team === undefined ? paths.newTeam.url() : paths.editTeam.url({ teamId: team.id }),
      isNew: team === undefined,
      errors,
      values,
      kindItems: kindItems(values.kind),
      areaItems: [
        { value: '', text: 'Select a service area' },
        ...areas.map((a) => ({ value: a.name, text: a.name, selected: a.name === values.serviceArea })),
      ],
    });
  }

  return (app, _options, done) => {
    app.get(paths.teams.pattern, { config: { access: 'signed_in' } }, async (request, reply) => {
      const [teams, directorate] = await Promise.all([organisation.listTeams(), organisation.directorateName()]);
      const areas = new Map<string, typeof teams>();
      for (const team of teams) areas.set(team.serviceAreaName, [...(areas.get(team.serviceAreaName) ?? []), team]);
      return renderPage(request, reply, 'pages/admin/teams.njk', {
        title: 'Teams',
        directorate,
        areas: [...areas.entries()].map(([name, members]) => ({ name, teams: members })),
        kindLabels: TEAM_KIND_LABELS,
        canManage: request.user?.roles.some((r) => MANAGE.includes(r)) === true,
        saved: (request.query as { saved?: string }).saved,
      });
    });

    app.get(paths.newTeam.pattern, { config: { access: MANAGE } }, (request, reply) =>
      renderForm(request, reply, undefined, { kind: 'internal', isActive: 'yes' }),
    );

    app.post(paths.newTeam.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const body = (request.body ?? {}) as TeamFormValues;
      const form = teamForm.safeParse(body);
      if (!form.success) return renderForm(request, reply, undefined, body, fromZod(form.error));
      const result = await tryAction(() => organisation.createTeam(toInput(form.data), actorOf(request)), 'name');
      if (!result.ok) return renderForm(request, reply, undefined, body, result.errors);
      return reply.redirect(paths.teams.url({ saved: form.data.name }), 303);
    });

    app.get<{ Params: { teamId: string } }>(paths.editTeam.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const team = await findTeam(request.params.teamId);
      if (!team) {
        reply.callNotFound();
        return reply;
      }
      return renderForm(request, reply, team, {
        name: team.name,
        serviceArea: team.serviceAreaName,
        kind: team.kind,
        publicAlias: team.publicAlias ?? '',
        isActive: team.isActive ? 'yes' : 'no',
        version: String(team.version),
      });
    });

    app.post<{ Params: { teamId: string } }>(paths.editTeam.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const team = await findTeam(request.params.teamId);
      if (!team) {
        reply.callNotFound();
        return reply;
      }
      const body = (request.body ?? {}) as TeamFormValues;
      const form = teamForm.safeParse(body);
      if (!form.success) return renderForm(request, reply, team, body, fromZod(form.error));
      const result = await tryAction(() => organisation.updateTeam(team.id, toInput(form.data), form.data.version ?? team.version, actorOf(request)), 'name');
      if (!result.ok) {
        // A newer change by someone else: show it, keep what this user typed, ask again.
        if (result.code === 'stale_update') reply.code(409);
        return renderForm(request, reply, team, { ...body, version: String(team.version) }, result.errors);
      }
      return reply.redirect(paths.teams.url({ saved: form.data.name }), 303);
    });

    app.get(paths.newServiceArea.pattern, { config: { access: MANAGE } }, (request, reply) =>
      renderPage(request, reply, 'pages/admin/service-area-form.njk', { title: 'Add a service area', values: {} }),
    );

    app.post(paths.newServiceArea.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const body = (request.body ?? {}) as { name?: string };
      const form = serviceAreaForm.safeParse(body);
      const render = (errors: FormErrors) =>
        renderPage(request, reply, 'pages/admin/service-area-form.njk', { title: 'Add a service area', values: body, errors });
      if (!form.success) return render(fromZod(form.error));
      const result = await tryAction(() => organisation.addServiceArea(form.data.name, actorOf(request)), 'name');
      if (!result.ok) return render(result.errors);
      return reply.redirect(paths.teams.url({ saved: form.data.name }), 303);
    });
    done();
  };

  async function findTeam(raw: string) {
    const id = Number(raw);
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    return organisation.findTeam(id);
  }
}
