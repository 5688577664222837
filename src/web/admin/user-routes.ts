import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Container } from '../../container.ts';
import { ROLES, ROLE_LABELS, type Role } from '../../domain/users/roles.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { asList, fromZod, tryAction, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';

const MANAGE: readonly Role[] = ['admin'];

const userForm = z.object({
  name: z.string().trim().min(1, 'Enter the person’s name').max(200, 'Name must be 200 characters or fewer'),
  email: z.string().trim().min(1, 'Enter an email address').max(320, 'Email address must be 320 characters or fewer'),
  team: z.string().trim().max(200).default(''),
  roles: z.array(z.string()).min(1, 'Select at least one role'),
});

interface UserFormValues {
  name?: string;
  email?: string;
  team?: string;
  roles?: string[];
}

export function userRoutes(container: Container): FastifyPluginCallback {
  const { users, organisation } = container;

  async function renderForm(request: FastifyRequest, reply: FastifyReply, values: UserFormValues, errors?: FormErrors) {
    const teams = await organisation.listTeams();
    return renderPage(request, reply, 'pages/admin/user-form.njk', {
      title: 'Add a user',
      values,
      errors,
      roleItems: ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role], checked: values.roles?.includes(role) === true })),
      teamItems: [
        { value: '', text: 'No team' },
        ...teams.filter((t) => t.isActive).map((t) => ({ value: t.name, text: t.name, selected: t.name === values.team })),
      ],
    });
  }

  return (app, _options, done) => {
    app.get(paths.users.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const list = await users.list();
      const singleSignOn = await users.singleSignOnUserIds();
      return renderPage(request, reply, 'pages/admin/users.njk', {
        title: 'Users',
        users: list.map((u) => ({ ...u, roleLabels: u.roles.map((r) => ROLE_LABELS[r]), signsInWith: singleSignOn.has(u.id) ? 'Council account' : 'Password' })),
        created: (request.query as { created?: string }).created,
        authenticatorReset: list.find((u) => String(u.id) === (request.query as { authenticatorReset?: string }).authenticatorReset)?.email,
      });
    });

    app.get(paths.newUser.pattern, { config: { access: MANAGE } }, (request, reply) => renderForm(request, reply, {}));

    app.post(paths.newUser.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const raw = (request.body ?? {}) as Record<string, unknown>;
      const values: UserFormValues = {
        name: typeof raw.name === 'string' ? raw.name : '',
        email: typeof raw.email === 'string' ? raw.email : '',
        team: typeof raw.team === 'string' ? raw.team : '',
        roles: asList(raw.roles),
      };
      const form = userForm.safeParse(values);
      if (!form.success) return renderForm(request, reply, values, fromZod(form.error));
      const result = await tryAction(
        () => users.add({ email: form.data.email, name: form.data.name, roles: form.data.roles, teamName: form.data.team }, actorOf(request)),
        'email',
      );
      if (!result.ok) return renderForm(request, reply, values, result.errors);
      // The one-time password is shown once, on this page, and never stored in clear.
      return renderPage(request, reply, 'pages/admin/user-created.njk', {
        title: 'User added',
        created: result.value.user,
        password: result.value.password,
      });
    });

    app.post<{ Params: { userId: string } }>(paths.userStatus.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const body = (request.body ?? {}) as { action?: string };
      const id = Number(request.params.userId);
      const target = (await users.list()).find((u) => u.id === id);
      if (!target || (body.action !== 'disable' && body.action !== 'enable')) {
        reply.callNotFound();
        return reply;
      }
      if (target.id === request.user?.id) {
        return renderPage(request, reply.code(400), 'pages/errors/bad-request.njk', {
          title: 'Sorry, there is a problem with your request',
          message: 'You cannot disable your own account',
        });
      }
      await users.setActive(target.email, body.action === 'enable', actorOf(request));
      return reply.redirect(paths.users.url(), 303);
    });
    done();
  };
}
