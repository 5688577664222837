/**
 * Attachments: files kept for a record. Any record can have them (a public submission's
 * files now; a Stage 2 investigation report later): the row says what it belongs to, the
 * bytes live on disk in the configured directory (never anywhere the web server serves)
 * under a random storage key, never under the name they were given.
 *
 * A file is checked by its content before anything is written (src/domain/attachments/), so
 * a refused file leaves nothing behind. A kept one is written to a temporary name, flushed to
 * disk, renamed into place (atomic) and the directory flushed, before its row is added; if
 * the row cannot be added the file is removed again.
 *
 * Files sent from the public pages are staged under the journey's idempotency key until it is
 * sent (`PublicSubmissionService` then gives them to the representation in its transaction);
 * `cleanUp` removes those never sent after a day, and files on disk that no row names.
 *
 * A step that keeps a document with its record (a Stage 2 investigation report) writes the file
 * first and adds the row in the step's own transaction (`prepare`): if the step is refused
 * or fails, the row goes with it and the file is removed; if the file cannot be kept, no step.
 *
 * Staff read a case's files only if they may see that case in full (`caseVisibility`, the
 * case page's rule: full readers, and those appointed to that case while they are appointed);
 * every download is audited, with no file name in the audit or the logs. A case's files are its
 * representation's and its Stage 2 record's (the investigation report).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AttachmentRepository, STAGED_SUBJECT, type Attachment } from '../db/attachment-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { CaseReadRepository } from '../db/case-read-repository.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { STAGE2_REPORT_SUBJECT } from '../domain/cases/later-stage-workflow.ts';
import { checkFile, MAX_ATTACHMENTS_PER_SUBMISSION, type AcceptedFile } from '../domain/attachments/file-kinds.ts';
import { DomainError } from '../domain/errors.ts';
import { storedCaseVisibility } from './case-query-service.ts';
import type { Clock } from './clock.ts';
import type { StaffActor } from './registration-service.ts';

export type { Attachment } from '../db/attachment-repository.ts';

/** A file as received: its name as given and its bytes (cut short at the limit when `size` says more). */
export interface IncomingFile {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  /** The full size, when the bytes were cut short; otherwise the bytes' length. */
  readonly size?: number;
}

/** A file written by `AttachmentService.prepare`, waiting for its row. */
export interface PreparedFile {
  /** Adds the file's row, within the caller's transaction. */
  attach(trx: Kysely<Database>, subjectType: string, subjectId: number, createdBy: number | null): Promise<Attachment>;
  /** Removes the file: call it when the transaction did not commit. */
  discard(): Promise<void>;
}

/** Staged files not sent within this long are removed. */
export const STAGED_FILE_LIFETIME_MS = 24 * 60 * 60 * 1000;

const TEMP_DIR = '.incoming';
const STORAGE_KEY = /^[0-9a-f]{32}$/;

/** The form field file problems are shown against. */
export const FILE_FIELD = 'file';

/**
 * How much the public may keep staged (sent on the public pages but not yet submitted): in
 * all, and from one source (the client's address). Without them anyone could fill the disk by
 * starting journeys and uploading to each.
 */
export interface StagingLimits {
  readonly totalBytes: number;
  readonly perSourceBytes: number;
}

export const DEFAULT_STAGING_LIMITS: StagingLimits = { totalBytes: 2 * 1024 * 1024 * 1024, perSourceBytes: 100 * 1024 * 1024 };

