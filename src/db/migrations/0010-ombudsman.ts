import type { Migration } from '../migrator.ts';
import { DATE, TIMESTAMP, withId } from './helpers.ts';

/**
 * The Ombudsman register: enquiries of the Local Government and Social Care
 * Ombudsman about a complaint, their requests for information (each with its own deadline),
 * the decision — fault, injustice, remedies (an apology, an amount in pence, service
 * improvements) — and the council's compliance.
 */
export const ombudsman: Migration = {
  name: '0010-ombudsman',
  async up(trx, engine) {
    await withId(trx.schema.createTable('ombudsman_enquiry'), engine)
      .addColumn('representation_id', 'integer', (c) => c.notNull().references('representation.id'))
      .addColumn('lgsco_reference', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('received_on', DATE, (c) => c.notNull())
      .addColumn('decision', 'varchar(40)')
      .addColumn('decided_on', DATE)
      .addColumn('is_fault', 'integer')
      .addColumn('is_injustice', 'integer')
      .addColumn('remedy_apology', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('remedy_amount_pence', 'integer')
      .addColumn('remedy_service_improvements', 'varchar(4000)')
      .addColumn('compliance_due_on', DATE)
      .addColumn('compliance_done_on', DATE)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('ombudsman_enquiry_rep_idx').on('ombudsman_enquiry').column('representation_id').execute();
    await trx.schema.createIndex('ombudsman_enquiry_received_idx').on('ombudsman_enquiry').column('received_on').execute();

    await withId(trx.schema.createTable('ombudsman_information_request'), engine)
      .addColumn('enquiry_id', 'integer', (c) => c.notNull().references('ombudsman_enquiry.id').onDelete('cascade'))
      .addColumn('requested_on', DATE, (c) => c.notNull())
      .addColumn('due_on', DATE, (c) => c.notNull())
      .addColumn('details', 'varchar(2000)', (c) => c.notNull())
      .addColumn('answered_on', DATE)
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('ombudsman_information_request_enquiry_idx').on('ombudsman_information_request').column('enquiry_id').execute();
  },
};
