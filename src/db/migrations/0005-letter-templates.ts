import type { Migration } from '../migrator.ts';
import { TIMESTAMP, withId } from './helpers.ts';

/**
 * Letter templates an administrator can edit. The shipped wording lives in code
 * (src/domain/letters); `letter_template` holds the council's wording for a letter (subject
 * and body null: the shipped default is in use) with its version for optimistic locking, and
 * `letter_template_revision` keeps every saved version, so an edit is never lost.
 */
export const letterTemplates: Migration = {
  name: '0005-letter-templates',
  async up(trx, engine) {
    await withId(trx.schema.createTable('letter_template'), engine)
      .addColumn('letter_key', 'varchar(60)', (c) => c.notNull().unique())
      .addColumn('subject', 'text')
      .addColumn('body', 'text')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await withId(trx.schema.createTable('letter_template_revision'), engine)
      .addColumn('letter_key', 'varchar(60)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('change', 'varchar(20)', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('body', 'text')
      .addColumn('user_id', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('letter_template_revision_key').on('letter_template_revision').columns(['letter_key', 'version']).execute();
  },
};
