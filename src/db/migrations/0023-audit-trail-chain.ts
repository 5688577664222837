import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';
import { GENESIS_HASH, auditHash } from '../audit-chain.ts';

const BATCH = 5000;

/**
 * Makes the audit trail tamper-evident: every row gets `prev_hash` and `hash` (the hash chain
 * of src/db/audit-chain.ts, backfilled here for the rows already written, in id order), and
 * triggers on both engines refuse any UPDATE or DELETE of a row (and, on PostgreSQL, a
 * TRUNCATE). Indexes serve the information governance audit page's filters.
 */
export const auditTrailChain: Migration = {
  name: '0023-audit-trail-chain',
  async up(trx, engine) {
    await trx.schema.alterTable('audit_event').addColumn('prev_hash', 'varchar(64)').execute();
    await trx.schema.alterTable('audit_event').addColumn('hash', 'varchar(64)').execute();

    let prev = GENESIS_HASH;
    let after = 0;
    for (;;) {
      const rows = await trx.selectFrom('audit_event').selectAll().where('id', '>', after).orderBy('id').limit(BATCH).execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const hash = auditHash(prev, row);
        await trx.updateTable('audit_event').set({ prev_hash: prev, hash }).where('id', '=', row.id).execute();
        prev = hash;
        after = row.id;
      }
    }

    await trx.schema.createIndex('audit_event_user_idx').on('audit_event').columns(['user_id', 'id']).execute();
    await trx.schema.createIndex('audit_event_occurred_idx').on('audit_event').columns(['occurred_at', 'id']).execute();

    if (engine === 'postgres') {
      await sql`create function audit_event_append_only() returns trigger language plpgsql as $$
        begin
          raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
        end
      $$`.execute(trx);
      await sql`create trigger audit_event_no_update before update or delete on audit_event for each row execute function audit_event_append_only()`.execute(trx);
      await sql`create trigger audit_event_no_truncate before truncate on audit_event for each statement execute function audit_event_append_only()`.execute(trx);
    } else {
      await sql`create trigger audit_event_no_update before update on audit_event begin select raise(abort, 'audit_event is append-only: UPDATE refused'); end`.execute(trx);
      await sql`create trigger audit_event_no_delete before delete on audit_event begin select raise(abort, 'audit_event is append-only: DELETE refused'); end`.execute(trx);
    }
  },
};
