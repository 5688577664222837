/**
 * Import and export of the `redress` interchange file.
 *
 * Import is all or nothing. Every line is checked first — its cells (src/domain/interchange),
 * repeats within the file, its team, its reference against the records (the same content is
 * skipped as unchanged, different content is a problem), and the working-day dates its clocks
 * and later stages need — and only a file with no problem at all is written, in one
 * transaction, in batches of multi-row inserts. Importing the same file again changes nothing
 * (idempotent by reference).
 *
 * A young person has one ethnicity: the one on their latest line in the file that gives one
 * (`settleEthnicities`), which replaces what the records hold. Lines that disagree are taken
 * as they are and listed as warnings; warnings never stop an import. Because the ethnicity is
 * the person's, not the line's, it is left out when a line is compared with its record.
 *
 * What an imported line writes: the representation (status from its dates, see
 * `importedStatus`), its own contact, its codes, a Stage 1 advocacy offer (dated on receipt:
 * the file has no date), Stage 2 and 3 rows (request windows from the working-day calendar;
 * a late request is recorded as having gone ahead), its first Ombudsman enquiry (reference
 * `IMPORTED-<reference>`, decision dated on the enquiry: the file has neither), a line in its
 * history, and clocks: a complaint still open at Stage 1 gets the clocks registration starts
 * on receipt, running from its date of receipt, so the deadlines and reminders see it; a
 * closed one gets none, except one recorded as extended (any kind whose procedure can extend
 * its Stage 1 response time), whose Stage 1 response clock (stopped) carries the extension
 * that the annual report counts. The young person is
 * found or made by pseudonymous id. One audit event records the import (counts only).
 *
 * Export writes a reporting year's representations (1 April – 31 March, by date of receipt),
 * in order of receipt then reference, read a page at a time.
 */
import { ANALYZE_AFTER_ROWS, analyzeTables } from '../db/analyze.ts';
import type { Writable } from 'node:stream';
import type { ReceiptRule } from '../domain/calendar/counting-rule.ts';
import { CouncilSettingsRepository } from '../db/council-settings-repository.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { InterchangeRepository, type ImportedRepresentation, type StoredTeam } from '../db/interchange-repository.ts';
import { TeamRepository } from '../db/team-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import type { RestrictedPerson } from '../domain/cases/case-restriction.ts';
import { DomainError } from '../domain/errors.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import { requestTiming } from '../domain/cases/later-stages.ts';
import { procedureDefinition, isProcedureKind } from '../domain/procedures/procedure-definitions.ts';
import type { ClockEvents } from '../domain/clocks/clock-engine.ts';
import { reportPeriod } from '../domain/reports/annual-report.ts';
import { tryParseReference } from '../domain/taxonomies/case-reference.ts';
import { REFERENCE_PREFIXES } from '../domain/taxonomies/case-reference.ts';
import {
  canonicalRow,
  cellProblem,
  differingColumns,
  formatRow,
  hasStage1Clock,
  importedStatus,
  isOpenAtStage1,
  parseRow,
  readHeader,
  settleEthnicities,
  stage1ResponseClock,
  withoutRepeats,
  type FileHeader,
  type InterchangeProblem,
  type InterchangeRow,
  type LineRow,
} from '../domain/interchange/interchange-rows.ts';
import { unescapeCell } from '../domain/interchange/interchange-columns.ts';
import { isOneOf } from '../domain/taxonomies/code-list.ts';
import { ETHNICITIES } from '../domain/taxonomies/ethnicities.ts';
import { clockStatusOf } from './clock-service.ts';
import { readLines, UnreadableFile, writeCsv, writeXlsx, type InterchangeFormat } from './interchange-formats.ts';
import type { CalendarService } from './calendar-service.ts';
import type { Actor, Clock } from './clock.ts';

/** The service area teams made by an import go in (`--create-teams`). */
export const IMPORTED_SERVICE_AREA = 'Imported';
/** Representations written in one batch of inserts. */
const BATCH = 500;
/** Rows read in one page of an export. */
const EXPORT_PAGE = 2000;
/** How often (in lines) progress is reported. */
const PROGRESS_EVERY = 1000;

export interface ImportProgress {
  readonly phase: 'checking' | 'writing';
  readonly done: number;
  readonly total: number;
}

