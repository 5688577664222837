/** Where attachments are stored: beside the SQLite file by default, never where the web server serves files. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const base = { NODE_ENV: 'test', LOG_LEVEL: 'silent' } as const;

describe('the attachments directory', () => {
  it('is `attachments` beside the SQLite file, as an absolute path, unless set', () => {
    expect(loadConfig({ ...base, DATABASE_URL: 'sqlite:/var/lib/redress/redress.db' }).attachmentsDir).toBe('/var/lib/redress/attachments');
    expect(loadConfig({ ...base }).attachmentsDir).toBe(path.resolve('data', 'attachments'));
    expect(loadConfig({ ...base, DATABASE_URL: 'postgres://app@db.internal:5432/redress' }).attachmentsDir).toBe(path.resolve('data', 'attachments'));
    expect(loadConfig({ ...base, ATTACHMENTS_DIR: '/srv/shared/redress-files' }).attachmentsDir).toBe('/srv/shared/redress-files');
  });

  it('refuses a directory the web server serves', () => {
    const served = path.resolve(here, '../../../src/web/public');
    expect(() => loadConfig({ ...base, ATTACHMENTS_DIR: served })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ATTACHMENTS_DIR: path.join(served, 'uploads') })).toThrow('ATTACHMENTS_DIR must not be inside src/web/public');
    expect(loadConfig({ ...base, ATTACHMENTS_DIR: path.resolve(here, '../../../src/web/public-files') }).attachmentsDir).toContain('public-files');
  });
});
