import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';
import { DATE, TIMESTAMP, withId } from './helpers.ts';

/**
 * Representations (complaints, comments, compliments …) and what is recorded with
 * them: the young person, the complainant and advocate, multi-valued codes (issues, remedies,
 * delay reasons), eligibility decisions, advocacy offers and notes. One contact about several
 * teams is one `contact` with one representation per team.
 */
export const representations: Migration = {
  name: '0003-representations',
  async up(trx, engine) {
    const schema = trx.schema;

    await schema
      .createTable('reference_sequence')
      .addColumn('prefix', 'varchar(3)', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('last_number', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('reference_sequence_pk', ['prefix', 'year'])
      .execute();

    await withId(schema.createTable('young_person'), engine)
      .addColumn('external_id', 'varchar(60)', (c) => c.notNull().unique())
      .addColumn('date_of_birth', DATE)
      .addColumn('ethnicity', 'varchar(4)')
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .execute();

    await withId(schema.createTable('person'), engine)
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('email', 'varchar(320)')
      .addColumn('phone', 'varchar(40)')
      .addColumn('address', 'varchar(1000)')
      .addColumn('preferred_contact', 'varchar(20)')
      .addColumn('reasonable_adjustments', 'varchar(2000)')
      .addColumn('organisation', 'varchar(200)')
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .execute();

    await withId(schema.createTable('contact'), engine)
      .addColumn('received_on', DATE, (c) => c.notNull())
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();

    await withId(schema.createTable('representation'), engine)
      .addColumn('reference', 'varchar(20)', (c) => c.notNull().unique())
      .addColumn('contact_id', 'integer', (c) => c.notNull().references('contact.id'))
      .addColumn('kind', 'varchar(30)', (c) => c.notNull())
      .addColumn('status', 'varchar(30)', (c) => c.notNull())
      .addColumn('stage', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('received_on', DATE, (c) => c.notNull())
      .addColumn('event_on', DATE)
      .addColumn('channel', 'varchar(20)')
      .addColumn('is_via_complaints_team', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('team_id', 'integer', (c) => c.references('team.id'))
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('young_person_id', 'integer', (c) => c.references('young_person.id'))
      .addColumn('complainant_id', 'integer', (c) => c.references('person.id'))
      .addColumn('complainant_role', 'varchar(30)')
      .addColumn('advocate_id', 'integer', (c) => c.references('person.id'))
      .addColumn('responder_user_id', 'integer', (c) => c.references('app_user.id'))
      .addColumn('acknowledged_on', DATE)
      .addColumn('responded_on', DATE)
      .addColumn('finding', 'varchar(40)')
      .addColumn('withdrawn_on', DATE)
      .addColumn('closed_on', DATE)
      .addColumn('agency', 'varchar(200)')
      .addColumn('forwarded_on', DATE)
      .addColumn('compliment_source', 'varchar(30)')
      .addColumn('worker_name', 'varchar(200)')
      .addColumn('has_consent_to_quote', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('informal_reason', 'text')
      .addColumn('reply', 'text')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .addCheckConstraint('representation_stage_check', sql`stage between 1 and 3`)
      .execute();
    await schema.createIndex('representation_received_idx').on('representation').columns(['received_on', 'kind']).execute();
    await schema.createIndex('representation_status_idx').on('representation').columns(['status', 'team_id']).execute();
    await schema.createIndex('representation_contact_idx').on('representation').column('contact_id').execute();
    await schema.createIndex('representation_young_person_idx').on('representation').column('young_person_id').execute();
    await schema.createIndex('representation_responder_idx').on('representation').column('responder_user_id').execute();

    await schema
      .createTable('representation_code')
      .addColumn('representation_id', 'integer', (c) => c.notNull().references('representation.id').onDelete('cascade'))
      .addColumn('list', 'varchar(20)', (c) => c.notNull().check(sql`list in ('issue', 'remedy', 'delay_reason')`))
      .addColumn('code', 'varchar(60)', (c) => c.notNull())
      .addPrimaryKeyConstraint('representation_code_pk', ['representation_id', 'list', 'code'])
      .execute();
    await schema.createIndex('representation_code_list_idx').on('representation_code').columns(['list', 'code']).execute();

    await withId(schema.createTable('eligibility_decision'), engine)
      .addColumn('representation_id', 'integer', (c) => c.notNull().references('representation.id').onDelete('cascade'))
      .addColumn('kind', 'varchar(40)', (c) => c.notNull())
      .addColumn('outcome', 'varchar(40)', (c) => c.notNull())
      .addColumn('reason', 'varchar(4000)', (c) => c.notNull())
      .addColumn('decided_on', DATE, (c) => c.notNull())
      .addColumn('decided_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await schema.createIndex('eligibility_decision_rep_idx').on('eligibility_decision').column('representation_id').execute();

    await withId(schema.createTable('advocacy_offer'), engine)
      .addColumn('representation_id', 'integer', (c) => c.notNull().references('representation.id').onDelete('cascade'))
      .addColumn('stage', 'integer', (c) => c.notNull())
      .addColumn('offered_on', DATE, (c) => c.notNull())
      .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
      .addColumn('provider', 'varchar(200)')
      .addColumn('recorded_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await schema.createIndex('advocacy_offer_rep_idx').on('advocacy_offer').column('representation_id').execute();

    await withId(schema.createTable('case_note'), engine)
      .addColumn('representation_id', 'integer', (c) => c.notNull().references('representation.id').onDelete('cascade'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await schema.createIndex('case_note_rep_idx').on('case_note').column('representation_id').execute();
  },
};
