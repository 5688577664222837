/**
 * One national-scale fill for the benchmarks (annual-report and casework): rows written
 * straight into the tables in big transactions of multi-row inserts (not through the
 * services, which would take far longer than the things measured), from a fixed seed so that
 * every run builds the same data.
 *
 * What it builds, for `representations` records of which `complaints` are Children Act
 * complaints received in the financial year starting 1 April `year`:
 *
 * - one contact for every one to three representations (a contact about several teams);
 * - references the case page accepts (`CSC-2024-100001`), unique across the fill;
 * - a young person for most children's records (some young people with several), a
 *   complainant for most complaints (names from a list of first names and surnames);
 * - summaries and notes of words from a vocabulary of a few thousand, so a word search
 *   matches thousands of cases, not all or none;
 * - the Stage 1 clock of every complaint under a procedure, history entries, issues and
 *   remedies; a few Ombudsman enquiries;
 * - the rest of the million spread over the eleven years to `today` (none of them Children
 *   Act complaints in the measured year), so the year is a tenth of the table; records
 *   received in the last `OPEN_DAYS` days are still open (every Stage 1 status), older ones
 *   are closed or withdrawn.
 */
import { sql, type Insertable, type InsertObject, type Kysely, type Transaction } from 'kysely';
import type { ClockTable, Database, RepresentationTable } from '../src/db/schema.ts';
import type { Db } from '../src/db/database.ts';
import { analyzeDatabase } from '../src/db/analyze.ts';
import { addDays } from '../src/domain/calendar/iso-date.ts';
import { CHANNELS } from '../src/domain/taxonomies/channels.ts';
import { COMPLAINANT_ROLES } from '../src/domain/taxonomies/complainant-roles.ts';
import { FINDINGS } from '../src/domain/taxonomies/findings.ts';
import { REMEDIES } from '../src/domain/taxonomies/remedies.ts';
import { SEEDED_ISSUE_CODES } from '../src/domain/taxonomies/issues.ts';
import { ETHNICITIES } from '../src/domain/taxonomies/ethnicities.ts';
import { REFERENCE_PREFIXES } from '../src/domain/taxonomies/case-reference.ts';
import type { RepresentationKind } from '../src/domain/taxonomies/representation-kinds.ts';
import { STAGE1_CLOCK_KEYS } from '../src/domain/cases/stage1-clock.ts';

/** Rows a multi-row insert (well under either engine's limit on bound parameters). */
const BATCH = 500;
/** Batches a transaction. */
const BATCHES_A_TRANSACTION = 40;
/** Records received in this many days before `today` are still open. */
export const OPEN_DAYS = 45;
/** Stage 1 statuses an open record is in, by weight. */
const OPEN_STATUSES = ['awaiting_registration', 'registered', 'allocated', 'allocated', 'allocated', 'awaiting_information', 'responded', 'stage2'] as const;

/** xorshift32: a full-period 32-bit generator (state stays a 32-bit integer, so it never loses precision). */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

const FIRST_NAMES = [
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Isabella', 'Rosie', 'Sophia', 'Grace', 'Freya', 'Willow', 'Florence', 'Emily', 'Ella', 'Poppy', 'Evie', 'Elsie', 'Charlotte',
  'Noah', 'Muhammad', 'George', 'Oliver', 'Leo', 'Arthur', 'Oscar', 'Theodore', 'Freddie', 'Theo', 'Harry', 'Archie', 'Henry', 'Jack', 'Alfie', 'Finley', 'Charlie', 'Thomas', 'Jacob', 'Lucas',
  'Aisha', 'Fatima', 'Zara', 'Priya', 'Amara', 'Kwame', 'Tomasz', 'Agnieszka', 'Siobhan', 'Ciaran',
] as const;
const SURNAME_STARTS = ['Ash', 'Brad', 'Carr', 'Dun', 'Elm', 'Fair', 'Green', 'Hart', 'Ire', 'Jen', 'Kel', 'Lang', 'Mor', 'Nor', 'Oak', 'Pem', 'Quin', 'Rad', 'Shel', 'Thorn', 'Ud', 'Vaug', 'Wain', 'Yar'] as const;
const SURNAME_ENDS = ['ley', 'ford', 'ton', 'well', 'wood', 'by', 'field', 'ham', 'ridge', 'worth', 'man', 'son', 'croft', 'more', 'stone', 'wick'] as const;
const SYLLABLES = ['ba', 'ce', 'di', 'fo', 'gu', 'ha', 'je', 'ki', 'lo', 'mu', 'na', 'pe', 'ri', 'so', 'tu', 'va', 'we', 'xi', 'yo', 'zu', 'bra', 'cle', 'dri', 'fro', 'glu', 'pla', 'sti', 'tro'] as const;

