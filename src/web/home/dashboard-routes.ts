import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../../container.ts';
import { ROLE_LABELS } from '../../domain/users/roles.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';

export function dashboardRoutes(container: Container): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get(paths.dashboard.pattern, { config: { access: 'signed_in' } }, async (request, reply) => {
      const user = request.user;
      const teams = await container.organisation.listTeams();
      return renderPage(request, reply, 'pages/dashboard.njk', {
        title: 'Dashboard',
        roleLabels: (user?.roles ?? []).map((role) => ROLE_LABELS[role]),
        teamCount: teams.filter((t) => t.isActive).length,
        homeCount: teams.filter((t) => t.isActive && t.kind === 'residential_home').length,
        commissionedCount: teams.filter((t) => t.isActive && t.kind === 'commissioned').length,
      });
    });
    app.get(paths.accessibility.pattern, { config: { access: 'public' } }, (request, reply) =>
      renderPage(request, reply, 'pages/accessibility.njk', { title: 'Accessibility statement' }),
    );
    done();
  };
}
