/**
 * Attachments end to end over HTTP, on both engines: a file sent with a public complaint is
 * checked by its content, staged, given to the representation when it is sent (once, however
 * often it is sent), listed on the case page and downloaded byte for byte by staff who may
 * read the case, with the download audited; refused files (renamed, too big, forged posts)
 * leave nothing behind; the stored files are out of reach of any URL; staged files never
 * sent are cleaned up after a day.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, TEST_PASSWORD, testClock, testConfig, testContainer, type TestClock } from '../support/builders.ts';
import { Browser, errorSummary, signedInAs } from '../support/http.ts';
import { PublicVisitor, YOUNG_COMPLAINT, formOf, pageOf } from '../support/public-visitor.ts';
import { docx, EXE, PDF, TEXT } from '../support/file-samples.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import { ConfigError } from '../../src/config.ts';
import { AuditRepository } from '../../src/db/audit-repository.ts';
import { MAX_ATTACHMENT_BYTES } from '../../src/domain/attachments/file-kinds.ts';
import { paths } from '../../src/web/paths.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every file under a directory, recursively ([] before it exists). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}

describeEachEngine('attachments', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: Browser;
  let clock: TestClock;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'redress-attachments-test-'));
    clock = testClock('2026-11-26T10:00:00.000Z');
    container = await testContainer(database(), clock, testConfig({ ATTACHMENTS_DIR: dir }));
    await container.demo.ensure({ withCases: false });
    app = await createApp(container);
    officer = await signedInAs(app, container, 'complaints_officer');
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const db = () => database().db.kysely;
  const attachmentsOf = (representationId: number) => db().selectFrom('attachment').selectAll().where('subject_type', '=', 'representation').where('subject_id', '=', representationId).orderBy('id').execute();
  const staged = (key: string) => db().selectFrom('attachment').selectAll().where('staging_key', '=', key).execute();

  /** A visitor on the files page of a finished child's complaint (reached by its Change button). */
  async function onFilesPage(): Promise<{ visitor: PublicVisitor; key: string }> {
    const visitor = new PublicVisitor(app);
    await visitor.reachCheck(YOUNG_COMPLAINT);
    await visitor.change('files');
    expect(pageOf(visitor.page?.body ?? '')).toBe('files');
    return { visitor, key: formOf(visitor.page?.body ?? '').hidden._key ?? '' };
  }

  /** A small PDF of its own (the same content twice on one journey is kept once). */
  const aPdf = (note: string): Buffer => Buffer.concat([PDF, Buffer.from(`% ${note}\n`)]);

  async function upload(visitor: PublicVisitor, file: { name: string; bytes: Buffer }, extra: Record<string, string> = { _upload: 'yes' }) {
    const { action, body } = visitor.formWith(extra);
    return visitor.postFile(action, body, file);
  }

  async function sendFromCheck(visitor: PublicVisitor): Promise<{ reference: string; id: number }> {
    expect(pageOf(visitor.page?.body ?? '')).toBe('check');
    const sent = await visitor.answer();
    expect(sent.statusCode, sent.body.slice(0, 300)).toBe(303);
    const reference = new URL(String(sent.headers.location), 'http://x').searchParams.get('reference') ?? '';
    const row = await db().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    return { reference, id: row.id };
  }

  it('takes files with a complaint, and staff see them on the case and download exactly what was sent, audited', async () => {
    const { visitor, key } = await onFilesPage();
    const report = await docx('A report from the school.');

    const first = await upload(visitor, { name: 'C:\\Users\\sam\\My letter.pdf', bytes: PDF });
    expect(first.statusCode, first.body.slice(0, 300)).toBe(200);
    expect(pageOf(first.body)).toBe('files');
    expect(first.body).toContain('My letter.pdf');
    expect(first.body).toContain('name="_remove"');

    // "Continue" with a file chosen uploads it and goes on: back to "Check your answers".
    const second = await upload(visitor, { name: 'report.docx', bytes: report }, {});
    expect(pageOf(second.body)).toBe('check');
    expect(second.body).toContain('My letter.pdf');
    expect(second.body).toContain('report.docx');
    expect(await staged(key)).toHaveLength(2);

    const { reference, id } = await sendFromCheck(visitor);
    expect(await staged(key)).toEqual([]);
    const rows = await attachmentsOf(id);
    expect(rows.map((r) => [r.file_name, r.media_type, r.size_bytes])).toEqual([
      ['My letter.pdf', 'application/pdf', PDF.length],
      ['report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', report.length],
    ]);
    // Stored under a random key, not the name, in the configured directory.
    for (const row of rows) {
      expect(row.storage_key).toMatch(/^[0-9a-f]{32}$/);
      expect(statSync(path.join(dir, row.storage_key.slice(0, 2), row.storage_key)).size).toBe(row.size_bytes);
    }
    expect(filesUnder(dir).some((f) => f.includes('letter') || f.includes('report'))).toBe(false);

    const casePage = await officer.get(paths.caseDetail.url({ reference }));
    expect(casePage.statusCode).toBe(200);
    const href = paths.caseAttachment.url({ reference, attachmentId: rows[0]?.id ?? 0 });
    expect(casePage.body).toContain(`href="${href}"`);
    expect(casePage.body).toContain('My letter.pdf');
    expect(casePage.body).toContain('Word document');

    const download = await officer.get(href);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="My letter.pdf"; filename*=UTF-8''My%20letter.pdf`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');

    const docxDownload = await officer.get(paths.caseAttachment.url({ reference, attachmentId: rows[1]?.id ?? 0 }));
    expect(docxDownload.rawPayload.equals(report)).toBe(true);

    const audit = await new AuditRepository(db()).forEntity('representation', String(id));
    const downloads = audit.filter((e) => e.action === 'attachment_downloaded');
    expect(downloads.map((e) => e.details)).toEqual([
      { reference, attachmentId: rows[0]?.id, mediaType: 'application/pdf', sizeBytes: PDF.length },
      { reference, attachmentId: rows[1]?.id, mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', sizeBytes: report.length },
    ]);
    expect(JSON.stringify(audit)).not.toContain('letter.pdf');
    expect(audit.find((e) => e.action === 'public_submission_received')?.details).toMatchObject({ attachments: 2 });
  });

  it('refuses a file that is not what its name says with an error summary, and stores nothing', async () => {
    const { visitor, key } = await onFilesPage();
    const before = filesUnder(dir).length;

    const renamed = await upload(visitor, { name: 'letter.pdf', bytes: TEXT });
    expect(renamed.statusCode).toBe(400);
    expect(pageOf(renamed.body)).toBe('files');
    expect(errorSummary(renamed.body)).toEqual(["The file 'letter.pdf' is not a PDF"]);
    expect(renamed.body).toContain('href="#file"');
    expect(renamed.body).toContain('id="file"');

    const program = await upload(visitor, { name: 'homework.docx', bytes: EXE }, {});
    expect(program.statusCode).toBe(400);
    expect(errorSummary(program.body)).toEqual(["The file 'homework.docx' is not a Word document"]);

    const text = await upload(visitor, { name: 'notes.txt', bytes: TEXT });
    expect(errorSummary(text.body)).toEqual(["The file 'notes.txt' must be a PDF, a Word document, or a JPG, PNG, GIF or WebP picture"]);

    const empty = await upload(visitor, { name: 'empty.pdf', bytes: Buffer.alloc(0) });
    expect(errorSummary(empty.body)).toEqual(["The file 'empty.pdf' is empty"]);

    const nothingChosen = await upload(visitor, { name: '', bytes: Buffer.alloc(0) });
    expect(errorSummary(nothingChosen.body)).toEqual(['Choose a file to upload']);

    expect(await staged(key)).toEqual([]);
    expect(filesUnder(dir).length).toBe(before);
    // The answers are kept: the journey goes on to be sent, with no files.
    await upload(visitor, { name: '', bytes: Buffer.alloc(0) }, {});
    const { id } = await sendFromCheck(visitor);
    expect(await attachmentsOf(id)).toEqual([]);
  });

  it('refuses a file over the limit on the page, and a body far over it before reading it', async () => {
    const { visitor, key } = await onFilesPage();
    const before = filesUnder(dir).length;

    const tooBig = Buffer.concat([PDF, Buffer.alloc(MAX_ATTACHMENT_BYTES + 1 - PDF.length, 0x20)]);
    const refused = await upload(visitor, { name: 'scan.pdf', bytes: tooBig });
    expect(refused.statusCode).toBe(400);
    expect(errorSummary(refused.body)).toEqual(["The file 'scan.pdf' must be smaller than 10MB"]);

    const huge = await upload(visitor, { name: 'video.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(12 * 1024 * 1024)]) });
    expect(huge.statusCode).toBe(413);
    expect(huge.body).toContain('The file is too big');

    expect(await staged(key)).toEqual([]);
    expect(filesUnder(dir).length).toBe(before);
  });

  it('refuses a forged multipart post (no CSRF token, or a wrong one), storing nothing', async () => {
    const { visitor, key } = await onFilesPage();
    const { action, body } = visitor.formWith({ _upload: 'yes' });
    const { _csrf: _ignored, ...withoutToken } = body;
    const missing = await visitor.postFile(action, withoutToken, { name: 'letter.pdf', bytes: PDF });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('Your form could not be sent');
    const wrong = await visitor.postFile(action, { ...withoutToken, _csrf: 'forged-token' }, { name: 'letter.pdf', bytes: PDF });
    expect(wrong.statusCode).toBe(403);
    // From another site: no cookie at all.
    const stranger = new PublicVisitor(app);
    const forged = await stranger.postFile(action, body, { name: 'letter.pdf', bytes: PDF });
    expect(forged.statusCode).toBe(403);
    expect(await staged(key)).toEqual([]);
  });

  it('lets a file be removed from "Check your answers", and sends each file exactly once however often it is sent', async () => {
    const { visitor, key } = await onFilesPage();
    await upload(visitor, { name: 'keep.pdf', bytes: aPdf('keep') });
    await upload(visitor, { name: 'remove-me.pdf', bytes: aPdf('remove') }, {});
    const [kept, unwanted] = await staged(key);
    const removedPath = path.join(dir, unwanted?.storage_key.slice(0, 2) ?? '', unwanted?.storage_key ?? '');
    expect(statSync(removedPath).isFile()).toBe(true);

    // The Remove button's formaction is the journey's page route, not the send route.
    const removed = await visitor.post(paths.contactUs.url(), visitor.formWith({ _remove: String(unwanted?.id ?? 0) }).body);
    expect(pageOf(removed.body)).toBe('check');
    expect(removed.body).not.toContain('remove-me.pdf');
    expect((await staged(key)).map((a) => a.id)).toEqual([kept?.id]);
    expect(() => statSync(removedPath)).toThrow();

    // Another journey cannot remove this one's file.
    const other = await onFilesPage();
    await other.visitor.answer({ _remove: String(kept?.id ?? 0) });
    expect(await staged(key)).toHaveLength(1);

    const checkPage = visitor.page;
    const { reference, id } = await sendFromCheck(visitor);
    visitor.page = checkPage;
    const again = await visitor.answer();
    expect(new URL(String(again.headers.location), 'http://x').searchParams.get('reference')).toBe(reference);
    expect((await attachmentsOf(id)).map((a) => a.file_name)).toEqual(['keep.pdf']);
    expect(await db().selectFrom('public_submission').select('id').where('idempotency_key', '=', key).execute()).toHaveLength(1);

    // Once sent, the journey's key takes no more files.
    visitor.page = checkPage;
    await visitor.change('files');
    const late = await upload(visitor, { name: 'late.pdf', bytes: PDF });
    expect(errorSummary(late.body)).toEqual(['You have already sent this. To send another file, start again.']);
    expect(await attachmentsOf(id)).toHaveLength(1);
  });

  it('keeps a file once when its upload is sent again (a refresh or a double click)', async () => {
    const { visitor, key } = await onFilesPage();
    const { action, body } = visitor.formWith({ _upload: 'yes' });
    const file = { name: 'letter.pdf', bytes: aPdf('refresh') };
    const [first, second] = await Promise.all([visitor.postFile(action, body, file), visitor.postFile(action, body, file)]);
    const third = await visitor.postFile(action, body, file);
    for (const response of [first, second, third]) expect(response.statusCode).toBe(200);
    expect(await staged(key)).toHaveLength(1);
    expect(third.body.match(/name="_remove"/g)).toHaveLength(1);
    // Nothing left on disk by the repeats.
    const rows = await db().selectFrom('attachment').select('storage_key').execute();
    expect(filesUnder(dir).filter((f) => !f.includes('.incoming')).map((f) => path.basename(f)).sort()).toEqual(rows.map((r) => r.storage_key).sort());
  });

  it('takes at most three files for one journey', async () => {
    const { visitor, key } = await onFilesPage();
    for (const name of ['one.pdf', 'two.pdf', 'three.pdf']) expect((await upload(visitor, { name, bytes: aPdf(name) })).statusCode).toBe(200);
    expect(visitor.page?.body).toContain('That is the most you can send');
    expect(visitor.page?.body).not.toContain('type="file"');
    const fourth = await upload(visitor, { name: 'four.pdf', bytes: aPdf('four') });
    expect(errorSummary(fourth.body)).toEqual(['You can send up to 3 files. Remove one to send a different file.']);
    expect(await staged(key)).toHaveLength(3);
  });

  it('lets only those who may read the case in full download its files', async () => {
    const { visitor } = await onFilesPage();
    await upload(visitor, { name: 'private.pdf', bytes: PDF }, {});
    const { reference, id } = await sendFromCheck(visitor);
    const [file] = await attachmentsOf(id);
    const href = paths.caseAttachment.url({ reference, attachmentId: file?.id ?? 0 });

    // A responding manager sees only their own team's cases; a viewer sees figures, not files.
    const manager = await aStaffMember(container, ['responding_manager'], 'Fostering');
    const managerBrowser = new Browser(app);
    await managerBrowser.signIn(manager.email, TEST_PASSWORD);
    const refused = await managerBrowser.get(href);
    expect(refused.statusCode).toBe(404);
    expect(refused.rawPayload.includes(PDF)).toBe(false);
    const viewer = await signedInAs(app, container, 'viewer');
    expect((await viewer.get(href)).statusCode).toBe(404);
    expect((await viewer.get(paths.caseDetail.url({ reference }))).body).not.toContain('private.pdf');

    const audit = await new AuditRepository(db()).forEntity('representation', String(id));
    expect(audit.filter((e) => e.action === 'attachment_refused')).toHaveLength(2);
    expect(audit.filter((e) => e.action === 'attachment_downloaded')).toEqual([]);

    // Not signed in: to the sign-in page. Another case's reference, or no such file: not found.
    expect((await new Browser(app).get(href)).headers.location).toBe(paths.signIn.url({ returnTo: href }));
    const other = await onFilesPage();
    await upload(other.visitor, { name: '', bytes: Buffer.alloc(0) }, {});
    const { reference: otherReference } = await sendFromCheck(other.visitor);
    expect((await officer.get(paths.caseAttachment.url({ reference: otherReference, attachmentId: file?.id ?? 0 }))).statusCode).toBe(404);
    expect((await officer.get(paths.caseAttachment.url({ reference, attachmentId: 999999 }))).statusCode).toBe(404);
    expect((await officer.get(href)).statusCode).toBe(200);
  });

  it('keeps the stored files where no URL reaches them', async () => {
    const publicDir = path.resolve(here, '../../src/web/public');
    expect(path.relative(publicDir, container.config.attachmentsDir).startsWith('..')).toBe(true);
    expect(() => testConfig({ ATTACHMENTS_DIR: path.join(publicDir, 'uploads') })).toThrow(ConfigError);
    const stored = await db().selectFrom('attachment').select('storage_key').where('subject_type', '=', 'representation').executeTakeFirstOrThrow();
    const key = stored.storage_key;
    for (const url of [`/assets/${key}`, `/assets/${key.slice(0, 2)}/${key}`, `/attachments/${key.slice(0, 2)}/${key}`, `/${key}`]) {
      const response = await officer.get(url);
      expect(response.statusCode, url).toBe(404);
    }
  });

  it('cleans up files staged and never sent after a day, and files no row names', async () => {
    const { visitor, key } = await onFilesPage();
    await upload(visitor, { name: 'abandoned.pdf', bytes: PDF });
    const [abandoned] = await staged(key);
    const abandonedPath = path.join(dir, abandoned?.storage_key.slice(0, 2) ?? '', abandoned?.storage_key ?? '');
    const sentFiles = await db().selectFrom('attachment').select('storage_key').where('subject_type', '=', 'representation').execute();

    // Left by a crash between writing a file and adding its row.
    mkdirSync(path.join(dir, 'ab'), { recursive: true });
    const orphan = path.join(dir, 'ab', 'ab'.padEnd(32, '0'));
    writeFileSync(orphan, PDF);
    const longAgo = new Date('2026-11-01T00:00:00Z');
    utimesSync(orphan, longAgo, longAgo);

    expect(await container.attachments.cleanUp()).toEqual({ staged: 0, orphans: 1 });
    expect(statSync(abandonedPath).isFile()).toBe(true);

    clock.advance(25 * 60 * 60 * 1000);
    try {
      expect((await container.attachments.cleanUp()).staged).toBeGreaterThanOrEqual(1);
    } finally {
      clock.set('2026-11-26T10:00:00.000Z');
    }
    expect(await staged(key)).toEqual([]);
    expect(() => statSync(abandonedPath)).toThrow();
    expect(() => statSync(orphan)).toThrow();
    for (const { storage_key } of sentFiles) expect(statSync(path.join(dir, storage_key.slice(0, 2), storage_key)).isFile()).toBe(true);
  });
});
