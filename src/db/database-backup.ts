/**
 * The engine-specific half of backups (src/app/backup-service.ts holds the rest): a consistent
 * copy of the live database, and putting one back into an empty database.
 *
 * SQLite: SQLite's online backup API (better-sqlite3's `backup()`), from this process's own
 * connection. It reads in a read transaction, which in WAL mode never blocks the server's
 * writers; the copy is the database as it was at one moment. The copy is then switched to a
 * rollback journal, so that it is one self-contained file, and checked (`quick_check`).
 *
 * PostgreSQL: `pg_dump --format=custom` of the schema Redress uses (its search_path), run inside
 * a snapshot this process exports, so that the row counts and migrations in the manifest are
 * exactly those of the dump. Restored with `pg_restore --single-transaction`: all or nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { DomainError } from '../domain/errors.ts';

/** What a backup found in the database it copied. */
export interface DatabaseSnapshot {
  readonly migrations: readonly string[];
  readonly tables: Readonly<Record<string, number>>;
  /** PostgreSQL: the schema dumped. */
  readonly schema?: string;
}

/** A program Redress needs (pg_dump, pg_restore) is not installed; the message says what to do. */
export class MissingToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingToolError';
  }
}

const MIGRATION_TABLE = 'schema_migration';

// ---- SQLite ----

/** Ordinary tables of a SQLite database (not SQLite's own, not full-text indexes' shadow tables). */
function sqliteTables(db: SqliteDatabase.Database): string[] {
  const rows = db.prepare(`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).all() as { name: string; sql: string | null }[];
  const virtual = rows.filter((r) => /^\s*create\s+virtual\s+table/i.test(r.sql ?? '')).map((r) => r.name);
  return rows
    .filter((r) => !virtual.includes(r.name))
    .filter((r) => !virtual.some((v) => r.name.startsWith(`${v}_`)))
    .map((r) => r.name);
}

function quoteSqlite(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function sqliteContents(db: SqliteDatabase.Database): DatabaseSnapshot {
  const tables: Record<string, number> = {};
  for (const name of sqliteTables(db)) {
    const row = db.prepare(`select count(*) as n from ${quoteSqlite(name)}`).get() as { n: number };
    tables[name] = row.n;
  }
  const migrations = MIGRATION_TABLE in tables ? (db.prepare(`select name from ${MIGRATION_TABLE} order by name`).all() as { name: string }[]).map((r) => r.name) : [];
  return { migrations, tables };
}

/** Copies the live SQLite database at `location` to `destination` (a new file), consistently, while others write. */
export async function backupSqlite(location: string, destination: string): Promise<DatabaseSnapshot> {
  if (location === ':memory:') throw new DomainError('backup_memory_database', 'DATABASE_URL is an in-memory SQLite database: there is nothing on disk to back up');
  if (!existsSync(location)) throw new DomainError('backup_no_database', `there is no database at ${location}: check DATABASE_URL`);
  const source = new SqliteDatabase(location, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // After the first step, the rest in one step: a step runs in one read transaction, so writers
    // between steps (which would make SQLite start again) cannot keep it from finishing.
    await source.backup(destination, { progress: () => 1_000_000_000 });
  } finally {
    source.close();
  }
  const copy = new SqliteDatabase(destination, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy of the database failed SQLite's check (${String(check)}); the live database may be damaged: run "sqlite3 ${location} 'pragma integrity_check'"`);
    const contents = sqliteContents(copy);
    if (!(MIGRATION_TABLE in contents.tables)) throw new DomainError('backup_no_database', `the database at ${location} has no Redress tables: nothing to back up`);
    return contents;
  } finally {
    copy.close();
  }
}

/** What a SQLite backup file holds (read-only). */
export function sqliteBackupContents(file: string): DatabaseSnapshot {
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new DomainError('backup_damaged', `the backup's database file fails SQLite's check (${String(check)}): the backup is damaged`);
    return sqliteContents(db);
  } finally {
    db.close();
  }
}

/** Refuses a SQLite database with Redress's data in it; an absent file, an empty one or one never migrated is empty. */
export function refuseNonEmptySqlite(location: string): void {
  if (location === ':memory:') throw new DomainError('restore_memory_database', 'DATABASE_URL is an in-memory SQLite database: restore into a database file');
  if (!existsSync(location) || statSync(location).size === 0) return;
  const db = new SqliteDatabase(location, { readonly: true, fileMustExist: true });
  try {
    refuseTables(location, sqliteContents(db).tables);
  } finally {
    db.close();
  }
}

