/**
 * The council's settings: how day 0 is found for something received on a non-working day,
 * and whether the corporate procedure's clocks may pause (and for how long). A change applies
 * to clocks that start after it: each clock keeps the rules it started under.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { CouncilSettingsRepository } from '../db/council-settings-repository.ts';
import { type CouncilSettings, validateCouncilSettings } from '../domain/procedures/council-settings.ts';
import { type Actor, type Clock, CLI_ACTOR } from './clock.ts';
import type { CalendarService } from './calendar-service.ts';
import { recomputeOpenClocks } from './clock-service.ts';

export class CouncilSettingsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  settings(): Promise<CouncilSettings> {
    return new CouncilSettingsRepository(this.db).load();
  }

  /**
   * Changes the settings `changes` names; refuses (DomainError `invalid_council_setting`,
   * naming the setting) an unknown setting or a value outside its limits, changing nothing.
   */
  async update(changes: Record<string, unknown>, actor: Actor): Promise<CouncilSettings> {
    const now = this.clock().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const repository = new CouncilSettingsRepository(trx);
      const before = await repository.load();
      const after = validateCouncilSettings({ ...before, ...changes });
      const changed = Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key as keyof CouncilSettings] !== value)) as Partial<CouncilSettings>;
      if (Object.keys(changed).length === 0) return after;
      await repository.save(changed, actor.userId, now);
      await new AuditRepository(trx).record({ ...actor, action: 'council_settings_changed', entityType: 'council_setting', entityId: null, details: { before, after: changed } }, now);
      return after;
    });
  }
}

/**
 * After the upgrade that stopped holds moving the Children Act deadlines: every open clock's
 * due date worked out again, each move written into its case's history.
 */
export async function redateAfterCountingUpgrade(db: Kysely<Database>, calendars: CalendarService, clock: Clock): Promise<number> {
  const calendar = await calendars.calendar();
  const why = 'The Children Act time limits have no pause: a hold is shown on the case but no longer moves the deadline';
  const moved = await db.transaction().execute((trx) => recomputeOpenClocks(trx, calendar, why, CLI_ACTOR, clock()));
  return moved.length;
}
