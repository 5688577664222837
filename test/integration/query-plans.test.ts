/**
 * The plans of the key queries (docs/adr/0011-queues-search-and-paging-at-scale.md): each
 * work queue walks an index in the queue's order (no sort of the whole list), a search looks
 * up references, young people's ids, names and words through their own indexes (no scan of
 * the representations), the case page finds its case by its reference's index, and the
 * dashboard's timeliness reads its own index.
 *
 * The SQL is what the application really runs: the services run against a Kysely that
 * records each query, and the recorded query is compiled and explained (SQLite: EXPLAIN
 * QUERY PLAN; PostgreSQL: EXPLAIN). The tables hold a few thousand records from the
 * benchmarks' fill, with fresh statistics. On PostgreSQL sequential scans, bitmap scans and
 * sorts are switched off while explaining: at this size a scan and a sort are as cheap as an
 * index, so the test asks whether an index path in the list's order exists at all — which it
 * does not when a query's shape rules the index out (an OR across joins, a bound list where
 * the partial index has literals, an expression sort).
 */
import { createQueryId, CompiledQuery, sql, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, describeEachEngine } from '../support/databases.ts';
import { aStaffMember, testClock, testContainer } from '../support/builders.ts';
import type { Container } from '../../src/container.ts';
import type { Database } from '../../src/db/schema.ts';
import { analyzeDatabase } from '../../src/db/analyze.ts';
import { CaseQueryService, RECENTLY_CLOSED_DAYS, type QueueFilters } from '../../src/app/case-query-service.ts';
import { addDays } from '../../src/domain/calendar/iso-date.ts';
import { CaseReadRepository } from '../../src/db/case-read-repository.ts';
import { CalendarService } from '../../src/app/calendar-service.ts';
import { MonitoringQuery } from '../../src/reports/monitoring/monitoring-query.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { fill, SURNAMES, WORDS, type FillResult } from '../../bench/fill.ts';
import { OmbudsmanService } from '../../src/app/ombudsman-service.ts';
import { LearningService } from '../../src/app/learning-service.ts';
import { addFigures, emptyFigures, MONITORED_KINDS, type MonitoringFigures } from '../../src/domain/reports/monitoring.ts';
import { runNotificationJobs } from '../../src/jobs/notification-jobs.ts';
import { QuestionnaireService } from '../../src/app/questionnaire-service.ts';
import { AnnualReportService } from '../../src/app/annual-report-service.ts';
import { OwnWorkRepository } from '../../src/db/own-work-repository.ts';
import { STAGE1_OPEN_STATUSES } from '../../src/domain/cases/case-status.ts';

const NOW = '2026-11-26T10:00:00.000Z';
const RECORDS = 4000;
/** PostgreSQL plans without these when it can: does a path through the indexes (for a queue: in the list's order) exist? */
const PG_OFF_FOR_LOOKUPS = ['enable_seqscan'];
const PG_OFF_FOR_QUEUES = ['enable_seqscan', 'enable_sort', 'enable_bitmapscan'];

