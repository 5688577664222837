/** The admin index (`/admin`): the administration pages the user may open, each with what it is for. */
import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../../container.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { ADMIN_INDEX_READERS, adminSectionsFor } from './admin-sections.ts';

export function adminIndexRoutes(_container: Container): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get(paths.adminIndex.pattern, { config: { access: ADMIN_INDEX_READERS } }, async (request, reply) =>
      renderPage(request, reply, 'pages/admin/index.njk', { title: 'Admin', sections: adminSectionsFor(request.user?.roles) }),
    );
    done();
  };
}