/** Words of three syllables: about 22,000 of them, of which the fill uses the first `size`. */
export function vocabulary(size: number): string[] {
  const words: string[] = [];
  for (const a of SYLLABLES) for (const b of SYLLABLES) for (const c of SYLLABLES) if (words.length < size) words.push(`${a}${b}${c}`);
  return words;
}
export const WORDS = vocabulary(3000);

/** Surnames: every start with every end (384). */
export const SURNAMES = SURNAME_STARTS.flatMap((start) => SURNAME_ENDS.map((end) => `${start}${end}`));

/** The other kinds in the rest of the table, by weight. */
const OTHER_KINDS: readonly RepresentationKind[] = ['children_statutory', 'children_statutory', 'children_statutory', 'informal', 'informal', 'compliment', 'compliment', 'corporate', 'comment', 'adult_statutory'];

export interface FillOptions {
  /** Children Act complaints received in the measured year. */
  readonly complaints: number;
  /** Representations in all (at least `complaints`). */
  readonly representations: number;
  /** The measured financial year: 1 April `year` to 31 March the year after. */
  readonly year: number;
  /** The date the fill is as at: the newest records are received on it. */
  readonly today: string;
  /** Called after each transaction with the representations written so far. */
  readonly progress?: (written: number) => void;
}

export interface FillResult {
  /** A sample of references, young person ids, complainant surnames and summary words to look for. */
  readonly references: string[];
  readonly youngPersonIds: string[];
  readonly openReferences: string[];
}

/** Inserts `rows` in multi-row statements of at most BATCH rows. */
async function insertRows<T extends keyof Database>(trx: Transaction<Database>, table: T, rows: readonly InsertObject<Database, T>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await trx.insertInto(table).values(rows.slice(i, i + BATCH)).execute();
}

/** The same, returning the new rows' ids in order. */
async function insertReturningIds<T extends 'contact' | 'person' | 'young_person' | 'representation'>(trx: Transaction<Database>, table: T, rows: readonly InsertObject<Database, T>[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const returned = await trx.insertInto(table).values(rows.slice(i, i + BATCH)).returning(sql<number>`id`.as('id')).execute();
    for (const r of returned) ids.push(r.id);
  }
  return ids;
}

