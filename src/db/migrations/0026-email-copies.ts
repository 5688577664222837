import type { Migration } from '../migrator.ts';
import { TIMESTAMP, withId } from './helpers.ts';

/**
 * Copies of the emails that the `log` transport (development, demo and tests only: production
 * refuses it) would have sent, whole — subject, body and secure links — so that someone trying
 * Redress can read them on the Emails page and follow their links.
 */
export const emailCopies: Migration = {
  name: '0026-email-copies',
  async up(trx, engine) {
    await withId(trx.schema.createTable('email_copy'), engine)
      .addColumn('outbox_id', 'integer')
      .addColumn('template_key', 'varchar(60)', (c) => c.notNull())
      .addColumn('recipient', 'varchar(320)', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('recorded_at', TIMESTAMP, (c) => c.notNull())
      .execute();
  },
};
