import type { Migration } from '../migrator.ts';
import { TIMESTAMP, withId } from './helpers.ts';

/**
 * Attachments: files kept for a record (a public submission's files now, other documents
 * later), described here and stored on disk under a random `storage_key` (never the name).
 *
 * A file sent from the public pages is first *staged*: `subject_id` null and `staging_key`
 * the journey's idempotency key. Sending the journey moves it, in the submitting transaction,
 * to its representation (`subject_type` 'representation', `subject_id` its id, `staging_key`
 * null); staged files never sent are removed by the clean-up after a day.
 */
export const submissionAttachments: Migration = {
  name: '0011-submission-attachments',
  async up(trx, engine) {
    await withId(trx.schema.createTable('attachment'), engine)
      .addColumn('subject_type', 'varchar(40)', (c) => c.notNull())
      .addColumn('subject_id', 'integer')
      .addColumn('staging_key', 'varchar(100)')
      .addColumn('file_name', 'varchar(400)', (c) => c.notNull())
      .addColumn('media_type', 'varchar(100)', (c) => c.notNull())
      .addColumn('size_bytes', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('storage_key', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('attachment_subject_idx').on('attachment').columns(['subject_type', 'subject_id']).execute();
    await trx.schema.createIndex('attachment_staging_idx').on('attachment').columns(['staging_key', 'created_at']).execute();
    // The same file uploaded twice on one journey (a refresh, a double click) is kept once. Rows that are no longer staged have a null key, which both engines leave out of unique checks.
    await trx.schema.createIndex('attachment_staged_content_idx').on('attachment').columns(['staging_key', 'sha256']).unique().execute();
  },
};
