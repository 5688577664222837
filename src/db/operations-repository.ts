/**
 * Figures about the running service for /metrics, each a cheap query on an index: open
 * time limits past their due date (clock_open_due_idx). Counts only, never records.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export class OperationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Open clocks whose due date is before `today`, by procedure. */
  async overdueClocks(today: string): Promise<{ procedure: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('clock')
      .select((eb) => ['procedure_kind', eb.fn.countAll<number>().as('n')])
      .where('is_open', '=', 1)
      .where('due_on', '<', today)
      .groupBy('procedure_kind')
      .execute();
    return rows.map((r) => ({ procedure: r.procedure_kind, n: r.n }));
  }
}