export class AttachmentService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly dir: string,
    private readonly stagingLimits: StagingLimits = DEFAULT_STAGING_LIMITS,
  ) {}

  /** Checks a file by its content and name; DomainError (field `file`) when refused. */
  check(file: IncomingFile): AcceptedFile {
    const result = checkFile(file.fileName, file.bytes, file.size ?? file.bytes.length);
    if (!result.ok) throw new DomainError(result.problem.code, result.problem.message, FILE_FIELD);
    return result.file;
  }

  /** Keeps a file for a record. */
  async store(subjectType: string, subjectId: number, file: IncomingFile, createdBy: number | null): Promise<Attachment> {
    const accepted = this.check(file);
    return this.keep(file.bytes, accepted, (trx, storage) =>
      trx.repository.insert({ subjectType, subjectId, stagingKey: null, ...storage, createdBy }, this.clock().toISOString()),
    );
  }

  /**
   * Writes a file (checked as `store` does; DomainError, field `file`, when refused) ahead of a
   * transaction the caller runs: `attach` adds its row within that transaction, and `discard`
   * must be called when the transaction does not commit (it removes the file). So the bytes are
   * written and flushed before the transaction starts, not while it holds the database; a crash
   * in between leaves a file no row names, which `cleanUp` removes.
   */
  async prepare(file: IncomingFile): Promise<PreparedFile> {
    const accepted = this.check(file);
    const storageKey = randomBytes(16).toString('hex');
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    await this.writeFile(storageKey, file.bytes);
    return {
      attach: (trx, subjectType, subjectId, createdBy) =>
        new AttachmentRepository(trx).insert(
          { subjectType, subjectId, stagingKey: null, fileName: accepted.fileName, mediaType: accepted.mediaType, sizeBytes: file.bytes.length, sha256, storageKey, createdBy },
          this.clock().toISOString(),
        ),
      discard: () => this.removeFile(storageKey),
    };
  }

  /**
   * Stages a file sent on the public pages under the journey's key. Refused (DomainError, field
   * `file`) when the file is, when the journey already has the most files allowed, or when it
   * has already been sent. The same content uploaded again on the journey (a refresh, a double
   * click) gives back the file already staged: it is never kept twice.
   */
  async stage(stagingKey: string, file: IncomingFile, source?: string): Promise<Attachment> {
    const accepted = this.check(file);
    const repository = new AttachmentRepository(this.db);
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    const same = await repository.stagedWithContent(stagingKey, sha256);
    if (same !== undefined) return same;
    await this.refuseStaging(this.db, stagingKey);
    // The sender's address is kept only as a hash, and only while the file is staged.
    const stagedSource = source === undefined ? undefined : createHash('sha256').update(`staged-upload:${source}`).digest('hex');
    await this.refuseOverLimits(this.db, stagedSource, file.bytes.length);
    try {
      return await this.keep(file.bytes, accepted, async (trx, storage) => {
        await this.refuseStaging(trx.db, stagingKey);
        await this.refuseOverLimits(trx.db, stagedSource, file.bytes.length);
        return trx.repository.insert(
          { subjectType: STAGED_SUBJECT, subjectId: null, stagingKey, ...storage, createdBy: null, ...(stagedSource === undefined ? {} : { stagedSource }) },
          this.clock().toISOString(),
        );
      });
    } catch (error) {
      // A concurrent repeat of the same upload added it first (the unique index refused this one).
      const added = await repository.stagedWithContent(stagingKey, sha256);
      if (added !== undefined) return added;
      throw error;
    }
  }

  /** The files staged under a journey's key. */
  async staged(stagingKey: string): Promise<Attachment[]> {
    return new AttachmentRepository(this.db).staged(stagingKey);
  }

  /** Removes one of a journey's staged files; false when it has no such file. */
  async removeStaged(stagingKey: string, id: number): Promise<boolean> {
    const storageKey = await new AttachmentRepository(this.db).deleteStaged(stagingKey, id);
    if (storageKey === undefined) return false;
    await this.removeFile(storageKey);
    return true;
  }

  /** A representation's files (the caller has checked the viewer may see it in full). */
  async forRepresentation(representationId: number): Promise<Attachment[]> {
    return this.forSubject(REPRESENTATION_SUBJECT, representationId);
  }

  /** A record's files. */
  async forSubject(subjectType: string, subjectId: number): Promise<Attachment[]> {
    return new AttachmentRepository(this.db).forSubject(subjectType, subjectId);
  }

  /**
   * One of a case's files, to download: undefined when the case or the file does not exist,
   * the file is not the case's, or the viewer may not see the case in full (audited as
   * refused). The download is audited (ids and type only, never the name).
   */
  async downloadForCase(reference: string, attachmentId: number, viewer: StaffActor): Promise<{ attachment: Attachment; bytes: Buffer } | undefined> {
    const row = await new CaseReadRepository(this.db).findByReference(reference.trim().toUpperCase());
    if (row === undefined) return undefined;
    const audit = new AuditRepository(this.db);
    if ((await storedCaseVisibility(this.db, viewer, row)) !== 'full') {
      await audit.record(
        { ...viewer, action: 'attachment_refused', entityType: REPRESENTATION_SUBJECT, entityId: String(row.id), details: { attachmentId } },
        this.clock().toISOString(),
      );
      return undefined;
    }
    const attachment = await new AttachmentRepository(this.db).find(attachmentId);
    if (attachment === undefined || !(await this.belongsToCase(attachment, row.id))) return undefined;
    const bytes = await readFile(this.pathOf(attachment.storageKey));
    if (createHash('sha256').update(bytes).digest('hex') !== attachment.sha256) {
      throw new Error(`attachment ${String(attachment.id)} does not match its checksum`);
    }
    await audit.record(
      {
        ...viewer,
        action: 'attachment_downloaded',
        entityType: REPRESENTATION_SUBJECT,
        entityId: String(row.id),
        details: { reference: row.reference, attachmentId: attachment.id, mediaType: attachment.mediaType, sizeBytes: attachment.sizeBytes },
      },
      this.clock().toISOString(),
    );
    return { attachment, bytes };
  }

  /**
   * Removes staged files never sent (older than `STAGED_FILE_LIFETIME_MS`), and files on disk
   * that no row names (left by a crash between writing a file and adding its row) and are as
   * old. Returns how many of each.
   */
  async cleanUp(): Promise<{ staged: number; orphans: number }> {
    const cutoff = this.clock().getTime() - STAGED_FILE_LIFETIME_MS;
    const repository = new AttachmentRepository(this.db);
    const stale = await repository.staleStaged(new Date(cutoff).toISOString());
    for (const { id, storageKey } of stale) {
      await repository.delete(id);
      await this.removeFile(storageKey);
    }
    let orphans = 0;
    for (const { name, file } of await this.filesOnDisk()) {
      const info = await stat(file).catch(() => undefined);
      if (info === undefined || info.mtimeMs > cutoff) continue;
      if (STORAGE_KEY.test(name) && (await repository.knownStorageKeys([name])).has(name)) continue;
      await rm(file, { force: true });
      orphans += 1;
    }
    return { staged: stale.length, orphans };
  }

  /** Where a stored file is on disk. */
  pathOf(storageKey: string): string {
    if (!STORAGE_KEY.test(storageKey)) throw new Error('not a storage key');
    return path.join(this.dir, storageKey.slice(0, 2), storageKey);
  }

  // ---- private ----

  /** Whether a file is the case's: its representation's, or its Stage 2 record's report. */
  private async belongsToCase(attachment: Attachment, representationId: number): Promise<boolean> {
    if (attachment.subjectId === null) return false;
    if (attachment.subjectType === REPRESENTATION_SUBJECT) return attachment.subjectId === representationId;
    if (attachment.subjectType !== STAGE2_REPORT_SUBJECT) return false;
    const stage2 = await this.db.selectFrom('stage2').select('id').where('id', '=', attachment.subjectId).where('representation_id', '=', representationId).executeTakeFirst();
    return stage2 !== undefined;
  }

  /** Refuses a file of `size` bytes that would take staged files over the total or the source's limit. */
  private async refuseOverLimits(db: Kysely<Database>, stagedSource: string | undefined, size: number): Promise<void> {
    const total = await db
      .selectFrom('attachment')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('size_bytes'), eb.lit(0)).as('bytes'))
      .where('staging_key', 'is not', null)
      .executeTakeFirstOrThrow();
    if (Number(total.bytes) + size > this.stagingLimits.totalBytes) {
      throw new DomainError('staging_full', 'The service cannot take more files just now. Try again later, or send your message without files.', FILE_FIELD);
    }
    if (stagedSource === undefined) return;
    const mine = await db
      .selectFrom('attachment')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('size_bytes'), eb.lit(0)).as('bytes'))
      .where('staged_source', '=', stagedSource)
      .where('staging_key', 'is not', null)
      .executeTakeFirstOrThrow();
    if (Number(mine.bytes) + size > this.stagingLimits.perSourceBytes) {
      throw new DomainError('too_many_staged', 'You have uploaded as many files as you can for now. Send your message, or remove a file, then try again.', FILE_FIELD);
    }
  }

  private async refuseStaging(db: Kysely<Database>, stagingKey: string): Promise<void> {
    const sent = await db.selectFrom('public_submission').select('id').where('idempotency_key', '=', stagingKey).executeTakeFirst();
    if (sent !== undefined) throw new DomainError('journey_sent', 'You have already sent this. To send another file, start again.', FILE_FIELD);
    const count = await db.selectFrom('attachment').select((eb) => eb.fn.countAll().as('n')).where('staging_key', '=', stagingKey).executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_ATTACHMENTS_PER_SUBMISSION) {
      throw new DomainError('too_many_files', `You can send up to ${String(MAX_ATTACHMENTS_PER_SUBMISSION)} files. Remove one to send a different file.`, FILE_FIELD);
    }
  }

  /** Writes the bytes under a new storage key, then adds the row in a transaction; no row, no file. */
  private async keep(
    bytes: Uint8Array,
    accepted: AcceptedFile,
    addRow: (
      trx: { db: Kysely<Database>; repository: AttachmentRepository },
      storage: { fileName: string; mediaType: string; sizeBytes: number; sha256: string; storageKey: string },
    ) => Promise<Attachment>,
  ): Promise<Attachment> {
    const storageKey = randomBytes(16).toString('hex');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.writeFile(storageKey, bytes);
    try {
      return await this.db.transaction().execute((trx) =>
        addRow({ db: trx, repository: new AttachmentRepository(trx) }, { fileName: accepted.fileName, mediaType: accepted.mediaType, sizeBytes: bytes.length, sha256, storageKey }),
      );
    } catch (error) {
      await this.removeFile(storageKey);
      throw error;
    }
  }

  /** Temporary name, write, fsync, rename into place, fsync the directory. */
  private async writeFile(storageKey: string, bytes: Uint8Array): Promise<void> {
    const finalPath = this.pathOf(storageKey);
    const tempDir = path.join(this.dir, TEMP_DIR);
    await mkdir(tempDir, { recursive: true, mode: 0o700 });
    await mkdir(path.dirname(finalPath), { recursive: true, mode: 0o700 });
    const tempPath = path.join(tempDir, `${storageKey}.part`);
    const handle = await open(tempPath, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tempPath, finalPath);
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
    const directory = await open(path.dirname(finalPath), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  private async removeFile(storageKey: string): Promise<void> {
    await unlink(this.pathOf(storageKey)).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    });
  }

  /** Every file under the directory (stored ones and temporary ones), with its name. */
  private async filesOnDisk(): Promise<{ name: string; file: string }[]> {
    const top = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    const files: { name: string; file: string }[] = [];
    for (const entry of top) {
      if (!entry.isDirectory()) continue;
      const sub = path.join(this.dir, entry.name);
      for (const inner of await readdir(sub, { withFileTypes: true })) {
        if (inner.isFile()) files.push({ name: inner.name, file: path.join(sub, inner.name) });
      }
    }
    return files;
  }
}
