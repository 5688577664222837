import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';
import { FTS5_TOKENIZER, PG_TEXT_SEARCH_CONFIG } from '../full-text-search.ts';

/**
 * Full-text search of case summaries and notes (docs/adr/0005-full-text-search.md).
 *
 * SQLite: FTS5 tables over `representation.summary` and `case_note.body` that keep no copy
 * of the text (external content, rowid = the row's id), kept in step by triggers on insert,
 * update and delete, and filled from the rows already there. PostgreSQL: GIN indexes on the
 * English tsvector of each column, built over the rows already there. Nothing else changes:
 * the columns and the code that writes them stay as they are.
 */
export const caseSearch: Migration = {
  name: '0006-case-search',
  async up(trx, engine) {
    if (engine === 'postgres') {
      const config = sql.lit(PG_TEXT_SEARCH_CONFIG);
      await sql`create index representation_summary_fts_idx on representation using gin (to_tsvector(${config}, summary))`.execute(trx);
      await sql`create index case_note_body_fts_idx on case_note using gin (to_tsvector(${config}, body))`.execute(trx);
      return;
    }
    const tokenizer = sql.lit(FTS5_TOKENIZER);
    for (const { fts, table, column } of [
      { fts: 'representation_fts', table: 'representation', column: 'summary' },
      { fts: 'case_note_fts', table: 'case_note', column: 'body' },
    ]) {
      const [f, t, c] = [sql.id(fts), sql.id(table), sql.id(column)];
      await sql`create virtual table ${f} using fts5(${c}, content=${sql.lit(table)}, content_rowid='id', tokenize=${tokenizer})`.execute(trx);
      // FTS5's own commands ('delete', 'rebuild') are inserts into the column named as the table.
      await sql`create trigger ${sql.id(`${fts}_insert`)} after insert on ${t} begin
        insert into ${f} (rowid, ${c}) values (new.id, new.${c});
      end`.execute(trx);
      await sql`create trigger ${sql.id(`${fts}_delete`)} after delete on ${t} begin
        insert into ${f} (${f}, rowid, ${c}) values ('delete', old.id, old.${c});
      end`.execute(trx);
      await sql`create trigger ${sql.id(`${fts}_update`)} after update of id, ${c} on ${t} begin
        insert into ${f} (${f}, rowid, ${c}) values ('delete', old.id, old.${c});
        insert into ${f} (rowid, ${c}) values (new.id, new.${c});
      end`.execute(trx);
      await sql`insert into ${f} (${f}) values ('rebuild')`.execute(trx);
    }
  },
};
