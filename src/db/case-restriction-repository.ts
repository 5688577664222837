/**
 * Restricted cases in the database (migration 0029): each `case_restriction` row excludes one
 * user or one team from one case. `notExcludedFrom` is the rule of
 * src/domain/cases/case-restriction.ts as SQL, for every list of cases: a `not exists` on the
 * indexed table, so the lists stay as quick as they were for cases with no restriction.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from './schema.ts';
import type { CaseRestriction, RestrictedPerson } from '../domain/cases/case-restriction.ts';

/** A restriction as the manage page lists it. */
export interface CaseRestrictionRow extends CaseRestriction {
  readonly id: number;
  /** The excluded user's or team's name. */
  readonly name: string;
  readonly reason: string;
  readonly addedBy: string | null;
  readonly addedAt: string;
}

/**
 * The condition "the person is not excluded from the case whose id is in `column`" (for
 * example `r.id`, or `lr.representation_id`): true for a row with no case (a null column), and
 * for every row when there is no person (the command line, which sees every case).
 */
export function notExcludedFrom(column: string, person: RestrictedPerson | undefined): RawBuilder<SqlBool> {
  if (person === undefined) return sql<SqlBool>`1 = 1`;
  const team = person.teamId === null ? sql`` : sql` or cr.team_id = ${person.teamId}`;
  return sql<SqlBool>`not exists (select 1 from case_restriction cr where cr.representation_id = ${sql.ref(column)} and (cr.user_id = ${person.userId}${team}))`;
}

export class CaseRestrictionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** A case's restrictions, for the rule. */
  async restrictionsOf(representationId: number): Promise<CaseRestriction[]> {
    const rows = await this.db.selectFrom('case_restriction').select(['user_id', 'team_id']).where('representation_id', '=', representationId).execute();
    return rows.map((r) => ({ userId: r.user_id, teamId: r.team_id }));
  }

  /** Whether the person is excluded from the case (one indexed look-up). */
  async isExcluded(representationId: number, person: RestrictedPerson): Promise<boolean> {
    const row = await this.db
      .selectFrom('case_restriction')
      .select('id')
      .where('representation_id', '=', representationId)
      .where((eb) => eb.or([eb('user_id', '=', person.userId), ...(person.teamId === null ? [] : [eb('team_id', '=', person.teamId)])]))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Those of the cases the person is excluded from. */
  async excludedAmong(representationIds: readonly number[], person: RestrictedPerson): Promise<Set<number>> {
    if (representationIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('case_restriction')
      .select('representation_id')
      .where('representation_id', 'in', [...representationIds])
      .where((eb) => eb.or([eb('user_id', '=', person.userId), ...(person.teamId === null ? [] : [eb('team_id', '=', person.teamId)])]))
      .execute();
    return new Set(rows.map((r) => r.representation_id));
  }

  /** A case's restrictions with names, staff first then teams, each by name. */
  async listFor(representationId: number): Promise<CaseRestrictionRow[]> {
    const rows = await this.db
      .selectFrom('case_restriction as cr')
      .leftJoin('app_user as u', 'u.id', 'cr.user_id')
      .leftJoin('team as t', 't.id', 'cr.team_id')
      .leftJoin('app_user as a', 'a.id', 'cr.added_by')
      .select(['cr.id', 'cr.user_id', 'cr.team_id', 'cr.reason', 'cr.added_at', 'u.name as user_name', 't.name as team_name', 'a.name as added_by_name'])
      .where('cr.representation_id', '=', representationId)
      .execute();
    return rows
      .map((r) => ({
        id: r.id,
        userId: r.user_id,
        teamId: r.team_id,
        name: r.user_name ?? r.team_name ?? '',
        reason: r.reason,
        addedBy: r.added_by_name,
        addedAt: r.added_at,
      }))
      .sort((a, b) => Number(a.userId === null) - Number(b.userId === null) || a.name.localeCompare(b.name, 'en-GB'));
  }

  async add(representationId: number, restrictions: readonly CaseRestriction[], reason: string, addedBy: number, at: string): Promise<void> {
    if (restrictions.length === 0) return;
    await this.db
      .insertInto('case_restriction')
      .values(restrictions.map((r) => ({ representation_id: representationId, user_id: r.userId, team_id: r.teamId, reason, added_by: addedBy, added_at: at })))
      .execute();
  }

  /** Removes one of the case's restrictions; what it was, or undefined when the case has no such restriction. */
  async remove(representationId: number, restrictionId: number): Promise<CaseRestriction | undefined> {
    const row = await this.db
      .selectFrom('case_restriction')
      .select(['user_id', 'team_id'])
      .where('id', '=', restrictionId)
      .where('representation_id', '=', representationId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    await this.db.deleteFrom('case_restriction').where('id', '=', restrictionId).where('representation_id', '=', representationId).execute();
    return { userId: row.user_id, teamId: row.team_id };
  }
}
