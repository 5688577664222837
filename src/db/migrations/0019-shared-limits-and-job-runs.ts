import type { Migration } from '../migrator.ts';
import { TIMESTAMP } from './helpers.ts';

/**
 * State that several app processes on one database must share: fixed-window rate-limit
 * counters (one row per limit, key and window; expired windows are deleted by housekeeping)
 * and the claim of each scheduled job's run for a period, so that a job ticking in several
 * processes in the same period runs once.
 */
export const sharedLimitsAndJobRuns: Migration = {
  name: '0019-shared-limits-and-job-runs',
  async up(trx) {
    await trx.schema
      .createTable('rate_limit_counter')
      .addColumn('bucket', 'varchar(300)', (c) => c.primaryKey())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('window_ends_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('rate_limit_counter_ends_idx').on('rate_limit_counter').column('window_ends_at').execute();

    await trx.schema
      .createTable('job_run')
      .addColumn('job', 'varchar(100)', (c) => c.notNull())
      .addColumn('period', 'varchar(40)', (c) => c.notNull())
      .addColumn('claimed_by', 'varchar(120)', (c) => c.notNull())
      .addColumn('claimed_at', TIMESTAMP, (c) => c.notNull())
      .addPrimaryKeyConstraint('job_run_pk', ['job', 'period'])
      .execute();
  },
};
