import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { type CouncilSettings, validateCouncilSettings } from '../domain/procedures/council-settings.ts';

/** The council's settings: one row a setting that differs from its default, the value as JSON. */
export class CouncilSettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every setting, the default where none is stored; checked against the settings' limits. */
  async load(): Promise<CouncilSettings> {
    const rows = await this.db.selectFrom('council_setting').select(['key', 'value']).execute();
    return validateCouncilSettings(Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value) as unknown])));
  }

  /** Stores the settings that `changes` names (already checked by the caller). */
  async save(changes: Partial<CouncilSettings>, userId: number | null, now: string): Promise<void> {
    for (const [key, value] of Object.entries(changes)) {
      const row = { key, value: JSON.stringify(value), updated_by: userId, updated_at: now };
      await this.db
        .insertInto('council_setting')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_by: userId, updated_at: now }))
        .execute();
    }
  }
}