function refuseTables(where: string, tables: Readonly<Record<string, number>>): void {
  const names = Object.keys(tables).filter((name) => !(name === MIGRATION_TABLE && tables[name] === 0));
  if (names.length > 0) {
    throw new DomainError(
      'restore_database_not_empty',
      `the database ${where} is not empty (it has ${String(names.length)} table${names.length === 1 ? '' : 's'}, ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}): restore only into a new, empty database, so that nothing is overwritten`,
    );
  }
}

/** Writes the SQLite backup file into the (empty) database at `location`, with SQLite's backup API. */
export async function restoreSqlite(backupFile: string, location: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(location)), { recursive: true });
  const source = new SqliteDatabase(backupFile, { readonly: true, fileMustExist: true });
  try {
    await source.backup(location, { progress: () => 1_000_000_000 });
  } finally {
    source.close();
  }
}

// ---- PostgreSQL ----

/** A connection that sees the schema the app uses. */
function postgresClient(config: DatabaseConfig): pg.Client {
  return new pg.Client({ connectionString: config.location, ...(config.schema === undefined ? {} : { options: `-c search_path=${config.schema}` }) });
}

/**
 * The URL for pg_dump and pg_restore without its password, which goes in PGPASSWORD instead
 * (a command line is visible to every user of the machine), and with the schema the app uses.
 */
function toolConnection(config: DatabaseConfig): { url: string; extraEnv: Record<string, string> } {
  const url = new URL(config.location);
  const password = decodeURIComponent(url.password);
  url.password = '';
  if (config.schema !== undefined) url.searchParams.set('options', `-c search_path=${config.schema}`);
  // libpq decodes %20 but not "+" (as URLSearchParams writes a space): spell the parameters out.
  const query = [...url.searchParams].map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
  url.search = query === '' ? '' : `?${query}`;
  return { url: url.toString(), extraEnv: password === '' ? {} : { PGPASSWORD: password } };
}

const INSTALL_HELP =
  'install the PostgreSQL client programs of the same major version as the server, or newer (Debian and Ubuntu: apt-get install postgresql-client; Red Hat: dnf install postgresql), so that they are on PATH';

/** Runs a PostgreSQL program; its standard output, or an error with the last lines it wrote to stderr. */
function runTool(program: 'pg_dump' | 'pg_restore', args: readonly string[], extraEnv: Readonly<Record<string, string>>, purpose: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // The program inherits this process's environment (PATH, PGSSLROOTCERT, …), with the password added.
    const env = Object.keys(extraEnv).length === 0 ? undefined : { ...process.env, ...extraEnv };
    const child = spawn(program, args, { ...(env === undefined ? {} : { env }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk.length + stderr.length > 20_000 ? '' : chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(new MissingToolError(`${program} was not found on PATH; it is needed to ${purpose} a PostgreSQL database: ${INSTALL_HELP}. See "Backups and restore" in docs/operations.md for other ways`));
      } else reject(error);
    });
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${program} failed (exit code ${String(code)}): ${stderr.trim().split('\n').slice(-3).join(' ') || 'no message'}`));
    });
  });
}

async function postgresTables(client: pg.Client, schema: string): Promise<Record<string, number>> {
  const names = await client.query<{ relname: string }>(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind in ('r', 'p') order by c.relname`,
    [schema],
  );
  const tables: Record<string, number> = {};
  for (const { relname } of names.rows) {
    const count = await client.query<{ n: string }>(`select count(*) as n from ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(relname)}`);
    tables[relname] = Number(count.rows[0]?.n ?? 0);
  }
  return tables;
}

/** The schema a connection works in: current_schema(), or the first of its search_path when that does not exist yet. */
async function schemaOf(client: pg.Client): Promise<{ name: string; exists: boolean }> {
  const result = await client.query<{ current: string | null; search_path: string; user: string }>(`select current_schema() as current, current_setting('search_path') as search_path, current_user as "user"`);
  const row = result.rows[0];
  if (row?.current !== null && row?.current !== undefined) return { name: row.current, exists: true };
  const first = (row?.search_path ?? '').split(',')[0]?.trim().replace(/^"(.*)"$/, '$1') ?? '';
  const name = first === '$user' ? (row?.user ?? '') : first;
  if (name === '') throw new DomainError('restore_no_schema', 'the PostgreSQL connection has no schema to work in: set search_path (options=-c search_path=NAME in DATABASE_URL)');
  return { name, exists: false };
}

