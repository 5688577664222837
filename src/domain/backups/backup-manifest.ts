/**
 * The manifest of a backup (`manifest.json` in the backup's directory): what it holds and how
 * to check it. Pure: reading and writing files is the backup service's (src/app/backup-service.ts).
 *
 * A backup is a directory:
 *
 *   manifest.json            written last: a directory without it is not a backup
 *   database/redress.sqlite  SQLite: a consistent copy of the database file
 *   database/redress.pgdump  PostgreSQL: `pg_dump --format=custom` of Redress's schema
 *   attachments/xx/KEY       every stored file, under its storage key as in ATTACHMENTS_DIR
 *
 * The manifest names every file with its size and SHA-256, so a restore can refuse a backup that
 * was cut short or changed before it writes anything.
 */
import { z } from 'zod';
import { DomainError } from '../errors.ts';

export const BACKUP_FORMAT = 'redress.backup/1';
export const MANIFEST_FILE = 'manifest.json';
export const SQLITE_BACKUP_FILE = 'database/redress.sqlite';
export const POSTGRES_BACKUP_FILE = 'database/redress.pgdump';
export const ATTACHMENTS_FOLDER = 'attachments';

export interface BackupFile {
  /** Relative to the backup's directory, with forward slashes. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly createdAt: string;
  readonly redressVersion: string;
  readonly engine: 'sqlite' | 'postgres';
  /** PostgreSQL: the schema that was dumped (a restore goes into a schema of the same name). */
  readonly postgresSchema?: string;
  /** The last migration the backed-up schema had, and every one it had. */
  readonly latestMigration: string | null;
  readonly migrations: readonly string[];
  readonly counts: {
    /** Rows in each table at the moment of the backup. */
    readonly tables: Readonly<Record<string, number>>;
    readonly attachmentFiles: number;
    readonly attachmentBytes: number;
  };
  readonly files: readonly BackupFile[];
}

const SAFE_PATH = /^(database\/redress\.(sqlite|pgdump)|attachments\/[0-9a-f]{2}\/[0-9a-f]{32})$/;

const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.string().min(1),
  redressVersion: z.string().min(1),
  engine: z.enum(['sqlite', 'postgres']),
  postgresSchema: z.string().min(1).optional(),
  latestMigration: z.string().min(1).nullable(),
  migrations: z.array(z.string().min(1)),
  counts: z.object({
    tables: z.record(z.string(), z.number().int().min(0)),
    attachmentFiles: z.number().int().min(0),
    attachmentBytes: z.number().int().min(0),
  }),
  files: z.array(
    z.object({
      path: z.string().regex(SAFE_PATH, 'not a file a backup holds'),
      bytes: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

/** The newest of the migration names (they start with their number: `0019-…`). */
export function latestOf(migrations: readonly string[]): string | null {
  return [...migrations].sort().at(-1) ?? null;
}

/** Reads a manifest's text; DomainError `backup_manifest_unreadable` saying what is wrong. */
export function parseManifest(text: string): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DomainError('backup_manifest_unreadable', `${MANIFEST_FILE} is not valid JSON: the backup is damaged or incomplete`);
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (typeof format === 'string' && format !== BACKUP_FORMAT && format.startsWith('redress.backup/')) {
    throw new DomainError('backup_format_unknown', `the backup is in format ${format}, which this version of Redress does not know (it reads ${BACKUP_FORMAT}): restore it with the version that made it, or a newer one`);
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined ? '' : ` (${issue.path.join('.') || 'top level'}: ${issue.message})`;
    throw new DomainError('backup_manifest_unreadable', `${MANIFEST_FILE} is not a Redress backup manifest${where}`);
  }
  const manifest = result.data as BackupManifest;
  const paths = new Set<string>();
  for (const file of manifest.files) {
    if (paths.has(file.path)) throw new DomainError('backup_manifest_unreadable', `${MANIFEST_FILE} names ${file.path} twice`);
    paths.add(file.path);
  }
  const databaseFile = manifest.engine === 'sqlite' ? SQLITE_BACKUP_FILE : POSTGRES_BACKUP_FILE;
  if (!paths.has(databaseFile)) throw new DomainError('backup_manifest_unreadable', `${MANIFEST_FILE} does not name the database file ${databaseFile}`);
  if (manifest.engine === 'postgres' && manifest.postgresSchema === undefined) {
    throw new DomainError('backup_manifest_unreadable', `${MANIFEST_FILE} does not say which PostgreSQL schema was backed up`);
  }
  return manifest;
}

/**
 * Refuses a backup whose schema has a migration this build does not know (it was made by a newer
 * version of Redress): restoring it would leave a database this build cannot run.
 */
export function refuseNewerSchema(backupMigrations: readonly string[], known: readonly string[]): void {
  const knownNames = new Set(known);
  const unknown = backupMigrations.filter((name) => !knownNames.has(name));
  if (unknown.length > 0) {
    throw new DomainError(
      'backup_schema_newer',
      `the backup comes from a newer version of Redress: its database has migration${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}, which this version does not know. Install that version (or a newer one) and restore with it`,
    );
  }
}

/** Refuses a backup of one engine restored onto the other. */
export function refuseOtherEngine(manifest: BackupManifest, target: 'sqlite' | 'postgres'): void {
  if (manifest.engine === target) return;
  const name = (engine: string) => (engine === 'sqlite' ? 'SQLite' : 'PostgreSQL');
  throw new DomainError(
    'backup_other_engine',
    `the backup is of a ${name(manifest.engine)} database but DATABASE_URL names ${name(target)}: restore it onto ${name(manifest.engine)}: a backup cannot move a database from one engine to the other`,
  );
}
