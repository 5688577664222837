/**
 * Emails that carry a secure link (src/app/secure-link-service.ts). The outbox message holds
 * the link's id (`secure_link_id`), never its token; as the worker sends the email it gives
 * the link a fresh token and fills `link_url` with the address. So the token exists only in
 * the email sent — a retry after a failed attempt sends a new one, and the old one stops
 * working.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { freshToken } from '../app/secure-link-service.ts';
import type { Personalisation } from './templates.ts';

/** The personalisation key holding the link's id. */
export const SECURE_LINK_ID = 'secure_link_id';
/** The placeholder the address goes in. */
export const LINK_URL = 'link_url';

export class LinkNoLongerValid extends Error {
  constructor() {
    super('the secure link is used or expired');
  }
}

/** `values` with `link_url` filled from a fresh token for its `secure_link_id` (unchanged when it has none). */
export async function withSecureLinkUrl(db: Kysely<Database>, values: Personalisation, baseUrl: string, now: Date): Promise<Personalisation> {
  const id = values[SECURE_LINK_ID];
  if (typeof id !== 'number') return values;
  const issued = await freshToken(db, id, now);
  if (issued === undefined) throw new LinkNoLongerValid();
  const rest: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(values)) if (key !== SECURE_LINK_ID) rest[key] = value;
  return { ...rest, [LINK_URL]: `${baseUrl}${issued.path}` };
}
