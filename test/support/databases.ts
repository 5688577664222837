/**
 * Runs a block of tests on both engines: real SQLite (a temporary file) and real
 * PostgreSQL (a fresh schema). Nothing is mocked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { DatabaseConfig } from '../../src/config.ts';
import { openDatabase, type Db, type Engine } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';

export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  readonly db: Db;
  readonly engine: Engine;
  /** Config that opens the same database again (a second process would use this). */
  readonly config: DatabaseConfig;
  /** A DATABASE_URL for child processes (the CLI). */
  readonly url: string;
  close(): Promise<void>;
}

/** Creates an empty database on `engine` (migrated unless `migrate` is false). */
export async function createTestDatabase(engine: Engine, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let config: DatabaseConfig;
  let url: string;
  let cleanup: () => Promise<void>;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'redress-test-'));
    const file = path.join(dir, 'test.db');
    config = { engine, location: file };
    url = `sqlite:${file}`;
    cleanup = () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    };
  } else {
    const base = inject('postgresUrl');
    if (base === null) throw new Error('PostgreSQL is not available');
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    config = { engine, location: base, schema };
    const withSchema = new URL(base);
    withSchema.searchParams.set('options', `-c search_path=${schema}`);
    url = withSchema.toString();
    cleanup = async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    };
  }
  const db = openDatabase(config);
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    db,
    engine,
    config,
    url,
    close: async () => {
      await db.close();
      await cleanup();
    },
  };
}

/** `describe` once per engine; PostgreSQL is skipped (loudly, by the global set-up) only outside CI. */
export function describeEachEngine(name: string, body: (database: () => TestDatabase) => void): void {
  for (const engine of ENGINES) {
    const isSkipped = engine === 'postgres' && inject('postgresUrl') === null;
    describe.skipIf(isSkipped)(`${name} [${engine}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await createTestDatabase(engine);
      });
      afterAll(async () => {
        await current?.close();
      });
      body(() => {
        if (!current) throw new Error('test database not ready');
        return current;
      });
    });
  }
}
