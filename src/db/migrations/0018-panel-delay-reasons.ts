import type { Migration } from '../migrator.ts';

/**
 * The reasons a review panel met after its due date (30 working days from the Stage 3
 * request), kept apart from `delay_reasons` — the reasons for a late council response — so
 * that recording one never overwrites the other. Comma-separated delay reason codes; null
 * when the panel met in time, and for meetings recorded before this column existed.
 */
export const panelDelayReasons: Migration = {
  name: '0018-panel-delay-reasons',
  async up(trx) {
    await trx.schema.alterTable('stage3').addColumn('panel_delay_reasons', 'varchar(400)').execute();
  },
};
