/**
 * Subject access on both engines: the bundle for a young person or a complainant holds every
 * record of their cases (facts, notes, history, letters, files, who looked) and nothing of anyone
 * else's case; other people's details are marked for redaction in the JSON and the Word
 * document; the CLI writes it whole, the page is for information governance only, and every
 * look and export is audited with ids only.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/databases.ts';
import { aStaffMember, teamIdsByName, testClock, testContainer } from '../../support/builders.ts';
import { signedInAs, type Browser } from '../../support/http.ts';
import { runCli } from '../../support/cli.ts';
import { readZipEntry, zipEntries } from '../../support/zip.ts';
import { PDF } from '../../support/file-samples.ts';
import { createApp } from '../../../src/web/app.ts';
import type { Container } from '../../../src/container.ts';
import type { RegistrationInput } from '../../../src/domain/cases/registration.ts';
import type { StaffActor } from '../../../src/app/registration-service.ts';
import type { SubjectAccessBundle } from '../../../src/app/subject-access-service.ts';
import { REPRESENTATION_SUBJECT } from '../../../src/db/representation-repository.ts';

const NOW = '2026-11-26T10:00:00.000Z';
const CLI_TIMEOUT = 180_000;
const HTTP_TIMEOUT = 90_000;

describeEachEngine('subject access', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: StaffActor;
  let ig: Browser;
  let manager: Browser;
  const ids: Record<string, number> = {};
  let outDir: string;

  const kysely = () => database().db.kysely;

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    const teamId = await teamIdsByName(container);
    officer = await aStaffMember(container, ['complaints_officer']);
    const complaint = (receivedOn: string, summary: string, youngPerson: string, complainant: RegistrationInput['complainant'], team = 'Contact Team'): RegistrationInput => ({
      fields: { kind: 'children_statutory', received_on: receivedOn, channel: 'letter', via_complaints_team: 'yes', summary, issues: ['communication'], complainant_role: 'parent' },
      teamIds: [teamId(team)],
      youngPerson: { externalId: youngPerson, dateOfBirth: '2012-03-04' },
      complainant,
    });
    const register = async (name: string, input: RegistrationInput) => {
      const [made] = await container.registration.register(input, officer);
      if (made === undefined) throw new Error('not registered');
      ids[name] = made.id;
      return made;
    };
    // A and B are about YP-SAR-1; A and C were made by Pat Parent; D is no one's here.
    await register('A', complaint('2026-11-02', 'Pat Parent says contact visits were cancelled.', 'YP-SAR-1', { name: 'Pat Parent', email: 'pat@example.org', phone: '01632 960111' }));
    await register('B', complaint('2026-11-09', 'The school transport did not come.', 'YP-SAR-1', { name: 'Chris Carer', email: 'chris@example.org' }, 'Fostering'));
    await register('C', complaint('2026-11-16', 'A second child’s review was late.', 'YP-SAR-2', { name: 'Pat Parent', email: 'PAT@example.org' }));
    await register('D', complaint('2026-11-17', 'SECRET-D summary about Dana Other.', 'YP-SAR-9', { name: 'Dana Other', email: 'dana@example.org' }));
    const note = (name: string, body: string) => kysely().insertInto('case_note').values({ representation_id: ids[name] ?? 0, body, user_id: officer.userId, created_at: NOW }).execute();
    await note('A', 'Rang Pat Parent back about the visits.');
    await note('B', 'Transport team asked for the timetable.');
    await note('D', 'SECRET-D note.');
    await container.attachments.store(REPRESENTATION_SUBJECT, ids.A ?? 0, { fileName: 'visit-log.pdf', bytes: PDF }, officer.userId);
    await container.attachments.store(REPRESENTATION_SUBJECT, ids.D ?? 0, { fileName: 'secret-d.pdf', bytes: PDF }, officer.userId);
    await kysely()
      .insertInto('history_entry')
      .values({ subject_type: REPRESENTATION_SUBJECT, subject_id: ids.A ?? 0, occurred_at: '2026-11-03T09:00:00.000Z', user_id: officer.userId, action: 'letter_produced', summary: 'Letter produced: Acknowledgement', before: null, after: JSON.stringify({ letter: 'acknowledgement', format: 'docx' }) })
      .execute();
    const reference = async (name: string) => (await kysely().selectFrom('representation').select('reference').where('id', '=', ids[name] ?? 0).executeTakeFirstOrThrow()).reference;
    // Someone looked at case A.
    await container.cases.load(await reference('A'), officer);
    app = await createApp(container);
    ig = await signedInAs(app, container, 'information_governance');
    manager = await signedInAs(app, container, 'complaints_manager');
    outDir = mkdtempSync(path.join(tmpdir(), 'redress-sar-'));
  }, HTTP_TIMEOUT);

  afterAll(async () => {
    await app.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  const refs = async (...names: string[]) => Promise.all(names.map(async (n) => (await kysely().selectFrom('representation').select('reference').where('id', '=', ids[n] ?? 0).executeTakeFirstOrThrow()).reference));

  it('gathers every record of the young person’s cases and nothing of anyone else’s', async () => {
    const { bundle, files } = await container.subjectAccess.gather({ kind: 'young_person', id: 'YP-SAR-1' }, officer);
    const [a, b, c, d] = await refs('A', 'B', 'C', 'D');
    expect(bundle.format).toBe('redress.subject-access/1');
    expect(bundle.cases.map((x) => x.reference)).toEqual([a, b]);
    const caseA = bundle.cases[0] ?? {};
    expect(caseA.summary).toBe('Pat Parent says contact visits were cancelled.');
    expect(caseA.young_person).toEqual({ id: 'YP-SAR-1', date_of_birth: '2012-03-04', ethnicity: null });
    expect(caseA.complainant).toMatchObject({ name: 'Pat Parent', email: 'pat@example.org' });
    expect(caseA.notes).toEqual([{ written_at: NOW, by: 'Test complaints_officer', body: 'Rang Pat Parent back about the visits.' }]);
    expect((caseA.history as { summary: string }[]).map((h) => h.summary)).toContain('Letter produced: Acknowledgement');
    expect(caseA.letters).toEqual([{ produced_at: '2026-11-03T09:00:00.000Z', by: 'Test complaints_officer', summary: 'Letter produced: Acknowledgement', letter: 'acknowledgement' }]);
    expect((caseA.clocks as unknown[]).length).toBeGreaterThan(0);
    expect((caseA.seen_by as { what: string; by: string }[]).some((v) => v.what === 'Looked at the case' && v.by === 'Test complaints_officer')).toBe(true);
    expect(files.map((f) => f.path)).toEqual([`files/${String(a)}/${String(bundle.files[0] ? bundle.files[0].path.split('/')[2] : '')}`]);
    expect(bundle.files.map((f) => f.file_name)).toEqual(['visit-log.pdf']);
    expect(files[0]?.bytes.equals(PDF)).toBe(true);
    // Nothing of case C or D.
    const text = JSON.stringify(bundle);
    for (const absent of [c, d, 'SECRET-D', 'Dana Other', 'dana@example.org', 'YP-SAR-9', 'YP-SAR-2', 'secret-d.pdf', 'A second child']) expect(text).not.toContain(absent);
    // The complainants are other people: marked, in their fields and where their names appear in free text.
    expect(bundle.redactions).toEqual(
      expect.arrayContaining([
        { case: a, where: 'complainant.name', text: 'Pat Parent', who: 'the complainant' },
        { case: a, where: 'complainant.email', text: 'pat@example.org', who: 'the complainant' },
        { case: a, where: 'summary', text: 'Pat Parent', who: 'the complainant' },
        { case: a, where: 'notes[0].body', text: 'Pat Parent', who: 'the complainant' },
        { case: b, where: 'complainant.name', text: 'Chris Carer', who: 'the complainant' },
      ]),
    );
    // Staff are not marked.
    expect(bundle.redactions.some((r) => r.text.startsWith('Test '))).toBe(false);
  });

  it('gathers a complainant’s cases by email address, marking the young people', async () => {
    const { bundle } = await container.subjectAccess.gather({ kind: 'complainant', id: 'Pat@Example.org' }, officer);
    const [a, b, c, d] = await refs('A', 'B', 'C', 'D');
    expect(bundle.cases.map((x) => x.reference)).toEqual([a, c]);
    const text = JSON.stringify(bundle);
    for (const absent of [b, d, 'Chris Carer', 'SECRET-D', 'Dana Other', 'school transport']) expect(text).not.toContain(absent);
    expect(bundle.redactions).toEqual(expect.arrayContaining([{ case: c, where: 'young_person.id', text: 'YP-SAR-2', who: 'the young person' }]));
    expect(bundle.redactions.some((r) => r.text === 'Pat Parent')).toBe(false);
  });

  it('refuses a person with no cases', async () => {
    await expect(container.subjectAccess.gather({ kind: 'young_person', id: 'YP-NOBODY' }, officer)).rejects.toMatchObject({ code: 'subject_not_found' });
  });

  it(
    '`redress sar export` writes the bundle whole, audited; bad input writes nothing',
    async () => {
      const env = { DATABASE_URL: database().url, ATTACHMENTS_DIR: container.config.attachmentsDir };
      const both = await runCli(['sar', 'export', '--young-person', 'YP-SAR-1', '--complainant', 'x', '--out', path.join(outDir, 'bad')], env);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('name one person');
      const nobody = await runCli(['sar', 'export', '--young-person', 'YP-NOBODY', '--out', path.join(outDir, 'nobody')], env);
      expect(nobody.code).toBe(2);
      expect(nobody.stderr).toContain('No case records a young person with that id');
      expect(readdirSync(outDir)).toEqual([]);

      const before = await kysely().selectFrom('audit_event').select('id').where('action', '=', 'subject_access_exported').execute();
      const out = path.join(outDir, 'yp-sar-1');
      const done = await runCli(['sar', 'export', '--young-person', 'YP-SAR-1', '--out', out], env);
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout).toContain('2 cases, 1 file');
      const [a] = await refs('A');
      const json = JSON.parse(readFileSync(path.join(out, 'subject-access.json'), 'utf8')) as SubjectAccessBundle;
      expect(json.cases.map((x) => x.reference)).toHaveLength(2);
      const filePath = json.files[0]?.path ?? '';
      expect(filePath.startsWith(`files/${String(a)}/`)).toBe(true);
      expect(readFileSync(path.join(out, filePath)).equals(PDF)).toBe(true);
      const document = readZipEntry(readFileSync(path.join(out, 'subject-access.docx')), 'word/document.xml');
      expect(document).toContain('[Redact?] Pat Parent');
      expect(document).toContain('Redaction schedule');
      expect(document).not.toContain('SECRET-D');
      const after = await kysely().selectFrom('audit_event').select(['entity_type', 'entity_id', 'user_id', 'details']).where('action', '=', 'subject_access_exported').orderBy('id').execute();
      const added = after.slice(before.length);
      expect(added.map((r) => [r.entity_type, r.entity_id])).toEqual([
        ['subject_access', null],
        [REPRESENTATION_SUBJECT, String(ids.A)],
        [REPRESENTATION_SUBJECT, String(ids.B)],
      ]);
      // Ids only: no name, email or young person's id in the audit trail.
      for (const row of added) expect(row.details ?? '').not.toMatch(/Pat|example\.org|YP-SAR/);
    },
    CLI_TIMEOUT,
  );

  it(
    'the page finds the cases and downloads the bundle as a ZIP, for information governance only',
    async () => {
      const [a, b] = await refs('A', 'B');
      const empty = await ig.get('/subject-access?kind=&id=');
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('Select whether the request is from a young person or a complainant');
      const found = await ig.get('/subject-access?kind=young_person&id=YP-SAR-1');
      expect(found.statusCode).toBe(200);
      expect(found.headers['cache-control']).toBe('no-store');
      expect(found.body).toContain(String(a));
      expect(found.body).toContain(String(b));
      const previewed = await kysely().selectFrom('audit_event').select('details').where('action', '=', 'subject_access_previewed').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(JSON.parse(previewed.details ?? '{}')).toEqual({ subject_kind: 'young_person', representation_ids: [ids.A, ids.B] });

      const noCsrf = await ig.post('/subject-access/bundle.zip', { kind: 'young_person', id: 'YP-SAR-1' });
      expect(noCsrf.statusCode).toBe(403);
      const zip = await ig.post('/subject-access/bundle.zip', { kind: 'young_person', id: 'YP-SAR-1' }, '/subject-access?kind=young_person&id=YP-SAR-1');
      expect(zip.statusCode).toBe(200);
      expect(zip.headers['content-type']).toBe('application/zip');
      const bytes = zip.rawPayload;
      const names = zipEntries(bytes).map((e) => e.name);
      expect(names.slice(0, 2)).toEqual(['subject-access.json', 'subject-access.docx']);
      expect(names).toHaveLength(3);
      const json = JSON.parse(readZipEntry(bytes, 'subject-access.json')) as SubjectAccessBundle;
      expect(json.cases.map((x) => x.reference)).toEqual([a, b]);
      expect(readZipEntry(bytes, 'subject-access.docx')).toBeDefined();

      expect((await manager.get('/subject-access?kind=young_person&id=YP-SAR-1')).statusCode).toBe(403);
      expect((await manager.post('/subject-access/bundle.zip', { kind: 'young_person', id: 'YP-SAR-1' }, '/dashboard')).statusCode).toBe(403);
    },
    HTTP_TIMEOUT,
  );
});
