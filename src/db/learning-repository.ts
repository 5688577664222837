/** Lessons, the complaints that raised them and their actions, read and written inside the caller's transaction. */
import { type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type { Database, LearningActionTable, LessonTable } from './schema.ts';
import { notExcludedFrom } from './case-restriction-repository.ts';
import type { RestrictedPerson } from '../domain/cases/case-restriction.ts';

export type LessonRow = Selectable<LessonTable>;
export type ActionRow = Selectable<LearningActionTable>;

/** Whose lessons a query covers: all, or only those that are the user's own (see `learningScope`). */
export type LessonFilterScope = { readonly kind: 'all' } | { readonly kind: 'own'; readonly userId: number; readonly teamId: number | null };

export interface LogFilters {
  readonly status?: string;
  readonly teamId?: number;
  /** Only lessons with an open action due before this date. */
  readonly overdueAsAt?: string;
}

/** Which actions a queue lists (all given parts ANDed). */
export interface ActionFilters {
  /** Only open actions due before this date. */
  readonly overdueBefore?: string | undefined;
  readonly status?: string | undefined;
  /** Only actions of lessons identified in this range (inclusive). */
  readonly identifiedFrom?: string | undefined;
  readonly identifiedTo?: string | undefined;
}

export interface LogRow {
  readonly id: number;
  readonly title: string;
  readonly identifiedOn: string;
  readonly teamName: string | null;
  readonly open: number;
  readonly done: number;
  readonly cancelled: number;
  readonly overdue: number;
  readonly isOwn: boolean;
}

export interface ActionLine {
  readonly id: number;
  readonly lessonId: number;
  readonly lessonTitle: string;
  readonly description: string;
  readonly ownerUserId: number | null;
  readonly ownerName: string | null;
  readonly dueOn: string;
  readonly status: string;
  readonly doneOn: string | null;
  readonly cancelledReason: string | null;
  readonly source: string;
  readonly version: number;
  readonly teamName: string | null;
  readonly isOwn: boolean;
}

export interface LinkedComplaint {
  readonly representationId: number;
  readonly reference: string;
  readonly receivedOn: string;
}

export type LessonChanges = Partial<Pick<LessonRow, 'title' | 'description' | 'identified_on' | 'team_id'>>;
export type ActionChanges = Partial<Pick<ActionRow, 'description' | 'owner_user_id' | 'owner_name' | 'due_on' | 'status' | 'done_on' | 'cancelled_reason'>>;

/** PostgreSQL gives counts and sums as strings. */
const count = (value: unknown): number => Number(value ?? 0);

type LessonEb = ExpressionBuilder<Database, 'lesson'>;

/** The lesson `l` is the user's own: about their team, with an action they own, or raised by a complaint about their team or answered by them. */
function ownLesson(eb: LessonEb, userId: number, teamId: number | null): Expression<SqlBool> {
  const complaintIsOwn = (r: ExpressionBuilder<Database, 'lesson_representation' | 'representation'>) =>
    teamId === null ? r('representation.responder_user_id', '=', userId) : r.or([r('representation.responder_user_id', '=', userId), r('representation.team_id', '=', teamId)]);
  return eb.or([
    ...(teamId === null ? [] : [eb('lesson.team_id', '=', teamId)]),
    eb.exists(eb.selectFrom('learning_action as own_action').select('own_action.id').whereRef('own_action.lesson_id', '=', 'lesson.id').where('own_action.owner_user_id', '=', userId)),
    eb.exists(
      eb
        .selectFrom('lesson_representation')
        .innerJoin('representation', 'representation.id', 'lesson_representation.representation_id')
        .select('lesson_representation.lesson_id')
        .whereRef('lesson_representation.lesson_id', '=', 'lesson.id')
        .where(complaintIsOwn),
    ),
  ]);
}

/** A row of the log (PostgreSQL gives counts as strings). */
function logRowOf(r: { readonly id: number; readonly title: string; readonly identified_on: string; readonly team_name: string | null; readonly is_own: unknown; readonly [column: string]: unknown }): LogRow {
  return {
    id: r.id,
    title: r.title,
    identifiedOn: r.identified_on,
    teamName: r.team_name,
    open: count(r.open_count),
    done: count(r.done_count),
    cancelled: count(r.cancelled_count),
    overdue: count(r.overdue_count),
    isOwn: count(r.is_own) === 1,
  };
}

/** A place in the log's order, as its keyset paging carries it. */
export interface LogKey {
  readonly identifiedOn: string;
  readonly id: number;
}

export class LearningRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The learning log: lessons newest first (at most `limit`), with their action counts. */
  async log(filters: LogFilters, scope: LessonFilterScope, own: { userId: number; teamId: number | null } | undefined, today: string, limit: number): Promise<LogRow[]> {
    const rows = await this.logQuery(filters, scope, own, today).orderBy('lesson.identified_on', 'desc').orderBy('lesson.id', 'desc').limit(limit).execute();
    return rows.map(logRowOf);
  }

  /**
   * A page of the learning log, newest first (identified, then id, both descending), found by
   * its place in that order (keyset paging: `after` the last row of the page before, `before`
   * the first row of the page after): at most `limit + 1` rows read through the index on
   * (identified_on, id), and nothing counted.
   */
  async logPage(
    filters: LogFilters,
    scope: LessonFilterScope,
    own: { userId: number; teamId: number | null } | undefined,
    today: string,
    page: { readonly limit: number; readonly after?: LogKey | undefined; readonly before?: LogKey | undefined },
  ): Promise<{ rows: LogRow[]; hasMore: boolean }> {
    const isBackwards = page.after === undefined && page.before !== undefined;
    const key = page.after ?? page.before;
    const direction = isBackwards ? 'asc' : 'desc';
    let query = this.logQuery(filters, scope, own, today);
    if (key !== undefined) {
      const row = sql`(lesson.identified_on, lesson.id)`;
      const value = sql`(${key.identifiedOn}, ${key.id})`;
      query = query.where(isBackwards ? sql<SqlBool>`${row} > ${value}` : sql<SqlBool>`${row} < ${value}`);
    }
    const rows = await query.orderBy('lesson.identified_on', direction).orderBy('lesson.id', direction).limit(page.limit + 1).execute();
    const hasMore = rows.length > page.limit;
    const shown = rows.slice(0, page.limit);
    if (isBackwards) shown.reverse();
    return { rows: shown.map(logRowOf), hasMore };
  }

  private logQuery(filters: LogFilters, scope: LessonFilterScope, own: { userId: number; teamId: number | null } | undefined, today: string) {
    return this.db
      .selectFrom('lesson')
      .leftJoin('team', 'team.id', 'lesson.team_id')
      .select((eb) => {
        const countWhere = (status: string, alias: string) =>
          eb.selectFrom('learning_action as a').select((a) => a.fn.countAll<number | string>().as('n')).whereRef('a.lesson_id', '=', 'lesson.id').where('a.status', '=', status).as(alias);
        return [
          'lesson.id',
          'lesson.title',
          'lesson.identified_on',
          'team.name as team_name',
          countWhere('open', 'open_count'),
          countWhere('done', 'done_count'),
          countWhere('cancelled', 'cancelled_count'),
          eb
            .selectFrom('learning_action as a')
            .select((a) => a.fn.countAll<number | string>().as('n'))
            .whereRef('a.lesson_id', '=', 'lesson.id')
            .where('a.status', '=', 'open')
            .where('a.due_on', '<', today)
            .as('overdue_count'),
          (own === undefined ? sql<number>`1` : sql<number>`case when ${ownLesson(eb, own.userId, own.teamId)} then 1 else 0 end`).as('is_own'),
        ];
      })
      .where((eb) => (scope.kind === 'own' ? ownLesson(eb, scope.userId, scope.teamId) : sql<SqlBool>`1 = 1`))
      .$if(filters.teamId !== undefined, (q) => q.where('lesson.team_id', '=', filters.teamId ?? 0))
      .$if(filters.status !== undefined, (q) =>
        q.where((eb) => eb.exists(eb.selectFrom('learning_action as f').select('f.id').whereRef('f.lesson_id', '=', 'lesson.id').where('f.status', '=', filters.status ?? ''))),
      )
      .$if(filters.overdueAsAt !== undefined, (q) =>
        q.where((eb) =>
          eb.exists(eb.selectFrom('learning_action as o').select('o.id').whereRef('o.lesson_id', '=', 'lesson.id').where('o.status', '=', 'open').where('o.due_on', '<', filters.overdueAsAt ?? '')),
        ),
      );
  }

  /**
   * Actions (open and due before `overdueBefore`, oldest first, when given; else all, by due
   * date), with `status`, of lessons identified from `identifiedFrom` to `identifiedTo` when given.
   */
  async actions(options: ActionFilters, scope: LessonFilterScope, own: { userId: number; teamId: number | null } | undefined, limit: number): Promise<ActionLine[]> {
    const rows = await this.filteredActions(options, scope)
      .leftJoin('team', 'team.id', 'lesson.team_id')
      .leftJoin('app_user as owner', 'owner.id', 'a.owner_user_id')
      .selectAll('a')
      .select((eb) => [
        'lesson.title as lesson_title',
        'team.name as team_name',
        'owner.name as owner_user_name',
        (own === undefined ? sql<number>`1` : sql<number>`case when ${ownLesson(eb as unknown as LessonEb, own.userId, own.teamId)} then 1 else 0 end`).as('is_own'),
      ])
      .orderBy('a.due_on')
      .orderBy('a.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      lessonId: r.lesson_id,
      lessonTitle: r.lesson_title,
      description: r.description,
      ownerUserId: r.owner_user_id,
      ownerName: r.owner_user_name ?? r.owner_name,
      dueOn: r.due_on,
      status: r.status,
      doneOn: r.done_on,
      cancelledReason: r.cancelled_reason,
      source: r.source,
      version: r.version,
      teamName: r.team_name,
      isOwn: count(r.is_own) === 1,
    }));
  }

  /** How many actions `actions` would list without its limit. */
  async countActions(options: ActionFilters, scope: LessonFilterScope): Promise<number> {
    const row = await this.filteredActions(options, scope)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return count(row.n);
  }

  private filteredActions(options: ActionFilters, scope: LessonFilterScope) {
    return this.db
      .selectFrom('learning_action as a')
      .innerJoin('lesson', 'lesson.id', 'a.lesson_id')
      .where((eb) => (scope.kind === 'own' ? ownLesson(eb as unknown as LessonEb, scope.userId, scope.teamId) : sql<SqlBool>`1 = 1`))
      .$if(options.overdueBefore !== undefined, (q) => q.where('a.status', '=', 'open').where('a.due_on', '<', options.overdueBefore ?? ''))
      .$if(options.status !== undefined, (q) => q.where('a.status', '=', options.status ?? ''))
      .$if(options.identifiedFrom !== undefined, (q) => q.where('lesson.identified_on', '>=', options.identifiedFrom ?? ''))
      .$if(options.identifiedTo !== undefined, (q) => q.where('lesson.identified_on', '<=', options.identifiedTo ?? ''));
  }

  async find(id: number): Promise<(LessonRow & { team_name: string | null }) | undefined> {
    return this.db.selectFrom('lesson').leftJoin('team', 'team.id', 'lesson.team_id').selectAll('lesson').select('team.name as team_name').where('lesson.id', '=', id).executeTakeFirst();
  }

  /** Is lesson `id` the user's own (see `ownLesson`)? */
  async isOwn(id: number, userId: number, teamId: number | null): Promise<boolean> {
    const row = await this.db.selectFrom('lesson').select('lesson.id').where('lesson.id', '=', id).where((eb) => ownLesson(eb, userId, teamId)).executeTakeFirst();
    return row !== undefined;
  }

  /** The lesson's complaints; without those `excluding` is excluded from (restricted cases), when given. */
  async complaints(lessonId: number, excluding?: RestrictedPerson): Promise<LinkedComplaint[]> {
    const rows = await this.db
      .selectFrom('lesson_representation as lr')
      .innerJoin('representation as r', 'r.id', 'lr.representation_id')
      .select(['r.id', 'r.reference', 'r.received_on'])
      .where('lr.lesson_id', '=', lessonId)
      .where(notExcludedFrom('lr.representation_id', excluding))
      .orderBy('r.received_on')
      .orderBy('r.id')
      .execute();
    return rows.map((r) => ({ representationId: r.id, reference: r.reference, receivedOn: r.received_on }));
  }

  /** The complaints of each lesson in `lessonIds`, by lesson; without those `excluding` is excluded from, when given. */
  async complaintsOf(lessonIds: readonly number[], excluding?: RestrictedPerson): Promise<Map<number, string[]>> {
    const found = new Map<number, string[]>();
    if (lessonIds.length === 0) return found;
    const rows = await this.db
      .selectFrom('lesson_representation as lr')
      .innerJoin('representation as r', 'r.id', 'lr.representation_id')
      .select(['lr.lesson_id', 'r.reference'])
      .where('lr.lesson_id', 'in', lessonIds)
      .where(notExcludedFrom('lr.representation_id', excluding))
      .orderBy('r.reference')
      .execute();
    for (const row of rows) found.set(row.lesson_id, [...(found.get(row.lesson_id) ?? []), row.reference]);
    return found;
  }

  async lessonActions(lessonId: number): Promise<(ActionRow & { owner_user_name: string | null })[]> {
    return this.db
      .selectFrom('learning_action as a')
      .leftJoin('app_user as owner', 'owner.id', 'a.owner_user_id')
      .selectAll('a')
      .select('owner.name as owner_user_name')
      .where('a.lesson_id', '=', lessonId)
      .orderBy('a.due_on')
      .orderBy('a.id')
      .execute();
  }

  async findAction(id: number): Promise<ActionRow | undefined> {
    return this.db.selectFrom('learning_action').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The lessons raised by one complaint, with their open and overdue actions. */
  async forRepresentation(representationId: number, today: string): Promise<{ id: number; title: string; identifiedOn: string; open: number; overdue: number }[]> {
    const rows = await this.db
      .selectFrom('lesson_representation as lr')
      .innerJoin('lesson', 'lesson.id', 'lr.lesson_id')
      .select((eb) => [
        'lesson.id',
        'lesson.title',
        'lesson.identified_on',
        eb.selectFrom('learning_action as a').select((a) => a.fn.countAll<number | string>().as('n')).whereRef('a.lesson_id', '=', 'lesson.id').where('a.status', '=', 'open').as('open_count'),
        eb
          .selectFrom('learning_action as a')
          .select((a) => a.fn.countAll<number | string>().as('n'))
          .whereRef('a.lesson_id', '=', 'lesson.id')
          .where('a.status', '=', 'open')
          .where('a.due_on', '<', today)
          .as('overdue_count'),
      ])
      .where('lr.representation_id', '=', representationId)
      .orderBy('lesson.identified_on')
      .orderBy('lesson.id')
      .execute();
    return rows.map((r) => ({ id: r.id, title: r.title, identifiedOn: r.identified_on, open: count(r.open_count), overdue: count(r.overdue_count) }));
  }

  /**
   * The date of the decision that accepted a complaint's Stage 2 or Stage 3 recommendations,
   * as recorded on the case: the Stage 2 adjudication, or the council's response to the review
   * panel. Undefined while none is recorded.
   */
  async decisionDate(representationId: number, stage: 2 | 3): Promise<string | undefined> {
    const row = await this.db
      .selectFrom(stage === 2 ? 'stage2' : 'stage3')
      .select('responded_on')
      .where('representation_id', '=', representationId)
      .executeTakeFirst();
    return row?.responded_on ?? undefined;
  }

  /** The lesson recording `source` recommendations for a complaint, if there is one. */
  async recommendationsLesson(representationId: number, source: string): Promise<LessonRow | undefined> {
    return this.db
      .selectFrom('lesson')
      .selectAll('lesson')
      .where((eb) =>
        eb.and([
          eb.exists(eb.selectFrom('lesson_representation as lr').select('lr.lesson_id').whereRef('lr.lesson_id', '=', 'lesson.id').where('lr.representation_id', '=', representationId)),
          eb.exists(eb.selectFrom('learning_action as a').select('a.id').whereRef('a.lesson_id', '=', 'lesson.id').where('a.source', '=', source)),
        ]),
      )
      .orderBy('lesson.id')
      .executeTakeFirst();
  }

  async create(values: { title: string; description: string; identifiedOn: string; teamId: number | null; createdBy: number | null }, now: string): Promise<number> {
    const { id } = await this.db
      .insertInto('lesson')
      .values({ title: values.title, description: values.description, identified_on: values.identifiedOn, team_id: values.teamId, created_by: values.createdBy, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** Applies `changes` and moves the version on, if the lesson is still at `expectedVersion`; false if it changed meanwhile. */
  async update(id: number, expectedVersion: number, changes: LessonChanges, now: string): Promise<boolean> {
    const result = await this.db.updateTable('lesson').set({ ...changes, version: expectedVersion + 1, updated_at: now }).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async link(lessonId: number, representationId: number, now: string): Promise<void> {
    await this.db.insertInto('lesson_representation').values({ lesson_id: lessonId, representation_id: representationId, created_at: now }).execute();
  }

  async unlink(lessonId: number, representationId: number): Promise<boolean> {
    const result = await this.db.deleteFrom('lesson_representation').where('lesson_id', '=', lessonId).where('representation_id', '=', representationId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async addAction(
    values: { lessonId: number; description: string; ownerUserId: number | null; ownerName: string | null; dueOn: string; source: string; createdBy: number | null },
    now: string,
  ): Promise<number> {
    const { id } = await this.db
      .insertInto('learning_action')
      .values({
        lesson_id: values.lessonId,
        description: values.description,
        owner_user_id: values.ownerUserId,
        owner_name: values.ownerName,
        due_on: values.dueOn,
        source: values.source,
        created_by: values.createdBy,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async updateAction(id: number, expectedVersion: number, changes: ActionChanges, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('learning_action')
      .set({ ...changes, version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Active users who may own an action (staff who read the learning log). */
  async possibleOwners(roles: readonly string[]): Promise<{ id: number; name: string }[]> {
    return this.db
      .selectFrom('app_user')
      .select(['app_user.id', 'app_user.name'])
      .where('app_user.is_active', '=', 1)
      .where((eb) => eb.exists(eb.selectFrom('user_role').select('user_role.user_id').whereRef('user_role.user_id', '=', 'app_user.id').where('user_role.role', 'in', [...roles])))
      .orderBy('app_user.name')
      .orderBy('app_user.id')
      .execute();
  }

  async isActiveUser(id: number): Promise<boolean> {
    const row = await this.db.selectFrom('app_user').select('id').where('id', '=', id).where('is_active', '=', 1).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Actions by status for the lessons identified from `from` to `to` (inclusive), with those
   * open and due before `asAt` counted as overdue too — in one query.
   */
  async summary(from: string, to: string, asAt: string): Promise<{ total: number; open: number; done: number; cancelled: number; overdue: number }> {
    const row = await this.db
      .selectFrom('learning_action as a')
      .innerJoin('lesson', 'lesson.id', 'a.lesson_id')
      .select((eb) => [
        eb.fn.countAll<number | string>().as('total'),
        eb.fn.sum<number | string | null>(eb.case().when('a.status', '=', 'open').then(1).else(0).end()).as('open'),
        eb.fn.sum<number | string | null>(eb.case().when('a.status', '=', 'done').then(1).else(0).end()).as('done'),
        eb.fn.sum<number | string | null>(eb.case().when('a.status', '=', 'cancelled').then(1).else(0).end()).as('cancelled'),
        eb.fn
          .sum<number | string | null>(
            eb
              .case()
              .when(eb.and([eb('a.status', '=', 'open'), eb('a.due_on', '<', asAt)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('overdue'),
      ])
      .where('lesson.identified_on', '>=', from)
      .where('lesson.identified_on', '<=', to)
      .executeTakeFirstOrThrow();
    return { total: count(row.total), open: count(row.open), done: count(row.done), cancelled: count(row.cancelled), overdue: count(row.overdue) };
  }
}
