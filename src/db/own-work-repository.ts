/**
 * The small queries behind each role's "Your work" on the dashboard: each filters by the
 * user's id on an assignment column (the responding manager, an appointment) or by a status,
 * on indexed columns, and returns at most `limit` rows. Read only.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from './schema.ts';
import { REPRESENTATION_SUBJECT } from './representation-repository.ts';
import { notExcludedFrom } from './case-restriction-repository.ts';
import type { RestrictedPerson } from '../domain/cases/case-restriction.ts';

/** The most rows a "Your work" list shows; the rest are in the queues. */
export const OWN_WORK_LIMIT = 50;

/** A case allocated to a responding manager, with its open Stage 1 clock's due date. */
export interface AllocatedCaseRow {
  readonly reference: string;
  readonly kind: string;
  readonly status: string;
  readonly receivedOn: string;
  /** The open Stage 1 clock; undefined when none is running. */
  readonly clock: { readonly procedureKind: string; readonly clockKey: string; readonly events: string; readonly dueOn: string } | undefined;
}

/** An appointment a user holds now, with the open clocks of its case. */
export interface AppointmentRow {
  readonly reference: string;
  readonly kind: string;
  readonly stage: number;
  readonly role: string;
  readonly appointedOn: string;
  readonly clocks: readonly { readonly procedureKind: string; readonly clockKey: string; readonly events: string; readonly dueOn: string }[];
}

/** A later stage waiting for a senior manager: the Stage 2 adjudication or response, or the council's response to a panel. */
export interface AwaitingDecisionRow {
  readonly reference: string;
  readonly kind: string;
  readonly stage: 2 | 3;
  readonly clock: { readonly procedureKind: string; readonly clockKey: string; readonly events: string; readonly dueOn: string } | undefined;
}

export interface CountAndOldest {
  readonly count: number;
  /** The oldest date received among them; undefined when there are none. */
  readonly oldestReceivedOn: string | undefined;
}

type OpenClock = AppointmentRow['clocks'][number];

