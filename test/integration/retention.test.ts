/**
 * Retention and disposal on both engines, on a year of demo cases with the clock set forward:
 * exactly the cases due are disposed of (those closed in 2025/26, six years after that
 * financial year ended), a case on legal hold and one whose young person is not yet 25 are
 * kept, as are the cases closed later; every trace of a disposed case's personal data is gone
 * from every table, its files from the disk and its words from the full-text search, while
 * the annual reports of its year and the next read exactly as before. A dry run changes
 * nothing, a second run disposes of nothing more, and a policy shorter than the law allows is
 * refused with nothing changed — through the service and through `redress`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, testClock, testConfig, testContainer, type TestClock } from '../support/builders.ts';
import { runCli } from '../support/cli.ts';
import { PDF } from '../support/file-samples.ts';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../../src/container.ts';
import { createApp } from '../../src/web/app.ts';
import { decodeEntities, errorSummary, signedInPerson } from '../support/http.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { Database } from '../../src/db/schema.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { DEFAULT_COUNCIL_SETTINGS } from '../../src/domain/procedures/council-settings.ts';

const CLI_TIMEOUT = 180_000;
/** Six years after 2025/26 ended (31 March 2026), a few weeks into the period when its closed cases are due. */
const AS_AT = '2032-06-01';
/** The annual reports compared before and after, drawn up as at a fixed date. */
const REPORT_AS_AT = '2026-11-26';
const UNIQUE_NAME = 'Quillon Marchbanks';
const UNIQUE_EMAIL = 'quillon.marchbanks@example.org';
const UNIQUE_WORD = 'zephyrquill';

