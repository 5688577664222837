import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { Migration } from '../migrator.ts';

/**
 * Indexes for a national-scale table (docs/adr/0011-queues-search-and-paging-at-scale.md).
 *
 * - `representation.queue_due_on`: the Stage 1 clock's due date, or `9999-12-31` when the
 *   case has none, so the work queues' order (due date, nulls last; date received; id) is a
 *   plain index order. Triggers on `clock` keep it in step (the code that writes clocks does
 *   not change); filled here from the clocks already there.
 * - Queue indexes in that order: every case; open cases (partial, `status not in ('closed',
 *   'withdrawn')`, the exact text the queries use); open cases by team and by responder; by
 *   status; recently finished cases by the date they finished.
 * - Search: the complainant's id; the complainant's name by trigrams (SQLite: an FTS5 table
 *   with the trigram tokenizer, kept in step by triggers; PostgreSQL: a GIN `pg_trgm` index
 *   on `lower(name)` when the extension can be created, and none otherwise: the search still
 *   works, scanning the names).
 * - The dashboard's timeliness: Children Act responses not withdrawn, by response date.
 */
export const QUEUE_NO_DUE_DATE = '9999-12-31';
/** The clock keys of a Stage 1 clock (STAGE1_CLOCK_KEYS' values), fixed here as shipped. */
const STAGE1_KEYS = sql.raw(`'stage1_response', 'response'`);
const OPEN = sql.raw(`status not in ('closed', 'withdrawn')`);

/** Runs `statement` inside a savepoint: true if it worked, false (and nothing changed) if it failed. */
async function attempt(trx: Transaction<Database>, statement: RawBuilder<unknown>): Promise<boolean> {
  await sql`savepoint attempt`.execute(trx);
  try {
    await statement.execute(trx);
    await sql`release savepoint attempt`.execute(trx);
    return true;
  } catch {
    await sql`rollback to savepoint attempt`.execute(trx);
    return false;
  }
}

/** The schema holding pg_trgm, installing it if it is not there yet; undefined when it cannot be had. */
export async function trigramSchema(trx: Transaction<Database>): Promise<string | undefined> {
  const installed = async () =>
    (await sql<{ schema: string }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(trx)).rows[0]?.schema;
  const existing = await installed();
  if (existing !== undefined) return existing;
  if ((await attempt(trx, sql`create extension pg_trgm schema public`)) || (await attempt(trx, sql`create extension pg_trgm`))) return installed();
  return undefined;
}

export const queueOrderAndSearchIndexes: Migration = {
  name: '0020-queue-order-and-search-indexes',
  async up(trx, engine) {
    const none = sql.lit(QUEUE_NO_DUE_DATE);
    await sql`alter table representation add column queue_due_on varchar(10) not null default ${none}`.execute(trx);
    await sql`update representation set queue_due_on = coalesce((select min(c.due_on) from clock c
      where c.subject_type = 'representation' and c.subject_id = representation.id and c.clock_key in (${STAGE1_KEYS})), ${none})`.execute(trx);

    if (engine === 'postgres') {
      await sql`create function representation_queue_due_on() returns trigger language plpgsql as $$
        begin
          if tg_op in ('UPDATE', 'DELETE') and old.subject_type = 'representation' and old.clock_key in (${STAGE1_KEYS}) then
            update representation set queue_due_on = ${none} where id = old.subject_id;
          end if;
          if tg_op in ('INSERT', 'UPDATE') and new.subject_type = 'representation' and new.clock_key in (${STAGE1_KEYS}) then
            update representation set queue_due_on = new.due_on where id = new.subject_id;
          end if;
          return null;
        end $$`.execute(trx);
      await sql`create trigger clock_queue_due_on after insert or delete or update of due_on, clock_key, subject_id, subject_type on clock
        for each row execute function representation_queue_due_on()`.execute(trx);
    } else {
      await sql`create trigger clock_queue_due_on_insert after insert on clock
        when new.subject_type = 'representation' and new.clock_key in (${STAGE1_KEYS}) begin
          update representation set queue_due_on = new.due_on where id = new.subject_id;
        end`.execute(trx);
      await sql`create trigger clock_queue_due_on_update after update of due_on, clock_key, subject_id, subject_type on clock begin
          update representation set queue_due_on = ${none} where id = old.subject_id and old.subject_type = 'representation' and old.clock_key in (${STAGE1_KEYS});
          update representation set queue_due_on = new.due_on where id = new.subject_id and new.subject_type = 'representation' and new.clock_key in (${STAGE1_KEYS});
        end`.execute(trx);
      await sql`create trigger clock_queue_due_on_delete after delete on clock
        when old.subject_type = 'representation' and old.clock_key in (${STAGE1_KEYS}) begin
          update representation set queue_due_on = ${none} where id = old.subject_id;
        end`.execute(trx);
    }

    await sql`create index representation_queue_idx on representation (queue_due_on, received_on, id)`.execute(trx);
    await sql`create index representation_open_queue_idx on representation (queue_due_on, received_on, id) where ${OPEN}`.execute(trx);
    await sql`create index representation_open_team_idx on representation (team_id, queue_due_on, received_on, id) where ${OPEN}`.execute(trx);
    await sql`create index representation_open_responder_idx on representation (responder_user_id, queue_due_on, received_on, id) where ${OPEN}`.execute(trx);
    await sql`create index representation_status_queue_idx on representation (status, queue_due_on, received_on, id)`.execute(trx);
    await sql`create index representation_finished_idx on representation (coalesce(closed_on, withdrawn_on, updated_at))`.execute(trx);
    await sql`create index representation_complainant_idx on representation (complainant_id)`.execute(trx);
    await sql`create index representation_timeliness_idx on representation (kind, responded_on, received_on, receipt_rule) where withdrawn_on is null`.execute(trx);

    if (engine === 'postgres') {
      // pg_trgm ships with PostgreSQL (contrib) and is a trusted extension. One database has it
      // once, in one schema: use it where it is, or install it in `public` (shared by every
      // schema), or else in this one; if none of that is allowed, carry on without the index
      // rather than fail the migration (the search still works, scanning the names).
      const schema = await trigramSchema(trx);
      if (schema !== undefined) {
        await sql`create index person_name_trgm_idx on person using gin (lower(name) ${sql.id(schema)}.gin_trgm_ops)`.execute(trx);
      }
      return;
    }
    await sql`create virtual table person_name_fts using fts5(name, content='person', content_rowid='id', tokenize='trigram')`.execute(trx);
    await sql`create trigger person_name_fts_insert after insert on person begin
      insert into person_name_fts (rowid, name) values (new.id, new.name);
    end`.execute(trx);
    await sql`create trigger person_name_fts_delete after delete on person begin
      insert into person_name_fts (person_name_fts, rowid, name) values ('delete', old.id, old.name);
    end`.execute(trx);
    await sql`create trigger person_name_fts_update after update of id, name on person begin
      insert into person_name_fts (person_name_fts, rowid, name) values ('delete', old.id, old.name);
      insert into person_name_fts (rowid, name) values (new.id, new.name);
    end`.execute(trx);
    await sql`insert into person_name_fts (person_name_fts) values ('rebuild')`.execute(trx);
  },
};
