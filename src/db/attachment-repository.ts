/** Rows of `attachment` ↔ Attachment: what is known of each stored file (the bytes are on disk). */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** The subject type of a file staged on the public pages, before the journey is sent. */
export const STAGED_SUBJECT = 'public_submission';

export interface Attachment {
  readonly id: number;
  readonly subjectType: string;
  readonly subjectId: number | null;
  readonly fileName: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly storageKey: string;
  readonly createdBy: number | null;
  readonly createdAt: string;
}

export interface NewAttachment {
  readonly subjectType: string;
  readonly subjectId: number | null;
  readonly stagingKey: string | null;
  readonly fileName: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly storageKey: string;
  readonly createdBy: number | null;
  /** A staged file's sender (a hash of their address), for the per-sender limit. */
  readonly stagedSource?: string;
}

const COLUMNS = ['id', 'subject_type', 'subject_id', 'file_name', 'media_type', 'size_bytes', 'sha256', 'storage_key', 'created_by', 'created_at'] as const;

type Row = Pick<Database['attachment'], Exclude<(typeof COLUMNS)[number], 'id'>> & { id: number };

function toAttachment(row: Row): Attachment {
  return {
    id: row.id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    fileName: row.file_name,
    mediaType: row.media_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    storageKey: row.storage_key,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export class AttachmentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(attachment: NewAttachment, at: string): Promise<Attachment> {
    const row = await this.db
      .insertInto('attachment')
      .values({
        subject_type: attachment.subjectType,
        subject_id: attachment.subjectId,
        staging_key: attachment.stagingKey,
        staged_source: attachment.stagedSource ?? null,
        file_name: attachment.fileName,
        media_type: attachment.mediaType,
        size_bytes: attachment.sizeBytes,
        sha256: attachment.sha256,
        storage_key: attachment.storageKey,
        created_by: attachment.createdBy,
        created_at: at,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return toAttachment(row);
  }

  async find(id: number): Promise<Attachment | undefined> {
    const row = await this.db.selectFrom('attachment').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toAttachment(row);
  }

  /** A record's files, oldest first. */
  async forSubject(subjectType: string, subjectId: number): Promise<Attachment[]> {
    const rows = await this.db.selectFrom('attachment').select(COLUMNS).where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).orderBy('id').execute();
    return rows.map(toAttachment);
  }

  /** The files staged under a journey's key, oldest first. */
  async staged(stagingKey: string): Promise<Attachment[]> {
    const rows = await this.db.selectFrom('attachment').select(COLUMNS).where('staging_key', '=', stagingKey).orderBy('id').execute();
    return rows.map(toAttachment);
  }

  /** The file with this content already staged under the key, if any. */
  async stagedWithContent(stagingKey: string, sha256: string): Promise<Attachment | undefined> {
    const row = await this.db.selectFrom('attachment').select(COLUMNS).where('staging_key', '=', stagingKey).where('sha256', '=', sha256).executeTakeFirst();
    return row === undefined ? undefined : toAttachment(row);
  }

  /** Removes one staged file's row (only under its own key); its storage key, or undefined when there was none. */
  async deleteStaged(stagingKey: string, id: number): Promise<string | undefined> {
    const row = await this.db.deleteFrom('attachment').where('id', '=', id).where('staging_key', '=', stagingKey).returning('storage_key').executeTakeFirst();
    return row?.storage_key;
  }

  /** Gives every file staged under the key to its record (inside the submitting transaction); how many. */
  async claimStaged(stagingKey: string, subjectType: string, subjectId: number): Promise<number> {
    const result = await this.db
      .updateTable('attachment')
      .set({ subject_type: subjectType, subject_id: subjectId, staging_key: null, staged_source: null })
      .where('staging_key', '=', stagingKey)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Staged files created before `before` (never sent): their ids and storage keys. */
  async staleStaged(before: string): Promise<{ id: number; storageKey: string }[]> {
    const rows = await this.db.selectFrom('attachment').select(['id', 'storage_key']).where('staging_key', 'is not', null).where('created_at', '<', before).execute();
    return rows.map((r) => ({ id: r.id, storageKey: r.storage_key }));
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('attachment').where('id', '=', id).execute();
  }

  /** Which of these storage keys have a row. */
  async knownStorageKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.db.selectFrom('attachment').select('storage_key').where('storage_key', 'in', keys).execute();
    return new Set(rows.map((r) => r.storage_key));
  }
}
