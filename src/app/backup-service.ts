/**
 * Backups and restore (`redress backup`, `redress restore`): the database and the attachments,
 * with a manifest (src/domain/backups/backup-manifest.ts) that names every file with its size
 * and SHA-256.
 *
 * A backup is taken while Redress runs. The database is copied first, at one moment (SQLite's
 * online backup, or pg_dump's snapshot: src/db/database-backup.ts), and the attachments after.
 * A file is always written and flushed before the row that names it is committed, so every file
 * the copied database names is on disk by the time the attachments are copied; a file that
 * arrives later is copied too and, with no row naming it, is removed by the hourly clean-up
 * after a restore. The backup is written to a hidden directory beside the one asked for and
 * renamed into place when complete, manifest last: there is never a half-written backup under
 * the name given.
 *
 * A restore checks everything before it changes anything: the manifest, that the backup's
 * schema is not newer than this build's, every file's size and checksum, and that the target
 * database and attachments directory are empty. Then it writes the database (in one
 * transaction on PostgreSQL; SQLite's backup API on SQLite) and copies the files. Migrations
 * (run by the caller) then bring an older backup up to date.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { chmod, copyFile, constants, mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DatabaseConfig } from '../config.ts';
import {
  ATTACHMENTS_FOLDER,
  BACKUP_FORMAT,
  MANIFEST_FILE,
  POSTGRES_BACKUP_FILE,
  SQLITE_BACKUP_FILE,
  latestOf,
  parseManifest,
  refuseNewerSchema,
  refuseOtherEngine,
  type BackupFile,
  type BackupManifest,
} from '../domain/backups/backup-manifest.ts';
import { DomainError } from '../domain/errors.ts';
import {
  backupPostgres,
  backupSqlite,
  checkPostgresDump,
  refuseNonEmptyPostgres,
  refuseNonEmptySqlite,
  restorePostgres,
  restoreSqlite,
  sqliteBackupContents,
  type DatabaseSnapshot,
} from '../db/database-backup.ts';
import { migrations } from '../db/migrations/index.ts';
import type { Clock } from './clock.ts';

export interface BackupSettings {
  readonly database: DatabaseConfig;
  /** ATTACHMENTS_DIR (absolute). */
  readonly attachmentsDir: string;
}

const STORED_NAME = /^[0-9a-f]{32}$/;
const STORED_FOLDER = /^[0-9a-f]{2}$/;

/** This build's version, from package.json. */
function redressVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Copies `from` to a new file `to`, flushed to disk; its size and SHA-256. */
async function copyWithChecksum(from: string, to: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), tap, createWriteStream(to, { flags: 'wx', mode: 0o600 }));
  await flush(to);
  return { bytes, sha256: hash.digest('hex') };
}

async function checksumOf(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function flush(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The stored files under an attachments directory (`xx/KEY`), sorted; none when it does not exist. */
async function storedFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const top = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const folder of top) {
    if (!folder.isDirectory() || !STORED_FOLDER.test(folder.name)) continue;
    for (const entry of await readdir(path.join(dir, folder.name), { withFileTypes: true })) {
      if (entry.isFile() && STORED_NAME.test(entry.name) && entry.name.startsWith(folder.name)) found.push(`${folder.name}/${entry.name}`);
    }
  }
  return found.sort();
}

/** Every file anywhere under `dir` (none when it does not exist). */
async function anyFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => !e.isDirectory()).map((e) => path.join(e.parentPath, e.name));
}

async function isEmptyOrAbsent(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) return true;
  if (!info.isDirectory()) return false;
  return (await readdir(dir)).length === 0;
}

export interface RestoreSummary {
  readonly manifest: BackupManifest;
}

export class BackupService {
  constructor(
    private readonly settings: BackupSettings,
    private readonly clock: Clock,
    private readonly knownMigrations: readonly string[] = migrations.map((m) => m.name),
  ) {}

