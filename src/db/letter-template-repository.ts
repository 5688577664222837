/**
 * A council's letter wording: one row a letter once it has been edited (subject and body
 * null while the shipped default is in use) and every saved version in
 * `letter_template_revision`. Saves are guarded by the row's version (0: no row yet).
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface StoredLetterTemplate {
  readonly key: string;
  /** Null: the shipped default is in use. */
  readonly subject: string | null;
  readonly body: string | null;
  readonly version: number;
  readonly updatedBy: string | null;
  readonly updatedAt: string;
}

export interface LetterTemplateRevision {
  readonly version: number;
  readonly change: string;
  readonly subject: string | null;
  readonly body: string | null;
  readonly userName: string | null;
  readonly createdAt: string;
}

export class LetterTemplateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async all(): Promise<StoredLetterTemplate[]> {
    const rows = await this.select().orderBy('t.letter_key').execute();
    return rows.map(toStored);
  }

  async find(key: string): Promise<StoredLetterTemplate | undefined> {
    const row = await this.select().where('t.letter_key', '=', key).executeTakeFirst();
    return row === undefined ? undefined : toStored(row);
  }

  /**
   * Writes the wording (null, null: back to the default) if the letter is still at
   * `expectedVersion` (0 when it has never been saved); false if someone saved meanwhile.
   * Returns the new version.
   */
  async save(key: string, text: { subject: string | null; body: string | null }, expectedVersion: number, userId: number | null, now: string): Promise<number | undefined> {
    if (expectedVersion === 0) {
      const inserted = await this.db
        .insertInto('letter_template')
        .values({ letter_key: key, subject: text.subject, body: text.body, version: 1, updated_by: userId, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('letter_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted === undefined ? undefined : 1;
    }
    const updated = await this.db
      .updateTable('letter_template')
      .set({ subject: text.subject, body: text.body, version: expectedVersion + 1, updated_by: userId, updated_at: now })
      .where('letter_key', '=', key)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return updated.numUpdatedRows > 0n ? expectedVersion + 1 : undefined;
  }

  async addRevision(key: string, revision: { version: number; change: string; subject: string | null; body: string | null; userId: number | null }, now: string): Promise<void> {
    await this.db
      .insertInto('letter_template_revision')
      .values({ letter_key: key, version: revision.version, change: revision.change, subject: revision.subject, body: revision.body, user_id: revision.userId, created_at: now })
      .execute();
  }

  /** The letter's saved versions, newest first. */
  async revisions(key: string, limit = 20): Promise<LetterTemplateRevision[]> {
    const rows = await this.db
      .selectFrom('letter_template_revision as r')
      .leftJoin('app_user as u', 'u.id', 'r.user_id')
      .select(['r.version', 'r.change', 'r.subject', 'r.body', 'u.name as user_name', 'r.created_at'])
      .where('r.letter_key', '=', key)
      .orderBy('r.version', 'desc')
      .orderBy('r.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ version: r.version, change: r.change, subject: r.subject, body: r.body, userName: r.user_name, createdAt: r.created_at }));
  }

  private select() {
    return this.db
      .selectFrom('letter_template as t')
      .leftJoin('app_user as u', 'u.id', 't.updated_by')
      .select(['t.letter_key', 't.subject', 't.body', 't.version', 'u.name as user_name', 't.updated_at']);
  }
}

function toStored(row: { letter_key: string; subject: string | null; body: string | null; version: number; user_name: string | null; updated_at: string }): StoredLetterTemplate {
  return { key: row.letter_key, subject: row.subject, body: row.body, version: row.version, updatedBy: row.user_name, updatedAt: row.updated_at };
}
