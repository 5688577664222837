import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';
import { PG_TEXT_SEARCH_CONFIG } from '../full-text-search.ts';
import { trigramSchema } from './0020-queue-order-and-search-indexes.ts';

/**
 * PostgreSQL only: the words of each case's summary and notes, and of its complainant's name,
 * each with the case's place in the queues' order, in indexes of that order (issue #16,
 * docs/adr/0020-ordered-search-terms.md).
 *
 * A GIN index finds every case holding a word but in no order, so a page of a common word's
 * cases meant reading and sorting all of them (thousands at a million records). Here a word's
 * cases are read in the order a page shows them, and a page stops at its fiftieth.
 *
 * - `search_term`: a lexeme of the summary (`source` 1) or of a note (2), as the English
 *   full-text configuration makes it, with the case's `queue_due_on` and `received_on`.
 * - `search_name_term`: a word of the complainant's name (lower case, letters and digits),
 *   with the same.
 * - `search_name_word`: each such word once, with how many rows use it (so that a word is
 *   forgotten with its last use), under a trigram index: the words containing a piece of a name.
 *
 * Triggers keep them in step: a case's summary, notes or complainant change its rows; a new
 * place in the order moves them; a renamed person's cases are redone; a deleted case's rows
 * go with it. Built here from the rows already there.
 */
