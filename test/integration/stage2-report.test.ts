/**
 * The Stage 2 investigation report as an attached document, on both engines: uploaded with its
 * date on the `record_report` page (multipart, CSRF-checked) or through the API; refused files
 * (none, the wrong kind, a name the content disagrees with, too big) and refused steps (a stale
 * version) leave no attachment row, no file and no step; the case page lists it with a download
 * link; the download is for the team and for the investigator appointed to this case while
 * appointed, audited, and not found for anyone else.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, teamIdsByName, testClock, testConfig, testContainer } from '../support/builders.ts';
import { dateFields, decodeEntities, errorSummary, signedInPerson, type Browser } from '../support/http.ts';
import { PDF, PNG, TEXT, docx } from '../support/file-samples.ts';
import { multipart, type FilePart } from '../support/multipart.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { laterStagesJson } from '../../src/api/later-stage-api.ts';
import { MAX_ATTACHMENT_BYTES } from '../../src/domain/attachments/file-kinds.ts';
import { paths } from '../../src/web/paths.ts';

const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];

/** Every stored file under a directory (not the temporary ones), recursively. */
function storedFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => !name.startsWith('.incoming'))
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}

describeEachEngine('the Stage 2 investigation report as a document', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let dir: string;
  let teamId: (name: string) => number;
  const db = () => database().db.kysely;

  const person = (roles: Role[]) => signedInPerson(app, container, roles);
  let officer: Awaited<ReturnType<typeof person>>;
  let investigator: Awaited<ReturnType<typeof person>>;
  let stranger: Awaited<ReturnType<typeof person>>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'redress-report-test-'));
    container = await testContainer(database(), testClock('2026-11-26T10:00:00.000Z'), testConfig({ ATTACHMENTS_DIR: dir }));
    await container.demo.ensure({ withCases: false });
    app = await createApp(container);
    teamId = await teamIdsByName(container);
    officer = await person(['complaints_officer']);
    investigator = await person(['investigator']);
    stranger = await person(['investigator']);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const versionOf = async (reference: string): Promise<number> => (await db().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const step = async (reference: string, name: string, input: Record<string, unknown>) => container.laterStages.apply(reference, name, input, officer.actor, await versionOf(reference));

  /** A complaint at Stage 2, its statement agreed and `investigator` appointed: ready for the report. */
  async function investigating(): Promise<string> {
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-06-01', channel: 'letter', summary: 'Contact was cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        complainant: { name: 'Jo Parent' },
      },
      officer.actor,
    );
    const reference = made?.reference ?? '';
    await container.caseActions.apply(reference, 'record_response', { responded_on: '2026-06-05', finding: 'not_upheld', remedies: ['explanation'] }, officer.actor, 1);
    await step(reference, 'request_stage2', { requested_on: '2026-06-08' });
    await step(reference, 'agree_statement', { statement_agreed_on: '2026-06-09', points: 'Contact was cancelled without notice.' });
    await step(reference, 'appoint_investigator', { name: 'Ira Vestigate', user_id: String(investigator.actor.userId), is_external: 'no', appointed_on: '2026-06-09' });
    await step(reference, 'appoint_independent_person', { name: 'Indie Person', is_external: 'yes', appointed_on: '2026-06-09', declarations: DECLARED, declared_on: '2026-06-09' });
    return reference;
  }

  const stepUrl = (reference: string) => `/cases/${reference}/stages/record_report`;
  /** What must not change when a report is refused. */
  const snapshot = async (reference: string) => ({
    attachments: (await db().selectFrom('attachment').select('id').execute()).length,
    files: storedFiles(dir).length,
    stage2: await db()
      .selectFrom('stage2')
      .innerJoin('representation as r', 'r.id', 'stage2.representation_id')
      .select(['stage2.report_received_on', 'stage2.version'])
      .where('r.reference', '=', reference)
      .executeTakeFirstOrThrow(),
    version: await versionOf(reference),
  });
  /** Opens the report page as `browser` and sends it with `form` and `report`, with the page's CSRF token and version unless given. */
  async function sendReport(browser: Browser, reference: string, form: Record<string, string>, report: FilePart | undefined): Promise<LightMyRequestResponse> {
    const page = await browser.get(stepUrl(reference));
    expect(page.statusCode, page.body).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    return browser.postMultipart(stepUrl(reference), { _csrf: csrf, version, ...form }, { report });
  }
  const aPdf = (note: string): Buffer => Buffer.concat([PDF, Buffer.from(`% ${note}\n`)]);

  it('records the report’s date and document from the page, refusing a missing, wrong or too large file with nothing written', async () => {
    const reference = await investigating();

    // A GOV.UK file upload in a multipart form.
    const page = await investigator.browser.get(stepUrl(reference));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toMatch(/<input class="govuk-file-upload[^"]*" id="report" name="report" type="file"[^>]*accept=".pdf,.docx,.doc"/);
    expect(decodeEntities(page.body)).toContain('A PDF or Word document, smaller than 10MB.');

    const before = await snapshot(reference);
    const date = dateFields('report_received_on', '2026-07-01');
    const refusals: [Record<string, string>, FilePart | undefined, string[]][] = [
      [date, undefined, ['Upload the investigation report']],
      [{}, undefined, ['Enter the date the report was received', 'Upload the investigation report']],
      [date, { name: 'report.pdf', bytes: TEXT }, ["The file 'report.pdf' is not a PDF"]],
      [date, { name: 'report.docx', bytes: PDF }, ["The file 'report.docx' is not a Word document"]],
      [date, { name: 'photo.png', bytes: PNG }, ["The file 'photo.png' must be a PDF or a Word document, not a PNG picture"]],
      [date, { name: 'notes.txt', bytes: TEXT }, ["The file 'notes.txt' must be a PDF, a Word document, or a JPG, PNG, GIF or WebP picture"]],
      [date, { name: 'huge.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(MAX_ATTACHMENT_BYTES)]) }, ["The file 'huge.pdf' must be smaller than 10MB"]],
    ];
    for (const [form, report, messages] of refusals) {
      const refused = await sendReport(investigator.browser, reference, form, report);
      expect(refused.statusCode, report?.name).toBe(400);
      expect(errorSummary(refused.body)).toEqual(messages);
      if (report !== undefined || form === date) expect(refused.body).toContain('href="#report"');
      expect(await snapshot(reference)).toEqual(before);
    }
    // The date is kept on the page; the file must be chosen again.
    const kept = await sendReport(investigator.browser, reference, date, undefined);
    expect(kept.body).toContain('name="report_received_on-day" type="text" value="1"');

    // A stale version, with a good file: refused, and the file is not kept.
    const page2 = await investigator.browser.get(stepUrl(reference));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page2.body)?.[1] ?? '';
    const stale = await investigator.browser.postMultipart(stepUrl(reference), { _csrf: csrf, version: '1', ...date }, { report: { name: 'report.pdf', bytes: aPdf('stale') } });
    expect(stale.statusCode).toBe(409);
    expect(await snapshot(reference)).toEqual(before);

    // No CSRF token: refused before anything is read into a step.
    const forged = await investigator.browser.postMultipart(stepUrl(reference), { version: String(before.version), ...date }, { report: { name: 'report.pdf', bytes: aPdf('forged') } });
    expect(forged.statusCode).toBe(403);
    expect(await snapshot(reference)).toEqual(before);

    // Far larger than any file: refused (413) before it is read.
    const flood = multipart({ _csrf: csrf, version: String(before.version), ...date }, { report: { name: 'flood.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(MAX_ATTACHMENT_BYTES + 1024 * 1024)]) } });
    const tooLarge = await app.inject({ method: 'POST', url: stepUrl(reference), payload: flood.payload, headers: { 'content-type': flood.contentType }, cookies: { redress_session: investigator.browser.cookie('redress_session') ?? '' } });
    expect(tooLarge.statusCode).toBe(413);
    expect(await snapshot(reference)).toEqual(before);

    // The appointed investigator records it: the date, and the document with the Stage 2 record.
    const saved = await sendReport(investigator.browser, reference, date, { name: 'Investigation report.docx', bytes: await docx('The findings.') });
    expect(saved.statusCode, errorSummary(saved.body).join(' | ')).toBe(303);
    const stage2 = await db().selectFrom('stage2').innerJoin('representation as r', 'r.id', 'stage2.representation_id').select(['stage2.id', 'stage2.report_received_on']).where('r.reference', '=', reference).executeTakeFirstOrThrow();
    expect(stage2.report_received_on).toBe('2026-07-01');
    const rows = await db().selectFrom('attachment').selectAll().where('subject_type', '=', 'stage2_report').where('subject_id', '=', stage2.id).execute();
    expect(rows).toEqual([
      expect.objectContaining({ file_name: 'Investigation report.docx', media_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', created_by: investigator.actor.userId, staging_key: null }),
    ]);
    expect(storedFiles(dir)).toHaveLength(before.files + 1);
    expect(await db().selectFrom('attachment').select('id').execute()).toHaveLength(before.attachments + 1);
    // The history says what kind of file, never its name.
    const history = await db().selectFrom('history_entry').select(['action', 'after']).where('action', '=', 'record_report').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.stringify(history)).toContain('report_media_type');
    expect(JSON.stringify(history)).not.toContain('Investigation report.docx');

    // The case page's "Stages 2 and 3" lists it: name, type, size, date, download link.
    const casePage = decodeEntities((await officer.browser.get(`/cases/${reference}`)).body);
    const href = paths.caseAttachment.url({ reference, attachmentId: rows[0]?.id ?? 0 });
    expect(casePage).toContain(`href="${href}" download>Investigation report.docx`);
    expect(casePage).toMatch(/\(Word document, \d+KB, added 26 November 2026\)/);
    expect(casePage).toContain('1 July 2026');
  });

  it('lets the team and the appointed investigator download the report, audited, and no one else', async () => {
    const reference = await investigating();
    const bytes = aPdf('download');
    await container.laterStages.apply(reference, 'record_report', { report_received_on: '2026-07-01', report: { fileName: 'report.pdf', bytes } }, investigator.actor, await versionOf(reference));
    const { id } = await db().selectFrom('attachment').select('id').where('subject_type', '=', 'stage2_report').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const url = paths.caseAttachment.url({ reference, attachmentId: id });

    for (const who of [officer, investigator]) {
      const download = await who.browser.get(url);
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(bytes)).toBe(true);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-disposition']).toMatch(/^attachment; filename="report.pdf"/);
      expect(download.headers['x-content-type-options']).toBe('nosniff');
    }
    const audits = await db().selectFrom('audit_event').select(['action', 'user_id', 'details']).where('action', 'in', ['attachment_downloaded', 'attachment_refused']).orderBy('id').execute();
    const mine = audits.filter((a) => String(a.details).includes(`"attachmentId":${String(id)}`));
    expect(mine.map((a) => [a.action, a.user_id])).toEqual([
      ['attachment_downloaded', officer.actor.userId],
      ['attachment_downloaded', investigator.actor.userId],
    ]);
    expect(JSON.stringify(mine)).not.toContain('report.pdf');

    // An investigator not appointed to this case: not found, and the refusal audited.
    expect((await stranger.browser.get(url)).statusCode).toBe(404);
    expect(await db().selectFrom('audit_event').select('id').where('action', '=', 'attachment_refused').where('user_id', '=', stranger.actor.userId).execute()).toHaveLength(1);
    // The file's id under another case: not found.
    const other = await investigating();
    expect((await officer.browser.get(paths.caseAttachment.url({ reference: other, attachmentId: id }))).statusCode).toBe(404);

    // Once another investigator is appointed, the first no longer sees the case or its report.
    await step(reference, 'appoint_investigator', { name: 'Nia Newcomer', is_external: 'yes', appointed_on: '2026-07-02' });
    expect((await investigator.browser.get(url)).statusCode).toBe(404);
    expect((await officer.browser.get(url)).statusCode).toBe(200);
  });

  it('lists the report in the API and takes it as multipart', async () => {
    const tokenFor = async (roles: Role[]) => {
      const email = `${roles.join('-')}-${String(Math.random()).slice(2, 10)}@test.example`;
      const { user } = await container.users.add({ email, name: `Api ${roles.join(' ')}`, roles, password: TEST_PASSWORD }, CLI_ACTOR);
      return { token: (await container.apiTokens.create(email, 'test', ['representations:read', 'representations:write'], CLI_ACTOR)).token, id: user.id };
    };
    const teamToken = (await tokenFor(['complaints_officer'])).token;
    const apiInvestigator = await tokenFor(['investigator']);
    const strangerToken = (await tokenFor(['investigator'])).token;
    const reference = await investigating();
    await step(reference, 'appoint_investigator', { name: 'Api Investigator', user_id: String(apiInvestigator.id), is_external: 'no', appointed_on: '2026-06-10' });
    const stages = `/api/v1/representations/${reference}/stages`;
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });

    // The step says it takes a file.
    const listed = laterStagesJson.parse((await app.inject({ method: 'GET', url: stages, headers: auth(apiInvestigator.token) })).json());
    expect(listed.report_documents).toEqual([]);
    expect(listed.steps.find((s) => s.step === 'record_report')?.fields.find((f) => f.name === 'report')).toMatchObject({
      kind: 'file',
      required: true,
      accepts: ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/msword'],
    });

    const before = await snapshot(reference);
    // JSON cannot carry the document.
    const json = await app.inject({ method: 'POST', url: `${stages}/record_report`, headers: auth(apiInvestigator.token), payload: { version: listed.version, report_received_on: '2026-07-01' } });
    expect(json.statusCode).toBe(400);
    expect(json.json<{ error: { code: string; problems: { field: string }[] } }>().error).toMatchObject({ code: 'missing_report', problems: [{ field: 'report' }] });
    const send = (token: string, fields: Record<string, string | number>, report?: FilePart) => {
      const body = multipart(fields, report === undefined ? {} : { report });
      return app.inject({ method: 'POST', url: `${stages}/record_report`, headers: { ...auth(token), 'content-type': body.contentType }, payload: body.payload });
    };
    const wrong = await send(apiInvestigator.token, { version: listed.version, report_received_on: '2026-07-01' }, { name: 'report.pdf', bytes: TEXT });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ error: { code: string } }>().error.code).toBe('file_not_what_name_says');
    const unknownFile = await send(apiInvestigator.token, { version: listed.version, report_received_on: '2026-07-01' }, undefined);
    expect(unknownFile.json<{ error: { code: string } }>().error.code).toBe('missing_report');
    expect((await send(strangerToken, { version: listed.version, report_received_on: '2026-07-01' }, { name: 'report.pdf', bytes: PDF })).statusCode).toBe(404);
    expect(await snapshot(reference)).toEqual(before);

    const recorded = await send(apiInvestigator.token, { version: listed.version, report_received_on: '2026-07-01' }, { name: 'report.pdf', bytes: PDF, type: 'application/pdf' });
    expect(recorded.statusCode, recorded.body).toBe(200);
    const after = laterStagesJson.parse(recorded.json());
    expect(after.stage2).toMatchObject({ report_received_on: '2026-07-01' });
    const [document] = after.report_documents;
    expect(after.report_documents).toEqual([
      { id: expect.any(Number) as number, file_name: 'report.pdf', media_type: 'application/pdf', size_bytes: PDF.length, added_at: '2026-11-26T10:00:00.000Z', download_url: `/api/v1/representations/${reference}/attachments/${String(document?.id)}` },
    ]);

    // The download URL, with the same rule as the page.
    for (const token of [teamToken, apiInvestigator.token]) {
      const download = await app.inject({ method: 'GET', url: document?.download_url ?? '', headers: auth(token) });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(PDF)).toBe(true);
      expect(download.headers['content-disposition']).toMatch(/^attachment;/);
      expect(download.headers['x-content-type-options']).toBe('nosniff');
    }
    const refused = await app.inject({ method: 'GET', url: document?.download_url ?? '', headers: auth(strangerToken) });
    expect(refused.statusCode).toBe(404);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('not_found');

    // The OpenAPI document says how to send it.
    const openApi = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json<{ paths: Record<string, Record<string, { description?: string; requestBody?: { content: Record<string, unknown> } }>> }>();
    const post = openApi.paths['/api/v1/representations/{reference}/stages/{step}']?.post;
    expect(post?.description).toContain('multipart/form-data');
    expect(Object.keys(post?.requestBody?.content ?? {})).toEqual(['application/json', 'multipart/form-data']);
    expect(openApi.paths['/api/v1/representations/{reference}/attachments/{attachmentId}']?.get).toBeDefined();
  });
});