/** Dumps the schema the app uses to `destination` with pg_dump, in a snapshot whose counts it returns. */
export async function backupPostgres(config: DatabaseConfig, destination: string): Promise<DatabaseSnapshot> {
  const client = postgresClient(config);
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]?.id ?? '';
    const { name: schema, exists } = await schemaOf(client);
    const tables = exists ? await postgresTables(client, schema) : {};
    if (!(MIGRATION_TABLE in tables)) throw new DomainError('backup_no_database', `the PostgreSQL schema ${schema} has no Redress tables: nothing to back up (check DATABASE_URL)`);
    const migrations = (await client.query<{ name: string }>(`select name from ${pg.escapeIdentifier(schema)}.${MIGRATION_TABLE} order by name`)).rows.map((r) => r.name);
    // pg_dump leaves extensions out of a one-schema dump: name those the schema uses (pg_trgm's operator classes in an index).
    const extensions = await client.query<{ extname: string }>(
      `select distinct e.extname from pg_depend d
         join pg_class c on d.classid = 'pg_class'::regclass and c.oid = d.objid
         join pg_namespace n on n.oid = c.relnamespace and n.nspname = $1
         join pg_depend member on member.classid = d.refclassid and member.objid = d.refobjid and member.deptype = 'e'
         join pg_extension e on member.refclassid = 'pg_extension'::regclass and e.oid = member.refobjid
       order by e.extname`,
      [schema],
    );
    const { url, extraEnv } = toolConnection(config);
    const extensionArgs = extensions.rows.map((r) => `--extension=${r.extname}`);
    await runTool('pg_dump', ['--format=custom', `--schema=${schema}`, ...extensionArgs, '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--file=${destination}`, `--dbname=${url}`], extraEnv, 'back up');
    await client.query('commit');
    return { migrations, tables, schema };
  } finally {
    await client.end();
  }
}

/** Checks that pg_restore is installed and can read the dump (before anything is changed). */
export async function checkPostgresDump(file: string): Promise<string> {
  try {
    return await runTool('pg_restore', ['--list', file], {}, 'restore');
  } catch (error) {
    if (error instanceof MissingToolError) throw error;
    throw new DomainError('backup_damaged', `pg_restore cannot read the backup's database dump: the backup is damaged (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Refuses a PostgreSQL target that is not empty, or whose schema is not the one the backup was
 * made from (pg_restore cannot rename a schema).
 */
export async function refuseNonEmptyPostgres(config: DatabaseConfig, backupSchema: string): Promise<void> {
  const client = postgresClient(config);
  await client.connect();
  try {
    const { name, exists } = await schemaOf(client);
    if (name !== backupSchema) {
      throw new DomainError(
        'restore_other_schema',
        `the backup is of PostgreSQL schema "${backupSchema}" but DATABASE_URL works in schema "${name}": restore into a database whose search_path is ${backupSchema} (options=-c search_path=${backupSchema} in DATABASE_URL, or the default "public" when that is the backup's)`,
      );
    }
    if (exists) refuseTables(`schema ${name}`, await postgresTables(client, name));
    if (exists) {
      const others = await client.query<{ relname: string }>(
        `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind not in ('r', 'p', 'i') and c.relname <> '${MIGRATION_TABLE}_pkey'`,
        [name],
      );
      if (others.rows.length > 0) refuseTables(`schema ${name}`, Object.fromEntries(others.rows.map((r) => [r.relname, 1])));
    }
  } finally {
    await client.end();
  }
}

/** Restores the dump into the (checked, empty) target in one transaction; the target's rows counted after. */
export async function restorePostgres(config: DatabaseConfig, file: string, list: string): Promise<Record<string, number>> {
  const client = postgresClient(config);
  await client.connect();
  const listFile = path.join(tmpdir(), `redress-restore-${randomBytes(8).toString('hex')}.list`);
  try {
    const { name, exists } = await schemaOf(client);
    // An empty schema_migration (a database opened once, never migrated) would be in the way.
    if (exists) await client.query(`drop table if exists ${pg.escapeIdentifier(name)}.${MIGRATION_TABLE}`);
    // The schema is there already: leave out the dump's own "create schema" and its comment. An
    // extension's comment is left out too: it needs the extension's owner, and says nothing of Redress's.
    const entries = list
      .split('\n')
      .filter((line) => !(exists && /^\d+;\s+\d+\s+\d+\s+(SCHEMA - |COMMENT - SCHEMA )/.test(line)))
      .filter((line) => !/^\d+;\s+\d+\s+\d+\s+COMMENT - EXTENSION /.test(line));
    await writeFile(listFile, entries.join('\n'), { mode: 0o600 });
    const { url, extraEnv } = toolConnection(config);
    await runTool('pg_restore', ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--use-list=${listFile}`, `--dbname=${url}`, file], extraEnv, 'restore');
    return await postgresTables(client, name);
  } finally {
    await rm(listFile, { force: true });
    await client.end();
  }
}
