/**
 * Yearly totals entered by hand (src/domain/interchange/history-totals.ts): listed, set (each
 * change audited, before and after — the figures are counts, never personal data), and read
 * by the annual report for its `history` and its context figures.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { HistoryTotalRepository } from '../db/history-total-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { DomainError } from '../domain/errors.ts';
import { checkHistoryYear, hasHistoryCounts, type HistoryFigure, type HistoryTotals } from '../domain/interchange/history-totals.ts';
import type { Actor, Clock } from './clock.ts';

/** The context figures of a report year: null when not entered. */
export interface ReportContext {
  readonly newReferrals: number | null;
  readonly casesWorked: number | null;
}

export class HistoryTotalService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  list(): Promise<HistoryTotals[]> {
    return new HistoryTotalRepository(this.db).list();
  }

  find(year: number): Promise<HistoryTotals | undefined> {
    return new HistoryTotalRepository(this.db).find(checkHistoryYear(year));
  }

  /**
   * Sets the figures given for `year` (those not given are kept). With `expectedVersion`
   * (forms: the version read, 0 for a new year) refuses a change made meanwhile (`stale_update`).
   */
  async set(year: number, figures: Partial<Record<HistoryFigure, number | null>>, actor: Actor, expectedVersion?: number): Promise<HistoryTotals> {
    checkHistoryYear(year);
    const now = this.clock().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const repository = new HistoryTotalRepository(trx);
      const before = await repository.find(year);
      if (!(await repository.save(year, figures, actor.userId, now, expectedVersion))) {
        throw new DomainError('stale_update', 'Someone else changed these totals while you were working on them. Check them, then save again.');
      }
      const after = await repository.find(year);
      if (after === undefined) throw new Error('the totals just saved have gone');
      await new AuditRepository(trx).record(
        { ...actor, action: 'history_totals_set', entityType: 'history_total', entityId: String(year), details: { before: before ?? null, after } },
        now,
      );
      return after;
    });
  }

  /** The totals entered by hand for the four years before `year` with any count, for the annual report's `history`. */
  async manualHistory(year: number): Promise<HistoryTotals[]> {
    const rows = await new HistoryTotalRepository(this.db).between(year - 4, year - 1);
    return rows.filter(hasHistoryCounts);
  }

  /** The context figures entered for `year`. */
  async context(year: number): Promise<ReportContext> {
    const row = await new HistoryTotalRepository(this.db).find(year);
    return { newReferrals: row?.newReferrals ?? null, casesWorked: row?.casesWorked ?? null };
  }
}
