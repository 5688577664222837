import type { Migration } from '../migrator.ts';
import { TIMESTAMP } from './helpers.ts';

/**
 * The notification outbox keeps trying a message for 48 hours from its first failure:
 * `failing_since` records when that was (null while it has not failed, or after it is sent
 * or put back by hand). The index finds the oldest unsent message and counts each status
 * cheaply, for the dashboard and /metrics.
 */
export const outboxRetryWindow: Migration = {
  name: '0025-outbox-retry-window',
  async up(trx) {
    await trx.schema.alterTable('notification_outbox').addColumn('failing_since', TIMESTAMP).execute();
    await trx.schema.createIndex('notification_outbox_status_created').on('notification_outbox').columns(['status', 'created_at']).execute();
  },
};
