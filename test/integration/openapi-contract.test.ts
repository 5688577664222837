/**
 * The API's contract: the OpenAPI document the app serves passes an independent validator
 * (swagger-parser, against the OpenAPI 3.0 schema), and holds to the rules a client
 * generator relies on — servers, a unique operationId per operation, every success
 * documented with its JSON schema. And the version a client reads from a case is the one
 * its next change must send.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aUser, testClock, testContainer } from '../support/builders.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import { actionResultJson } from '../../src/api/representation-actions-api.ts';
import { representationJson } from '../../src/api/representation-api.ts';
import { apiError } from '../../src/api/api-errors.ts';

/** The validator's own type for a document. */
type ApiDocument = Awaited<ReturnType<typeof SwaggerParser.validate>>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface MediaType {
  readonly schema?: Record<string, unknown>;
}
interface Response {
  readonly description?: string;
  readonly content?: Record<string, MediaType>;
}
interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
}
interface Operation {
  readonly operationId?: string;
  readonly parameters?: readonly Parameter[];
  readonly responses?: Record<string, Response>;
}
interface Document {
  readonly openapi: string;
  readonly servers?: readonly { readonly url: string }[];
  readonly paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
}

/** Every operation in the document, named by method and path. */
function operationsOf(document: Document): { name: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      return operation === undefined ? [] : [{ name: `${method.toUpperCase()} ${path}`, path, operation }];
    }),
  );
}

const isJson = (mediaType: string) => /^application\/(?:[\w.+-]+\+)?json\b/.test(mediaType);
const isSuccess = (status: string) => /^2(?:\d\d|XX)$/.test(status);

