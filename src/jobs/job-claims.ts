/**
 * Runs of scheduled jobs claimed in the database, so a job ticking in several processes runs
 * once per period: the first process to insert the `(job, period)` row runs it; the others'
 * inserts conflict and they skip. Works the same on SQLite and PostgreSQL. Claims older than
 * a week are deleted as new ones are made.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

const KEEP_MS = 7 * 24 * 60 * 60_000;

export class JobClaims {
  constructor(private readonly db: Kysely<Database>) {}

  /** True when `by` is the first to claim `job` for `period` (and so must run it). */
  async claim(job: string, period: string, by: string, now: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('job_run')
      .values({ job, period, claimed_by: by.slice(0, 120), claimed_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['job', 'period']).doNothing())
      .executeTakeFirst();
    const isClaimed = (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    if (isClaimed) {
      await this.db
        .deleteFrom('job_run')
        .where('job', '=', job)
        .where('claimed_at', '<', new Date(now.getTime() - KEEP_MS).toISOString())
        .execute();
    }
    return isClaimed;
  }
}
