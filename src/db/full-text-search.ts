/**
 * Full-text search of case summaries (`representation.summary`) and notes
 * (`case_note.body`), on each engine's own index (docs/adr/0005-full-text-search.md):
 *
 * - SQLite: the FTS5 tables `representation_fts` and `case_note_fts` (external content,
 *   kept in step by triggers; tokenizer `porter unicode61 remove_diacritics 2`), queried
 *   with MATCH and a query string of quoted words;
 * - PostgreSQL: GIN indexes on `to_tsvector('english', …)` of the two columns, queried with
 *   `@@ to_tsquery('english', …)`; and, for a page of one word or one piece of a name, the
 *   ordered terms of migration 0037 (`orderedTermsOf`, docs/adr/0020-ordered-search-terms.md).
 *
 * The query strings are written here from `FullTextTerms` (words of letters, digits and
 * combining marks only) and always sent as bound parameters, never spliced into SQL.
 */
import { PostgresAdapter, SqliteAdapter, sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { fullTextTerms, type FullTextTerms } from '../domain/search/full-text-terms.ts';
import type { Engine } from './database.ts';

/** The English text search configuration the PostgreSQL indexes are built with (the query must name the same). */
export const PG_TEXT_SEARCH_CONFIG = 'english';

/** The SQLite FTS5 tokenizer: Porter stemming over Unicode words, case and diacritics folded. */
export const FTS5_TOKENIZER = 'porter unicode61 remove_diacritics 2';

/** Which engine a Kysely instance talks to, from its dialect's adapter. */
export function engineOf<DB>(db: Kysely<DB>): Engine {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  throw new Error('Full-text search runs on SQLite or PostgreSQL only');
}

/**
 * An FTS5 query: each word a quoted string (so NEAR, AND, OR, NOT, `-` and `:` are words,
 * not syntax), all of them required (FTS5's implicit AND), the last one a prefix when the
 * terms say so: `"bullied" "at" "scho"*`. A word holds no `"`, so no escaping is needed.
 */
export function toFts5Query(terms: FullTextTerms): string {
  const last = terms.words.length - 1;
  return terms.words.map((word, i) => `"${word}"${i === last && terms.isLastPrefix ? '*' : ''}`).join(' ');
}

/**
 * A `to_tsquery` text: each word quoted as a lexeme, ANDed, the last one a prefix (`:*`)
 * when the terms say so: `'bullied' & 'at' & 'scho':*`. A word holds no `'` or `\`, so no
 * escaping is needed; to_tsquery stems each word and drops English stop words.
 */
export function toTsQuery(terms: FullTextTerms): string {
  const last = terms.words.length - 1;
  return terms.words.map((word, i) => `'${word}'${i === last && terms.isLastPrefix ? ':*' : ''}`).join(' & ');
}

export interface FullTextMatch {
  /** True when the representation's summary matches. */
  readonly summary: RawBuilder<SqlBool>;
  /** True when any of the representation's notes matches. */
  readonly note: RawBuilder<SqlBool>;
}

/** Names match from this many characters: the trigram indexes cannot find a shorter piece of a name. */
export const NAME_SEARCH_MIN_LENGTH = 3;

/**
 * The ids of the people whose name contains `text`, ignoring case, through a trigram index
 * (SQLite: the FTS5 table `person_name_fts`; PostgreSQL: `pg_trgm` on `lower(name)`, or a
 * scan of the names where the extension could not be installed). Undefined for text shorter
 * than NAME_SEARCH_MIN_LENGTH.
 */
export function nameContainsIds(engine: Engine, text: string): RawBuilder<unknown> | undefined {
  if (text.length < NAME_SEARCH_MIN_LENGTH) return undefined;
  if (engine === 'sqlite') {
    // A quoted FTS5 string: with the trigram tokenizer, any piece of the name (a `"` doubled).
    return sql`select rowid from person_name_fts where person_name_fts match ${`"${text.replaceAll('"', '""')}"`}`;
  }
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`select person.id from person where lower(person.name) like ${pattern} escape '\\'`;
}

/**
 * Conditions that the summary, or one of the notes, of the representation `alias` (a
 * `representation` row in the query) matches the terms, each through its full-text index:
 * on SQLite the row's id is in the FTS5 table's matches (an uncorrelated subquery, run once),
 * on PostgreSQL the summary's own GIN index serves the condition; the notes' matches are an
 * uncorrelated subquery of representation ids on both.
 */
export function fullTextMatch(engine: Engine, terms: FullTextTerms, alias: string): FullTextMatch {
  const id = sql.ref(`${alias}.id`);
  if (engine === 'sqlite') {
    const query = toFts5Query(terms);
    return {
      summary: sql<SqlBool>`${id} in (select rowid from representation_fts where representation_fts match ${query})`,
      note: sql<SqlBool>`${id} in (select note.representation_id from case_note_fts join case_note as note on note.id = case_note_fts.rowid where case_note_fts match ${query})`,
    };
  }
  const query = toTsQuery(terms);
  const config = sql.lit(PG_TEXT_SEARCH_CONFIG);
  return {
    summary: sql<SqlBool>`to_tsvector(${config}, ${sql.ref(`${alias}.summary`)}) @@ to_tsquery(${config}, ${query})`,
    note: sql<SqlBool>`${id} in (select note.representation_id from case_note as note where to_tsvector(${config}, note.body) @@ to_tsquery(${config}, ${query}))`,
  };
}

/** The most terms one search word (as a prefix) or a piece of a name may stand for to be read along the ordered terms; past it, a search reads the GIN and trigram indexes. */
export const MAX_ORDERED_TERMS = 32;

/**
 * PostgreSQL: what a page of a search reads along the ordered terms (migration 0037), each
 * list undefined where it reads the GIN or trigram index instead.
 */
export interface OrderedTerms {
  /** The lexemes of `search_term` a search of one word stands for: its stem and, as a prefix, every stored lexeme starting with it. */
  readonly words: readonly string[] | undefined;
  /** The words of complainants' names (`search_name_word`) containing a piece of a name of letters and digits only. */
  readonly nameWords: readonly string[] | undefined;
}

/**
 * The ordered terms a search's text stands for (PostgreSQL), in one small query: the word's
 * lexemes read one at a time along the index from its stem, and the names' words by their
 * trigram index, each list given up past MAX_ORDERED_TERMS. Words are given up for more than
 * one word (GIN's posting lists give the cases holding them all) or a word of no single stem;
 * name words for text other than one piece of letters and digits (a name's words are split at
 * everything else) or shorter than NAME_SEARCH_MIN_LENGTH.
 */
export async function orderedTermsOf<DB>(db: Kysely<DB>, text: string): Promise<OrderedTerms> {
  const terms = fullTextTerms(text);
  const word = terms !== undefined && terms.words.length === 1 ? terms.words[0] : undefined;
  const piece = text.length >= NAME_SEARCH_MIN_LENGTH && /^[a-z0-9]+$/i.test(text) ? text.toLowerCase() : undefined;
  if (word === undefined && piece === undefined) return { words: undefined, nameWords: undefined };
  const reach = MAX_ORDERED_TERMS + 1;
  const config = sql.lit(PG_TEXT_SEARCH_CONFIG);
  const stem = sql`(select stem.term from stem)`;
  const expansion =
    terms?.isLastPrefix === true
      ? sql`, expansion (term) as (
            select min(st.term) from search_term st where st.term >= ${stem}
            union all
            select (select min(st.term) from search_term st where st.term > expansion.term) from expansion where starts_with(expansion.term, ${stem}))
          select case when (select count(*) from stem) = 1 then array(select e.term from expansion e where starts_with(e.term, ${stem}) limit ${reach}) end`
      : sql` select case when (select count(*) from stem) = 1 then array(select stem.term from stem) end`;
  const words = word === undefined ? sql`null::text[]` : sql`(with recursive stem (term) as (select unnest(tsvector_to_array(to_tsvector(${config}, ${word}::text))))${expansion})`;
  const nameWords = piece === undefined ? sql`null::text[]` : sql`array(select w.word from search_name_word w where w.word like ${`%${piece}%`} limit ${reach})`;
  const { rows } = await sql<{ words: string[] | null; name_words: string[] | null }>`select ${words} as words, ${nameWords} as name_words`.execute(db);
  const within = (list: string[] | null | undefined) => (list == null || list.length > MAX_ORDERED_TERMS ? undefined : list);
  return { words: within(rows[0]?.words), nameWords: within(rows[0]?.name_words) };
}
