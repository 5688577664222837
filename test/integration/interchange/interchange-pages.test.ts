/**
 * The import, export and yearly totals pages over HTTP, on both engines: who may use them,
 * the upload (multipart, CSRF-checked) with its error summary and table of problems by line
 * and column, the download, and the totals form with its errors.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/databases.ts';
import { testContainer } from '../../support/builders.ts';
import { decodeEntities, errorSummary, signedInAs, type Browser } from '../../support/http.ts';
import { FULL_YEAR_CSV, HEADER, line } from '../../support/interchange-files.ts';
import { createApp } from '../../../src/web/app.ts';
import { SESSION_COOKIE } from '../../../src/web/auth/auth-routes.ts';
import type { Container } from '../../../src/container.ts';

/** Signing in hashes a password (argon2) for each user. */
const HTTP_TIMEOUT = 90_000;

/** Posts the upload form as a browser does: multipart, with the CSRF token from the page. */
async function upload(app: FastifyInstance, browser: Browser, content: string, options: { dryRun?: boolean; createTeams?: boolean; csrf?: string } = {}): Promise<LightMyRequestResponse> {
  const token = options.csrf ?? (await browser.csrfToken('/admin/import'));
  const boundary = '----redress-test-boundary';
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const payload =
    field('_csrf', token) +
    (options.dryRun === true ? field('dryRun', 'yes') : '') +
    (options.createTeams === true ? field('createTeams', 'yes') : '') +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="year.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return app.inject({
    method: 'POST',
    url: '/admin/import',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    cookies: { [SESSION_COOKIE]: browser.cookie(SESSION_COOKIE) ?? '', redress_csrf: browser.cookie('redress_csrf') ?? '' },
  });
}

