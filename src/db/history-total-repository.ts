import type { Kysely } from 'kysely';
import type { Database, HistoryTotalTable } from './schema.ts';
import type { HistoryFigure, HistoryTotals } from '../domain/interchange/history-totals.ts';

const COLUMNS = {
  childrenStatutory: 'children_statutory',
  informal: 'informal',
  corporate: 'corporate',
  compliments: 'compliments',
  newReferrals: 'new_referrals',
  casesWorked: 'cases_worked',
} as const satisfies Record<HistoryFigure, keyof HistoryTotalTable>;

type Row = Pick<HistoryTotalTable, 'year' | (typeof COLUMNS)[HistoryFigure]> & { version: number };

function toTotals(row: Row): HistoryTotals {
  const n = (value: number | null): number | null => value;
  return {
    year: row.year,
    version: row.version,
    childrenStatutory: n(row.children_statutory),
    informal: n(row.informal),
    corporate: n(row.corporate),
    compliments: n(row.compliments),
    newReferrals: n(row.new_referrals),
    casesWorked: n(row.cases_worked),
  };
}

/** Yearly totals entered by hand, one row a reporting year. */
export class HistoryTotalRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<HistoryTotals[]> {
    const rows = await this.db.selectFrom('history_total').selectAll().orderBy('year').execute();
    return rows.map(toTotals);
  }

  async find(year: number): Promise<HistoryTotals | undefined> {
    const row = await this.db.selectFrom('history_total').selectAll().where('year', '=', year).executeTakeFirst();
    return row && toTotals(row);
  }

  /** The years from `from` to `to`, oldest first. */
  async between(from: number, to: number): Promise<HistoryTotals[]> {
    const rows = await this.db.selectFrom('history_total').selectAll().where('year', '>=', from).where('year', '<=', to).orderBy('year').execute();
    return rows.map(toTotals);
  }

  /**
   * Sets the figures given (others kept) for `year`, creating its row; with `expectedVersion`
   * only if the row is still at it (a new row: 0). Returns false when it was not.
   */
  async save(year: number, figures: Partial<Record<HistoryFigure, number | null>>, userId: number | null, now: string, expectedVersion?: number): Promise<boolean> {
    const values: Partial<Record<(typeof COLUMNS)[HistoryFigure], number | null>> = {};
    for (const [figure, column] of Object.entries(COLUMNS) as [HistoryFigure, (typeof COLUMNS)[HistoryFigure]][]) {
      const value = figures[figure];
      if (value !== undefined) values[column] = value;
    }
    const existing = await this.find(year);
    if (existing === undefined) {
      if (expectedVersion !== undefined && expectedVersion !== 0) return false;
      await this.db
        .insertInto('history_total')
        .values({ year, children_statutory: null, informal: null, corporate: null, compliments: null, new_referrals: null, cases_worked: null, ...values, updated_by: userId, created_at: now, updated_at: now })
        .execute();
      return true;
    }
    if (expectedVersion !== undefined && expectedVersion !== existing.version) return false;
    const result = await this.db
      .updateTable('history_total')
      .set({ ...values, version: existing.version + 1, updated_by: userId, updated_at: now })
      .where('year', '=', year)
      .where('version', '=', existing.version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
