import type { Migration } from '../migrator.ts';
import { TIMESTAMP, withId } from './helpers.ts';

/**
 * Submissions from the public front door (`/contact-us`). Each is a representation with
 * status `awaiting_registration`; beside it, in its own table rather than as columns on
 * `representation` (which every staff-registered case would carry empty), what the person
 * typed, exactly as they answered (JSON as text), and the idempotency key their journey was
 * given when it started.
 *
 * The row is written first in the submitting transaction, before any reference is taken: the
 * unique key makes a second submit with the same key (a double click, a refresh, a retry)
 * wait for the first and then find it, so it creates nothing and uses up no reference
 * number. `representation_id` is filled in at the end of that same transaction.
 */
export const publicSubmissions: Migration = {
  name: '0009-public-submissions',
  async up(trx, engine) {
    await withId(trx.schema.createTable('public_submission'), engine)
      .addColumn('idempotency_key', 'varchar(100)', (c) => c.notNull().unique())
      .addColumn('representation_id', 'integer', (c) => c.references('representation.id').onDelete('cascade').unique())
      /** `young` (the children and young people's route) or `adult`. */
      .addColumn('audience', 'varchar(10)', (c) => c.notNull())
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();
  },
};
