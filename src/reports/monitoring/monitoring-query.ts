/**
 * Monitoring and dashboard figures computed in SQL: grouped counts and conditional sums,
 * never rows loaded to count. Working days taken need the calendar, so, as the annual
 * report does, responses are grouped by their distinct (received, responded) pairs and
 * only those pairs are banded here, each weighted by its count. Same queries on SQLite and
 * PostgreSQL (pg counts arrive as strings: every value goes through `count()`).
 */
import { sql, type Kysely } from 'kysely';
import { engineOf } from '../../db/full-text-search.ts';
import { OPEN_UNTIL_SQL } from '../../db/migrations/0030-register-log-and-monitoring-indexes.ts';
import type { Database } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import type { IsoDate } from '../../domain/calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../../domain/calendar/working-day-calendar.ts';
import { type ReceiptRule, workingDaysTaken } from '../../domain/calendar/counting-rule.ts';
import { emptyFigures, MONITORED_KINDS, type MonitoredKind, type MonitoringFigures, type MonitoringPeriod } from '../../domain/reports/monitoring.ts';

/** A count from either engine: number, numeric string (pg bigint) or null (a sum of nothing). */
export function count(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error('not a count');
  return n;
}

/** Figures of one service area (`areaId` null: representations with no team recorded). */
export interface AreaFiguresRow {
  readonly areaId: number | null;
  readonly figures: MonitoringFigures;
}

export interface ServiceAreaRow {
  readonly id: number;
  readonly name: string;
  readonly directorateId: number;
  readonly directorateName: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

export class MonitoringQuery {
  constructor(private readonly db: Kysely<Database>) {}

