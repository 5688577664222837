import { describe, expect, it } from 'vitest';
import { latestOf, parseManifest, refuseNewerSchema, refuseOtherEngine, type BackupManifest } from '../../../src/domain/backups/backup-manifest.ts';
import { DomainError } from '../../../src/domain/errors.ts';

const SHA = 'a'.repeat(64);

const manifest = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  format: 'redress.backup/1',
  createdAt: '2026-12-07T02:00:00.000Z',
  redressVersion: '0.1.0',
  engine: 'sqlite',
  latestMigration: '0002-calendar-and-clocks',
  migrations: ['0001-foundation', '0002-calendar-and-clocks'],
  counts: { tables: { representation: 3 }, attachmentFiles: 1, attachmentBytes: 10 },
  files: [
    { path: 'database/redress.sqlite', bytes: 4096, sha256: SHA },
    { path: 'attachments/ab/ab0123456789abcdef0123456789abcd', bytes: 10, sha256: SHA },
  ],
  ...changes,
});

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
}

describe('backup manifest', () => {
  it('reads a manifest', () => {
    const parsed = parseManifest(JSON.stringify(manifest()));
    expect(parsed.engine).toBe('sqlite');
    expect(parsed.files.map((f) => f.path)).toEqual(['database/redress.sqlite', 'attachments/ab/ab0123456789abcdef0123456789abcd']);
  });

  it.each([
    ['not JSON', '{"format": "redress.backup/1",', 'backup_manifest_unreadable'],
    ['a later format', JSON.stringify(manifest({ format: 'redress.backup/2' })), 'backup_format_unknown'],
    ['something else', JSON.stringify({ hello: 'world' }), 'backup_manifest_unreadable'],
    ['a path outside the backup', JSON.stringify(manifest({ files: [{ path: 'database/redress.sqlite', bytes: 1, sha256: SHA }, { path: 'attachments/../../etc/passwd', bytes: 1, sha256: SHA }] })), 'backup_manifest_unreadable'],
    ['an absolute path', JSON.stringify(manifest({ files: [{ path: '/etc/passwd', bytes: 1, sha256: SHA }] })), 'backup_manifest_unreadable'],
    ['a file named twice', JSON.stringify(manifest({ files: [{ path: 'database/redress.sqlite', bytes: 1, sha256: SHA }, { path: 'database/redress.sqlite', bytes: 1, sha256: SHA }] })), 'backup_manifest_unreadable'],
    ['no database file', JSON.stringify(manifest({ files: [] })), 'backup_manifest_unreadable'],
    ['a PostgreSQL backup without its schema', JSON.stringify(manifest({ engine: 'postgres', files: [{ path: 'database/redress.pgdump', bytes: 1, sha256: SHA }] })), 'backup_manifest_unreadable'],
    ['a checksum that is not SHA-256', JSON.stringify(manifest({ files: [{ path: 'database/redress.sqlite', bytes: 1, sha256: 'abc' }] })), 'backup_manifest_unreadable'],
  ])('refuses %s', (_name, text, code) => {
    expect(codeOf(() => parseManifest(text))).toBe(code);
  });

  it('refuses a schema with a migration this build does not know, naming it', () => {
    expect(() => { refuseNewerSchema(['0001-foundation', '0099-later'], ['0001-foundation', '0002-calendar-and-clocks']); }).toThrow(/newer version of Redress: its database has migration 0099-later,/);
    expect(codeOf(() => { refuseNewerSchema(['0001-foundation'], ['0001-foundation', '0002-calendar-and-clocks']); })).toBeUndefined();
  });

  it('refuses the other engine', () => {
    const parsed = parseManifest(JSON.stringify(manifest())) satisfies BackupManifest;
    expect(codeOf(() => { refuseOtherEngine(parsed, 'postgres'); })).toBe('backup_other_engine');
    expect(codeOf(() => { refuseOtherEngine(parsed, 'sqlite'); })).toBeUndefined();
  });

  it('knows the latest migration by its number', () => {
    expect(latestOf(['0010-ombudsman', '0002-calendar-and-clocks', '0019-shared-limits-and-job-runs'])).toBe('0019-shared-limits-and-job-runs');
    expect(latestOf([])).toBeNull();
  });
});
