/**
 * Backups and restore on both engines, through the real `redress` CLI in child processes.
 *
 * The public sends complaints (some with files) to a running app while `redress backup` runs
 * beside it; the backup is restored into a new database and an empty attachments directory, and
 * every submission acknowledged before the backup started is there, its files byte for byte.
 * A restore refuses — and leaves the target exactly as it was — a backup with no manifest, from
 * a newer schema, cut short, or with a file that does not match its checksum, and a target that
 * is not empty. A backup of an older schema is brought up to date by the migrations.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.ts';
import { testClock, testConfig, testContainer } from '../support/builders.ts';
import { PublicVisitor, YOUNG_COMPLAINT, pageOf } from '../support/public-visitor.ts';
import { PDF } from '../support/file-samples.ts';
import { runCli, type CliResult } from '../support/cli.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { DatabaseConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import type { Engine } from '../../src/db/database.ts';

interface Sent {
  readonly reference: string;
  readonly file: Buffer | undefined;
  /** When the acknowledgement (the redirect with the reference) arrived. */
  readonly acknowledgedAt: number;
}

/** Where a restore goes: a database of its own and an empty attachments directory. */
interface Target {
  readonly env: Record<string, string>;
  readonly config: DatabaseConfig;
  readonly attachmentsDir: string;
  /** Everything that says what is in the target, to compare before and after a refusal. */
  state(): Promise<string>;
  close(): Promise<void>;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file under a directory, with its checksum (none when it does not exist). */
function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => !e.isDirectory())
    .map((e) => `${path.relative(dir, path.join(e.parentPath, e.name))} ${sha256(readFileSync(path.join(e.parentPath, e.name)))}`)
    .sort();
}

async function newTarget(engine: Engine, schema: string | undefined): Promise<Target> {
  const attachmentsDir = path.join(mkdtempSync(path.join(tmpdir(), 'redress-restore-attachments-')), 'attachments');
  if (engine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'redress-restore-'));
    const location = path.join(dir, 'restored.db');
    // A database opened once and never migrated: empty, as a new installation's is.
    const unmigrated = openDatabase({ engine, location });
    await unmigrated.close();
    return {
      env: { DATABASE_URL: `sqlite:${location}`, ATTACHMENTS_DIR: attachmentsDir },
      config: { engine, location },
      attachmentsDir,
      state: () => {
        const db = new SqliteDatabase(location, { readonly: true });
        const tables = (db.prepare(`select name from sqlite_master order by name`).all() as { name: string }[]).map((r) => r.name);
        db.close();
        return Promise.resolve(JSON.stringify({ file: sha256(readFileSync(location)), tables, attachments: filesIn(attachmentsDir) }));
      },
      close: () => {
        rmSync(dir, { recursive: true, force: true });
        rmSync(path.dirname(attachmentsDir), { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  // PostgreSQL: a new database, working in a schema of the same name as the backed-up one (not yet created).
  const base = inject('postgresUrl') ?? '';
  const name = `redress_restore_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const location = url.toString();
  url.searchParams.set('options', `-c search_path=${schema ?? 'public'}`);
  const query = async (sql: string): Promise<unknown[]> => {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    try {
      return (await client.query(sql)).rows as unknown[];
    } finally {
      await client.end();
    }
  };
  return {
    env: { DATABASE_URL: url.toString(), ATTACHMENTS_DIR: attachmentsDir },
    config: { engine, location, ...(schema === undefined ? {} : { schema }) },
    attachmentsDir,
    state: async () => {
      const schemas = await query(`select nspname from pg_namespace where nspname not like 'pg\\_%' and nspname <> 'information_schema' order by 1`);
      const relations = await query(`select n.nspname, c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema' order by 1, 2`);
      return JSON.stringify({ schemas, relations, attachments: filesIn(attachmentsDir) });
    },
    close: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
      rmSync(path.dirname(attachmentsDir), { recursive: true, force: true });
    },
  };
}

/** A copy of the backup to spoil, beside it (removed with it). */
function copyOf(backup: string): string {
  const copy = path.join(mkdtempSync(path.join(path.dirname(backup), 'spoilt-')), 'backup');
  cpSync(backup, copy, { recursive: true });
  return copy;
}

