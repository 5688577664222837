/**
 * Restricted cases (src/domain/cases/case-restriction.ts): a complaints manager (or information
 * governance) excludes named staff, or whole teams, from a case — typically a complaint about
 * a member of staff — and removes an exclusion. Each change is in one transaction with a line
 * in the case's history (counts only: the history is read by others, so it never names who was
 * excluded) and an audit event (ids only). Looking at a case's restrictions is audited too.
 *
 * Someone who is themselves excluded from the case is told there is no such case, as everywhere.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { CaseRestrictionRepository, type CaseRestrictionRow } from '../db/case-restriction-repository.ts';
import { isExcluded, newRestrictions, restrictionHistorySummary, restrictionProblems, type RestrictionRequest } from '../domain/cases/case-restriction.ts';
import { DomainError, refuseProblems } from '../domain/errors.ts';
import type { Clock } from './clock.ts';
import type { StaffActor } from './registration-service.ts';

/** A member of staff who may be excluded, as the form lists them. */
export interface StaffChoice {
  readonly id: number;
  readonly name: string;
  readonly teamName: string | null;
}

/** A case's restrictions and what the form offers. */
export interface CaseRestrictions {
  readonly id: number;
  readonly reference: string;
  readonly restrictions: readonly CaseRestrictionRow[];
  /** The responding manager now, by name; undefined when none. */
  readonly responderName: string | undefined;
  /** Active staff who are not excluded already, nor the person looking, nor the responding manager. */
  readonly staff: readonly StaffChoice[];
  /** Active teams not excluded already, nor the looker's own team, nor the responding manager's. */
  readonly teams: readonly { readonly id: number; readonly name: string }[];
}

interface RestrictedCase {
  readonly id: number;
  readonly reference: string;
  readonly responder: { readonly userId: number; readonly teamId: number | null; readonly name: string } | null;
}

function notFound(): DomainError {
  return new DomainError('case_not_found', 'There is no case with that reference');
}