/** Fills the database (which must hold the demo organisation: teams and users). */
export async function fill(db: Kysely<Database>, options: FillOptions): Promise<FillResult> {
  const { complaints, year, today } = options;
  const representations = Math.max(complaints, options.representations);
  const teams = (await db.selectFrom('team').select('id').where('kind', '=', 'internal').execute()).map((t) => t.id);
  const users = (await db.selectFrom('app_user').select('id').execute()).map((u) => u.id);
  if (teams.length === 0 || users.length === 0) throw new Error('the fill needs the demo organisation (teams and users) first');
  const next = random(0x5eed_2024);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const now = `${today}T09:00:00.000Z`;
  const yearFrom = `${String(year)}-04-01`;
  const yearTo = `${String(year + 1)}-03-31`;
  const spanDays = 11 * 365;
  const openFrom = addDays(today, -OPEN_DAYS);
  const result: FillResult = { references: [], youngPersonIds: [], openReferences: [] };
  let youngPeople = 0;
  let contactLeft = 0;

  const chunk = BATCH * BATCHES_A_TRANSACTION;
  for (let start = 0; start < representations; start += chunk) {
    const end = Math.min(representations, start + chunk);
    await db.transaction().execute(async (trx) => {
      // Draw the records first, then write each table in multi-row statements.
      const drawn = [];
      for (let i = start; i < end; i++) {
        const isMeasured = i < complaints;
        const kind: RepresentationKind = isMeasured ? 'children_statutory' : pick(OTHER_KINDS);
        let receivedOn = isMeasured ? addDays(yearFrom, Math.floor(next() * 365)) : addDays(today, -Math.floor(next() * spanDays));
        // None of the rest are Children Act complaints received in the measured year.
        if (!isMeasured && kind === 'children_statutory' && receivedOn >= yearFrom && receivedOn <= yearTo) receivedOn = addDays(receivedOn, -730);
        drawn.push({ i, kind, receivedOn, isOpen: !isMeasured && receivedOn > openFrom });
      }
      const contactRows = [];
      const contactOf: number[] = [];
      contactLeft = 0; // a contact's records are written in one transaction
      for (const d of drawn) {
        if (contactLeft === 0) {
          contactRows.push({ received_on: d.receivedOn, created_at: now });
          contactLeft = 1 + Math.floor(next() * 3);
        }
        contactLeft--;
        contactOf.push(contactRows.length - 1);
      }
      const contactIds = await insertReturningIds(trx, 'contact', contactRows);

      const youngRows = [];
      const youngOf: (number | null)[] = [];
      const personRows = [];
      const personOf: (number | null)[] = [];
      for (const d of drawn) {
        const isChildren = d.kind === 'children_statutory' || d.kind === 'informal' || d.kind === 'compliment';
        if (isChildren && next() < 0.85) {
          // One in five young people has an earlier record: reuse the last one drawn in this chunk.
          if (youngRows.length > 0 && next() < 0.2) youngOf.push(youngRows.length - 1);
          else {
            youngPeople++;
            const externalId = `YP${String(100000 + youngPeople)}`;
            youngRows.push({ external_id: externalId, date_of_birth: addDays('2008-01-01', Math.floor(next() * 5000)), ethnicity: pick(ETHNICITIES), created_at: now, updated_at: now });
            youngOf.push(youngRows.length - 1);
          }
        } else youngOf.push(null);
        if (d.kind !== 'compliment' && next() < 0.8) {
          personRows.push({ name: `${pick(FIRST_NAMES)} ${pick(SURNAMES)}`, email: null, phone: '01632 960000', address: null, preferred_contact: 'email', reasonable_adjustments: null, organisation: null, created_at: now, updated_at: now });
          personOf.push(personRows.length - 1);
        } else personOf.push(null);
      }
      const youngIds = await insertReturningIds(trx, 'young_person', youngRows);
      const personIds = await insertReturningIds(trx, 'person', personRows);

      const rows: Insertable<RepresentationTable>[] = drawn.map((d, k) => {
        const isComplaint = d.kind !== 'compliment' && d.kind !== 'comment';
        const outcome = next();
        const responseDays = 1 + Math.floor(next() * 45);
        let status: string;
        let respondedOn: string | null = null;
        let withdrawnOn: string | null = null;
        let closedOn: string | null = null;
        if (d.isOpen) {
          status = isComplaint ? pick(OPEN_STATUSES) : 'allocated';
          if (status === 'responded' || status === 'stage2') respondedOn = addDays(d.receivedOn, 1 + Math.floor(next() * 10));
          if (respondedOn !== null && respondedOn > today) respondedOn = today;
        } else if (!isComplaint) {
          status = 'closed';
          closedOn = addDays(d.receivedOn, 5);
        } else if (outcome < 0.9) {
          status = 'closed';
          respondedOn = addDays(d.receivedOn, responseDays);
          closedOn = addDays(respondedOn, 14);
        } else {
          status = 'withdrawn';
          withdrawnOn = addDays(d.receivedOn, 10);
        }
        const youngIndex = youngOf[k];
        const personIndex = personOf[k];
        const receivedYear = Number(d.receivedOn.slice(0, 4));
        return {
          reference: `${REFERENCE_PREFIXES[d.kind]}-${String(receivedYear)}-${String(100001 + d.i)}`,
          contact_id: contactIds[contactOf[k] ?? 0] ?? 0,
          kind: d.kind,
          status,
          stage: status === 'stage2' ? 2 : 1,
          received_on: d.receivedOn,
          channel: pick(CHANNELS),
          is_via_complaints_team: next() < 0.8 ? 1 : 0,
          team_id: pick(teams),
          summary: words(8),
          young_person_id: youngIndex == null ? null : (youngIds[youngIndex] ?? null),
          complainant_id: personIndex == null ? null : (personIds[personIndex] ?? null),
          complainant_role: isComplaint ? pick(COMPLAINANT_ROLES) : null,
          responder_user_id: status === 'awaiting_registration' || status === 'registered' ? null : pick(users),
          acknowledged_on: isComplaint && status !== 'awaiting_registration' ? addDays(d.receivedOn, 2) : null,
          responded_on: respondedOn,
          finding: respondedOn === null ? null : pick(FINDINGS),
          withdrawn_on: withdrawnOn,
          closed_on: closedOn,
          created_at: now,
          updated_at: now,
        };
      });
      const ids = await insertReturningIds(trx, 'representation', rows);

      const codes = [];
      const clocks: Insertable<ClockTable>[] = [];
      const history = [];
      const notes = [];
      const enquiries = [];
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k] ?? 0;
        const row = rows[k] as Insertable<RepresentationTable>;
        const i = start + k;
        codes.push({ representation_id: id, list: 'issue' as const, code: SEEDED_ISSUE_CODES[i % SEEDED_ISSUE_CODES.length] ?? 'other' });
        if (row.responded_on != null) codes.push({ representation_id: id, list: 'remedy' as const, code: REMEDIES[i % REMEDIES.length] ?? 'other' });
        const kind = row.kind as RepresentationKind;
        if ((kind === 'children_statutory' || kind === 'corporate' || kind === 'adult_statutory') && row.status !== 'awaiting_registration') {
          const extended = i % 20 === 0;
          const startedOn = row.received_on;
          const isRunning = row.responded_on == null && row.withdrawn_on == null && row.closed_on == null;
          const stoppedOn = isRunning ? undefined : (row.responded_on ?? row.withdrawn_on ?? row.closed_on ?? undefined);
          // The complainant is told of an extension while the clock runs (the clock engine refuses one told after its stop).
          const toldOn = stoppedOn !== undefined && stoppedOn < addDays(startedOn, 3) ? stoppedOn : addDays(startedOn, 3);
          clocks.push({
            subject_type: 'representation',
            subject_id: id,
            procedure_kind: kind,
            clock_key: STAGE1_CLOCK_KEYS[kind],
            started_on: startedOn,
            events: JSON.stringify({
              startedOn,
              ...(extended ? { extensions: [{ extraWorkingDays: 10, reason: 'bench', complainantToldOn: toldOn }] } : {}),
              ...(stoppedOn === undefined ? {} : { stoppedOn }),
            }),
            due_on: addDays(startedOn, extended ? 28 : 14),
            is_open: isRunning ? 1 : 0,
            created_at: now,
            updated_at: now,
          });
        }
        history.push(
          { subject_type: 'representation', subject_id: id, occurred_at: `${row.received_on}T10:00:00.000Z`, user_id: pick(users), action: 'register', summary: 'Registered', before: null, after: null },
          { subject_type: 'representation', subject_id: id, occurred_at: `${row.received_on}T11:00:00.000Z`, user_id: pick(users), action: 'allocate', summary: 'Allocated', before: null, after: JSON.stringify({ team_id: row.team_id }) },
        );
        if (i % 3 === 0) notes.push({ representation_id: id, body: words(12), user_id: pick(users), created_at: `${row.received_on}T12:00:00.000Z` });
        if (i % 400 === 0 && row.responded_on != null) {
          enquiries.push({ representation_id: id, lgsco_reference: `${String(20000 + (i % 80000))}-${String(100000 + i)}`, received_on: addDays(row.responded_on, 60), created_at: now, updated_at: now });
        }
        if (result.references.length < 2000 && i % 97 === 0) result.references.push(row.reference);
        if (row.status !== 'closed' && row.status !== 'withdrawn' && result.openReferences.length < 2000) result.openReferences.push(row.reference);
      }
      for (const y of youngRows) if (result.youngPersonIds.length < 2000 && next() < 0.05) result.youngPersonIds.push(y.external_id);
      await insertRows(trx, 'representation_code', codes);
      await insertRows(trx, 'clock', clocks);
      await insertRows(trx, 'history_entry', history);
      await insertRows(trx, 'case_note', notes);
      await insertRows(trx, 'ombudsman_enquiry', enquiries);
    });
    options.progress?.(end);
  }
  return result;
}

/**
 * After a fill: fresh statistics, as the app refreshes them after an import; and on
 * PostgreSQL a VACUUM of the schema's tables, as autovacuum would in time, so that an
 * index-only scan need not visit the table to know a row is visible.
 */
export async function settle(db: Db): Promise<void> {
  await analyzeDatabase(db);
  if (db.engine !== 'postgres') return;
  const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(db.kysely);
  if (rows.length > 0) await sql`vacuum ${sql.join(rows.map((r) => sql.id(r.name)))}`.execute(db.kysely);
}
