/**
 * Opens the database named by the config: SQLite (the embedded default) or PostgreSQL.
 * Both run the same migrations and queries; this is the only place that knows which.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type PostgresCursor, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import type { DatabaseConfig } from '../config.ts';
import type { Database } from './schema.ts';

export type Engine = DatabaseConfig['engine'];

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly engine: Engine;
  close(): Promise<void>;
}

/** pg returns 64-bit integers (count(*), sums) as strings; numbers here fit in a double. */
const pgTypes = new pg.TypeOverrides();
pgTypes.setTypeParser(pg.types.builtins.INT8, Number);

export function openDatabase(config: DatabaseConfig): Db {
  return config.engine === 'sqlite' ? openSqlite(config.location) : openPostgres(config.location, config.schema);
}

function openSqlite(location: string): Db {
  if (location !== ':memory:') mkdirSync(path.dirname(path.resolve(location)), { recursive: true });
  const sqlite = new SqliteDatabase(location);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // At a million records the default 2 MB page cache rereads the indexes every request:
  // 64 MiB of cache, reads through a memory map (the OS's page cache, not a copy) of as much of
  // the file as SQLite allows (2 GB as built here: a million records take 1.6 GB), and sorts in memory.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 2147418112');
  sqlite.pragma('temp_store = memory');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { kysely, engine: 'sqlite', close: () => kysely.destroy() };
}

/** Distinct statements kept on a connection (the app builds a few hundred). */
const MAX_STATEMENTS = 1000;

/**
 * The connection as Kysely uses it, keeping each statement it prepares by its SQL text:
 * Kysely prepares every query afresh, and on a page of cheap indexed reads compiling the SQL
 * costs more than running it. better-sqlite3 re-prepares a kept statement by itself when the
 * schema changes. (Nothing streams rows, so no kept statement is ever still running.)
 */
function withStatementCache(sqlite: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text) => {
      let statement = statements.get(text);
      if (statement === undefined) {
        if (statements.size >= MAX_STATEMENTS) statements.clear();
        statement = sqlite.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

function openPostgres(url: string, schema: string | undefined): Db {
  const pool = new pg.Pool({
    connectionString: url,
    types: pgTypes,
    max: 10,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined);
  // No JIT compiling: Redress's queries are short, and compiling one whose estimate passes the
  // threshold (a search of a common prefix) took 40 ms, longer than all of a page's queries.
  pool.on('connect', (client) => {
    client.query('set jit = off').catch(() => undefined);
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparing(pool) }) });
  return { kysely, engine: 'postgres', close: () => kysely.destroy() };
}

/**
 * The pool as Kysely uses it, each connection preparing a statement once (named by a hash of
 * its SQL text) and from then on only binding and running it. PostgreSQL then neither reads the
 * text again nor, once a statement has run five times and a plan for any values costs no more
 * than the plans it made for each run's values, plans it again (`plan_cache_mode`, left at
 * `auto`). On a case page of two dozen indexed reads, planning them each time took more of
 * PostgreSQL's time than running them (issue #16). Up to `MAX_STATEMENTS` a connection; past
 * that a statement runs unprepared. Upgrades stop every process before migrating, so a kept
 * statement never outlives the schema it was prepared against. A statement with no values runs
 * unprepared.
 */
function preparing(pool: pg.Pool): PostgresPool {
  const kept = new WeakMap<pg.PoolClient, Set<string>>();
  const nameOf = (text: string) => `redress_${createHash('sha1').update(text).digest('base64url')}`;
  return {
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect();
      const names = kept.get(client) ?? new Set<string>();
      kept.set(client, names);
      // Kysely is given no cursor, so it only ever passes SQL text and values.
      const query = async (text: string | PostgresCursor<unknown>, values: readonly unknown[] = []): Promise<PostgresQueryResult<unknown>> => {
        if (typeof text !== 'string') throw new Error('Redress reads no rows through a cursor');
        const name = nameOf(text);
        // Without values it runs as it is (a migration's statements, begin and commit): a prepared statement is one statement.
        if (values.length === 0 || (!names.has(name) && names.size >= MAX_STATEMENTS)) return (await client.query(text, [...values])) as PostgresQueryResult<unknown>;
        names.add(name);
        return (await client.query({ name, text, values: [...values] })) as PostgresQueryResult<unknown>;
      };
      return { query: query as PostgresPoolClient['query'], release: (destroy?: boolean) => { client.release(destroy); } };
    },
  };
}

/** True when the database answers a trivial query (used by /health/ready). */
export async function isDatabaseReady(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db.kysely);
    return true;
  } catch {
    return false;
  }
}