export class OwnWorkRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** How many representations have `status`, and the oldest date received among them (the index on status leads). */
  async countWithStatus(status: string): Promise<CountAndOldest> {
    const row = await this.db
      .selectFrom('representation')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('received_on').as('oldest')])
      .where('status', '=', status)
      .executeTakeFirst();
    const count = Number(row?.n ?? 0);
    const oldest = row?.oldest ?? null;
    return { count, oldestReceivedOn: count === 0 || oldest === null ? undefined : oldest };
  }

  /** Open cases in `statuses` whose open clock of one of `keys` is due in the range (bounds as given). */
  async countStage1Due(statuses: readonly string[], keys: readonly string[], range: { onOrAfter?: string; onOrBefore?: string; before?: string }): Promise<number> {
    let query = this.db
      .selectFrom('clock as c')
      .innerJoin('representation as r', 'r.id', 'c.subject_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('c.is_open', '=', 1)
      .where('c.subject_type', '=', REPRESENTATION_SUBJECT)
      .where('c.clock_key', 'in', [...keys])
      .where('r.status', 'in', [...statuses]);
    if (range.onOrAfter !== undefined) query = query.where('c.due_on', '>=', range.onOrAfter);
    if (range.onOrBefore !== undefined) query = query.where('c.due_on', '<=', range.onOrBefore);
    if (range.before !== undefined) query = query.where('c.due_on', '<', range.before);
    const row = await query.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The open cases allocated to `userId` (in `statuses`), soonest due first, then oldest received. */
  async allocatedTo(person: RestrictedPerson, statuses: readonly string[], keys: readonly string[], limit = OWN_WORK_LIMIT): Promise<AllocatedCaseRow[]> {
    const rows = await this.db
      .selectFrom('representation as r')
      .leftJoin('clock as c', (join) =>
        join.onRef('c.subject_id', '=', 'r.id').on('c.subject_type', '=', REPRESENTATION_SUBJECT).on('c.clock_key', 'in', [...keys]).on('c.is_open', '=', 1),
      )
      .select(['r.reference', 'r.kind', 'r.status', 'r.received_on', 'c.procedure_kind', 'c.clock_key', 'c.events', 'c.due_on'])
      // Among the manager's open cases only, not every case they ever had: read from the
      // partial index of open cases by responder (its condition as a literal, and its order,
      // so that SQLite does not take the index of every case by responder instead).
      .where((eb) =>
        eb(
          'r.id',
          'in',
          eb
            .selectFrom('representation as o')
            .select('o.id')
            .where('o.responder_user_id', '=', person.userId)
            .where(sql<SqlBool>`o.status not in ('closed', 'withdrawn')`)
            .orderBy('o.queue_due_on')
            .orderBy('o.received_on')
            .orderBy('o.id'),
        ),
      )
      .where('r.status', 'in', [...statuses])
      .where(notExcludedFrom('r.id', person))
      .orderBy((eb) => eb.case().when('c.due_on', 'is', null).then(1).else(0).end())
      .orderBy('c.due_on')
      .orderBy('r.received_on')
      .orderBy('r.id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      reference: row.reference,
      kind: row.kind,
      status: row.status,
      receivedOn: row.received_on,
      clock:
        row.procedure_kind === null || row.clock_key === null || row.events === null || row.due_on === null
          ? undefined
          : { procedureKind: row.procedure_kind, clockKey: row.clock_key, events: row.events, dueOn: row.due_on },
    }));
  }

  /** The appointments `userId` holds now, newest first, each with its case's open clocks of `keys`. */
  async appointmentsOf(person: RestrictedPerson, keys: readonly string[], limit = OWN_WORK_LIMIT): Promise<AppointmentRow[]> {
    const appointments = await this.db
      .selectFrom('appointment as a')
      .innerJoin('representation as r', 'r.id', 'a.representation_id')
      .select(['a.representation_id', 'r.reference', 'r.kind', 'a.stage', 'a.role', 'a.appointed_on'])
      .where('a.user_id', '=', person.userId)
      .where('a.ended_on', 'is', null)
      .where(notExcludedFrom('r.id', person))
      .orderBy('a.appointed_on', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit)
      .execute();
    const clocks = await this.openClocks(
      appointments.map((a) => a.representation_id),
      keys,
    );
    return appointments.map((a) => ({
      reference: a.reference,
      kind: a.kind,
      stage: a.stage,
      role: a.role,
      appointedOn: a.appointed_on,
      clocks: clocks.get(a.representation_id) ?? [],
    }));
  }

  /**
   * The later stages waiting for a senior manager, oldest due first: a Children Act Stage 2
   * with its report in (the adjudication), a corporate Stage 2 acknowledged (the response),
   * and a Stage 3 with the panel's recommendations in (the council's response). Not the ones
   * where `person` was the Stage 1 responding manager, who may not adjudicate. None that `person` is
   * excluded from (restricted cases), here or in the other lists.
   */
  async awaitingSeniorManager(person: RestrictedPerson, limit = OWN_WORK_LIMIT): Promise<AwaitingDecisionRow[]> {
    const stage2 = await this.db
      .selectFrom('stage2 as s')
      .innerJoin('representation as r', 'r.id', 's.representation_id')
      .select(['r.id', 'r.reference', 'r.kind'])
      .where('s.state', '=', 'investigating')
      .where((eb) => eb.or([eb.and([eb('r.kind', '=', 'children_statutory'), eb('s.report_received_on', 'is not', null)]), eb.and([eb('r.kind', '=', 'corporate'), eb('s.acknowledged_on', 'is not', null)])]))
      .where((eb) => eb.or([eb('r.responder_user_id', 'is', null), eb('r.responder_user_id', '!=', person.userId)]))
      .where(notExcludedFrom('r.id', person))
      .limit(limit)
      .execute();
    const stage3 = await this.db
      .selectFrom('stage3 as s')
      .innerJoin('representation as r', 'r.id', 's.representation_id')
      .select(['r.id', 'r.reference', 'r.kind'])
      .where('s.state', '=', 'recommendations_received')
      .where(notExcludedFrom('r.id', person))
      .limit(limit)
      .execute();
    const clocks = await this.openClocks(
      [...stage2, ...stage3].map((r) => r.id),
      ['stage2_response', 'council_response'],
    );
    const rows: AwaitingDecisionRow[] = [
      ...stage2.map((r) => ({ reference: r.reference, kind: r.kind, stage: 2 as const, clock: clocks.get(r.id)?.find((c) => c.clockKey === 'stage2_response') })),
      ...stage3.map((r) => ({ reference: r.reference, kind: r.kind, stage: 3 as const, clock: clocks.get(r.id)?.find((c) => c.clockKey === 'council_response') })),
    ];
    return rows.sort((a, b) => (a.clock?.dueOn ?? '9999').localeCompare(b.clock?.dueOn ?? '9999') || a.reference.localeCompare(b.reference)).slice(0, limit);
  }

  /** The open clocks of `keys` on these representations, by representation id. */
  private async openClocks(ids: readonly number[], keys: readonly string[]): Promise<Map<number, OpenClock[]>> {
    const byId = new Map<number, OpenClock[]>();
    if (ids.length === 0 || keys.length === 0) return byId;
    const rows = await this.db
      .selectFrom('clock')
      .select(['subject_id', 'procedure_kind', 'clock_key', 'events', 'due_on'])
      .where('subject_type', '=', REPRESENTATION_SUBJECT)
      .where('subject_id', 'in', [...new Set(ids)])
      .where('clock_key', 'in', [...keys])
      .where('is_open', '=', 1)
      .orderBy('due_on')
      .execute();
    for (const row of rows) {
      const list = byId.get(row.subject_id) ?? [];
      list.push({ procedureKind: row.procedure_kind, clockKey: row.clock_key, events: row.events, dueOn: row.due_on });
      byId.set(row.subject_id, list);
    }
    return byId;
  }
}
