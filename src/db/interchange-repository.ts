/**
 * Rows of the interchange file read from and written to the tables they come
 * from: representation, its codes, Stage 1 advocacy offer, Stage 1 response clock (for "extended"),
 * Stages 2 and 3, the first Ombudsman enquiry, its young person and team. Reads and writes go
 * in batches (`IN` lists and multi-row inserts), so a file of 100,000 lines is a few hundred
 * statements, not a million.
 */
import type { ReceiptRule } from '../domain/calendar/counting-rule.ts';
import type { Insertable, Kysely } from 'kysely';
import type { ClockTable, CodeList, Database, HistoryEntryTable, OmbudsmanEnquiryTable, RepresentationTable, Stage2Table, Stage3Table } from './schema.ts';
import type { IsoDate } from '../domain/calendar/iso-date.ts';
import { stage1ResponseClock, type InterchangeRow } from '../domain/interchange/interchange-rows.ts';
import { PROCEDURE_KINDS } from '../domain/procedures/procedure-definitions.ts';
import { isOneOf } from '../domain/taxonomies/code-list.ts';
import { REPRESENTATION_KINDS } from '../domain/taxonomies/representation-kinds.ts';
import { COMPLAINANT_ROLES } from '../domain/taxonomies/complainant-roles.ts';
import { CHANNELS } from '../domain/taxonomies/channels.ts';
import { ETHNICITIES } from '../domain/taxonomies/ethnicities.ts';
import { FINDINGS } from '../domain/taxonomies/findings.ts';
import { REMEDIES } from '../domain/taxonomies/remedies.ts';
import { DELAY_REASONS } from '../domain/taxonomies/delay-reasons.ts';
import { OMBUDSMAN_DECISIONS } from '../domain/taxonomies/ombudsman-decisions.ts';
import { COMPLIMENT_SOURCES } from '../domain/taxonomies/compliment-sources.ts';
import { notExcludedFrom } from './case-restriction-repository.ts';
import type { RestrictedPerson } from '../domain/cases/case-restriction.ts';

/** Ids in one `IN` list (well under both engines' limits on parameters). */
const IN_CHUNK = 500;
/** Parameters in one multi-row insert (SQLite allows 32,766; PostgreSQL 65,535). */
const PARAMETERS_PER_INSERT = 30_000;

export interface StoredTeam {
  readonly id: number;
  readonly name: string;
}

export interface StoredYoungPerson {
  readonly id: number;
  readonly ethnicity: string | null;
}

/** Everything one imported line writes, its ids still to come. */
export interface ImportedRepresentation {
  readonly row: InterchangeRow;
  readonly teamId: number | null;
  readonly status: string;
  readonly stage: number;
  readonly receiptRule: ReceiptRule;
  readonly clocks: readonly Omit<Insertable<ClockTable>, 'subject_type' | 'subject_id' | 'created_at' | 'updated_at'>[];
  readonly stage2: { readonly windowEndsOn: IsoDate; readonly isLate: boolean } | null;
  readonly stage3: { readonly windowEndsOn: IsoDate; readonly isLate: boolean } | null;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Inserts `rows` in as few statements as the parameter limit allows. */
async function insertMany<Table extends keyof Database>(db: Kysely<Database>, table: Table, rows: readonly Insertable<Database[Table]>[]): Promise<void> {
  const [first] = rows;
  if (first === undefined) return;
  const size = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / Object.keys(first).length));
  for (const part of chunks(rows, size)) {
    // Kysely's insert types are per table; this helper is generic over the table.
    await db
      .insertInto(table)
      .values(part)
      .execute();
  }
}

const IMPORT_NOTE = 'Recorded in an imported file';
/** The keys of the clocks that run to a Stage 1 response, whatever the procedure. */
const STAGE1_CLOCK_KEYS = [...new Set(PROCEDURE_KINDS.flatMap((kind) => stage1ResponseClock(kind)?.key ?? []))];

