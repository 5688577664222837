/**
 * The audit trail's hash chain. Each row's `hash` is the SHA-256 of the previous row's hash
 * and a canonical serialisation of the row's own fields, so that a row changed or removed
 * behind the database triggers' back (which refuse UPDATE and DELETE) breaks the chain at
 * that row. `prev_hash` repeats the previous row's hash, so a verifier can say which link
 * broke. The first row follows GENESIS_HASH. See docs/adr/0014-audit-trail-and-subject-access.md.
 */
import { createHash } from 'node:crypto';

/** What the first entry of the trail follows. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit row that its hash covers, as stored. */
export interface ChainedFields {
  readonly occurred_at: string;
  readonly user_id: number | null;
  readonly action: string;
  readonly entity_type: string;
  readonly entity_id: string | null;
  readonly ip: string | null;
  readonly request_id: string | null;
  readonly details: string | null;
}

/** The canonical text of a row: a JSON array of its fields in a fixed order. */
export function canonicalAuditText(row: ChainedFields): string {
  return JSON.stringify([row.occurred_at, row.user_id, row.action, row.entity_type, row.entity_id, row.ip, row.request_id, row.details]);
}

export function auditHash(prevHash: string, row: ChainedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalAuditText(row)).digest('hex');
}

/** Why a link of the chain is broken, in words, or undefined when it holds. */
export function brokenLink(expectedPrev: string, row: ChainedFields & { readonly prev_hash: string | null; readonly hash: string | null }): string | undefined {
  if (row.hash === null || row.prev_hash === null) return 'it has no hash: it was written without the chain';
  if (row.prev_hash !== expectedPrev) return 'it does not follow the entry before it: an entry was removed, added or reordered';
  if (auditHash(row.prev_hash, row) !== row.hash) return 'its contents do not match its hash: it was changed after it was written';
  return undefined;
}
