/**
 * Stages 2 and 3 of a case in the database: the facts the later-stage workflow reads
 * (`LaterStageFacts`) and the writes a step makes. Runs inside the caller's transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AppointmentTable, Database, Stage2Table, Stage3Table } from './schema.ts';
import { type CaseClock, CaseFactsRepository, type LoadedCase } from './case-facts-repository.ts';
import {
  APPOINTMENT_ROLES,
  type Appointment,
  type LaterStageFacts,
  type NewAppointment,
  STAGE2_STATES,
  STAGE3_STATES,
  type Stage2Facts,
  type Stage3Facts,
} from '../domain/cases/later-stage-workflow.ts';
import type { ClockEvents } from '../domain/clocks/clock-engine.ts';
import { STAGE1_CLOCK_KEYS } from '../domain/cases/stage1-clock.ts';
import { isProcedureKind } from '../domain/procedures/procedure-definitions.ts';
import { isOneOf } from '../domain/taxonomies/code-list.ts';
import { isFinding } from '../domain/taxonomies/findings.ts';
import { recommendationLines } from '../domain/cases/recommendation-decisions.ts';

export type Stage2Row = Selectable<Stage2Table>;
export type Stage3Row = Selectable<Stage3Table>;
export type AppointmentRow = Selectable<AppointmentTable>;

/** A case as a later-stage step finds it: the Stage 1 load, and its Stage 2 and 3 records. */
export interface LoadedLaterCase {
  readonly loaded: LoadedCase;
  readonly facts: LaterStageFacts;
  readonly stage2?: Stage2Row;
  readonly stage3?: Stage3Row;
  /** Every appointment, ended ones too, oldest first. */
  readonly appointments: readonly AppointmentRow[];
  readonly laterClocks: readonly CaseClock[];
}

/** The clocks a later stage keeps (the Stage 1 ones are the Stage 1 workflow's). */
const LATER_CLOCK_KEYS = new Set(['stage2_acknowledgement', 'stage2_response', 'panel_meeting', 'panel_recommendations', 'council_response']);

const undef = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function present<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function toAppointment(row: AppointmentRow): Appointment | undefined {
  if (!isOneOf(APPOINTMENT_ROLES, row.role) || (row.stage !== 2 && row.stage !== 3)) return undefined;
  return present<Appointment>({
    id: row.id,
    stage: row.stage,
    role: row.role,
    userId: undef(row.user_id),
    name: row.name,
    isExternal: row.is_external === 1,
    isChair: row.is_chair === 1,
    declarations: (row.declarations ?? '').split(',').filter((d) => d !== ''),
    declaredOn: undef(row.declared_on),
    appointedOn: row.appointed_on,
  });
}

