import type { Migration } from '../migrator.ts';
import { TIMESTAMP, withId } from './helpers.ts';

/**
 * The notification outbox: each email to send is a row, written in the same transaction as
 * the change that causes it, then delivered by the outbox worker (src/notify/). The unique
 * idempotency key makes enqueuing twice harmless; the lease (`locked_until`, `locked_by`)
 * lets several processes share the table without sending twice. Beside it, the subject and
 * body an administrator has written in place of a shipped template.
 */
export const notificationOutbox: Migration = {
  name: '0008-notification-outbox',
  async up(trx, engine) {
    await withId(trx.schema.createTable('notification_outbox'), engine)
      .addColumn('idempotency_key', 'varchar(300)', (c) => c.notNull().unique())
      .addColumn('template_key', 'varchar(60)', (c) => c.notNull())
      .addColumn('recipient', 'varchar(320)', (c) => c.notNull())
      .addColumn('personalisation', 'text', (c) => c.notNull())
      .addColumn('subject_type', 'varchar(40)')
      .addColumn('subject_id', 'integer')
      .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('pending'))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('locked_until', TIMESTAMP)
      .addColumn('locked_by', 'varchar(100)')
      .addColumn('last_error', 'varchar(500)')
      .addColumn('provider_message_id', 'varchar(200)')
      .addColumn('sent_at', TIMESTAMP)
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('notification_outbox_due').on('notification_outbox').columns(['status', 'next_attempt_at']).execute();

    await withId(trx.schema.createTable('notification_template'), engine)
      .addColumn('template_key', 'varchar(60)', (c) => c.notNull().unique())
      .addColumn('subject', 'varchar(300)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .execute();
  },
};
