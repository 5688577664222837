import type { Migration } from '../migrator.ts';

/**
 * Whose a staged public upload is: a hash of the client's address, kept only while the file is
 * staged (cleared when the message is sent; the file itself goes after a day unsent), so that
 * every process counts one sender's staged bytes against the same limit.
 */
export const stagedUploadSource: Migration = {
  name: '0031-staged-upload-source',
  async up(trx) {
    await trx.schema.alterTable('attachment').addColumn('staged_source', 'varchar(64)').execute();
    await trx.schema.createIndex('attachment_staged_source_idx').on('attachment').column('staged_source').execute();
  },
};
