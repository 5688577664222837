import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';
import { TIMESTAMP, withId } from './helpers.ts';

/** Organisation, users and roles, sessions, sign-in throttling and the audit trail. */
export const foundation: Migration = {
  name: '0001-foundation',
  async up(trx, engine) {
    const schema = trx.schema;
    await withId(schema.createTable('directorate'), engine)
      .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
      .execute();

    await withId(schema.createTable('service_area'), engine)
      .addColumn('directorate_id', 'integer', (c) => c.notNull().references('directorate.id'))
      .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
      .execute();

    await withId(schema.createTable('team'), engine)
      .addColumn('service_area_id', 'integer', (c) => c.notNull().references('service_area.id'))
      .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
      .addColumn('kind', 'varchar(20)', (c) => c.notNull().check(sql`kind in ('internal', 'residential_home', 'commissioned')`))
      .addColumn('public_alias', 'varchar(50)', (c) => c.unique())
      .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .addCheckConstraint('team_alias_only_for_homes', sql`public_alias is null or kind = 'residential_home'`)
      .execute();

    await withId(schema.createTable('app_user'), engine)
      .addColumn('email', 'varchar(320)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('password_hash', 'varchar(200)', (c) => c.notNull())
      .addColumn('team_id', 'integer', (c) => c.references('team.id'))
      .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .execute();

    await schema
      .createTable('user_role')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('role', 'varchar(40)', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_role_pk', ['user_id', 'role'])
      .execute();

    await schema
      .createTable('session')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('last_seen_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('expires_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await schema.createIndex('session_user_idx').on('session').column('user_id').execute();

    await withId(schema.createTable('sign_in_failure'), engine)
      .addColumn('account_key', 'varchar(64)', (c) => c.notNull())
      .addColumn('failed_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await schema.createIndex('sign_in_failure_key_idx').on('sign_in_failure').columns(['account_key', 'failed_at']).execute();

    await withId(schema.createTable('audit_event'), engine)
      .addColumn('occurred_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('app_user.id'))
      .addColumn('action', 'varchar(80)', (c) => c.notNull())
      .addColumn('entity_type', 'varchar(40)', (c) => c.notNull())
      .addColumn('entity_id', 'varchar(80)')
      .addColumn('ip', 'varchar(64)')
      .addColumn('request_id', 'varchar(64)')
      .addColumn('details', 'text')
      .execute();
    await schema.createIndex('audit_event_entity_idx').on('audit_event').columns(['entity_type', 'entity_id']).execute();
  },
};
