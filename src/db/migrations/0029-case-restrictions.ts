import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';
import { TIMESTAMP, withId } from './helpers.ts';

/**
 * Restricted cases: a case about a member of staff can exclude named users, or every member of
 * a named team, from it. Each row excludes one user or one team (never both, never neither),
 * with the reason it was added, who added it and when; removing a restriction deletes its row
 * (the case's history and the audit trail keep what happened). Indexed by user, team and case,
 * so that every list can leave out the cases a user is excluded from with a `not exists`.
 */
export const caseRestrictions: Migration = {
  name: '0029-case-restrictions',
  async up(trx, engine) {
    await withId(trx.schema.createTable('case_restriction'), engine)
      .addColumn('representation_id', 'integer', (c) => c.notNull().references('representation.id'))
      .addColumn('user_id', 'integer', (c) => c.references('app_user.id'))
      .addColumn('team_id', 'integer', (c) => c.references('team.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('added_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('added_at', TIMESTAMP, (c) => c.notNull())
      .addCheckConstraint('case_restriction_user_or_team', sql`(user_id is null) <> (team_id is null)`)
      .execute();
    // Unique per case and user, and per case and team (a null user or team never collides).
    await trx.schema.createIndex('case_restriction_representation_user_idx').on('case_restriction').columns(['representation_id', 'user_id']).unique().execute();
    await trx.schema.createIndex('case_restriction_representation_team_idx').on('case_restriction').columns(['representation_id', 'team_id']).unique().execute();
    await trx.schema.createIndex('case_restriction_user_idx').on('case_restriction').column('user_id').execute();
    await trx.schema.createIndex('case_restriction_team_idx').on('case_restriction').column('team_id').execute();
  },
};
