/**
 * Refreshes the statistics the query planners choose indexes by: after migrations (new
 * indexes, new columns) and after bulk imports (a table that grew by thousands of rows at
 * once). Without them SQLite plans as if every table were small and PostgreSQL waits for
 * autovacuum. SQLite reads a sample of each index (`analysis_limit`), one index at a time
 * with other work let in between (its driver holds the event loop while a statement runs),
 * so this stays quick at millions of rows; PostgreSQL samples by itself.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';
import { engineOf } from './full-text-search.ts';

/** An import of at least this many records refreshes the statistics afterwards. */
export const ANALYZE_AFTER_ROWS = 1000;

/** Rows SQLite's ANALYZE reads from each index: enough for its estimates, quick at any size. */
const SQLITE_ANALYSIS_LIMIT = 2000;

export function analyzeDatabase(db: Db): Promise<void> {
  return analyzeTables(db.kysely);
}

/** The same, given only the query builder (the engine from its dialect). */
export async function analyzeTables(kysely: Kysely<Database>): Promise<void> {
  if (engineOf(kysely) === 'sqlite') {
    await sql`pragma analysis_limit = ${sql.lit(SQLITE_ANALYSIS_LIMIT)}`.execute(kysely);
    // Each index, and each table without one (for its row count); not the full-text tables themselves.
    const { rows } = await sql<{ name: string }>`select name from sqlite_schema where type = 'index'
      union all select name from sqlite_schema t where type = 'table' and name not like 'sqlite_%' and sql not like 'create virtual table%'
        and not exists (select 1 from sqlite_schema i where i.type = 'index' and i.tbl_name = t.name)`.execute(kysely);
    for (const row of rows) {
      await sql`analyze ${sql.id(row.name)}`.execute(kysely);
      await nextTurn();
    }
    return;
  }
  // This schema's tables only (a database may hold other schemas: other installations, tests).
  const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(kysely);
  if (rows.length > 0) await sql`analyze ${sql.join(rows.map((r) => sql.id(r.name)))}`.execute(kysely);
}
