import type { Migration } from '../migrator.ts';
import { DATE, TIMESTAMP, withId } from './helpers.ts';

/**
 * Learning from complaints: lessons, the complaints that raised them, and the
 * actions taken on them — each with an owner (a user, or someone named who has no account),
 * a due date and a status (`open`, `done`, `cancelled`).
 */
export const learning: Migration = {
  name: '0012-learning',
  async up(trx, engine) {
    await withId(trx.schema.createTable('lesson'), engine)
      .addColumn('title', 'varchar(200)', (c) => c.notNull())
      .addColumn('description', 'varchar(4000)', (c) => c.notNull())
      .addColumn('identified_on', DATE, (c) => c.notNull())
      .addColumn('team_id', 'integer', (c) => c.references('team.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('lesson_identified_idx').on('lesson').column('identified_on').execute();
    await trx.schema.createIndex('lesson_team_idx').on('lesson').column('team_id').execute();

    await trx.schema
      .createTable('lesson_representation')
      .addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id').onDelete('cascade'))
      .addColumn('representation_id', 'integer', (c) => c.notNull().references('representation.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addPrimaryKeyConstraint('lesson_representation_pk', ['lesson_id', 'representation_id'])
      .execute();
    await trx.schema.createIndex('lesson_representation_rep_idx').on('lesson_representation').column('representation_id').execute();

    await withId(trx.schema.createTable('learning_action'), engine)
      .addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id').onDelete('cascade'))
      .addColumn('description', 'varchar(2000)', (c) => c.notNull())
      .addColumn('owner_user_id', 'integer', (c) => c.references('app_user.id'))
      .addColumn('owner_name', 'varchar(200)')
      .addColumn('due_on', DATE, (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('open'))
      .addColumn('done_on', DATE)
      .addColumn('cancelled_reason', 'varchar(1000)')
      .addColumn('source', 'varchar(40)', (c) => c.notNull().defaultTo('lesson'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('learning_action_lesson_idx').on('learning_action').column('lesson_id').execute();
    await trx.schema.createIndex('learning_action_status_due_idx').on('learning_action').columns(['status', 'due_on']).execute();
    await trx.schema.createIndex('learning_action_owner_idx').on('learning_action').column('owner_user_id').execute();
  },
};