export class CaseRestrictionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** A case's restrictions for the manage page (audited as a view); undefined for no such case, or one the actor is excluded from. */
  async forCase(reference: string, actor: StaffActor): Promise<CaseRestrictions | undefined> {
    const found = await this.findCase(this.db, reference);
    if (found === undefined) return undefined;
    const repository = new CaseRestrictionRepository(this.db);
    const restrictions = await repository.listFor(found.id);
    const audit = new AuditRepository(this.db);
    const now = this.clock().toISOString();
    if (isExcluded(actor, restrictions)) {
      await audit.record({ ...actor, action: 'case_view_refused', entityType: REPRESENTATION_SUBJECT, entityId: String(found.id) }, now);
      return undefined;
    }
    const [users, teams] = await Promise.all([
      this.db
        .selectFrom('app_user as u')
        .leftJoin('team as t', 't.id', 'u.team_id')
        .select(['u.id', 'u.name', 't.name as team_name'])
        .where('u.is_active', '=', 1)
        .orderBy('u.name')
        .orderBy('u.id')
        .execute(),
      this.db.selectFrom('team').select(['id', 'name']).where('is_active', '=', 1).orderBy('name').execute(),
    ]);
    await audit.record({ ...actor, action: 'case_restrictions_viewed', entityType: REPRESENTATION_SUBJECT, entityId: String(found.id), details: { reference: found.reference } }, now);
    return {
      id: found.id,
      reference: found.reference,
      restrictions,
      responderName: found.responder?.name,
      staff: users
        .filter((u) => u.id !== actor.userId && u.id !== found.responder?.userId && !restrictions.some((r) => r.userId === u.id))
        .map((u) => ({ id: u.id, name: u.name, teamName: u.team_name })),
      teams: teams.filter((t) => t.id !== actor.teamId && t.id !== found.responder?.teamId && !restrictions.some((r) => r.teamId === t.id)),
    };
  }

  /** Whether the person is excluded from the case (for pages about a case outside the case services, such as its legal hold). */
  async excludes(representationId: number, person: { readonly userId: number; readonly teamId: number | null }): Promise<boolean> {
    return new CaseRestrictionRepository(this.db).isExcluded(representationId, person);
  }

  /** Whether the person is excluded from the case with this reference (false when there is no such case). */
  async excludesReference(reference: string, person: { readonly userId: number; readonly teamId: number | null }): Promise<boolean> {
    const row = await this.db.selectFrom('representation').select('id').where('reference', '=', reference.trim().toUpperCase()).executeTakeFirst();
    return row !== undefined && (await this.excludes(row.id, person));
  }

  /** How many staff and teams are excluded from the case (for the case page of someone who may see it). */
  async countFor(representationId: number): Promise<number> {
    return (await new CaseRestrictionRepository(this.db).restrictionsOf(representationId)).length;
  }

  /**
   * Excludes the chosen staff and teams from the case, with the reason. Refused (InputProblems,
   * by field) as `restrictionProblems` says; `case_not_found` for no such case or one the actor
   * is excluded from. Those already excluded are left as they are.
   */
  async add(reference: string, request: RestrictionRequest, actor: StaffActor): Promise<void> {
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const found = await this.findCase(trx, reference);
      if (found === undefined) throw notFound();
      const repository = new CaseRestrictionRepository(trx);
      const existing = await repository.restrictionsOf(found.id);
      if (isExcluded(actor, existing)) throw notFound();
      const [users, teams] = await Promise.all([
        request.userIds.length === 0 ? Promise.resolve([]) : trx.selectFrom('app_user').select('id').where('id', 'in', [...request.userIds]).where('is_active', '=', 1).execute(),
        request.teamIds.length === 0 ? Promise.resolve([]) : trx.selectFrom('team').select('id').where('id', 'in', [...request.teamIds]).execute(),
      ]);
      refuseProblems(
        restrictionProblems(request, {
          actor,
          responder: found.responder,
          existing,
          knownUserIds: new Set(users.map((u) => u.id)),
          knownTeamIds: new Set(teams.map((t) => t.id)),
        }),
      );
      const added = newRestrictions(request, existing);
      if (added.length === 0) return;
      await repository.add(found.id, added, request.reason.trim(), actor.userId, now);
      await new HistoryRepository(trx).add(
        { subjectType: REPRESENTATION_SUBJECT, subjectId: found.id, userId: actor.userId, action: 'access_restricted', summary: restrictionHistorySummary('added', added) },
        now,
      );
      await new AuditRepository(trx).record(
        {
          ...actor,
          action: 'case_restricted',
          entityType: REPRESENTATION_SUBJECT,
          entityId: String(found.id),
          details: { reference: found.reference, user_ids: added.flatMap((r) => (r.userId === null ? [] : [r.userId])), team_ids: added.flatMap((r) => (r.teamId === null ? [] : [r.teamId])) },
        },
        now,
      );
    });
  }

  /** Removes one of the case's restrictions; `restriction_not_found` when the case has no such restriction. */
  async remove(reference: string, restrictionId: number, actor: StaffActor): Promise<void> {
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const found = await this.findCase(trx, reference);
      if (found === undefined) throw notFound();
      const repository = new CaseRestrictionRepository(trx);
      if (isExcluded(actor, await repository.restrictionsOf(found.id))) throw notFound();
      const removed = await repository.remove(found.id, restrictionId);
      if (removed === undefined) throw new DomainError('restriction_not_found', 'That restriction has already been removed');
      await new HistoryRepository(trx).add(
        { subjectType: REPRESENTATION_SUBJECT, subjectId: found.id, userId: actor.userId, action: 'access_restriction_removed', summary: restrictionHistorySummary('removed', [removed]) },
        now,
      );
      await new AuditRepository(trx).record(
        {
          ...actor,
          action: 'case_restriction_removed',
          entityType: REPRESENTATION_SUBJECT,
          entityId: String(found.id),
          details: { reference: found.reference, ...(removed.userId === null ? { team_id: removed.teamId } : { user_id: removed.userId }) },
        },
        now,
      );
    });
  }

  private async findCase(db: Kysely<Database>, reference: string): Promise<RestrictedCase | undefined> {
    const row = await db
      .selectFrom('representation as r')
      .leftJoin('app_user as u', 'u.id', 'r.responder_user_id')
      .select(['r.id', 'r.reference', 'r.responder_user_id', 'u.team_id as responder_team_id', 'u.name as responder_name'])
      .where('r.reference', '=', reference.trim().toUpperCase())
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      id: row.id,
      reference: row.reference,
      responder: row.responder_user_id === null ? null : { userId: row.responder_user_id, teamId: row.responder_team_id, name: row.responder_name ?? '' },
    };
  }
}