export const orderedSearchTerms: Migration = {
  name: '0037-ordered-search-terms',
  async up(trx, engine) {
    if (engine !== 'postgres') return;
    const config = sql.lit(PG_TEXT_SEARCH_CONFIG);
    // Byte order ("C"): a prefix's words are one range of the index.
    await sql`create table search_term (
      term text collate "C" not null,
      source smallint not null,
      representation_id integer not null references representation (id) on delete cascade,
      queue_due_on varchar(10) not null,
      received_on varchar(10) not null
    )`.execute(trx);
    await sql`create table search_name_term (
      word text collate "C" not null,
      representation_id integer not null references representation (id) on delete cascade,
      queue_due_on varchar(10) not null,
      received_on varchar(10) not null
    )`.execute(trx);
    await sql`create table search_name_word (word text collate "C" primary key, uses integer not null)`.execute(trx);

    // Each statement's rows at once (a thousand-row import is one insert here, not a thousand).
    // Two transactions redoing one case's terms at once (two notes added together) may both
    // write a term: the second leaves it (`on conflict do nothing`) rather than fail.
    // The summary's terms (source 1) and the notes' (source 2) are redone apart: a note does not redo the summary's.
    for (const [source, from] of [
      [1, sql`select r.id, unnest(tsvector_to_array(to_tsvector(${config}, r.summary))) from representation r where r.id = any (reps)`],
      [2, sql`select n.representation_id, unnest(tsvector_to_array(to_tsvector(${config}, n.body))) from case_note n where n.representation_id = any (reps)`],
    ] as const) {
      await sql`create function ${sql.id(`search_terms_refresh_${String(source)}`)}(reps integer[]) returns void language plpgsql as $$ begin
        if cardinality(reps) = 0 then return; end if;
        delete from search_term where representation_id = any (reps) and source = ${sql.lit(source)};
        insert into search_term (term, source, representation_id, queue_due_on, received_on)
          select distinct t.term, ${sql.lit(source)}, r.id, r.queue_due_on, r.received_on from (${from}) as t (id, term) join representation r on r.id = t.id
          on conflict do nothing;
      end $$`.execute(trx);
    }
    await sql`create function search_names_refresh(reps integer[]) returns void language plpgsql as $$ begin
      if cardinality(reps) = 0 then return; end if;
      delete from search_name_term where representation_id = any (reps);
      insert into search_name_term (word, representation_id, queue_due_on, received_on)
        select distinct w.word, r.id, r.queue_due_on, r.received_on from representation r join person p on p.id = r.complainant_id
          cross join lateral regexp_split_to_table(lower(p.name), '[^a-z0-9]+') as w (word)
        where r.id = any (reps) and w.word <> ''
        on conflict do nothing;
    end $$`.execute(trx);
    await sql`create function representation_search_terms() returns trigger language plpgsql as $$ begin
      perform search_terms_refresh_1(array(select id from new_rows));
      perform search_names_refresh(array(select id from new_rows));
      return null;
    end $$`.execute(trx);
    await sql`create function representation_search_terms_changed() returns trigger language plpgsql as $$ begin
      if new.summary <> old.summary then perform search_terms_refresh_1(array[new.id]); end if;
      if new.complainant_id is distinct from old.complainant_id then perform search_names_refresh(array[new.id]); end if;
      return null;
    end $$`.execute(trx);
    await sql`create function representation_search_terms_moved() returns trigger language plpgsql as $$ begin
      update search_term set queue_due_on = new.queue_due_on, received_on = new.received_on where representation_id = new.id;
      update search_name_term set queue_due_on = new.queue_due_on, received_on = new.received_on where representation_id = new.id;
      return null;
    end $$`.execute(trx);
    await sql`create function case_note_search_terms() returns trigger language plpgsql as $$ begin
      if tg_op <> 'DELETE' then perform search_terms_refresh_2(array(select distinct representation_id from new_rows)); end if;
      if tg_op <> 'INSERT' then perform search_terms_refresh_2(array(select distinct representation_id from old_rows)); end if;
      return null;
    end $$`.execute(trx);
    await sql`create function person_search_names() returns trigger language plpgsql as $$ begin
      perform search_names_refresh(array(select r.id from new_rows n join old_rows o on o.id = n.id join representation r on r.complainant_id = n.id where n.name <> o.name));
      return null;
    end $$`.execute(trx);
    // A word's count is changed under its row's lock, taken in the words' order: a word's last
    // use going and a new one coming in another transaction cannot leave a used word forgotten.
    await sql`create function search_name_word_uses() returns trigger language plpgsql as $$ begin
      if tg_op = 'INSERT' then
        insert into search_name_word (word, uses) select word, count(*) from new_rows group by word order by word
          on conflict (word) do update set uses = search_name_word.uses + excluded.uses;
      else
        perform 1 from search_name_word where word in (select word from old_rows) order by word for update;
        update search_name_word w set uses = w.uses - gone.n from (select word, count(*) as n from old_rows group by word) as gone where w.word = gone.word;
        delete from search_name_word where uses <= 0 and word in (select word from old_rows);
      end if;
      return null;
    end $$`.execute(trx);

    // The rows already there, in bulk, before the indexes and triggers.
    await sql`select search_terms_refresh_1(array(select id from representation))`.execute(trx);
    await sql`select search_terms_refresh_2(array(select distinct representation_id from case_note))`.execute(trx);
    await sql`select search_names_refresh(array(select id from representation where complainant_id is not null))`.execute(trx);
    await sql`insert into search_name_word (word, uses) select word, count(*) from search_name_term group by word`.execute(trx);

    await sql`create unique index search_term_order_idx on search_term (term, queue_due_on, received_on, representation_id, source)`.execute(trx);
    await sql`create index search_term_representation_idx on search_term (representation_id)`.execute(trx);
    await sql`create unique index search_name_term_order_idx on search_name_term (word, queue_due_on, received_on, representation_id)`.execute(trx);
    await sql`create index search_name_term_representation_idx on search_name_term (representation_id)`.execute(trx);
    const schema = await trigramSchema(trx);
    if (schema !== undefined) await sql`create index search_name_word_trgm_idx on search_name_word using gin (word ${sql.id(schema)}.gin_trgm_ops)`.execute(trx);

    // A trigger that sees a statement's rows (`referencing`) has one event and no column list.
    const trigger = async (name: string, event: 'insert' | 'update' | 'delete', table: string, run: string) => {
      const rows = event === 'insert' ? sql`new table as new_rows` : event === 'delete' ? sql`old table as old_rows` : sql`old table as old_rows new table as new_rows`;
      await sql`create trigger ${sql.id(`${name}_${event}`)} after ${sql.raw(event)} on ${sql.id(table)} referencing ${rows}
        for each statement execute function ${sql.id(run)}()`.execute(trx);
    };
    await trigger('representation_search_terms', 'insert', 'representation', 'representation_search_terms');
    // A case's own changes, a row at a time, and only when the columns they read change: most updates (a status) fire neither.
    await sql`create trigger representation_search_terms_changed after update of summary, complainant_id on representation
      for each row when (new.summary <> old.summary or new.complainant_id is distinct from old.complainant_id)
      execute function representation_search_terms_changed()`.execute(trx);
    await sql`create trigger representation_search_terms_moved after update of queue_due_on, received_on on representation
      for each row when (new.queue_due_on <> old.queue_due_on or new.received_on <> old.received_on)
      execute function representation_search_terms_moved()`.execute(trx);
    for (const event of ['insert', 'update', 'delete'] as const) await trigger('case_note_search_terms', event, 'case_note', 'case_note_search_terms');
    await trigger('person_search_names', 'update', 'person', 'person_search_names');
    await trigger('search_name_word_uses', 'insert', 'search_name_term', 'search_name_word_uses');
    await trigger('search_name_word_uses', 'delete', 'search_name_term', 'search_name_word_uses');
  },
};
