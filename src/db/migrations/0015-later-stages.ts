import type { Migration } from '../migrator.ts';
import { DATE, TIMESTAMP, withId } from './helpers.ts';

/**
 * Stages 2 and 3: the request for each (with the decision on a late one),
 * the Stage 2 statement of complaint as numbered points with a finding each, the people
 * appointed (investigating officer, Independent Person, panel members with their
 * independence declarations), the adjudication and costs, and the review panel's meeting,
 * recommendations and the council's response. A representation has at most one of each stage.
 */
export const laterStages: Migration = {
  name: '0015-later-stages',
  async up(trx, engine) {
    for (const stage of ['stage2', 'stage3'] as const) {
      let table = withId(trx.schema.createTable(stage), engine)
        .addColumn('representation_id', 'integer', (c) => c.notNull().unique().references('representation.id'))
        .addColumn('state', 'varchar(30)', (c) => c.notNull())
        .addColumn('requested_on', DATE, (c) => c.notNull())
        .addColumn('window_ends_on', DATE, (c) => c.notNull())
        .addColumn('is_late', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('late_outcome', 'varchar(20)')
        .addColumn('late_reason', 'varchar(4000)')
        .addColumn('late_decided_on', DATE)
        .addColumn('acknowledged_on', DATE)
        .addColumn('responded_on', DATE)
        .addColumn('withdrawn_on', DATE)
        .addColumn('delay_reasons', 'varchar(400)');
      table =
        stage === 'stage2'
          ? table
              .addColumn('statement_agreed_on', DATE)
              .addColumn('report_received_on', DATE)
              .addColumn('adjudicated_by', 'integer', (c) => c.references('app_user.id'))
              .addColumn('finding', 'varchar(40)')
              .addColumn('cost_investigator_pence', 'integer')
              .addColumn('cost_independent_person_pence', 'integer')
              .addColumn('cost_other_pence', 'integer')
          : table
              .addColumn('panel_met_on', DATE)
              .addColumn('attendees', 'varchar(4000)')
              .addColumn('recommendations_received_on', DATE)
              .addColumn('recommendations', 'varchar(8000)')
              .addColumn('independent_person_consulted_on', DATE);
      await table
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
        .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
        .execute();
      await trx.schema.createIndex(`${stage}_requested_idx`).on(stage).column('requested_on').execute();
      await trx.schema.createIndex(`${stage}_responded_idx`).on(stage).column('responded_on').execute();
    }

    await withId(trx.schema.createTable('complaint_point'), engine)
      .addColumn('representation_id', 'integer', (c) => c.notNull().references('representation.id'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('text', 'varchar(4000)', (c) => c.notNull())
      .addColumn('finding', 'varchar(40)')
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addUniqueConstraint('complaint_point_rep_number_uq', ['representation_id', 'number'])
      .execute();

    await withId(trx.schema.createTable('appointment'), engine)
      .addColumn('representation_id', 'integer', (c) => c.notNull().references('representation.id'))
      .addColumn('stage', 'integer', (c) => c.notNull())
      .addColumn('role', 'varchar(30)', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('app_user.id'))
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('is_external', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('is_chair', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('declarations', 'varchar(400)')
      .addColumn('declared_on', DATE)
      .addColumn('appointed_on', DATE, (c) => c.notNull())
      .addColumn('ended_on', DATE)
      .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('appointment_rep_idx').on('appointment').column('representation_id').execute();
    await trx.schema.createIndex('appointment_user_idx').on('appointment').columns(['user_id', 'ended_on']).execute();
  },
};