describeEachEngine('retention and disposal', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let clock: TestClock;
  let dir: string;
  let manager: StaffActor;
  const db = () => database().db.kysely;
  const env = () => ({ DATABASE_URL: database().url, ATTACHMENTS_DIR: dir });

  /** Every table's rows as text (the audit trail included: it holds ids, references and codes, never names). */
  const everyRow = async (): Promise<string> => {
    const { engine, config } = database();
    const tables = (await db().introspection.getTables())
      .filter((t) => engine === 'sqlite' || t.schema === config.schema)
      .map((t) => t.name)
      .filter((name) => !name.endsWith('_fts') && !name.includes('_fts_'));
    let text = '';
    for (const table of tables) text += JSON.stringify(await db().selectFrom(table as keyof Database).selectAll().execute());
    return text.toLowerCase();
  };
  const reports = async () => {
    const strip = async (year: number) => {
      const { quotes: _quotes, ...rest } = await container.annualReports.report(year, { asAt: REPORT_AS_AT });
      return JSON.stringify(rest);
    };
    return { y2025: await strip(2025), y2026: await strip(2026), figures2025: JSON.stringify((await container.annualReports.report(2025, { asAt: REPORT_AS_AT })).figures) };
  };
  const searchIds = async (words: string) => (await container.cases.queue(manager, { queue: 'all', search: words })).rows.map((r) => r.reference);
  const caseRow = (reference: string) => db().selectFrom('representation').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();

  let due: string[] = [];
  let dueTarget: string;
  let heldRef: string;
  let youngRef: string;
  let laterRef: string;
  let targetFile: string;
  let before: Awaited<ReturnType<typeof reports>>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'redress-retention-test-'));
    clock = testClock('2026-11-26T10:00:00.000Z');
    container = await testContainer(database(), clock, testConfig({ ATTACHMENTS_DIR: dir }));
    app = await createApp(container);
    await container.demo.ensure({ withCases: true });
    manager = await aStaffMember(container, ['complaints_manager']);

    const ended = await db()
      .selectFrom('representation')
      .select(['id', 'reference', 'closed_on', 'withdrawn_on', 'young_person_id', 'complainant_id', 'version'])
      .where('status', 'in', ['closed', 'withdrawn'])
      .orderBy('reference')
      .execute();
    const endedOn = (r: (typeof ended)[number]) => r.closed_on ?? r.withdrawn_on ?? '';
    const early = ended.filter((r) => endedOn(r) !== '' && endedOn(r) <= '2026-03-31');
    const late = ended.filter((r) => endedOn(r) > '2026-03-31');
    expect(early.length, 'cases closed in 2025/26').toBeGreaterThan(3);
    expect(late.length, 'cases closed in 2026/27').toBeGreaterThan(0);
    laterRef = late[0]?.reference ?? '';

    // A young person under 25 on the day of the run: born 1 January 2008, 25 on 1 January 2033.
    const young = early.find((r) => r.young_person_id !== null);
    if (young?.young_person_id == null) throw new Error('no closed case with a young person');
    youngRef = young.reference;
    await db().updateTable('young_person').set({ date_of_birth: '2008-01-01' }).where('id', '=', young.young_person_id).execute();
    const sameYoungPerson = new Set(early.filter((r) => r.young_person_id === young.young_person_id).map((r) => r.reference));

    // The case to follow: a complainant with a name and email found nowhere else, a note with a word used nowhere else, a file.
    const target = early.find((r) => !sameYoungPerson.has(r.reference) && r.complainant_id !== null);
    if (target?.complainant_id == null) throw new Error('no closed case with a complainant');
    dueTarget = target.reference;
    await db().updateTable('person').set({ name: UNIQUE_NAME, email: UNIQUE_EMAIL, phone: '01632 960 123', address: '1 Quillon Lane' }).where('id', '=', target.complainant_id).execute();
    await container.caseActions.apply(dueTarget, 'add_note', { note: `Spoke to ${UNIQUE_NAME}: ${UNIQUE_WORD} matters.` }, manager, target.version);
    const file = await container.attachments.store('representation', target.id, { fileName: 'quillon-letter.pdf', bytes: PDF }, manager.userId);
    targetFile = container.attachments.pathOf(file.storageKey);
    expect(existsSync(targetFile)).toBe(true);

    // One on legal hold, with a note of its own.
    const held = early.find((r) => !sameYoungPerson.has(r.reference) && r.reference !== dueTarget);
    if (held === undefined) throw new Error('no second closed case');
    heldRef = held.reference;
    await container.caseActions.apply(heldRef, 'add_note', { note: `Held: ${UNIQUE_WORD} too.` }, manager, (await caseRow(heldRef)).version);
    await container.retention.placeHold(heldRef, 'Disclosure requested in care proceedings', manager);

    due = early.filter((r) => !sameYoungPerson.has(r.reference) && r.reference !== heldRef).map((r) => r.reference);
    before = await reports();
  }, 600_000);

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('computes the due date from the end of the financial year and the young person’s 25th birthday', async () => {
    const schedule = await container.retention.schedule(AS_AT);
    expect(schedule.policy).toEqual({ yearsAfterClosure: 6, minimumAge: 25 });
    expect(schedule.due.map((i) => i.reference).sort()).toEqual([...due].sort());
    expect(schedule.due.every((i) => i.dueOn === '2032-04-01' && i.basis === 'closure')).toBe(true);
    expect(schedule.held.map((i) => i.reference)).toEqual([heldRef]);
    const young = schedule.later.find((i) => i.reference === youngRef);
    expect(young).toMatchObject({ dueOn: '2033-01-01', basis: 'age' });
    expect(schedule.later.find((i) => i.reference === laterRef)?.dueOn).toBe('2033-04-01');
  });

  it('refuses a policy shorter than the law allows, with a clear message and nothing changed', async () => {
    const rows = await db().selectFrom('council_setting').selectAll().execute();
    const audits = await db().selectFrom('audit_event').select('id').execute();
    const refusal = await container.councilSettings.update({ retentionYearsAfterClosure: 5 }, manager).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).message).toContain('cannot be less than 6');
    expect((refusal as DomainError).message).toContain('end of the financial year');
    const young = await container.councilSettings.update({ retentionMinimumAge: 21 }, manager).catch((e: unknown) => e);
    expect((young as DomainError).message).toContain('25th birthday');

    const cli = await runCli(['settings', 'set', 'retention-years-after-closure', '5'], env());
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim()).toBe(
      'redress: retention-years-after-closure must be at least 6: a closed case’s personal data must be kept at least 6 years after the end of the financial year in which it closed (the six-year limitation period for claims) (got "5")',
    );
    const age = await runCli(['settings', 'set', 'retention-minimum-age', '18'], env());
    expect(age.code).toBe(2);
    expect(age.stderr).toContain('at least until the young person’s 25th birthday');

    expect(await db().selectFrom('council_setting').selectAll().execute()).toEqual(rows);
    expect(await db().selectFrom('audit_event').select('id').execute()).toHaveLength(audits.length);
    expect(await container.councilSettings.settings()).toEqual(DEFAULT_COUNCIL_SETTINGS);
  }, CLI_TIMEOUT);

  it('a dry run (service and CLI) says what is due and changes nothing', async () => {
    const snapshot = await everyRow();
    const result = await container.retention.run({ asAt: AS_AT, isDryRun: true }, manager);
    expect(result.disposed).toEqual([]);
    expect(result.due.map((i) => i.reference).sort()).toEqual([...due].sort());

    const cli = await runCli(['retention', 'run', '--dry-run', '--as-at', AS_AT], env());
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`Retention as at ${AS_AT} (dry run: nothing changed)`);
    expect(cli.stdout).toContain(`Would be disposed of: ${String(due.length)}`);
    expect(cli.stdout).toContain(`Kept on legal hold: 1: ${heldRef}`);
    expect(cli.stdout).toContain(dueTarget);

    const bad = await runCli(['retention', 'run', '--as-at', '2032-02-30'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('redress: --as-at must be a real date written YYYY-MM-DD (got "2032-02-30")');

    expect(await everyRow()).toBe(snapshot);
    expect(existsSync(targetFile)).toBe(true);
    expect(await searchIds(UNIQUE_WORD)).toEqual(expect.arrayContaining([dueTarget, heldRef]));
  }, CLI_TIMEOUT);

  it('lists what is due and held on the retention page, and places and removes a legal hold from the case page', async () => {
    // Six years on: sign in then (sessions follow the clock).
    clock.set(`${AS_AT}T09:00:00.000Z`);
    const snapshot = await db().selectFrom('legal_hold').selectAll().execute();
    const { browser: viewer } = await signedInPerson(app, container, ['viewer']);
    expect((await viewer.get('/admin/retention')).statusCode).toBe(403);
    const { browser: officer } = await signedInPerson(app, container, ['complaints_officer']);
    expect((await officer.get(`/cases/${laterRef}/legal-hold`)).statusCode).toBe(403);

    const { browser: governance } = await signedInPerson(app, container, ['information_governance']);
    const page = await governance.get('/admin/retention');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const html = decodeEntities(page.body);
    expect(html).toContain(`Due for disposal on 1 June 2032 (${String(due.length)})`);
    for (const reference of due) expect(html).toContain(`>${reference}</a>`);
    expect(html).toContain('On legal hold (1)');
    expect(html).toContain('Disclosure requested in care proceedings');
    expect(html).toContain(`>${youngRef}</a>`); // due in the next 12 months: 1 January 2033
    expect(html).toContain('The young person’s age');
    expect(html.toLowerCase()).not.toContain('quillon');

    const { browser: manager } = await signedInPerson(app, container, ['complaints_manager']);
    const casePage = decodeEntities((await manager.get(`/cases/${laterRef}`)).body);
    expect(casePage).toContain('Not on legal hold');
    expect(casePage).toContain(`href="/cases/${laterRef}/legal-hold">Place legal hold</a>`);
    const form = `/cases/${laterRef}/legal-hold`;
    // No CSRF token: refused, nothing held.
    expect((await manager.post(form, { intent: 'place', reason: 'Litigation' })).statusCode).toBe(403);
    // No reason: the error summary, nothing held.
    const empty = await manager.post(form, { intent: 'place', reason: '  ' }, form);
    expect(empty.statusCode).toBe(400);
    expect(errorSummary(empty.body)).toEqual(['Enter why the case must be kept']);
    expect(await db().selectFrom('legal_hold').selectAll().execute()).toEqual(snapshot);

    const placed = await manager.post(form, { intent: 'place', reason: 'Judicial review of the placement decision' }, form);
    expect(placed.statusCode).toBe(303);
    expect(placed.headers.location).toBe(`/cases/${laterRef}`);
    const held = decodeEntities((await manager.get(`/cases/${laterRef}`)).body);
    expect(held).toContain('This case is on legal hold since 1 June 2032');
    expect(held).toContain('Judicial review of the placement decision');
    expect(held).toContain('Remove legal hold');
    const removed = await manager.post(form, { intent: 'remove', reason: 'Review withdrawn' }, form);
    expect(removed.statusCode).toBe(303);
    expect(decodeEntities((await manager.get(`/cases/${laterRef}`)).body)).toContain('Not on legal hold');
    const audit = await db().selectFrom('audit_event').select(['action', 'entity_id']).where('action', 'in', ['legal_hold_placed', 'legal_hold_removed', 'legal_hold_viewed']).execute();
    const laterId = String((await caseRow(laterRef)).id);
    expect(audit.filter((a) => a.entity_id === laterId).map((a) => a.action)).toEqual(expect.arrayContaining(['legal_hold_viewed', 'legal_hold_placed', 'legal_hold_removed']));
    expect((await container.retention.schedule(AS_AT)).held.map((i) => i.reference)).toEqual([heldRef]);
  });

  it('disposes of exactly the due cases, keeps the held and not-due ones, and the year’s report is unchanged', async () => {
    const cli = await runCli(['retention', 'run', '--as-at', AS_AT], env());
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`Disposed of: ${String(due.length)}`);
    expect(cli.stdout).toContain(`Kept on legal hold: 1: ${heldRef}`);

    const disposed = await db().selectFrom('representation').select('reference').where('disposed_at', 'is not', null).orderBy('reference').execute();
    expect(disposed.map((r) => r.reference)).toEqual([...due].sort());
    for (const kept of [heldRef, youngRef, laterRef]) expect((await caseRow(kept)).disposed_at).toBeNull();

    // Personal data: nowhere in any table; the file gone from the disk; the words gone from the search.
    const rows = await everyRow();
    expect(rows).not.toContain(UNIQUE_NAME.toLowerCase());
    expect(rows).not.toContain(UNIQUE_EMAIL);
    expect(rows).not.toContain('quillon lane');
    expect(rows).not.toContain('quillon-letter');
    expect(existsSync(targetFile)).toBe(false);
    expect(await searchIds(UNIQUE_WORD)).toEqual([heldRef]);
    expect(await searchIds(UNIQUE_NAME)).toEqual([]);

    const target = await caseRow(dueTarget);
    expect(target).toMatchObject({ complainant_id: null, advocate_id: null, reply: null, summary: 'Disposed of under the retention policy' });
    expect(await db().selectFrom('case_note').where('representation_id', '=', target.id).selectAll().execute()).toEqual([]);
    expect(await db().selectFrom('attachment').where('subject_type', '=', 'representation').where('subject_id', '=', target.id).selectAll().execute()).toEqual([]);
    // A young person's id and date of birth go with the last case about them; the row stays, with the ethnicity the report counts.
    const people = await db().selectFrom('young_person').selectAll().execute();
    const cases = await db().selectFrom('representation').select(['young_person_id', 'disposed_at']).where('young_person_id', 'is not', null).execute();
    let gone = 0;
    for (const yp of people) {
      const isKept = cases.some((c) => c.young_person_id === yp.id && c.disposed_at === null);
      expect(yp.external_id.startsWith('disposed-'), yp.external_id).toBe(!isKept);
      if (!isKept) {
        gone += 1;
        expect(yp.external_id).toBe(`disposed-${String(yp.id)}`);
        expect(yp.date_of_birth).toBeNull();
      }
    }
    expect(gone).toBeGreaterThan(0);
    expect(people.find((yp) => yp.date_of_birth === '2008-01-01')).toBeDefined();
    const history = await db().selectFrom('history_entry').select(['summary', 'before', 'after']).where('subject_type', '=', 'representation').where('subject_id', '=', target.id).execute();
    expect(history.every((h) => h.before === null && h.after === null)).toBe(true);

    // The disposal log and the audit trail: which case, when, the policy; never the personal data.
    const log = await container.retention.log();
    expect(log.map((l) => l.reference).sort()).toEqual([...due].sort());
    const entry = log.find((l) => l.reference === dueTarget);
    expect(entry).toMatchObject({ asAt: AS_AT, dueOn: '2032-04-01', policy: { years_after_closure: 6, minimum_age: 25, basis: 'closure' } });
    expect(entry?.erased).toMatchObject({ person: 1, case_note: 1, attachment: 1 });
    const audit = await db().selectFrom('audit_event').select(['details']).where('action', '=', 'case_disposed').execute();
    expect(audit).toHaveLength(due.length);
    expect(JSON.stringify(audit).toLowerCase()).not.toContain('quillon');

    // The case page: no personal data, and says when it went; the retention page's log lists it.
    const { browser: manager } = await signedInPerson(app, container, ['complaints_manager']);
    const page = await manager.get(`/cases/${dueTarget}`);
    expect(page.statusCode).toBe(200);
    const html = decodeEntities(page.body);
    expect(html).toMatch(/This case’s personal data was disposed of on \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(html.toLowerCase()).not.toContain('quillon');
    expect(html).not.toContain('Disposed of under the retention policy');
    expect(html).not.toContain('legal-hold');
    const viewed = await db().selectFrom('audit_event').select('id').where('action', '=', 'case_viewed').where('entity_id', '=', String(target.id)).execute();
    expect(viewed.length).toBeGreaterThan(0);
    const logPage = decodeEntities((await manager.get('/admin/retention')).body);
    expect(logPage).toContain(`Disposal log (${String(due.length)})`);
    expect(logPage).toContain('Due for disposal on 1 June 2032 (0)');
    expect(logPage).toContain('people and their contact details (1)');

    // The reports of its year and the next add up exactly as before.
    const after = await reports();
    expect(after.figures2025).toBe(before.figures2025);
    expect(after.y2025).toBe(before.y2025);
    expect(after.y2026).toBe(before.y2026);
  }, CLI_TIMEOUT);

  it('running again disposes of nothing more; a hold removed lets the case go at the next run', async () => {
    const again = await container.retention.run({ asAt: AS_AT }, manager);
    expect(again.disposed).toEqual([]);
    expect(again.due).toEqual([]);
    expect(again.held.map((i) => i.reference)).toEqual([heldRef]);

    await expect(container.retention.removeHold(heldRef, '   ', manager)).rejects.toThrow('Enter why the legal hold can be removed');
    await container.retention.removeHold(heldRef, 'Proceedings concluded', manager);
    const next = await container.retention.run({ asAt: AS_AT }, manager);
    expect(next.disposed).toEqual([heldRef]);
    expect(await searchIds(UNIQUE_WORD)).toEqual([]);
    await expect(container.retention.placeHold(heldRef, 'Too late', manager)).rejects.toThrow('disposed of');
    // Nothing more can be done to a disposed-of case: not even re-opening it.
    const disposedCase = await caseRow(dueTarget);
    await expect(container.caseActions.apply(dueTarget, 'reopen', { reason: 'The complainant wrote again' }, manager, disposedCase.version)).rejects.toThrow('nothing more can be done');
    await expect(container.laterStages.apply(dueTarget, 'request_stage2', { requested_on: AS_AT }, manager, disposedCase.version)).rejects.toThrow('nothing more can be done');
    expect(await container.caseActions.available(dueTarget, manager)).toEqual([]);
    expect(await caseRow(dueTarget)).toEqual(disposedCase);
    const heldId = String((await caseRow(heldRef)).id);
    const audits = await db().selectFrom('audit_event').select('action').where('action', 'in', ['legal_hold_placed', 'legal_hold_removed']).where('entity_id', '=', heldId).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['legal_hold_placed', 'legal_hold_removed']);
    expect(JSON.stringify((await reports()).figures2025)).toBe(JSON.stringify(before.figures2025));
  });
});