export interface ImportOptions {
  /** Check only: write nothing. */
  readonly isDryRun?: boolean;
  /** Make the teams the file names that do not exist (in the service area "Imported"). */
  readonly createTeams?: boolean;
  readonly onProgress?: (progress: ImportProgress) => void;
}

export interface ImportResult {
  /** Representation lines in the file (the header and blank lines not counted). */
  readonly lines: number;
  /** Representations written (or, in a dry run, that would be). */
  readonly created: number;
  /** Lines whose reference is already recorded with the same content. */
  readonly unchanged: number;
  /** Lines repeating an earlier line of the file exactly. */
  readonly repeats: number;
  /** Teams made (or, in a dry run, that would be). */
  readonly teamsCreated: readonly string[];
  /** Every problem, in line order; when there is any, nothing was written. */
  readonly problems: readonly InterchangeProblem[];
  /**
   * What was taken as it is but deserves a look, in line order (a young person with different
   * ethnicities on different lines, or other than recorded): they do not stop the import.
   */
  readonly warnings: readonly InterchangeProblem[];
  /** Young people whose recorded ethnicity the file changes (or, in a dry run, would). */
  readonly ethnicitiesChanged: number;
  readonly isDryRun: boolean;
  readonly isWritten: boolean;
}

interface Checked {
  readonly toCreate: ImportedRepresentation[];
  readonly unchanged: number;
  readonly newTeams: Map<string, string>;
  readonly youngPeople: Map<string, { id: number | null; ethnicity: string | null; storedEthnicity: string | null }>;
  readonly problems: InterchangeProblem[];
  readonly warnings: InterchangeProblem[];
}

const byLine = (a: InterchangeProblem, b: InterchangeProblem): number => a.line - b.line || (a.letter ?? '').length - (b.letter ?? '').length || (a.letter ?? '').localeCompare(b.letter ?? '');