export class InterchangeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every team, by its name in lower case. */
  async teamsByName(): Promise<Map<string, StoredTeam>> {
    const rows = await this.db.selectFrom('team').select(['id', 'name']).orderBy('id').execute();
    const teams = new Map<string, StoredTeam>();
    for (const row of rows) if (!teams.has(row.name.toLowerCase())) teams.set(row.name.toLowerCase(), { id: row.id, name: row.name });
    return teams;
  }

  /** The young people with these pseudonymous ids. */
  async youngPeople(externalIds: readonly string[]): Promise<Map<string, StoredYoungPerson>> {
    const found = new Map<string, StoredYoungPerson>();
    for (const part of chunks([...new Set(externalIds)], IN_CHUNK)) {
      const rows = await this.db.selectFrom('young_person').select(['id', 'external_id', 'ethnicity']).where('external_id', 'in', part).execute();
      for (const row of rows) found.set(row.external_id, { id: row.id, ethnicity: row.ethnicity });
    }
    return found;
  }

  /** The stored rows (as export writes them) of those of `references` that exist. */
  async rowsByReference(references: readonly string[]): Promise<Map<string, InterchangeRow>> {
    const found = new Map<string, InterchangeRow>();
    for (const part of chunks([...new Set(references)], IN_CHUNK)) {
      const rows = await this.rows((q) => q.where('r.reference', 'in', part));
      for (const row of rows) found.set(row.reference, row);
    }
    return found;
  }

  /**
   * One page of the rows received from `from` to `to`, in order of receipt then reference,
   * after the row `after` (keyset paging: each page costs the same however deep). Without the
   * cases `excluding` is excluded from (restricted cases), when given.
   */
  async page(from: IsoDate, to: IsoDate, after: { receivedOn: IsoDate; reference: string } | undefined, limit: number, excluding?: RestrictedPerson): Promise<InterchangeRow[]> {
    return this.rows((q) => {
      let query = q.where('r.received_on', '>=', from).where('r.received_on', '<=', to);
      query = query.where(notExcludedFrom('r.id', excluding));
      if (after !== undefined) {
        query = query.where((eb) => eb.or([eb('r.received_on', '>', after.receivedOn), eb.and([eb('r.received_on', '=', after.receivedOn), eb('r.reference', '>', after.reference)])]));
      }
      return query.orderBy('r.received_on').orderBy('r.reference').limit(limit);
    });
  }

  private base() {
    return this.db
      .selectFrom('representation as r')
      .leftJoin('team as t', 't.id', 'r.team_id')
      .leftJoin('young_person as yp', 'yp.id', 'r.young_person_id')
      .select([
        'r.id',
        'r.reference',
        'r.kind',
        'r.received_on',
        'r.event_on',
        'yp.external_id',
        'yp.ethnicity',
        'r.complainant_role',
        't.name as team_name',
        'r.channel',
        'r.is_via_complaints_team',
        'r.responded_on',
        'r.finding',
        'r.withdrawn_on',
        'r.compliment_source',
        'r.summary',
      ]);
  }

  private async rows(where: (query: ReturnType<InterchangeRepository['base']>) => ReturnType<InterchangeRepository['base']>): Promise<InterchangeRow[]> {
    const reps = await where(this.base()).execute();
    if (reps.length === 0) return [];
    const ids = reps.map((r) => r.id);
    const db = this.db;
    const [codes, offers, clocks, stage2, stage3, enquiries] = await Promise.all([
      db.selectFrom('representation_code').select(['representation_id', 'list', 'code']).where('representation_id', 'in', ids).orderBy('code').execute(),
      db.selectFrom('advocacy_offer').select(['representation_id', 'outcome']).where('representation_id', 'in', ids).where('stage', '=', 1).orderBy('id').execute(),
      db
        .selectFrom('clock')
        .select(['subject_id', 'clock_key', 'events'])
        .where('subject_type', '=', 'representation')
        .where('clock_key', 'in', STAGE1_CLOCK_KEYS)
        .where('subject_id', 'in', ids)
        .execute(),
      db
        .selectFrom('stage2')
        .select(['representation_id', 'requested_on', 'statement_agreed_on', 'responded_on', 'cost_investigator_pence', 'cost_independent_person_pence', 'cost_other_pence'])
        .where('representation_id', 'in', ids)
        .execute(),
      db.selectFrom('stage3').select(['representation_id', 'requested_on', 'panel_met_on']).where('representation_id', 'in', ids).execute(),
      db.selectFrom('ombudsman_enquiry').select(['representation_id', 'received_on', 'decision']).where('representation_id', 'in', ids).orderBy('received_on').orderBy('id').execute(),
    ]);
    const codesOf = new Map<number, Record<CodeList, string[]>>();
    for (const c of codes) {
      const entry = codesOf.get(c.representation_id) ?? { issue: [], remedy: [], delay_reason: [] };
      entry[c.list].push(c.code);
      codesOf.set(c.representation_id, entry);
    }
    const offerOf = new Map<number, string>();
    for (const o of offers) if (!offerOf.has(o.representation_id)) offerOf.set(o.representation_id, o.outcome);
    // Whether each representation's Stage 1 response clock (the key its kind's procedure gives it) was extended.
    const extendedOf = new Map<string, boolean>();
    for (const c of clocks) {
      const events = JSON.parse(c.events) as { extensions?: unknown[] };
      extendedOf.set(`${String(c.subject_id)} ${c.clock_key}`, (events.extensions?.length ?? 0) > 0);
    }
    const stage2Of = new Map(stage2.map((s) => [s.representation_id, s]));
    const stage3Of = new Map(stage3.map((s) => [s.representation_id, s]));
    const enquiryOf = new Map<number, (typeof enquiries)[number]>();
    for (const e of enquiries) if (!enquiryOf.has(e.representation_id)) enquiryOf.set(e.representation_id, e);

    const code = <C extends string>(codesList: readonly C[], value: string | null): C | null => (isOneOf(codesList, value) ? value : null);
    return reps.flatMap((r): InterchangeRow[] => {
      const kind = code(REPRESENTATION_KINDS, r.kind);
      if (kind === null) return [];
      const listed = codesOf.get(r.id) ?? { issue: [], remedy: [], delay_reason: [] };
      const offer = offerOf.get(r.id);
      const s2 = stage2Of.get(r.id);
      const s3 = stage3Of.get(r.id);
      const enquiry = enquiryOf.get(r.id);
      const costs = s2 === undefined ? [] : [s2.cost_investigator_pence, s2.cost_independent_person_pence, s2.cost_other_pence].filter((c): c is number => c !== null);
      return [
        {
          reference: r.reference,
          kind,
          receivedOn: r.received_on,
          eventOn: r.event_on,
          youngPersonId: r.external_id,
          complainantRole: code(COMPLAINANT_ROLES, r.complainant_role),
          team: r.team_name,
          channel: code(CHANNELS, r.channel),
          viaComplaintsTeam: r.is_via_complaints_team === 1,
          issues: listed.issue,
          ethnicity: code(ETHNICITIES, r.ethnicity),
          advocacyOffered: offer === undefined ? null : true,
          advocacyAccepted: offer === 'accepted' ? true : offer === 'declined' ? false : null,
          stage1Extended: extendedOf.get(`${String(r.id)} ${stage1ResponseClock(kind)?.key ?? ''}`) ?? null,
          stage1RespondedOn: r.responded_on,
          finding: code(FINDINGS, r.finding),
          remedies: listed.remedy.filter((c) => isOneOf(REMEDIES, c)),
          withdrawnOn: r.withdrawn_on,
          delayReasons: listed.delay_reason.filter((c) => isOneOf(DELAY_REASONS, c)),
          stage2RequestedOn: s2?.requested_on ?? null,
          stage2StartedOn: s2?.statement_agreed_on ?? null,
          stage2RespondedOn: s2?.responded_on ?? null,
          stage2CostPence: costs.length === 0 ? null : costs.reduce((sum, c) => sum + c, 0),
          stage3RequestedOn: s3?.requested_on ?? null,
          panelHeldOn: s3?.panel_met_on ?? null,
          ombudsmanEnquiryOn: enquiry?.received_on ?? null,
          ombudsmanDecision: code(OMBUDSMAN_DECISIONS, enquiry?.decision ?? null),
          complimentSource: code(COMPLIMENT_SOURCES, r.compliment_source),
          summary: r.summary,
        },
      ];
    });
  }

  /** A team made by an import, in service area `serviceAreaId`. */
  async createTeam(name: string, serviceAreaId: number, now: string): Promise<number> {
    const { id } = await this.db
      .insertInto('team')
      .values({ name, service_area_id: serviceAreaId, kind: 'internal', public_alias: null, is_active: 1, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** Creates the young people not stored yet; returns every id by pseudonymous id. */
  async createYoungPeople(people: readonly { externalId: string; ethnicity: string | null }[], now: string): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const part of chunks(people, Math.floor(PARAMETERS_PER_INSERT / 5))) {
      if (part.length === 0) continue;
      const rows = await this.db
        .insertInto('young_person')
        .values(part.map((p) => ({ external_id: p.externalId, ethnicity: p.ethnicity, date_of_birth: null, created_at: now, updated_at: now })))
        .returning(['id', 'external_id'])
        .execute();
      for (const row of rows) ids.set(row.external_id, row.id);
    }
    return ids;
  }

  /** Gives a young person the ethnicity an import settled on (it replaces what was recorded). */
  async setEthnicity(youngPersonId: number, ethnicity: string, now: string): Promise<void> {
    await this.db.updateTable('young_person').set({ ethnicity, updated_at: now }).where('id', '=', youngPersonId).execute();
  }

  /**
   * Writes one batch of imported representations with everything they carry. Each gets a
   * contact of its own. Contacts have no key of their own, so they are matched back by their
   * date of receipt: contacts made in one statement with the same date are interchangeable.
   */
  async writeBatch(batch: readonly ImportedRepresentation[], youngPersonIds: ReadonlyMap<string, number>, userId: number | null, now: string): Promise<void> {
    if (batch.length === 0) return;
    const db = this.db;
    const contactsByDate = new Map<string, number[]>();
    const contacts = await db
      .insertInto('contact')
      .values(batch.map((b) => ({ received_on: b.row.receivedOn, created_at: now })))
      .returning(['id', 'received_on'])
      .execute();
    for (const c of contacts) contactsByDate.set(c.received_on, [...(contactsByDate.get(c.received_on) ?? []), c.id]);

    const representations: Insertable<RepresentationTable>[] = batch.map(({ row, teamId, status, stage, receiptRule }) => {
      const contactId = contactsByDate.get(row.receivedOn)?.pop();
      if (contactId === undefined) throw new Error('a contact made for the batch is missing');
      return {
        reference: row.reference,
        contact_id: contactId,
        kind: row.kind,
        status,
        stage,
        received_on: row.receivedOn,
        receipt_rule: receiptRule,
        event_on: row.eventOn,
        channel: row.channel,
        is_via_complaints_team: row.viaComplaintsTeam === false ? 0 : 1,
        team_id: teamId,
        summary: row.summary,
        young_person_id: row.youngPersonId === null ? null : (youngPersonIds.get(row.youngPersonId) ?? null),
        complainant_id: null,
        complainant_role: row.complainantRole,
        advocate_id: null,
        responder_user_id: null,
        acknowledged_on: null,
        responded_on: row.stage1RespondedOn,
        finding: row.finding,
        withdrawn_on: row.withdrawnOn,
        closed_on: null,
        agency: null,
        forwarded_on: null,
        compliment_source: row.complimentSource,
        worker_name: null,
        has_consent_to_quote: 0,
        informal_reason: null,
        reply: null,
        has_parental_responsibility: null,
        is_made_for_child: null,
        has_proceedings: null,
        created_by: userId,
        created_at: now,
        updated_at: now,
      };
    });
    const idOf = new Map<string, number>();
    const size = Math.floor(PARAMETERS_PER_INSERT / Object.keys(representations[0] ?? {}).length);
    for (const part of chunks(representations, size)) {
      const rows = await db.insertInto('representation').values(part).returning(['id', 'reference']).execute();
      for (const r of rows) idOf.set(r.reference, r.id);
    }
    const id = (reference: string): number => {
      const found = idOf.get(reference);
      if (found === undefined) throw new Error('an imported representation is missing');
      return found;
    };

    const codes: Insertable<Database['representation_code']>[] = [];
    const offers: Insertable<Database['advocacy_offer']>[] = [];
    const clocks: Insertable<ClockTable>[] = [];
    const stage2: Insertable<Stage2Table>[] = [];
    const stage3: Insertable<Stage3Table>[] = [];
    const enquiries: Insertable<OmbudsmanEnquiryTable>[] = [];
    const history: Insertable<HistoryEntryTable>[] = [];
    for (const item of batch) {
      const { row } = item;
      const representationId = id(row.reference);
      for (const [list, values] of [
        ['issue', row.issues],
        ['remedy', row.remedies],
        ['delay_reason', row.delayReasons],
      ] as const) {
        for (const value of new Set(values)) codes.push({ representation_id: representationId, list, code: value });
      }
      if (row.advocacyOffered === true) {
        offers.push({
          representation_id: representationId,
          stage: 1,
          offered_on: row.receivedOn,
          outcome: row.advocacyAccepted === null ? 'no_reply' : row.advocacyAccepted ? 'accepted' : 'declined',
          provider: null,
          recorded_by: userId,
          created_at: now,
        });
      }
      for (const clock of item.clocks) clocks.push({ ...clock, subject_type: 'representation', subject_id: representationId, created_at: now, updated_at: now });
      const late = (isLate: boolean, on: IsoDate) =>
        isLate ? { is_late: 1 as const, late_outcome: 'accepted', late_reason: `${IMPORT_NOTE}: the late request went ahead`, late_decided_on: on } : { is_late: 0 as const, late_outcome: null, late_reason: null, late_decided_on: null };
      if (item.stage2 !== null && row.stage2RequestedOn !== null) {
        stage2.push({
          representation_id: representationId,
          state: row.stage2RespondedOn === null ? 'investigating' : 'adjudicated',
          requested_on: row.stage2RequestedOn,
          window_ends_on: item.stage2.windowEndsOn,
          ...late(item.stage2.isLate, row.stage2RequestedOn),
          acknowledged_on: null,
          responded_on: row.stage2RespondedOn,
          withdrawn_on: null,
          delay_reasons: null,
          statement_agreed_on: row.stage2StartedOn,
          report_received_on: null,
          adjudicated_by: null,
          finding: null,
          cost_investigator_pence: null,
          cost_independent_person_pence: null,
          cost_other_pence: row.stage2CostPence,
          created_by: userId,
          created_at: now,
          updated_at: now,
        });
      }
      if (item.stage3 !== null && row.stage3RequestedOn !== null) {
        stage3.push({
          representation_id: representationId,
          state: row.panelHeldOn === null ? 'awaiting_panel' : 'panel_met',
          requested_on: row.stage3RequestedOn,
          window_ends_on: item.stage3.windowEndsOn,
          ...late(item.stage3.isLate, row.stage3RequestedOn),
          acknowledged_on: null,
          responded_on: null,
          withdrawn_on: null,
          delay_reasons: null,
          panel_met_on: row.panelHeldOn,
          attendees: null,
          recommendations_received_on: null,
          recommendations: null,
          independent_person_consulted_on: null,
          created_by: userId,
          created_at: now,
          updated_at: now,
        });
      }
      if (row.ombudsmanEnquiryOn !== null) {
        enquiries.push({
          representation_id: representationId,
          lgsco_reference: `IMPORTED-${row.reference}`,
          received_on: row.ombudsmanEnquiryOn,
          decision: row.ombudsmanDecision,
          // The file has no decision date: the enquiry's date stands in, so the annual report counts the decision.
          decided_on: row.ombudsmanDecision === null ? null : row.ombudsmanEnquiryOn,
          is_fault: null,
          is_injustice: null,
          remedy_apology: 0,
          remedy_amount_pence: null,
          remedy_service_improvements: null,
          compliance_due_on: null,
          compliance_done_on: null,
          created_by: userId,
          created_at: now,
          updated_at: now,
        });
      }
      history.push({
        subject_type: 'representation',
        subject_id: representationId,
        occurred_at: now,
        user_id: userId,
        action: 'imported',
        summary: 'Imported from an interchange file',
        before: null,
        after: JSON.stringify({ reference: row.reference, status: item.status }),
      });
    }
    await insertMany(db, 'representation_code', codes);
    await insertMany(db, 'advocacy_offer', offers);
    await insertMany(db, 'clock', clocks);
    await insertMany(db, 'stage2', stage2);
    await insertMany(db, 'stage3', stage3);
    await insertMany(db, 'ombudsman_enquiry', enquiries);
    await insertMany(db, 'history_entry', history);
  }

  /** Moves a reference sequence on past an imported reference, so registration never gives it again. */
  async reserveReference(prefix: string, year: number, sequence: number): Promise<void> {
    await this.db
      .insertInto('reference_sequence')
      .values({ prefix, year, last_number: sequence })
      .onConflict((oc) =>
        oc.columns(['prefix', 'year']).doUpdateSet((eb) => ({
          last_number: eb.case().when('reference_sequence.last_number', '<', sequence).then(sequence).else(eb.ref('reference_sequence.last_number')).end(),
        })),
      )
      .execute();
  }
}
