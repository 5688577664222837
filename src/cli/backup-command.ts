import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { migrateDatabase } from '../container.ts';
import { systemClock } from '../app/clock.ts';
import { BackupService } from '../app/backup-service.ts';
import { openDatabase } from '../db/database.ts';
import type { BackupManifest } from '../domain/backups/backup-manifest.ts';
import { refusalsAsCliErrors } from './cli-io.ts';
import { print } from './context.ts';

function describe(manifest: BackupManifest): string[] {
  const rows = (table: string) => manifest.counts.tables[table] ?? 0;
  const engine = manifest.engine === 'sqlite' ? 'SQLite' : `PostgreSQL (schema ${manifest.postgresSchema ?? '?'})`;
  return [
    `  Database:        ${engine}, schema at ${manifest.latestMigration ?? 'no migration'}`,
    `  Representations: ${String(rows('representation'))}`,
    `  Users:           ${String(rows('app_user'))}`,
    `  Attachments:     ${String(manifest.counts.attachmentFiles)} file(s), ${String(manifest.counts.attachmentBytes)} bytes`,
    `  Made:            ${manifest.createdAt} by Redress ${manifest.redressVersion}`,
  ];
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('back up the database and the attachments into a new directory, while Redress runs')
    .requiredOption('--out <dir>', 'the directory to write (it must not exist, or be empty)')
    .addHelpText(
      'after',
      '\nThe directory holds the database (SQLite: a consistent copy; PostgreSQL: a pg_dump of\n' +
        'Redress\'s schema, so pg_dump must be on PATH), every file in ATTACHMENTS_DIR, and\n' +
        'manifest.json (versions, row counts and the SHA-256 of every file). It holds personal data:\n' +
        'keep it as safely as the database. Test a backup by restoring it into an empty database.',
    )
    .action(async (options: { out: string }) => {
      const config = loadConfig();
      const service = new BackupService({ database: config.database, attachmentsDir: config.attachmentsDir }, systemClock);
      const manifest = await refusalsAsCliErrors(() => service.backup(options.out));
      print(`Backed up to ${options.out}:`);
      for (const line of describe(manifest)) print(line);
    });

  program
    .command('restore')
    .description('restore a backup into an empty database and an empty attachments directory, then migrate it')
    .argument('<dir>', 'a directory written by redress backup')
    .addHelpText(
      'after',
      '\nDATABASE_URL and ATTACHMENTS_DIR say where to restore; both must be empty (a new database;\n' +
        'on PostgreSQL, with a search_path of the same schema as the backup\'s). Nothing is changed if\n' +
        'the backup is incomplete, damaged (a checksum does not match) or from a newer version of\n' +
        'Redress, or if the target is not empty. A backup from an older version is brought up to date\n' +
        'by the migrations afterwards. PostgreSQL needs pg_restore on PATH.',
    )
    .action(async (dir: string) => {
      const config = loadConfig();
      const service = new BackupService({ database: config.database, attachmentsDir: config.attachmentsDir }, systemClock);
      const { manifest } = await refusalsAsCliErrors(() => service.restore(dir));
      print(`Restored ${dir}:`);
      for (const line of describe(manifest)) print(line);
      const db = openDatabase(config.database);
      try {
        const { applied, redatedClocks } = await migrateDatabase(db, systemClock);
        print(applied.length === 0 ? 'The schema is up to date.' : `Brought up to date by the migrations: ${applied.join(', ')}`);
        if (redatedClocks > 0) print(`${String(redatedClocks)} open deadline${redatedClocks === 1 ? '' : 's'} re-dated (see each case's history).`);
      } finally {
        await db.close();
      }
    });
}
