import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';
import { TIMESTAMP } from './helpers.ts';

/**
 * The council's settings (one row a setting, its value as JSON), and the receipt rule on
 * every clock. Until now every clock counted day 0 as the next working day for something
 * received on a non-working day; each clock keeps the rule it started under, so the clocks
 * already running say so in their events, and their due dates stay as they were. New clocks
 * take the council's `receiptRule` setting (by default the 2006 Regulations' reading: day 0
 * is the day of receipt, whatever day it is).
 *
 * A representation also keeps the rule it was received under (`receipt_rule`), the rule of
 * its Stage 1 clock, so that reports can count working days taken in SQL without reading
 * the clocks' events.
 *
 * Stage 2 records how it began when there was no Stage 1 response (`route`: past the Stage 1
 * deadline, or by agreement on `agreed_on`).
 */
export const councilSettingsAndReceiptRule: Migration = {
  name: '0017-council-settings-and-receipt-rule',
  async up(trx) {
    await trx.schema
      .createTable('council_setting')
      .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.alterTable('representation').addColumn('receipt_rule', 'varchar(20)', (c) => c.notNull().defaultTo('statutory')).execute();
    await trx.updateTable('representation').set({ receipt_rule: 'next_working_day' }).execute();
    await trx.schema.alterTable('stage2').addColumn('route', 'varchar(20)').execute();
    await trx.schema.alterTable('stage2').addColumn('agreed_on', 'varchar(10)').execute();
    // Events are a JSON object: put the rule first.
    await sql`update clock set events = '{"receiptRule":"next_working_day",' || substr(events, 2) where events like '{%' and events not like '%"receiptRule"%'`.execute(trx);
  },
};