/** Records every query's tree as it is run. */
class Recorder implements KyselyPlugin {
  readonly nodes: RootOperationNode[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.nodes.push(args.node);
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

describeEachEngine('query plans at scale', (database) => {
  let container: Container;
  let officer: StaffActor;
  let manager: StaffActor;
  let sample: FillResult;
  const kysely = (): Kysely<Database> => database().db.kysely;

  beforeAll(async () => {
    const clock = testClock(NOW);
    container = await testContainer(database(), clock);
    await container.demo.ensure();
    sample = await fill(kysely(), { complaints: RECORDS / 10, representations: RECORDS, year: 2024, today: NOW.slice(0, 10) });
    await analyzeDatabase(database().db);
    officer = await aStaffMember(container, ['complaints_officer']);
    manager = await aStaffMember(container, ['responding_manager'], 'Care Management North');
  }, 120_000);

  /** The plan of the last query `work` ran that `pick` accepts (`isRun`: on PostgreSQL, as run, saying which parts never were). */
  async function planOf(work: (db: Kysely<Database>) => Promise<unknown>, pick: (sqlText: string) => boolean, pgOff: readonly string[] = PG_OFF_FOR_LOOKUPS, isRun = false): Promise<string> {
    const recorder = new Recorder();
    await work(kysely().withPlugin(recorder));
    const compiled = recorder.nodes.map((node) => kysely().getExecutor().compileQuery(node, createQueryId())).filter((q) => pick(q.sql));
    const query = compiled.at(-1);
    if (query === undefined) throw new Error('no such query ran');
    if (process.env.SHOW_PLANS !== undefined) console.log(query.sql);
    if (database().engine === 'sqlite') {
      const rows = await kysely().executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
      return rows.rows.map((r) => r.detail).join('\n');
    }
    return kysely()
      .connection()
      .execute(async (connection) => {
        for (const setting of pgOff) await connection.executeQuery(CompiledQuery.raw(`set ${setting} = off`));
        try {
          const rows = await connection.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${isRun ? '(analyze, costs off, timing off) ' : ''}${query.sql}`, [...query.parameters]));
          const plan = rows.rows.map((r) => r['QUERY PLAN']).join('\n');
          if (process.env.SHOW_PLANS !== undefined) console.log(plan);
          return plan;
        } finally {
          for (const setting of pgOff) await connection.executeQuery(CompiledQuery.raw(`reset ${setting}`));
        }
      });
  }

  const queuePlan = (viewer: StaffActor, filters: QueueFilters) =>
    planOf(
      (db) => new CaseQueryService(db, container.clock, new CalendarService(db, container.clock)).queueList(viewer, filters),
      (text) => text.includes('queue_due_on') && text.includes('limit'),
      filters.search === undefined ? PG_OFF_FOR_QUEUES : PG_OFF_FOR_LOOKUPS,
    );

  /**
   * The plan walks `index` in order: no sort of the list (SQLite: no temp B-tree for ORDER BY,
   * and no Bloom filter, which SQLite builds over a whole joined table before the walk;
   * PostgreSQL: no Sort node).
   */
  function expectOrderedWalk(plan: string, index: string): void {
    expect(plan).toContain(index);
    if (database().engine === 'sqlite') {
      expect(plan).not.toContain('TEMP B-TREE FOR ORDER BY');
      expect(plan).not.toContain('BLOOM FILTER');
    } else expect(plan).not.toMatch(/\bSort\b/);
  }

  /**
   * No pass over every representation (a scan of the table or of an index of all of it). On
   * SQLite a scan of a subquery's rows (a search's cases, as `r`) is not one: its name is
   * declared by a CO-ROUTINE or MATERIALIZE line.
   */
  function expectNoScanOfRepresentations(plan: string): void {
    if (database().engine === 'sqlite') {
      const subqueries = new Set([...plan.matchAll(/^(?:CO-ROUTINE|MATERIALIZE) (\w+)/gm)].map((m) => m[1]));
      const scanned = [...plan.matchAll(/^SCAN (\w+)/gm)].map((m) => m[1] ?? '').filter((name) => !subqueries.has(name));
      expect(scanned.filter((name) => ['r', 'k', 'representation', 'own'].includes(name))).toEqual([]);
    } else expect(plan).not.toMatch(/Seq Scan on representation|using representation_(open_)?queue_idx/);
  }

  describe('work queues', () => {
    it('reads all open cases, and the page after, in the open-case index order', async () => {
      expectOrderedWalk(await queuePlan(officer, { queue: 'all_open' }), 'representation_open_queue_idx');
      const first = await container.cases.queueList(officer, { queue: 'all_open' });
      expect(first.rows.length).toBeGreaterThan(1);
      expectOrderedWalk(await queuePlan(officer, { queue: 'all_open', after: first.rows[0]?.key }), 'representation_open_queue_idx');
    });

    it('reads my team’s and my own open cases by their own indexes', async () => {
      expectOrderedWalk(await queuePlan(manager, { queue: 'my_team' }), 'representation_open_team_idx');
      expectOrderedWalk(await queuePlan(manager, { queue: 'mine' }), 'representation_open_responder_idx');
    });

    it('reads the recently closed cases from the index of finished cases alone, not every case changed lately', async () => {
      const plan = await planOf(
        (db) => new CaseQueryService(db, container.clock, new CalendarService(db, container.clock)).queueList(officer, { queue: 'recently_closed' }),
        (text) => text.includes('queue_due_on') && text.includes('limit'),
        // A month's finished cases are read and sorted, as at scale (on this little data PostgreSQL would otherwise collect them by a bitmap).
        ['enable_seqscan', 'enable_bitmapscan'],
      );
      expect(plan).toContain('representation_finished_idx');
      // PostgreSQL reads the month's finished cases from the index alone (migration 0039), not their records too.
      if (database().engine === 'postgres') expect(plan).toContain('Index Only Scan using representation_finished_idx');
      expectNoScanOfRepresentations(plan);
      const { rows } = await container.cases.queueList(officer, { queue: 'recently_closed' });
      expect(rows.length).toBeGreaterThan(0);
      // Exactly the cases finished in the last 30 days, in the queue's order.
      const since = addDays(NOW.slice(0, 10), -RECENTLY_CLOSED_DAYS);
      const expected = await kysely()
        .selectFrom('representation')
        .select('reference')
        .where('status', 'in', ['closed', 'withdrawn'])
        .where(sql<string>`coalesce(closed_on, withdrawn_on, updated_at)`, '>=', since)
        .orderBy('queue_due_on')
        .orderBy('received_on')
        .orderBy('id')
        .limit(rows.length)
        .execute();
      expect(rows.map((row) => row.reference)).toEqual(expected.map((row) => row.reference));
    });

    it('reads a status’s cases, and every case, in queue order', async () => {
      expectOrderedWalk(await queuePlan(officer, { queue: 'awaiting_registration' }), 'representation_status_queue_idx');
      expectOrderedWalk(await queuePlan(officer, { queue: 'all' }), 'representation_queue_idx');
    });
  });

  describe('search', () => {
    const searchPlan = (text: string) => queuePlan(officer, { queue: 'all', search: text });

    it('looks a reference and a young person’s id up exactly', async () => {
      const byReference = await searchPlan(sample.references[3] ?? '');
      expectNoScanOfRepresentations(byReference);
      const byYoungPerson = await searchPlan(sample.youngPersonIds[0] ?? 'YP100001');
      expectNoScanOfRepresentations(byYoungPerson);
      expect(byYoungPerson).toMatch(database().engine === 'sqlite' ? /young_person USING (COVERING )?INDEX/ : /young_person_external_id/);
    });

    it('finds names by trigrams and words by the full-text indexes', async () => {
      // On PostgreSQL a piece of one word is read along the ordered terms (the next test); with a space, by trigrams.
      const byName = await searchPlan(`${database().engine === 'sqlite' ? '' : 'a '}${SURNAMES[5] ?? 'Ashford'}`);
      expectNoScanOfRepresentations(byName);
      // The cases of the people found, with their places in the order, from the complainant's index alone.
      expect(byName).toMatch(database().engine === 'sqlite' ? /SEARCH k USING COVERING INDEX representation_complainant_idx/ : /Index Only Scan using representation_complainant_idx/);
      if (database().engine === 'sqlite') expect(byName).toContain('person_name_fts');
      else {
        // At a few thousand names PostgreSQL reads them through the primary key as cheaply as
        // through the trigrams; the trigram index must be there for when it is not.
        expect(byName).not.toContain('Seq Scan on person');
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_indexes where schemaname = current_schema() and indexname = 'person_name_trgm_idx'`.execute(kysely());
        expect(rows[0]?.n).toBe(1);
      }
      const byWords = await searchPlan(`${WORDS[10] ?? ''} ${WORDS[20] ?? ''}`);
      expectNoScanOfRepresentations(byWords);
      expect(byWords).toContain(database().engine === 'sqlite' ? 'representation_fts' : 'representation_summary_fts_idx');
      expect(byWords).toContain(database().engine === 'sqlite' ? 'case_note_fts' : 'case_note_body_fts_idx');
    });

    it('reads a word’s or a piece of a name’s first page on PostgreSQL in the page’s order from its own index, not every match', async () => {
      const runPlan = (text: string) =>
        planOf(
          (db) => new CaseQueryService(db, container.clock, new CalendarService(db, container.clock)).queueList(officer, { queue: 'all', search: text }),
          (sqlText) => sqlText.includes('queue_due_on') && sqlText.includes('limit'),
          PG_OFF_FOR_QUEUES,
          true,
        );
      const byWord = await runPlan(WORDS[10] ?? '');
      const byName = await runPlan((SURNAMES[5] ?? 'Ashford').slice(1));
      if (database().engine === 'sqlite') {
        expect(byWord).toContain('representation_fts');
        expect(byName).toContain('person_name_fts');
        return;
      }
      // Each word's cases walked in the page's order until the page is full; the other ways of reading them left unrun.
      const run = (plan: string) => plan.split('\n').filter((line) => / on \w+/.test(line) && !line.includes('(never executed)'));
      expect(byWord).toMatch(/Index Only Scan using search_term_order_idx on search_term t(_\d+)? \(actual rows=[1-9]/);
      expect(run(byWord).filter((line) => /fts_idx| on case_note | on representation k_\d+ .*(pkey|note)/.test(line))).toEqual([]);
      expect(byName).toMatch(/Index Only Scan using search_name_term_order_idx on search_name_term t(_\d+)? \(actual rows=[1-9]/);
      expect(run(byName).filter((line) => /trgm_idx| on person |representation_complainant_idx/.test(line))).toEqual([]);
      expectNoScanOfRepresentations(byWord);
      expectNoScanOfRepresentations(byName);
    });
  });

  it('finds the case page’s case by its reference', async () => {
    const plan = await planOf((db) => new CaseReadRepository(db).findByReference(sample.references[0] ?? ''), (text) => text.includes('"r"."reference" ='));
    expectNoScanOfRepresentations(plan);
    expect(plan).toMatch(database().engine === 'sqlite' ? /SEARCH r USING INDEX sqlite_autoindex_representation_\d \(reference=\?\)/ : /representation_reference_key/);
  });

  describe('the Ombudsman register and the learning log', () => {
    const registerPlan = (state?: 'closed', page: { after?: { receivedOn: string; id: number } } = {}) =>
      planOf(
        (db) => new OmbudsmanService(db, container.clock).registerPage(state, {}, officer, page),
        (text) => text.includes('"ombudsman_enquiry" as "e"') && text.includes('limit'),
        PG_OFF_FOR_QUEUES,
      );

    it('reads a page of the register, and the page after, in its index’s order, with or without a state', async () => {
      expectOrderedWalk(await registerPlan(), 'ombudsman_enquiry_register_idx');
      const newest = (await container.ombudsman.registerPage(undefined, {}, officer)).entries[0];
      expect(newest).toBeDefined();
      expectOrderedWalk(await registerPlan(undefined, { after: { receivedOn: newest?.receivedOn ?? '', id: newest?.id ?? 0 } }), 'ombudsman_enquiry_register_idx');
      expectOrderedWalk(await registerPlan('closed'), 'ombudsman_enquiry_register_idx');
    });

    it('reads a page of the learning log in its index’s order', async () => {
      await kysely()
        .insertInto('lesson')
        .values(Array.from({ length: 60 }, (_, i) => ({ title: `Lesson ${String(i)}`, description: 'Notice.', identified_on: `2024-${String(1 + (i % 12)).padStart(2, '0')}-10`, team_id: null, created_at: NOW, updated_at: NOW })))
        .execute();
      await analyzeDatabase(database().db);
      const logPlan = (after?: { identifiedOn: string; id: number }) =>
        planOf((db) => new LearningService(db, container.clock).logPage({}, officer, { after }), (text) => text.includes('from "lesson"') && text.includes('limit'), PG_OFF_FOR_QUEUES);
      expectOrderedWalk(await logPlan(), 'lesson_log_idx');
      const first = await container.learning.logPage({}, officer);
      expectOrderedWalk(await logPlan(first.next), 'lesson_log_idx');
    });
  });

  describe('quarterly monitoring', () => {
    const QUARTER = { from: '2024-10-01', to: '2024-12-31' };
    const monitoringPlan = async (pick: (text: string) => boolean) => {
      const calendar = await container.calendar.calendar();
      return planOf((db) => new MonitoringQuery(db).byServiceArea(QUARTER, calendar), pick);
    };

    it('reads only the period, and the complaints open at its end, through their own indexes', async () => {
      const plans = {
        representation_received_idx: await monitoringPlan((text) => text.includes('"r"."received_on" >=') && text.includes('"r"."kind" in')),
        representation_withdrawn_idx: await monitoringPlan((text) => text.includes('"r"."withdrawn_on" >=')),
        representation_open_until_idx: await monitoringPlan((text) => text.includes('coalesce(responded_on')),
        representation_timeliness_idx: await monitoringPlan((text) => text.includes('"r"."responded_on" >=')),
        representation_no_team_idx: await monitoringPlan((text) => text.includes('team_id is null')),
      };
      for (const [index, plan] of Object.entries(plans)) {
        // Receipts: a range of dates, or of each kind by date (representation_annual_idx), both covering.
        const used = index === 'representation_received_idx' ? /representation_(received|annual)_idx/.exec(plan)?.[0] : index;
        expect(plan, index).toContain(used ?? index);
        expectNoScanOfRepresentations(plan);
        // The counts come from the index entries alone, not from each record.
        if (database().engine === 'sqlite' && index !== 'representation_no_team_idx') expect(plan, index).toContain(`COVERING INDEX ${used ?? index}`);
      }
    });

    it('gives the same figures as counting every record', async () => {
      const calendar = await container.calendar.calendar();
      const { rows } = await new MonitoringQuery(kysely()).byServiceArea(QUARTER, calendar);
      const teams = new Map((await kysely().selectFrom('team').select(['id', 'service_area_id']).execute()).map((t) => [t.id, t.service_area_id]));
      const records = await kysely().selectFrom('representation').select(['id', 'kind', 'team_id', 'received_on', 'responded_on', 'withdrawn_on']).execute();
      const areaOf = (teamId: number | null) => (teamId === null ? null : (teams.get(teamId) ?? null));
      const { from, to } = QUARTER;
      const expected = new Map<number | null, MonitoringFigures>();
      const add = (area: number | null, figures: Partial<MonitoringFigures>) => expected.set(area, addFigures(expected.get(area) ?? emptyFigures(), { ...emptyFigures(), ...figures }));
      for (const r of records) {
        const area = areaOf(r.team_id);
        if (r.received_on > to) continue;
        const kind = MONITORED_KINDS.find((k) => k === r.kind);
        if (kind !== undefined && r.received_on >= from) add(area, { received: { ...emptyFigures().received, [kind]: 1 } });
        if (r.kind !== 'children_statutory') continue;
        if (r.withdrawn_on !== null && r.withdrawn_on >= from && r.withdrawn_on <= to) add(area, { withdrawn: 1 });
        if ((r.responded_on === null || r.responded_on > to) && (r.withdrawn_on === null || r.withdrawn_on > to)) add(area, { openAtEnd: 1 });
      }
      for (const r of records) {
        if (r.kind === 'children_statutory' && r.withdrawn_on === null && r.responded_on !== null && r.responded_on >= from && r.responded_on <= to) add(areaOf(r.team_id), { stage1Responses: 1 });
      }
      const enquiries = await kysely().selectFrom('ombudsman_enquiry as e').innerJoin('representation as r', 'r.id', 'e.representation_id').select(['r.team_id', 'e.received_on']).execute();
      for (const e of enquiries) if (e.received_on >= from && e.received_on <= to) add(areaOf(e.team_id), { ombudsmanEnquiries: 1 });
      const stage2 = await kysely().selectFrom('stage2 as s').innerJoin('representation as r', 'r.id', 's.representation_id').select(['r.team_id', 's.requested_on']).execute();
      for (const s2 of stage2) if (s2.requested_on >= from && s2.requested_on <= to) add(areaOf(s2.team_id), { stage2Requests: 1 });

      const without = (f: MonitoringFigures) => ({ ...f, within10: 0, within20: 0 });
      const actual = new Map(rows.map((row) => [row.areaId, without(row.figures)]));
      expect(actual.get(null)).toEqual(expected.get(null));
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [area, figures] of expected) expect(actual.get(area), String(area)).toEqual(figures);
      expect([...expected.values()].reduce((sum, f) => sum + f.openAtEnd + f.withdrawn + f.stage1Responses, 0)).toBeGreaterThan(0);
    });
  });

  it('counts the dashboard’s timeliness from its own index', async () => {
    const calendar = await container.calendar.calendar();
    const plan = await planOf((db) => new MonitoringQuery(db).timeliness('2026-04-01', '2026-11-26', 10, calendar), (text) => text.includes('responded_on'));
    expect(plan).toContain('representation_timeliness_idx');
    if (database().engine === 'sqlite') expect(plan).toContain('COVERING INDEX representation_timeliness_idx');
  });

  it('reads a responding manager’s own cases from the index of open cases by responder', async () => {
    const plan = await planOf((db) => new OwnWorkRepository(db).allocatedTo(manager, STAGE1_OPEN_STATUSES, ['stage1_response', 'response']), (text) => text.includes('responder_user_id'));
    expect(plan).toContain('representation_open_responder_idx');
    expect(plan).not.toContain('representation_responder_idx');
    expectNoScanOfRepresentations(plan);
  });

  it('counts the Stage 1 clocks due and overdue from the index of open clocks alone', async () => {
    const plan = await planOf(
      (db) => new OwnWorkRepository(db).countStage1Due(STAGE1_OPEN_STATUSES, ['stage1_response', 'response'], { before: '2026-11-26' }),
      (text) => text.includes('"c"."due_on" <'),
    );
    expect(plan).toContain('clock_open_due_idx');
    if (database().engine === 'sqlite') expect(plan).toContain('COVERING INDEX clock_open_due_idx');
  });

  it('reads the reminder job’s clocks due soon or overdue from the index of open clocks alone', async () => {
    const calendar = await container.calendar.calendar();
    const plan = await planOf((db) => runNotificationJobs(db, calendar, new Date(NOW)), (text) => text.startsWith('select "id" from "clock"'));
    expect(plan).toContain('clock_open_due_idx');
    if (database().engine === 'sqlite') expect(plan).toContain('COVERING INDEX clock_open_due_idx');
  });

  it('reads the questionnaires waiting for their reminder from their own index, not every questionnaire', async () => {
    const plan = await planOf((db) => new QuestionnaireService(db, container.clock).remind(new Date(NOW)), (text) => text.startsWith('select "id" from "questionnaire"'));
    expect(plan).toContain('questionnaire_awaiting_reminder_idx');
    if (database().engine === 'sqlite') expect(plan).toContain('COVERING INDEX questionnaire_awaiting_reminder_idx');
  });

  describe('the annual report', () => {
    const annualPlan = (pick: (text: string) => boolean) =>
      planOf((db) => new AnnualReportService(db, container.clock, new CalendarService(db, container.clock)).report(2024, { asAt: '2025-06-30' }), pick, PG_OFF_FOR_QUEUES);

    it('reads the year’s complaints from the index of kinds by date alone', async () => {
      const plans = {
        outcomes: await annualPlan((text) => text.includes('as "is_responded"')),
        timescales: await annualPlan((text) => text.includes('"r"."receipt_rule", count(*)')),
        history: await annualPlan((text) => text.includes('as "bucket"')),
      };
      for (const [figure, plan] of Object.entries(plans)) {
        expect(plan, figure).toContain('representation_annual_idx');
        expectNoScanOfRepresentations(plan);
        if (database().engine === 'sqlite') expect(plan, figure).toContain('COVERING INDEX representation_annual_idx');
      }
      // The timescale pairs and the earlier years are grouped in the index's order, without a sort.
      if (database().engine === 'sqlite') {
        expect(plans.timescales).not.toContain('TEMP B-TREE');
        expect(plans.history).not.toContain('TEMP B-TREE');
      }
    });

    it('finds extended and paused clocks in their partial indexes', async () => {
      expect(await annualPlan((text) => text.includes(`c.events like '%"extraWorkingDays"%'`))).toContain('clock_extended_idx');
      expect(await annualPlan((text) => text.includes('"pauses"'))).toContain('clock_paused_idx');
    });

    // The fill has no Stage 3 (so no statistics for it): the plan must still start from Stage 3,
    // by its dates (SQLite; PostgreSQL reads an empty table whole), and look each complaint up.
    it('reads Stage 3 by the dates of its events, not every complaint', async () => {
      const plans = {
        stage3_panel_met_idx: await annualPlan((text) => text.includes('from "stage3"') && text.includes('"s"."panel_met_on" >=')),
        stage3_recommendations_idx: await annualPlan((text) => text.includes('from "stage3"') && text.includes('"s"."recommendations_received_on" >=')),
      };
      for (const [index, plan] of Object.entries(plans)) {
        expectNoScanOfRepresentations(plan);
        if (database().engine === 'sqlite') expect(plan, index).toContain(`SEARCH s USING INDEX ${index}`);
        else expect(plan, index).toMatch(/on stage3 s/);
      }
    });
  });
});

describe.skipIf(inject('postgresUrl') === null)('PostgreSQL connections', () => {
  it('compile no query (JIT is off: a search of a common prefix took 40 ms more to compile than to run)', async () => {
    const test = await createTestDatabase('postgres');
    try {
      const { rows } = await sql<{ jit: string }>`show jit`.execute(test.db.kysely);
      expect(rows[0]?.jit).toBe('off');
    } finally {
      await test.close();
    }
  });

  it('prepare a statement with values once a connection, and reuse a plan of a lookup by key (one without values runs as it is)', async () => {
    const test = await createTestDatabase('postgres');
    try {
      const prepared = await test.db.kysely.connection().execute(async (connection) => {
        for (let run = 0; run < 7; run++) await connection.selectFrom('app_user').select('id').where('email', '=', `someone-${String(run)}@example.org`).execute();
        await connection.selectFrom('app_user').select((eb) => eb.fn.countAll().as('n')).execute();
        const { rows } = await sql<{ statement: string; from_sql: boolean; custom_plans: number; generic_plans: number }>`
          select statement, from_sql, custom_plans, generic_plans from pg_prepared_statements where statement like 'select %from "app_user"%'`.execute(connection);
        return rows;
      });
      // Planned for its values five times, then once for any values (for a lookup by key, the same plan).
      expect(prepared).toEqual([{ statement: 'select "id" from "app_user" where "email" = $1', from_sql: false, custom_plans: 5, generic_plans: 2 }]);
    } finally {
      await test.close();
    }
  });
});