export class InterchangeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
  ) {}

  /** Checks `content` (CSV or XLSX) and, when it has no problem and this is not a dry run, imports it whole. */
  async importFile(content: Buffer, actor: Actor, options: ImportOptions = {}): Promise<ImportResult> {
    const isDryRun = options.isDryRun === true;
    const progress = options.onProgress ?? (() => undefined);
    const refused = (problems: InterchangeProblem[], lines = 0, warnings: InterchangeProblem[] = []): ImportResult => ({
      lines,
      created: 0,
      unchanged: 0,
      repeats: 0,
      teamsCreated: [],
      problems: problems.sort(byLine),
      warnings: warnings.sort(byLine),
      ethnicitiesChanged: 0,
      isDryRun,
      isWritten: false,
    });

    let lines;
    try {
      lines = await readLines(content);
    } catch (error) {
      if (error instanceof UnreadableFile) return refused([{ line: error.line ?? 1, column: null, letter: null, code: 'unreadable_file', message: error.message }]);
      throw error;
    }
    const [headerLine, ...body] = lines;
    if (headerLine === undefined) return refused([{ line: 1, column: null, letter: null, code: 'empty_file', message: 'The file is empty: it needs a header line and a line for each representation' }]);
    const { header, problems } = readHeader(headerLine.cells, headerLine.line);
    if (body.length === 0) problems.push({ line: headerLine.line + 1, column: null, letter: null, code: 'no_lines', message: 'The file has a header but no representations' });
    if (problems.some((p) => p.code === 'missing_column')) return refused(problems, body.length);

    const rows: LineRow[] = [];
    // A line with other problems still has its team checked, so that every problem is listed at once.
    const teamsOfBadLines: { line: number; team: string }[] = [];
    const teamColumn = header.positions.get('team');
    body.forEach((entry, index) => {
      const parsed = parseRow(entry.line, entry.cells, header);
      if (parsed.row === undefined) {
        problems.push(...parsed.problems);
        const team = teamColumn === undefined ? '' : unescapeCell(entry.cells[teamColumn] ?? '').trim();
        if (team !== '' && !parsed.problems.some((p) => p.column === 'team')) teamsOfBadLines.push({ line: entry.line, team });
      } else rows.push({ line: entry.line, row: parsed.row });
      if ((index + 1) % PROGRESS_EVERY === 0) progress({ phase: 'checking', done: index + 1, total: body.length });
    });
    const { unique, repeats, problems: repeatProblems } = withoutRepeats(rows, header);
    problems.push(...repeatProblems);

    const checked = await this.check(unique, header, options.createTeams === true, teamsOfBadLines);
    problems.push(...checked.problems);
    progress({ phase: 'checking', done: body.length, total: body.length });
    const teamsCreated = [...checked.newTeams.values()];
    if (problems.length > 0) return refused(problems, body.length, checked.warnings);
    const changed = [...checked.youngPeople.values()].filter((p) => p.id !== null && p.ethnicity !== null && p.ethnicity !== p.storedEthnicity).length;
    const result = { lines: body.length, created: checked.toCreate.length, unchanged: checked.unchanged, repeats, teamsCreated, problems: [], warnings: checked.warnings.sort(byLine), ethnicitiesChanged: changed, isDryRun };
    if (isDryRun || (checked.toCreate.length === 0 && teamsCreated.length === 0 && changed === 0)) return { ...result, isWritten: false };

    const nowIso = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const repository = new InterchangeRepository(trx);
      const teamIds = new Map<string, number>();
      if (teamsCreated.length > 0) {
        const teams = new TeamRepository(trx);
        const areaId = (await teams.findServiceAreaByName(IMPORTED_SERVICE_AREA))?.id ?? (await teams.createServiceArea(IMPORTED_SERVICE_AREA, await teams.ensureDirectorate('Children’s Services')));
        for (const [key, name] of checked.newTeams) teamIds.set(key, await repository.createTeam(name, areaId, nowIso));
      }
      const youngPersonIds = new Map<string, number>();
      const toMake: { externalId: string; ethnicity: string | null }[] = [];
      for (const [externalId, person] of checked.youngPeople) {
        if (person.id === null) toMake.push({ externalId, ethnicity: person.ethnicity });
        else {
          youngPersonIds.set(externalId, person.id);
          if (person.ethnicity !== null && person.ethnicity !== person.storedEthnicity) await repository.setEthnicity(person.id, person.ethnicity, nowIso);
        }
      }
      for (const [externalId, id] of await repository.createYoungPeople(toMake, nowIso)) youngPersonIds.set(externalId, id);

      const items = checked.toCreate.map((item) => (item.teamId === null && item.row.team !== null ? { ...item, teamId: teamIds.get(item.row.team.toLowerCase()) ?? null } : item));
      for (let start = 0; start < items.length; start += BATCH) {
        await repository.writeBatch(items.slice(start, start + BATCH), youngPersonIds, actor.userId, nowIso);
        progress({ phase: 'writing', done: Math.min(start + BATCH, items.length), total: items.length });
      }
      // An imported reference in Redress's own form moves its sequence on, so registration never gives it again.
      const highest = new Map<string, { prefix: string; year: number; sequence: number }>();
      for (const { row } of items) {
        const parts = tryParseReference(row.reference);
        if (parts === undefined) continue;
        const key = `${REFERENCE_PREFIXES[parts.kind]}-${String(parts.year)}`;
        if ((highest.get(key)?.sequence ?? 0) < parts.sequence) highest.set(key, { prefix: REFERENCE_PREFIXES[parts.kind], year: parts.year, sequence: parts.sequence });
      }
      for (const { prefix, year, sequence } of highest.values()) await repository.reserveReference(prefix, year, sequence);
      await new AuditRepository(trx).record(
        {
          ...actor,
          action: 'representations_imported',
          entityType: 'interchange_file',
          entityId: null,
          details: { lines: body.length, created: items.length, unchanged: checked.unchanged, repeats, teams_created: teamsCreated.length, ...(changed === 0 ? {} : { ethnicities_changed: changed }) },
        },
        nowIso,
      );
    });
    // Thousands of rows at once: refresh the planners' statistics, so the queues and search keep their indexes.
    if (checked.toCreate.length >= ANALYZE_AFTER_ROWS) await analyzeTables(this.db);
    return { ...result, isWritten: true };
  }

  /** The checks that need the records and the calendar; what each new line will write. */
  private async check(rows: readonly LineRow[], header: FileHeader, createTeams: boolean, teamsOfBadLines: readonly { line: number; team: string }[]): Promise<Checked> {
    const repository = new InterchangeRepository(this.db);
    const calendar = await this.calendars.calendar();
    // Imported records are counted under the council's receipt rule in force, like those registered now.
    const { receiptRule } = await new CouncilSettingsRepository(this.db).load();
    const problems: InterchangeProblem[] = [];
    const teams = await repository.teamsByName();
    const unknownTeam = (line: number, team: string): InterchangeProblem =>
      cellProblem(header, line, 'team', 'unknown_team', `There is no team called "${team}": add it first, correct the name, or import with the option to create teams`);
    if (!createTeams) for (const { line, team } of teamsOfBadLines) if (!teams.has(team.toLowerCase())) problems.push(unknownTeam(line, team));
    const newTeams = new Map<string, string>();
    const storedPeople = await repository.youngPeople(rows.flatMap(({ row }) => (row.youngPersonId === null ? [] : [row.youngPersonId])));
    const existing = await repository.rowsByReference(rows.map(({ row }) => row.reference));
    const today = this.clock().toISOString().slice(0, 10);

    // The young people: one ethnicity each, from their latest line that gives one (disagreements are warnings).
    const recorded = new Map([...storedPeople].map(([externalId, person]) => [externalId, isOneOf(ETHNICITIES, person.ethnicity) ? person.ethnicity : null]));
    const settled = settleEthnicities(rows, recorded, header);
    const youngPeople = new Map(
      [...settled.people].map(([externalId, person]) => [externalId, { id: storedPeople.get(externalId)?.id ?? null, ethnicity: person.ethnicity, storedEthnicity: storedPeople.get(externalId)?.ethnicity ?? null }]),
    );

    const toCreate: ImportedRepresentation[] = [];
    let unchanged = 0;
    for (const { line, row } of rows) {
      let team: StoredTeam | undefined;
      if (row.team !== null) {
        team = teams.get(row.team.toLowerCase());
        if (team === undefined) {
          if (createTeams) {
            if (!newTeams.has(row.team.toLowerCase())) newTeams.set(row.team.toLowerCase(), row.team);
          } else {
            problems.push(unknownTeam(line, row.team));
            continue;
          }
        }
      }
      // As stored: the team's own spelling. The ethnicity is the young person's, settled above for every line, so it is not compared.
      const effective: InterchangeRow = { ...row, team: team?.name ?? (row.team === null ? null : (newTeams.get(row.team.toLowerCase()) ?? row.team)) };
      const stored = existing.get(row.reference);
      if (stored !== undefined) {
        const differences = differingColumns(effective, stored).filter((column) => column !== 'ethnicity');
        if (differences.length === 0) unchanged += 1;
        else problems.push(cellProblem(header, line, 'reference', 'reference_recorded_differently', `${row.reference} is already recorded, with different ${differences.join(', ')}`));
        continue;
      }
      try {
        toCreate.push(this.prepare(canonicalRow(row), team?.id ?? null, calendar, today, receiptRule));
      } catch (error) {
        if (!(error instanceof LineProblem)) throw error;
        problems.push(cellProblem(header, line, error.column, error.code, error.message));
      }
    }
    return { toCreate, unchanged, newTeams, youngPeople, problems, warnings: settled.warnings };
  }

  /** What one new line writes besides its row: status, clocks and later-stage windows. Throws LineProblem. */
  private prepare(row: InterchangeRow, teamId: number | null, calendar: WorkingDayCalendar, today: string, receiptRule: ReceiptRule): ImportedRepresentation {
    const { status, stage } = importedStatus(row);
    const clocks: ImportedRepresentation['clocks'][number][] = [];
    const clock = (key: string, unstamped: ClockEvents): void => {
      if (!isProcedureKind(row.kind)) return;
      const definition = procedureDefinition(row.kind).clocks.find((c) => c.key === key);
      if (definition === undefined) return;
      const events: ClockEvents = { ...unstamped, receiptRule };
      const dueOn = clockStatusOf(definition, calendar, events, today).dueDate;
      clocks.push({ procedure_kind: row.kind, clock_key: key, started_on: events.startedOn, events: JSON.stringify(events), due_on: dueOn, is_open: events.stoppedOn === undefined ? 1 : 0 });
    };
    const extension = { extraWorkingDays: 10, reason: 'Recorded as extended in an imported file', complainantToldOn: row.receivedOn };
    const stage1 = stage1ResponseClock(row.kind);
    const extended = row.stage1Extended === true && stage1?.canExtend === true ? { extensions: [extension] } : {};
    try {
      if (isOpenAtStage1(row) && isProcedureKind(row.kind)) {
        for (const definition of procedureDefinition(row.kind).clocks.filter((c) => c.startsOn === 'received')) {
          clock(definition.key, { startedOn: row.receivedOn, ...(definition.key === stage1?.key ? extended : {}) });
        }
        // A Stage 1 clock that starts on a later event (the acknowledgement) carries the extension from receipt: the file gives no other date.
        if (stage1 !== undefined && stage1.startsOn !== 'received' && hasStage1Clock(row)) clock(stage1.key, { startedOn: row.receivedOn, ...extended });
      } else if (stage1 !== undefined && hasStage1Clock(row)) {
        clock(stage1.key, { startedOn: row.receivedOn, ...extended, stoppedOn: row.stage1RespondedOn ?? row.withdrawnOn ?? row.receivedOn });
      }
    } catch (error) {
      if (error instanceof DomainError) throw new LineProblem('received_on', 'outside_calendar', `The Stage 1 clocks cannot be worked out: ${error.message}`);
      throw error;
    }
    const window = (respondedOn: string | null, requestedOn: string | null, column: 'stage2_requested_on' | 'stage3_requested_on') => {
      if (respondedOn === null || requestedOn === null) return null;
      try {
        const timing = requestTiming(calendar, respondedOn, requestedOn, column === 'stage2_requested_on' ? 2 : 3);
        return { windowEndsOn: timing.windowEndsOn, isLate: timing.isLate };
      } catch (error) {
        if (error instanceof DomainError) throw new LineProblem(column, 'outside_calendar', `The request window cannot be worked out: ${error.message}`);
        throw error;
      }
    };
    return {
      row,
      teamId,
      status,
      stage,
      receiptRule,
      clocks,
      stage2: window(row.stage1RespondedOn, row.stage2RequestedOn, 'stage2_requested_on'),
      stage3: window(row.stage2RespondedOn, row.stage3RequestedOn, 'stage3_requested_on'),
    };
  }

  /**
   * The rows (cells in the contract's order) of the representations received in the year
   * starting 1 April `year`; without the cases `excluding` is excluded from (restricted cases),
   * when given (a member of staff exporting; the command line exports every case).
   */
  async *exportRows(year: number, excluding?: RestrictedPerson): AsyncGenerator<string[]> {
    const period = reportPeriod(year, `${String(year + 1)}-03-31`);
    const repository = new InterchangeRepository(this.db);
    let after: { receivedOn: string; reference: string } | undefined;
    for (;;) {
      const page = await repository.page(period.from, period.to, after, EXPORT_PAGE, excluding);
      for (const row of page) yield formatRow(row);
      const last = page.at(-1);
      if (last === undefined || page.length < EXPORT_PAGE) return;
      after = { receivedOn: last.receivedOn, reference: last.reference };
    }
  }

  /** Writes the year's file to `out` in `format`; audited (counts only). Returns the rows written. Refuses a bad year (DomainError). */
  async exportYear(year: number, format: InterchangeFormat, out: Writable, actor: Actor, excluding?: RestrictedPerson): Promise<number> {
    reportPeriod(year, `${String(year + 1)}-03-31`);
    const rows = format === 'xlsx' ? await writeXlsx(this.exportRows(year, excluding), out) : await writeCsv(this.exportRows(year, excluding), out);
    await new AuditRepository(this.db).record(
      { ...actor, action: 'representations_exported', entityType: 'interchange_file', entityId: String(year), details: { format, rows } },
      this.clock().toISOString(),
    );
    return rows;
  }
}

/** A problem with one line found while preparing it, in one of its cells. */
class LineProblem extends Error {
  constructor(
    readonly column: 'received_on' | 'stage2_requested_on' | 'stage3_requested_on',
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LineProblem';
  }
}