interface Manifest {
  migrations: string[];
  counts: { tables: Record<string, number>; attachmentFiles: number };
  files: { path: string; bytes: number; sha256: string }[];
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;

for (const engine of ENGINES) {
  describe.skipIf(engine === 'postgres' && inject('postgresUrl') === null)(`backup and restore [${engine}]`, () => {
    let source: TestDatabase;
    let container: Container;
    let app: FastifyInstance;
    let sourceAttachments: string;
    let work: string;
    let backupDir: string;
    const sent: Sent[] = [];
    let backupStartedAt = 0;
    let restoredInto: Target | undefined;
    const target = (): Target => {
      if (restoredInto === undefined) throw new Error('the backup was not restored');
      return restoredInto;
    };

    const sourceEnv = (): Record<string, string> => ({ DATABASE_URL: source.url, ATTACHMENTS_DIR: sourceAttachments });
    const restoreInto = (t: Target, dir: string, extra: Record<string, string> = {}): Promise<CliResult> => runCli(['restore', dir], { ...t.env, ...extra });

    beforeAll(async () => {
      source = await createTestDatabase(engine);
      work = mkdtempSync(path.join(tmpdir(), 'redress-backup-test-'));
      sourceAttachments = path.join(work, 'attachments');
      backupDir = path.join(work, 'backup');
      container = await testContainer(source, testClock(), testConfig({ ATTACHMENTS_DIR: sourceAttachments }));
      app = await createApp(container);
    });
    afterAll(async () => {
      await app.close();
      await source.close();
      await restoredInto?.close();
      rmSync(work, { recursive: true, force: true });
    });

    /** One member of the public sends a complaint, with a file of its own when `withFile`. */
    async function sendOne(withFile: boolean): Promise<Sent> {
      const visitor = new PublicVisitor(app);
      await visitor.reachCheck(YOUNG_COMPLAINT);
      let file: Buffer | undefined;
      if (withFile) {
        await visitor.change('files');
        file = Buffer.concat([PDF, Buffer.from(`% ${randomBytes(16).toString('hex')}\n`)]);
        const { action, body } = visitor.formWith({});
        const uploaded = await visitor.postFile(action, body, { name: 'letter.pdf', bytes: file });
        expect(pageOf(uploaded.body)).toBe('check');
      }
      const response = await visitor.answer();
      expect(response.statusCode, response.body.slice(0, 200)).toBe(303);
      const reference = new URL(String(response.headers.location), 'http://x').searchParams.get('reference') ?? '';
      expect(reference).not.toBe('');
      return { reference, file, acknowledgedAt: performance.now() };
    }

    it('backs up while submissions arrive, and a restore holds every one acknowledged before the backup began, files byte for byte', async () => {
      let isStopped = false;
      let count = 0;
      const senders = Array.from({ length: 3 }, async () => {
        while (!isStopped) {
          count += 1;
          sent.push(await sendOne(count % 2 === 0));
        }
      });
      while (sent.length < 12) await new Promise((resolve) => setTimeout(resolve, 20));

      backupStartedAt = performance.now();
      const before = sent.length;
      const backup = await runCli(['backup', '--out', backupDir], sourceEnv());
      const during = sent.length - before;
      isStopped = true;
      await Promise.all(senders);
      expect(backup.stderr).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.stdout).toContain(`Backed up to ${backupDir}`);
      // The public kept sending, and being answered, while the backup ran.
      expect(during).toBeGreaterThan(0);

      const acknowledged = sent.filter((s) => s.acknowledgedAt < backupStartedAt);
      expect(acknowledged.length).toBeGreaterThanOrEqual(12);
      expect(acknowledged.some((s) => s.file !== undefined)).toBe(true);

      const manifest = manifestOf(backupDir);
      expect(manifest.migrations).toEqual(migrations.map((m) => m.name).sort());
      expect(manifest.counts.tables.representation).toBeGreaterThanOrEqual(acknowledged.length);
      expect(manifest.files[0]?.path).toBe(engine === 'sqlite' ? 'database/redress.sqlite' : 'database/redress.pgdump');
      expect(manifest.counts.attachmentFiles).toBe(manifest.files.length - 1);

      restoredInto = await newTarget(engine, source.config.schema);
      const restored = await restoreInto(target(), backupDir);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      expect(restored.stdout).toContain('The schema is up to date.');

      const db = openDatabase(target().config);
      try {
        const count = await db.kysely.selectFrom('representation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        expect(count.n).toBe(manifest.counts.tables.representation);
        for (const submission of acknowledged) {
          const row = await db.kysely
            .selectFrom('representation as r')
            .innerJoin('public_submission as s', 's.representation_id', 'r.id')
            .select(['r.id', 'r.status'])
            .where('r.reference', '=', submission.reference)
            .executeTakeFirst();
          expect(row, submission.reference).toMatchObject({ status: 'awaiting_registration' });
          const files = await db.kysely.selectFrom('attachment').select(['storage_key', 'sha256', 'size_bytes']).where('subject_type', '=', 'representation').where('subject_id', '=', row?.id ?? 0).execute();
          if (submission.file === undefined) {
            expect(files).toEqual([]);
          } else {
            expect(files).toHaveLength(1);
            const stored = files[0];
            const bytes = readFileSync(path.join(target().attachmentsDir, stored?.storage_key.slice(0, 2) ?? '', stored?.storage_key ?? ''));
            expect(bytes.equals(submission.file)).toBe(true);
            expect(stored?.sha256).toBe(sha256(submission.file));
          }
        }
      } finally {
        await db.close();
      }
    }, 240_000);

    // Each refusal runs the CLI in a child process, on a machine shared with other work: allow time.
    describe('refusals leave the target as it was', { timeout: 120_000 }, () => {
      let fresh: Target;
      beforeAll(async () => {
        fresh = await newTarget(engine, source.config.schema);
      });
      afterAll(async () => {
        await fresh.close();
      });

      async function expectRefused(dir: string, into: Target, message: RegExp, code = 2, env: Record<string, string> = {}): Promise<void> {
        const before = await into.state();
        const result = await restoreInto(into, dir, env);
        expect(result.stderr).toMatch(message);
        expect(result.code).toBe(code);
        expect(result.stdout).toBe('');
        expect(await into.state()).toBe(before);
      }

      it('refuses a backup with no manifest', async () => {
        const copy = copyOf(backupDir);
        rmSync(path.join(copy, 'manifest.json'));
        await expectRefused(copy, fresh, /manifest\.json cannot be read: .* is not a Redress backup, or the backup did not finish/);
        writeFileSync(path.join(copy, 'manifest.json'), '{"format": "redress.backup/1", "engine": ');
        await expectRefused(copy, fresh, /manifest\.json is not valid JSON/);
      });

      it('refuses a backup from a newer schema', async () => {
        const copy = copyOf(backupDir);
        const manifest = manifestOf(copy);
        manifest.migrations.push('9999-from-a-newer-version');
        writeFileSync(path.join(copy, 'manifest.json'), JSON.stringify(manifest));
        await expectRefused(copy, fresh, /newer version of Redress: its database has migration 9999-from-a-newer-version/);
      });

      it('refuses a backup whose database file was cut short', async () => {
        const copy = copyOf(backupDir);
        const file = path.join(copy, manifestOf(copy).files[0]?.path ?? '');
        truncateSync(file, Math.floor(readFileSync(file).length / 2));
        await expectRefused(copy, fresh, /the backup is damaged: database\/redress\.(sqlite|pgdump) has \d+ bytes, the manifest says \d+ \(it was cut short\)/);
      });

      it('refuses a backup with a file that does not match its checksum', async () => {
        const copy = copyOf(backupDir);
        const attachment = manifestOf(copy).files.find((f) => f.path.startsWith('attachments/'));
        expect(attachment).toBeDefined();
        const file = path.join(copy, attachment?.path ?? '');
        const bytes = readFileSync(file);
        const middle = Math.floor(bytes.length / 2);
        bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
        writeFileSync(file, bytes);
        await expectRefused(copy, fresh, /the backup is damaged: attachments\/[0-9a-f]{2}\/[0-9a-f]{32} does not match its SHA-256 checksum/);
      });

      it('refuses a database that is not empty, and an attachments directory that is not', async () => {
        // The database restored above, with a new, empty attachments directory.
        const restored = target();
        const elsewhere = { ...restored, env: { ...restored.env, ATTACHMENTS_DIR: fresh.attachmentsDir }, state: async () => `${await restored.state()} ${JSON.stringify(filesIn(fresh.attachmentsDir))}` };
        await expectRefused(backupDir, elsewhere, /the database .* is not empty .*: restore only into a new, empty database/);
        // An empty database, with the attachments directory that has the restored files.
        const filled = { ...fresh, env: { ...fresh.env, ATTACHMENTS_DIR: restored.attachmentsDir }, state: async () => `${await fresh.state()} ${JSON.stringify(filesIn(restored.attachmentsDir))}` };
        await expectRefused(backupDir, filled, /the attachments directory .* already has files in it/);
      });

      it.skipIf(engine !== 'postgres')('says what to install when pg_dump or pg_restore is missing, and writes nothing', async () => {
        const out = path.join(work, 'never-written');
        const backup = await runCli(['backup', '--out', out], { ...sourceEnv(), PATH: '/nonexistent' });
        expect(backup.code).toBe(1);
        expect(backup.stderr).toMatch(/pg_dump was not found on PATH; .*apt-get install postgresql-client/);
        expect(existsSync(out)).toBe(false);
        expect(readdirSync(work).filter((name) => name.includes('never-written'))).toEqual([]);
        await expectRefused(backupDir, fresh, /pg_restore was not found on PATH; .*postgresql-client/, 1, { PATH: '/nonexistent' });
      });
    });

    it('restores a backup of an older schema and migrates it up to date', async () => {
      const older = await createTestDatabase(engine, { migrate: false });
      const oldDir = path.join(work, 'older-backup');
      const oldTarget = await newTarget(engine, older.config.schema);
      try {
        const known = migrations.slice(0, 19);
        await migrateToLatest(older.db, known);
        const backup = await runCli(['backup', '--out', oldDir], { DATABASE_URL: older.url, ATTACHMENTS_DIR: path.join(work, 'no-attachments') });
        expect(backup.code, backup.stderr).toBe(0);
        expect(manifestOf(oldDir).migrations).toEqual(known.map((m) => m.name));
        const restored = await restoreInto(oldTarget, oldDir);
        expect(restored.code, restored.stderr).toBe(0);
        const later = migrations.slice(19).map((m) => m.name);
        expect(restored.stdout).toContain(`Brought up to date by the migrations: ${later.join(', ')}`);
        const db = openDatabase(oldTarget.config);
        try {
          const names = await db.kysely.selectFrom('schema_migration').select('name').orderBy('name').execute();
          expect(names.map((r) => r.name)).toEqual(migrations.map((m) => m.name).sort());
        } finally {
          await db.close();
        }
      } finally {
        await oldTarget.close();
        await older.close();
      }
    }, 120_000);
  });
}