  /**
   * Backs up the database and the attachments into `outDir` (which must not exist, or be empty).
   * DomainError when refused; nothing is left under `outDir` when it fails.
   */
  async backup(outDir: string): Promise<BackupManifest> {
    const target = path.resolve(outDir);
    if (!(await isEmptyOrAbsent(target))) {
      throw new DomainError('backup_out_not_empty', `${outDir} already exists and is not an empty directory: choose a new directory for each backup`);
    }
    const partial = path.join(path.dirname(target), `.${path.basename(target)}.partial-${randomBytes(6).toString('hex')}`);
    await mkdir(path.join(partial, 'database'), { recursive: true, mode: 0o700 });
    try {
      const { engine } = this.settings.database;
      const databaseFile = engine === 'sqlite' ? SQLITE_BACKUP_FILE : POSTGRES_BACKUP_FILE;
      const snapshot: DatabaseSnapshot =
        engine === 'sqlite'
          ? await backupSqlite(this.settings.database.location, path.join(partial, databaseFile))
          : await backupPostgres(this.settings.database, path.join(partial, databaseFile));
      await chmod(path.join(partial, databaseFile), 0o600);
      await flush(path.join(partial, databaseFile));
      const files: BackupFile[] = [{ path: databaseFile, ...(await checksumOf(path.join(partial, databaseFile))) }];

      // The attachments after the database: every file its rows name is on disk already.
      let attachmentBytes = 0;
      for (const name of await storedFiles(this.settings.attachmentsDir)) {
        const relative = `${ATTACHMENTS_FOLDER}/${name}`;
        await mkdir(path.dirname(path.join(partial, relative)), { recursive: true, mode: 0o700 });
        try {
          const copied = await copyWithChecksum(path.join(this.settings.attachmentsDir, name), path.join(partial, relative));
          files.push({ path: relative, ...copied });
          attachmentBytes += copied.bytes;
        } catch (error) {
          // Removed since it was listed (a staged file cleaned up): nothing to keep.
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          await rm(path.join(partial, relative), { force: true });
        }
      }

      const manifest: BackupManifest = {
        format: BACKUP_FORMAT,
        createdAt: this.clock().toISOString(),
        redressVersion: redressVersion(),
        engine,
        ...(snapshot.schema === undefined ? {} : { postgresSchema: snapshot.schema }),
        latestMigration: latestOf(snapshot.migrations),
        migrations: snapshot.migrations,
        counts: { tables: snapshot.tables, attachmentFiles: files.length - 1, attachmentBytes },
        files,
      };
      const manifestPath = path.join(partial, MANIFEST_FILE);
      const handle = await open(manifestPath, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (await stat(target).catch(() => undefined)) await rmdir(target);
      await rename(partial, target);
      return manifest;
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Restores the backup in `dir` into the configured database and attachments directory, which
   * must both be empty. Everything is checked first: when refused (DomainError), nothing has
   * been changed. The caller then runs the migrations.
   */
  async restore(dir: string): Promise<RestoreSummary> {
    const manifest = await this.checkedManifest(dir);
    const { database, attachmentsDir } = this.settings;
    const databaseFile = path.join(dir, manifest.engine === 'sqlite' ? SQLITE_BACKUP_FILE : POSTGRES_BACKUP_FILE);

    // What the database file itself holds must agree with the manifest.
    let dumpList = '';
    if (manifest.engine === 'sqlite') {
      const contents = sqliteBackupContents(databaseFile);
      refuseNewerSchema(contents.migrations, this.knownMigrations);
    } else {
      dumpList = await checkPostgresDump(databaseFile);
    }

    const present = await anyFiles(attachmentsDir);
    if (present.length > 0) {
      throw new DomainError('restore_attachments_not_empty', `the attachments directory ${attachmentsDir} already has files in it (${String(present.length)}): restore into an empty directory (ATTACHMENTS_DIR), so that nothing is overwritten`);
    }
    if (database.engine === 'sqlite') refuseNonEmptySqlite(database.location);
    else await refuseNonEmptyPostgres(database, manifest.postgresSchema ?? '');

    if (database.engine === 'sqlite') {
      await restoreSqlite(databaseFile, database.location);
    } else {
      const restored = await restorePostgres(database, databaseFile, dumpList);
      const differing = Object.entries(manifest.counts.tables).filter(([table, rows]) => restored[table] !== rows);
      if (differing.length > 0) {
        throw new Error(`the restored database does not hold what the backup's manifest says (${differing.map(([t]) => t).slice(0, 3).join(', ')}): do not use it; drop it and restore again`);
      }
    }

    for (const file of manifest.files.filter((f) => f.path.startsWith(`${ATTACHMENTS_FOLDER}/`))) {
      const to = path.join(attachmentsDir, file.path.slice(ATTACHMENTS_FOLDER.length + 1));
      await mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
      await copyFile(path.join(dir, file.path), to, constants.COPYFILE_EXCL);
      await chmod(to, 0o600);
      await flush(to);
    }
    return { manifest };
  }

  /** The backup's manifest, once the backup is known to be whole and of a schema this build knows. */
  private async checkedManifest(dir: string): Promise<BackupManifest> {
    let text: string;
    try {
      text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
    } catch {
      throw new DomainError('backup_manifest_missing', `${path.join(dir, MANIFEST_FILE)} cannot be read: ${dir} is not a Redress backup, or the backup did not finish`);
    }
    const manifest = parseManifest(text);
    refuseOtherEngine(manifest, this.settings.database.engine);
    refuseNewerSchema(manifest.migrations, this.knownMigrations);
    for (const file of manifest.files) {
      const where = path.join(dir, file.path);
      const info = await stat(where).catch(() => undefined);
      if (info === undefined || !info.isFile()) {
        throw new DomainError('backup_file_missing', `the backup is incomplete: ${file.path} is missing`);
      }
      if (info.size !== file.bytes) {
        throw new DomainError('backup_truncated', `the backup is damaged: ${file.path} has ${String(info.size)} bytes, the manifest says ${String(file.bytes)}${info.size < file.bytes ? ' (it was cut short)' : ''}`);
      }
      const { sha256 } = await checksumOf(where);
      if (sha256 !== file.sha256) {
        throw new DomainError('backup_checksum_mismatch', `the backup is damaged: ${file.path} does not match its SHA-256 checksum in the manifest`);
      }
    }
    return manifest;
  }
}