export class LaterStageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async load(reference: string): Promise<LoadedLaterCase | undefined> {
    const loaded = await new CaseFactsRepository(this.db).load(reference);
    return loaded === undefined ? undefined : this.loadFor(loaded);
  }

  /**
   * The later stages of a case already loaded, with what else the caller has read of it already
   * (the case page): whether an advocate was offered at Stage 2, and the Stage 1 responding manager's name.
   */
  async loadFor(loaded: LoadedCase, known?: { readonly stage2AdvocacyOffered: boolean; readonly responder: { readonly userId: number; readonly name: string } | undefined }): Promise<LoadedLaterCase> {
    const id = loaded.id;
    const [stage2, stage3, points, appointments, offers, responder] = await Promise.all([
      this.db.selectFrom('stage2').selectAll().where('representation_id', '=', id).executeTakeFirst(),
      this.db.selectFrom('stage3').selectAll().where('representation_id', '=', id).executeTakeFirst(),
      this.db.selectFrom('complaint_point').select(['number', 'text', 'finding']).where('representation_id', '=', id).orderBy('number').execute(),
      this.db.selectFrom('appointment').selectAll().where('representation_id', '=', id).orderBy('id').execute(),
      known === undefined ? this.db.selectFrom('advocacy_offer').select('id').where('representation_id', '=', id).where('stage', '=', 2).execute() : Promise.resolve(known.stage2AdvocacyOffered ? [{}] : []),
      // The Stage 1 responding manager, whom the Stage 2 adjudicator must not be.
      loaded.facts.responderUserId === undefined
        ? Promise.resolve(undefined)
        : known !== undefined
          ? Promise.resolve(known.responder === undefined ? undefined : { id: known.responder.userId, name: known.responder.name })
          : this.db.selectFrom('app_user').select(['id', 'name']).where('id', '=', loaded.facts.responderUserId).executeTakeFirst(),
    ]);
    const laterClocks = loaded.clocks.filter((c) => LATER_CLOCK_KEYS.has(c.clockKey));
    const clocks: Partial<Record<string, ClockEvents>> = {};
    for (const clock of laterClocks) clocks[clock.clockKey] = clock.events;
    const stage2Facts =
      stage2 !== undefined && isOneOf(STAGE2_STATES, stage2.state)
        ? present<Stage2Facts>({
            state: stage2.state,
            requestedOn: stage2.requested_on,
            acknowledgedOn: undef(stage2.acknowledged_on),
            statementAgreedOn: undef(stage2.statement_agreed_on),
            reportReceivedOn: undef(stage2.report_received_on),
            respondedOn: undef(stage2.responded_on),
          })
        : undefined;
    const stage3Facts =
      stage3 !== undefined && isOneOf(STAGE3_STATES, stage3.state)
        ? present<Stage3Facts>({
            state: stage3.state,
            requestedOn: stage3.requested_on,
            acknowledgedOn: undef(stage3.acknowledged_on),
            panelMetOn: undef(stage3.panel_met_on),
            recommendationsReceivedOn: undef(stage3.recommendations_received_on),
            recommendations: stage3.recommendations === null ? undefined : recommendationLines(stage3.recommendations),
            respondedOn: undef(stage3.responded_on),
          })
        : undefined;
    const { facts: stage1 } = loaded;
    const stage1Key = isProcedureKind(stage1.kind) ? STAGE1_CLOCK_KEYS[stage1.kind] : undefined;
    const facts = present<LaterStageFacts>({
      kind: stage1.kind,
      status: stage1.status,
      receivedOn: stage1.receivedOn,
      complainantRole: stage1.complainantRole,
      stage1RespondedOn: stage1.respondedOn,
      stage1Clock: stage1Key === undefined ? undefined : loaded.clocks.find((c) => c.clockKey === stage1Key)?.events,
      withdrawnOn: stage1.withdrawnOn,
      stage2: stage2Facts,
      stage3: stage3Facts,
      points: points.map((p) => present({ number: p.number, text: p.text, finding: isFinding(p.finding) ? p.finding : undefined })),
      appointments: appointments.filter((a) => a.ended_on === null).flatMap((a) => toAppointment(a) ?? []),
      endedAppointments: appointments.filter((a) => a.ended_on !== null).flatMap((a) => toAppointment(a) ?? []),
      stage1Responder: responder === undefined ? undefined : { userId: responder.id, name: responder.name },
      stage2AdvocacyOffered: offers.length > 0,
      clocks,
    });
    return present({ loaded, facts, stage2, stage3, appointments, laterClocks });
  }

  async createStage(
    stage: 2 | 3,
    representationId: number,
    values: { state: string; requestedOn: string; windowEndsOn: string; isLate: boolean; lateOutcome?: string; lateReason?: string; lateDecidedOn?: string; createdBy: number },
    now: string,
  ): Promise<void> {
    await this.db
      .insertInto(stage === 2 ? 'stage2' : 'stage3')
      .values({
        representation_id: representationId,
        state: values.state,
        requested_on: values.requestedOn,
        window_ends_on: values.windowEndsOn,
        is_late: values.isLate ? 1 : 0,
        late_outcome: values.lateOutcome ?? null,
        late_reason: values.lateReason ?? null,
        late_decided_on: values.lateDecidedOn ?? null,
        created_by: values.createdBy,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  async updateStage(stage: 2 | 3, representationId: number, changes: Readonly<Record<string, string | number | null>>, now: string): Promise<void> {
    if (stage === 2) {
      await this.db.updateTable('stage2').set({ ...changes, updated_at: now }).where('representation_id', '=', representationId).execute();
    } else {
      await this.db.updateTable('stage3').set({ ...changes, updated_at: now }).where('representation_id', '=', representationId).execute();
    }
  }

  async replacePoints(representationId: number, points: readonly string[], now: string): Promise<void> {
    await this.db.deleteFrom('complaint_point').where('representation_id', '=', representationId).execute();
    if (points.length === 0) return;
    await this.db
      .insertInto('complaint_point')
      .values(points.map((text, index) => ({ representation_id: representationId, number: index + 1, text, created_at: now })))
      .execute();
  }

  async setFindings(representationId: number, findings: ReadonlyMap<number, string>): Promise<void> {
    for (const [number, finding] of findings) {
      await this.db.updateTable('complaint_point').set({ finding }).where('representation_id', '=', representationId).where('number', '=', number).execute();
    }
  }

  async endAppointments(representationId: number, roles: readonly string[], on: string): Promise<void> {
    if (roles.length === 0) return;
    await this.db
      .updateTable('appointment')
      .set({ ended_on: on })
      .where('representation_id', '=', representationId)
      .where('role', 'in', [...roles])
      .where('ended_on', 'is', null)
      .execute();
  }

  async addAppointments(representationId: number, stage: 2 | 3, appointments: readonly NewAppointment[], createdBy: number, now: string): Promise<void> {
    if (appointments.length === 0) return;
    await this.db
      .insertInto('appointment')
      .values(
        appointments.map((a) => ({
          representation_id: representationId,
          stage,
          role: a.role,
          user_id: a.userId ?? null,
          name: a.name,
          is_external: a.isExternal ? 1 : 0,
          is_chair: a.isChair ? 1 : 0,
          declarations: a.declarations.length === 0 ? null : a.declarations.join(','),
          declared_on: a.declaredOn ?? null,
          appointed_on: a.appointedOn,
          created_by: createdBy,
          created_at: now,
        })),
      )
      .execute();
  }

  async addAdvocacyOffer(representationId: number, offer: { offeredOn: string; outcome: string; provider: string }, recordedBy: number, now: string): Promise<void> {
    await this.db
      .insertInto('advocacy_offer')
      .values({ representation_id: representationId, stage: 2, offered_on: offer.offeredOn, outcome: offer.outcome, provider: offer.provider, recorded_by: recordedBy, created_at: now })
      .execute();
  }

  /** A user's name (undefined when there is no such user). */
  async userName(userId: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('app_user').select('name').where('id', '=', userId).executeTakeFirst();
    return row?.name;
  }

  /** Active users holding `role`, by name, for a form's list. */
  async usersWithRole(role: string): Promise<{ id: number; name: string }[]> {
    return this.db
      .selectFrom('app_user')
      .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
      .select(['app_user.id', 'app_user.name'])
      .where('user_role.role', '=', role)
      .where('app_user.is_active', '=', 1)
      .orderBy('app_user.name')
      .execute();
  }

  async isActiveUserWithRole(userId: number, role: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('app_user')
      .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
      .select('app_user.id')
      .where('app_user.id', '=', userId)
      .where('user_role.role', '=', role)
      .where('app_user.is_active', '=', 1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The users currently appointed to a case (for who may see it). */
  async appointedUserIds(representationId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('appointment')
      .select('user_id')
      .where('representation_id', '=', representationId)
      .where('ended_on', 'is', null)
      .where('user_id', 'is not', null)
      .execute();
    return rows.flatMap((r) => (r.user_id === null ? [] : [r.user_id]));
  }
}