const count = async (container: Container) => Number((await container.db.kysely.selectFrom('representation').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describeEachEngine('import, export and yearly totals pages', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let admin: Browser;
  let manager: Browser;
  let officer: Browser;

  beforeAll(async () => {
    container = await testContainer(database());
    app = await createApp(container);
    admin = await signedInAs(app, container, 'admin');
    manager = await signedInAs(app, container, 'complaints_manager');
    officer = await signedInAs(app, container, 'complaints_officer');
  }, HTTP_TIMEOUT);
  afterAll(async () => {
    await app.close();
  });

  it('lets only administrators upload, and complaints managers export and enter totals', async () => {
    expect((await admin.get('/admin/import')).statusCode).toBe(200);
    expect((await manager.get('/admin/import')).statusCode).toBe(403);
    expect((await officer.get('/admin/import')).statusCode).toBe(403);
    expect((await upload(app, manager, FULL_YEAR_CSV, { csrf: await admin.csrfToken('/admin/import') })).statusCode).toBe(403);
    expect((await manager.get('/reports/export')).statusCode).toBe(200);
    expect((await officer.get('/reports/export?year=2011')).statusCode).toBe(403);
    expect((await manager.get('/admin/history')).statusCode).toBe(200);
    expect((await officer.get('/admin/history')).statusCode).toBe(403);
    expect(await count(container)).toBe(0);
  });

  it('refuses an upload without its CSRF token', async () => {
    const response = await upload(app, admin, FULL_YEAR_CSV, { csrf: 'forged' });
    expect(response.statusCode).toBe(403);
    expect(await count(container)).toBe(0);
  });

  it('shows an error summary and a table of every problem by line and column, writing nothing', async () => {
    const bad = [HEADER, line({ reference: 'CSC-2011-0001', kind: 'children_statutory', received_on: '2011-04-31', team: 'Nowhere' }), line({ reference: 'CSC-2011-0002', kind: 'x', received_on: '2011-05-01' })].join('\n');
    const response = await upload(app, admin, bad);
    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body)).toEqual(['The file has 3 problems: nothing was imported. Correct them and upload the file again.']);
    expect(response.body).toContain('<title>Error: The file has problems – Redress</title>');
    const rows = [...response.body.matchAll(/<tr class="govuk-table__row">\s*<th scope="row" class="govuk-table__header">(\d+)<\/th>\s*<td class="govuk-table__cell">([^<]*)<\/td>\s*<td class="govuk-table__cell">([^<]*)<\/td>/g)].map((m) => [m[1], decodeEntities(m[2] ?? ''), decodeEntities(m[3] ?? '')]);
    expect(rows).toEqual([
      ['2', 'C (received_on)', '"2011-04-31" is not a real date written YYYY-MM-DD'],
      ['3', 'B (kind)', '"x" is not a kind code (the codes are children_statutory, corporate, adult_statutory, informal, other_agency, comment, compliment)'],
      ['2', 'G (team)', 'There is no team called "Nowhere": add it first, correct the name, or import with the option to create teams'],
    ].sort((a, b) => Number(a[0]) - Number(b[0])));
    expect(await count(container)).toBe(0);
  });

  it('asks for a file when none is chosen', async () => {
    const response = await upload(app, admin, '');
    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body)).toEqual(['Select a CSV or XLSX file to import']);
  });

  it('checks a file in a dry run, then imports it and shows the counts', async () => {
    const dry = await upload(app, admin, FULL_YEAR_CSV, { dryRun: true, createTeams: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.body).toContain('The file has no problems');
    expect(dry.body).toContain('This was a check only: nothing was written.');
    expect(await count(container)).toBe(0);
    const done = await upload(app, admin, FULL_YEAR_CSV, { createTeams: true });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('File imported');
    expect(decodeEntities(done.body)).toMatch(/New representations imported\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*6\s*</);
    expect(await count(container)).toBe(6);
  });

  it('shows the warnings after a check and after an import, which still goes ahead', async () => {
    const untidy = [
      HEADER,
      line({ reference: 'CSC-2012-0001', kind: 'children_statutory', received_on: '2012-09-01', young_person_id: 'YP-9', ethnicity: 'WBRI' }),
      line({ reference: 'CSC-2012-0002', kind: 'children_statutory', received_on: '2012-05-01', young_person_id: 'YP-9', ethnicity: 'BCRB' }),
      line({ reference: 'COR-2012-0003', kind: 'corporate', received_on: '2012-05-02', stage1_extended: 'true', stage1_responded_on: '2012-06-01' }),
    ].join('\n');
    const warningRows = (body: string) => {
      const section = /<div id="warnings">([\s\S]*?)<\/table>/.exec(body)?.[1] ?? '';
      return [...section.matchAll(/<th scope="row" class="govuk-table__header">(\d+)<\/th>\s*<td class="govuk-table__cell">([^<]*)<\/td>\s*<td class="govuk-table__cell">([^<]*)<\/td>/g)].map((m) => [m[1], decodeEntities(m[2] ?? ''), decodeEntities(m[3] ?? '')]);
    };
    const expected = [['3', 'K (ethnicity)', 'The young person YP-9 has the ethnicity BCRB here but WBRI on line 2, their latest line (received 2012-09-01): they keep WBRI']];
    const before = await count(container);
    const dry = await upload(app, admin, untidy, { dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.body).toContain('The file has no problems');
    expect(decodeEntities(dry.body)).toContain('1 warning: these lines do not stop the import and were taken as they are. Check them.');
    expect(dry.body).toContain('govuk-warning-text');
    expect(warningRows(dry.body)).toEqual(expected);
    expect(errorSummary(dry.body)).toEqual([]);
    expect(await count(container)).toBe(before);

    const done = await upload(app, admin, untidy);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('File imported');
    expect(warningRows(done.body)).toEqual(expected);
    expect(await count(container)).toBe(before + 3);
    const person = await container.db.kysely.selectFrom('young_person').select('ethnicity').where('external_id', '=', 'YP-9').executeTakeFirstOrThrow();
    expect(person.ethnicity).toBe('WBRI');
  });

  it('downloads a year as CSV and as XLSX', async () => {
    const csv = await manager.get('/reports/export?year=2011&format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="redress-2011-12.csv"');
    expect(csv.body).toBe(FULL_YEAR_CSV);
    const xlsx = await manager.get('/reports/export?year=2011&format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 4).toString('hex')).toBe('504b0304');
    const bad = await manager.get('/reports/export?year=20');
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual(['Select a year from 2000 to 2039']);
  });

  it('enters yearly totals with an error summary for bad figures, and lists them', async () => {
    const bad = await manager.post('/admin/history', { year: '1800', children_statutory: 'many', informal: '4' }, '/admin/history');
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual(['Enter the year the reporting year starts, from 1990 to 2039, for example 2009 for 2009/10', 'Complaints under the Children Act 1989 procedure must be a whole number, 0 or more']);
    expect(bad.body).toContain('value="4"');
    const saved = await manager.post('/admin/history', { year: '2009', children_statutory: '104', informal: '45', corporate: '5', compliments: '56', new_referrals: '', cases_worked: '3,000' }, '/admin/history');
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Totals for 2009/10 saved');
    expect(saved.body).toContain('>2009/10</th>');
    expect(await container.historyTotals.find(2009)).toMatchObject({ childrenStatutory: 104, informal: 45, corporate: 5, compliments: 56, newReferrals: null, casesWorked: 3000 });
    const edit = await manager.get('/admin/history?year=2009');
    expect(edit.body).toContain('Change the totals for 2009');
    expect(edit.body).toContain('value="104"');
  });
});
