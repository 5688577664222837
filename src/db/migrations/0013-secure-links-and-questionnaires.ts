import type { Migration } from '../migrator.ts';
import { TIMESTAMP, withId } from './helpers.ts';

/**
 * Secure links sent to complainants (src/domain/links/secure-link.ts): only the SHA-256 of
 * each link's token is kept. And the satisfaction questionnaire sent after a complaint is
 * closed: one a representation, its answers as columns so that the yearly
 * summary is counted in SQL.
 */
export const secureLinksAndQuestionnaires: Migration = {
  name: '0013-secure-links-and-questionnaires',
  async up(trx, engine) {
    await withId(trx.schema.createTable('secure_link'), engine)
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('purpose', 'varchar(40)', (c) => c.notNull())
      .addColumn('representation_id', 'integer', (c) => c.notNull().references('representation.id'))
      .addColumn('expires_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('used_at', TIMESTAMP)
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('secure_link_rep_purpose_idx').on('secure_link').columns(['representation_id', 'purpose']).execute();

    await withId(trx.schema.createTable('questionnaire'), engine)
      .addColumn('representation_id', 'integer', (c) => c.notNull().unique().references('representation.id'))
      .addColumn('link_id', 'integer', (c) => c.notNull().references('secure_link.id'))
      .addColumn('reminder_link_id', 'integer', (c) => c.references('secure_link.id'))
      .addColumn('recipient_kind', 'varchar(20)', (c) => c.notNull())
      .addColumn('sent_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('reminder_sent_at', TIMESTAMP)
      .addColumn('answered_at', TIMESTAMP)
      .addColumn('answer_ease', 'integer')
      .addColumn('answer_kept_informed', 'integer')
      .addColumn('answer_timeliness', 'integer')
      .addColumn('answer_listened', 'integer')
      .addColumn('answer_comments', 'varchar(2000)')
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('questionnaire_sent_idx').on('questionnaire').column('sent_at').execute();
  },
};