  async serviceAreas(): Promise<ServiceAreaRow[]> {
    const rows = await this.db
      .selectFrom('service_area as sa')
      .innerJoin('directorate as d', 'd.id', 'sa.directorate_id')
      .select(['sa.id', 'sa.name', 'd.id as directorate_id', 'd.name as directorate_name'])
      .orderBy('d.name')
      .orderBy('sa.name')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, directorateId: r.directorate_id, directorateName: r.directorate_name }));
  }

  /**
   * The period's figures by service area (the team's), and how many responses' working days
   * could not be counted. Each figure reads only its own range through its own index (the
   * period's receipts, withdrawals, responses, Stage 2 requests and enquiries; the complaints
   * open at its end by the day each stopped being open), counted by team in SQL; the few
   * teams then add up to their service areas here.
   */
  async byServiceArea(period: MonitoringPeriod, calendar: WorkingDayCalendar): Promise<{ rows: AreaFiguresRow[]; uncounted: number }> {
    const { from, to } = period;
    const teams = await this.db.selectFrom('team').select(['id', 'service_area_id']).execute();
    const areaOfTeam = new Map(teams.map((t) => [t.id, t.service_area_id]));
    const areas = new Map<number | null, Mutable<MonitoringFigures>>();
    /** The figures of the service area of team `teamId` (null: no team). */
    const of = (teamId: unknown): Mutable<MonitoringFigures> => {
      const area = teamId === null || teamId === undefined ? null : (areaOfTeam.get(count(teamId)) ?? null);
      let figures = areas.get(area);
      if (figures === undefined) {
        figures = emptyFigures();
        areas.set(area, figures);
      }
      return figures;
    };

    // SQLite is told the partial indexes below: from its sampled statistics a covering index
    // of every record (by date received, or by kind and date received) looks cheaper, and
    // would read every record received by the end.
    const engine = engineOf(this.db);
    const sqliteIndex = (name: string) => (engine === 'sqlite' ? sql` indexed by ${sql.raw(name)}` : sql``);

    // "No team recorded" is shown whenever a record with no team had been received by the
    // end, even with nothing to count in the period (representation_no_team_idx).
    const inNoArea = await sql<{ id: number }>`select r.id from representation as r${sqliteIndex('representation_no_team_idx')}
      where r.team_id is null and r.received_on <= ${to} limit 1`.execute(this.db);
    if (inNoArea.rows.length > 0) of(null);

    // Received in the period, by kind (representation_received_idx).
    const received = await this.db
      .selectFrom('representation as r')
      .where('r.received_on', '>=', from)
      .where('r.received_on', '<=', to)
      .where('r.kind', 'in', [...MONITORED_KINDS])
      .select((eb) => ['r.team_id', 'r.kind', eb.fn.countAll().as('n')])
      .groupBy(['r.team_id', 'r.kind'])
      .execute();
    for (const row of received) {
      const kind = MONITORED_KINDS.find((k) => k === row.kind);
      if (kind !== undefined) of(row.team_id).received[kind] += count(row.n);
    }

    // Children Act complaints withdrawn in the period (representation_withdrawn_idx).
    const withdrawn = await this.db
      .selectFrom('representation as r')
      .where('r.withdrawn_on', '>=', from)
      .where('r.withdrawn_on', '<=', to)
      .where('r.kind', '=', 'children_statutory')
      .select((eb) => ['r.team_id', eb.fn.countAll().as('n')])
      .groupBy('r.team_id')
      .execute();
    for (const row of withdrawn) of(row.team_id).withdrawn += count(row.n);

    // Children Act complaints received by the end and neither responded to nor withdrawn by
    // then: those whose open-until day is after the end (representation_open_until_idx; the
    // kind is a literal, as in the partial index).
    const openUntil = sql.raw(OPEN_UNTIL_SQL[engine]);
    const open = await sql<{ team_id: number | null; n: unknown }>`select r.team_id, count(*) as n from representation as r${sqliteIndex('representation_open_until_idx')}
      where r.kind = 'children_statutory' and ${openUntil} > ${to} and r.received_on <= ${to} group by r.team_id`.execute(this.db);
    for (const row of open.rows) of(row.team_id).openAtEnd += count(row.n);

    // Stage 1 responses in the period, banded by the working days they took (representation_timeliness_idx).
    const pairs = await this.db
      .selectFrom('representation as r')
      .where('r.kind', '=', 'children_statutory')
      .where('r.responded_on', '>=', from)
      .where('r.responded_on', '<=', to)
      .where('r.withdrawn_on', 'is', null)
      .select((eb) => ['r.team_id', 'r.received_on', 'r.responded_on', 'r.receipt_rule', eb.fn.countAll().as('n')])
      .groupBy(['r.team_id', 'r.received_on', 'r.responded_on', 'r.receipt_rule'])
      .execute();
    let uncounted = 0;
    for (const pair of pairs) {
      const f = of(pair.team_id);
      const n = count(pair.n);
      f.stage1Responses += n;
      if (pair.responded_on === null) continue;
      const taken = takenOrUndefined(calendar, pair.received_on, pair.responded_on, pair.receipt_rule);
      if (taken === undefined) uncounted += n;
      else {
        if (taken <= 10) f.within10 += n;
        if (taken <= 20) f.within20 += n;
      }
    }

    const stage2 = await this.db
      .selectFrom('stage2 as s')
      .innerJoin('representation as r', 'r.id', 's.representation_id')
      .where('s.requested_on', '>=', from)
      .where('s.requested_on', '<=', to)
      .select((eb) => ['r.team_id', eb.fn.countAll().as('n')])
      .groupBy('r.team_id')
      .execute();
    for (const row of stage2) of(row.team_id).stage2Requests += count(row.n);

    const ombudsman = await this.db
      .selectFrom('ombudsman_enquiry as e')
      .innerJoin('representation as r', 'r.id', 'e.representation_id')
      .where('e.received_on', '>=', from)
      .where('e.received_on', '<=', to)
      .select((eb) => ['r.team_id', eb.fn.countAll().as('n')])
      .groupBy('r.team_id')
      .execute();
    for (const row of ombudsman) of(row.team_id).ombudsmanEnquiries += count(row.n);

    return { rows: [...areas.entries()].map(([areaId, figures]) => ({ areaId, figures })), uncounted };
  }

  /** Open cases by status (the given statuses only). */
  async openByStatus(statuses: readonly string[]): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('representation as r')
      .where('r.status', 'in', [...statuses])
      .select((eb) => ['r.status', eb.fn.countAll().as('n')])
      .groupBy('r.status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, count(r.n)]));
  }

  /** Open Stage 1 clocks of cases still at Stage 1: those due before `before`, and those due from `from` to `to`. */
  async stage1Due(clockKeys: readonly string[], statuses: readonly string[], before: IsoDate, from: IsoDate, to: IsoDate): Promise<{ overdue: number; dueInWindow: number }> {
    const row = await this.db
      .selectFrom('clock as c')
      .innerJoin('representation as r', (join) => join.onRef('r.id', '=', 'c.subject_id').on('c.subject_type', '=', 'representation'))
      .where('c.is_open', '=', 1)
      .where('c.clock_key', 'in', [...clockKeys])
      .where('r.status', 'in', [...statuses])
      .select([
        sql<number | string | null>`sum(case when c.due_on < ${before} then 1 else 0 end)`.as('overdue'),
        sql<number | string | null>`sum(case when c.due_on >= ${from} and c.due_on <= ${to} then 1 else 0 end)`.as('due'),
      ])
      .executeTakeFirst();
    return { overdue: count(row?.overdue), dueInWindow: count(row?.due) };
  }

  /** Children Act Stage 1 responses (not withdrawn) made from `from` to `to`, and how many took at most `limit` working days. */
  async timeliness(from: IsoDate, to: IsoDate, limit: number, calendar: WorkingDayCalendar): Promise<{ responded: number; within: number; uncounted: number }> {
    const pairs = await this.db
      .selectFrom('representation as r')
      .where('r.kind', '=', 'children_statutory')
      .where('r.responded_on', '>=', from)
      .where('r.responded_on', '<=', to)
      .where('r.withdrawn_on', 'is', null)
      .select((eb) => ['r.received_on', 'r.responded_on', 'r.receipt_rule', eb.fn.countAll().as('n')])
      .groupBy(['r.received_on', 'r.responded_on', 'r.receipt_rule'])
      .execute();
    let responded = 0;
    let within = 0;
    let uncounted = 0;
    for (const pair of pairs) {
      const n = count(pair.n);
      responded += n;
      const taken = pair.responded_on === null ? undefined : takenOrUndefined(calendar, pair.received_on, pair.responded_on, pair.receipt_rule);
      if (taken === undefined) uncounted += n;
      else if (taken <= limit) within += n;
    }
    return { responded, within, uncounted };
  }

  /** Representations of the monitored kinds received from `from` to `to`, by month (`YYYY-MM`) and kind. */
  async receivedByMonth(from: IsoDate, to: IsoDate): Promise<{ month: string; kind: MonitoredKind; n: number }[]> {
    // Counted by day, in the order of the index (no sort of the year's entries), and the
    // days added up to months here.
    const rows = await this.db
      .selectFrom('representation as r')
      .where('r.received_on', '>=', from)
      .where('r.received_on', '<=', to)
      .where('r.kind', 'in', [...MONITORED_KINDS])
      .select((eb) => ['r.received_on', 'r.kind', eb.fn.countAll().as('n')])
      .groupBy(['r.received_on', 'r.kind'])
      .execute();
    const byMonth = new Map<string, { month: string; kind: MonitoredKind; n: number }>();
    for (const row of rows) {
      const month = row.received_on.slice(0, 7);
      const key = `${month} ${row.kind}`;
      const entry = byMonth.get(key);
      if (entry === undefined) byMonth.set(key, { month, kind: row.kind as MonitoredKind, n: count(row.n) });
      else entry.n += count(row.n);
    }
    return [...byMonth.values()];
  }
}

function takenOrUndefined(calendar: WorkingDayCalendar, received: IsoDate, responded: IsoDate, rule: ReceiptRule): number | undefined {
  try {
    return workingDaysTaken(calendar, received, responded, rule);
  } catch (error) {
    if (error instanceof DomainError) return undefined;
    throw error;
  }
}
