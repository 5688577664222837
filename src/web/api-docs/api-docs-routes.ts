/**
 * The API documentation (`/api/docs`): the OpenAPI document as an accessible GOV.UK page —
 * each operation by tag with its method, path, summary and operationId — and the document
 * itself at `/api/docs/json` and `/api/docs/yaml`, for generating clients. Swagger UI, whose
 * own markup does not pass axe (buttons nested in buttons, low contrast), stays behind it
 * at `/api/docs/explorer` for trying calls out.
 */
import type { FastifyPluginCallback } from 'fastify';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface OpenApiOperation {
  readonly summary?: string;
  readonly description?: string;
  readonly operationId?: string;
  readonly tags?: readonly string[];
}

interface OpenApiDocument {
  readonly info?: { readonly title?: string; readonly version?: string; readonly description?: string };
  readonly tags?: readonly { readonly name: string; readonly description?: string }[];
  readonly paths?: Readonly<Record<string, Partial<Record<(typeof METHODS)[number], OpenApiOperation>>>>;
}

export interface ApiOperationView {
  readonly method: string;
  readonly path: string;
  readonly summary: string;
  readonly operationId: string;
}

/** The document's operations grouped by their first tag, in the document's order. */
export function operationsByTag(document: OpenApiDocument): { tag: string; description: string | undefined; operations: ApiOperationView[] }[] {
  const groups = new Map<string, ApiOperationView[]>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const tag = operation.tags?.[0] ?? 'Other';
      const list = groups.get(tag) ?? [];
      list.push({ method: method.toUpperCase(), path, summary: operation.summary ?? operation.description ?? '', operationId: operation.operationId ?? '' });
      groups.set(tag, list);
    }
  }
  const described = new Map((document.tags ?? []).map((t) => [t.name, t.description]));
  return [...groups.entries()].map(([tag, operations]) => ({ tag, description: described.get(tag), operations }));
}

export function apiDocsRoutes(): FastifyPluginCallback {
  return (app, _options, done) => {
    const access = { access: 'public' } as const;
    const document = () => app.swagger() as unknown as OpenApiDocument;

    app.get(paths.apiDocs.pattern, { config: access }, async (request, reply) => {
      const openApi = document();
      return renderPage(request, reply, 'pages/api-docs/index.njk', {
        title: 'API documentation',
        info: openApi.info ?? {},
        groups: operationsByTag(openApi),
      });
    });
    app.get(paths.apiDocsJson.pattern, { config: access }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(app.swagger()));
    app.get(paths.apiDocsYaml.pattern, { config: access }, async (_request, reply) => reply.type('application/x-yaml; charset=utf-8').send(app.swagger({ yaml: true })));
    done();
  };
}
