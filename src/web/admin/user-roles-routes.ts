/**
 * An administrator changes a user's roles: how an account made by single sign-on (which
 * starts with none) is given access. With OIDC_ROLE_CLAIM set, the page says that the
 * council account's groups will replace these at the user's next sign-in.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { User } from '../../db/user-repository.ts';
import { ROLES, ROLE_LABELS, type Role } from '../../domain/users/roles.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { asList, formErrors, tryAction, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { sendErrorPage } from '../errors.ts';

const MANAGE: readonly Role[] = ['admin'];

export function userRolesRoutes(container: Container): FastifyPluginCallback {
  const { users, config } = container;

  const findUser = async (userId: string): Promise<User | undefined> => (await users.list()).find((u) => String(u.id) === userId);

  const renderForm = (request: FastifyRequest, reply: FastifyReply, target: User, chosen: readonly string[], errors?: FormErrors) =>
    renderPage(request, reply, 'pages/admin/user-roles.njk', {
      title: `Change the roles of ${target.name}`,
      target,
      errors,
      rolesFromProvider: config.oidc?.roleClaim !== undefined,
      roleItems: ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role], checked: chosen.includes(role) })),
    });

  return (app, _options, done) => {
    app.get<{ Params: { userId: string } }>(paths.userRoles.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const target = await findUser(request.params.userId);
      if (!target) return sendErrorPage(request, reply, 'notFound');
      return renderForm(request, reply, target, target.roles);
    });

    app.post<{ Params: { userId: string } }>(paths.userRoles.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const target = await findUser(request.params.userId);
      if (!target) return sendErrorPage(request, reply, 'notFound');
      const chosen = asList((request.body as Record<string, unknown> | undefined)?.roles);
      if (chosen.length === 0) return renderForm(request, reply, target, chosen, formErrors([{ field: 'roles', message: 'Select at least one role' }]));
      if (target.id === request.user?.id && !chosen.includes('admin')) {
        return renderForm(request, reply, target, chosen, formErrors([{ field: 'roles', message: 'You cannot take the administrator role from your own account' }]));
      }
      const result = await tryAction(() => users.setRoles(target.id, chosen, actorOf(request)), 'roles');
      if (!result.ok) return renderForm(request, reply, target, chosen, result.errors);
      return reply.redirect(paths.users.url(), 303);
    });
    done();
  };
}
