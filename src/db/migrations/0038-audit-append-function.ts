import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * PostgreSQL only: `audit_append`, which appends one audit entry to the chain in one call — takes
 * the chain's lock (held to the end of the transaction), reads the head and writes the row with
 * its hash, the SHA-256 of the head's hash, a newline and the row's canonical text (given, as
 * src/db/audit-chain.ts writes it), exactly as that file computes it.
 *
 * An audited page view was a transaction of five statements (begin, lock, head, insert,
 * commit) with the lock held across the round trips between them; under load, for as long as
 * the process took to come back to it (issue #16). Each statement inside the function reads
 * with a fresh snapshot, so the head it reads is the one the last holder of the lock wrote.
 */
export const auditAppendFunction: Migration = {
  name: '0038-audit-append-function',
  async up(trx, engine) {
    if (engine !== 'postgres') return;
    await sql`create function audit_append(
        chain_lock integer, genesis text, canonical text,
        p_occurred_at text, p_user_id integer, p_action text, p_entity_type text, p_entity_id text, p_ip text, p_request_id text, p_details text
      ) returns void language plpgsql as $$
      declare
        head text;
      begin
        perform pg_advisory_xact_lock(chain_lock, hashtext(current_schema()));
        select e.hash into head from audit_event e where e.hash is not null order by e.id desc limit 1;
        head := coalesce(head, genesis);
        insert into audit_event (occurred_at, user_id, action, entity_type, entity_id, ip, request_id, details, prev_hash, hash)
          values (p_occurred_at, p_user_id, p_action, p_entity_type, p_entity_id, p_ip, p_request_id, p_details, head,
            encode(sha256(convert_to(head || E'\\n' || canonical, 'UTF8')), 'hex'));
      end
    $$`.execute(trx);
  },
};