describeEachEngine('the API contract', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let document: Document;

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2026-11-26T10:00:00.000Z'));
    await container.demo.ensure();
    app = await createApp(container);
    const served = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(served.statusCode).toBe(200);
    document = served.json<Document>();
  });
  afterAll(async () => {
    await app.close();
  });

  it('passes an independent OpenAPI validator', async () => {
    // The validator dereferences in place: give it a copy.
    const validated = await SwaggerParser.validate(structuredClone(document) as unknown as ApiDocument);
    expect(validated).toMatchObject({ openapi: expect.stringMatching(/^3\.0\.\d+$/) as unknown });
  });

  it('names its server', () => {
    expect(document.servers?.length ?? 0).toBeGreaterThan(0);
    for (const server of document.servers ?? []) expect(server.url).toMatch(/^\/|^https?:\/\//);
  });

  it('gives every operation a unique, camelCase operationId', () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThanOrEqual(20);
    const missing = operations.filter((o) => o.operation.operationId === undefined).map((o) => o.name);
    expect(missing).toEqual([]);
    const ids = operations.map((o) => o.operation.operationId ?? '');
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id))).toEqual([]);
    // Stable names a client generator turns into method names: renaming one breaks its clients.
    expect(ids).toEqual(
      expect.arrayContaining([
        'registerRepresentations',
        'listRepresentations',
        'getRepresentation',
        'listRepresentationActions',
        'takeRepresentationAction',
        'getRepresentationStages',
        'takeRepresentationStageStep',
        'downloadRepresentationAttachment',
        'listOmbudsmanEnquiries',
        'createOmbudsmanEnquiry',
        'getOmbudsmanEnquiry',
        'addOmbudsmanInformationRequest',
        'answerOmbudsmanInformationRequest',
        'recordOmbudsmanDecision',
        'recordOmbudsmanCompliance',
        'listLessons',
        'createLesson',
        'getLesson',
        'addLessonAction',
        'listLearningActions',
        'completeLearningAction',
      ]),
    );
  });

  it('documents a success for every operation, with a schema for every JSON one', () => {
    const problems: string[] = [];
    for (const { name, operation } of operationsOf(document)) {
      const successes = Object.entries(operation.responses ?? {}).filter(([status]) => isSuccess(status));
      if (successes.length === 0) problems.push(`${name}: no 2xx response`);
      for (const [status, response] of successes) {
        const content = Object.entries(response.content ?? {});
        if (content.length === 0) problems.push(`${name} ${status}: no content`);
        for (const [mediaType, media] of content) {
          if (isJson(mediaType) && (media.schema === undefined || Object.keys(media.schema).length === 0)) problems.push(`${name} ${status} ${mediaType}: no schema`);
        }
      }
    }
    expect(problems).toEqual([]);
    // A file download is documented as the file, not as JSON.
    const download = document.paths['/api/v1/representations/{reference}/attachments/{attachmentId}']?.get?.responses?.['200']?.content ?? {};
    expect(Object.keys(download)).toEqual(expect.arrayContaining(['application/pdf', 'image/png']));
    expect(Object.keys(download).filter(isJson)).toEqual([]);
  });

  it('declares every path parameter of every operation, as required', () => {
    const problems: string[] = [];
    for (const { name, path, operation } of operationsOf(document)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      for (const parameter of inPath) {
        if (!declared.some((p) => p.name === parameter && p.required === true)) problems.push(`${name}: {${parameter}} not declared as a required path parameter`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents the case version on GET /api/v1/representations/{reference}', () => {
    const read = document.paths['/api/v1/representations/{reference}']?.get;
    const schema = read?.responses?.['200']?.content?.['application/json']?.schema as { properties?: Record<string, { type?: string }>; required?: string[] } | undefined;
    expect(schema?.properties?.version?.type).toBe('integer');
    expect(schema?.required).toContain('version');
  });

  it('reads the version from the case and uses it for the next action', async () => {
    const { email } = await aUser(container, 'complaints_officer');
    const { token } = await container.apiTokens.create(email, 'contract test', ['representations:read', 'representations:write'], CLI_ACTOR);
    const { id: responderId } = await aUser(container, 'responding_manager');
    const call = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload }) });

    const created = await call('POST', '/api/v1/representations', {
      kind: 'children_statutory',
      received_on: '2026-11-23',
      channel: 'email',
      summary: 'My son’s review meeting was moved without anyone telling us.',
      complainant_role: 'parent',
      teams: ['Care Management North'],
      complainant: { name: 'Alex Parent', email: 'alex@example.org' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const reference = created.json<{ representations: { reference: string }[] }>().representations[0]?.reference ?? '';

    const read = await call('GET', `/api/v1/representations/${reference}`);
    expect(read.statusCode).toBe(200);
    const before = representationJson.parse(read.json());
    const stored = await database().db.kysely.selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(before.version).toBe(stored.version);
    expect(read.headers.etag).toBe(`"${String(before.version)}"`);
    // The schema documents every field the reply has, at every depth (parsing drops what it does not know).
    expect(before).toEqual(read.json());

    const allocated = await call('POST', `/api/v1/representations/${reference}/actions/allocate`, { version: before.version, responder_user_id: responderId });
    expect(allocated.statusCode, allocated.body).toBe(200);
    const result = actionResultJson.parse(allocated.json());
    expect(result).toMatchObject({ reference, status: 'allocated', version: before.version + 1 });

    const after = representationJson.parse((await call('GET', `/api/v1/representations/${reference}`)).json());
    expect(after).toMatchObject({ status: 'allocated', version: result.version, responderName: expect.any(String) as unknown });

    // The version read before the change is now stale: a second change based on it is refused and writes nothing.
    const stale = await call('POST', `/api/v1/representations/${reference}/actions/acknowledge`, { version: before.version, acknowledged_on: '2026-11-24' });
    expect(stale.statusCode).toBe(409);
    expect(apiError.parse(stale.json()).error.code).toBe('stale_update');
    expect(representationJson.parse((await call('GET', `/api/v1/representations/${reference}`)).json())).toMatchObject({ version: after.version, acknowledgedOn: null });
  });
});
