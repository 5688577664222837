/**
 * The annual report's figures beyond the `redress.annual-report/1` contract (the report
 * has these sections; the JSON has no keys for them): Stage 2 and Stage 3 timeliness and
 * the Stage 2 cost by heading, and what the Ombudsman's decisions asked of the council.
 * Counted in SQL on both engines, by the date of the event in the year, like the contract's
 * Stage 2/3 and Ombudsman figures.
 *
 * Timeliness is read from each stage's clock (src/domain/clocks): its `due_on` is kept up to
 * date with the extensions and pauses recorded, so a response on or before it was in time;
 * a clock whose events hold an extension was extended. The conditions are the ones the
 * drill-down lists filter by (`clockExtended`, the Ombudsman register's), so a figure and
 * its list cannot drift apart.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { IsoDate } from '../../domain/calendar/iso-date.ts';
import { clockExtended } from '../../db/case-read-repository.ts';
import { complianceCondition, FINDING_CONDITIONS } from '../../db/ombudsman-repository.ts';
import { count, ofChildrenAct } from './annual-figures-query.ts';

export interface Stage2Details {
  /** Adjudications (Stage 2 responses) made in the year. */
  readonly responded: number;
  /** In time without an extension (25 working days). */
  readonly inTime: number;
  /** In time once extended (up to 65 working days). */
  readonly inExtendedTime: number;
  /** After the time allowed. */
  readonly late: number;
  /** With no clock to tell (recorded by import, without the dates the clock needs). */
  readonly notKnown: number;
  readonly costPence: { readonly investigator: number; readonly independentPerson: number; readonly other: number };
}

export interface Stage3Details {
  readonly panelsHeld: number;
  /** Panels held within 30 working days of the request. */
  readonly panelsInTime: number;
  readonly recommendations: number;
  /** Recommendations within 5 working days of the panel. */
  readonly recommendationsInTime: number;
  /** Council responses made in the year. */
  readonly responses: number;
  /** Within 15 working days of the recommendations. */
  readonly responsesInTime: number;
}

export interface OmbudsmanDetails {
  /** Decided enquiries (received in the year, decided by `as_at`) finding fault. */
  readonly fault: number;
  readonly injustice: number;
  readonly apologies: number;
  /** Decisions asking for a payment, and their total. */
  readonly payments: number;
  readonly paymentsPence: number;
  readonly serviceImprovements: number;
  /** Decisions with a date by which the council must comply. */
  readonly complianceDue: number;
  readonly compliedInTime: number;
  readonly compliedLate: number;
  /** Past their due date and not complied with by `as_at`. */
  readonly complianceOutstanding: number;
  /** Not complied with by `as_at`, which is not past their due date: never counted as failures. */
  readonly complianceNotYetDue: number;
}

/** The year's complaints taken to Stage 2 with no Stage 1 response, by route. */
export interface EscalationDetails {
  /** Once Stage 1 was past its deadline with no response: a Stage 1 that ran late. */
  readonly pastDeadline: number;
  /** By agreement between the council and the complainant. */
  readonly byAgreement: number;
}

export interface AnnualDetails {
  readonly escalations: EscalationDetails;
  readonly stage2: Stage2Details;
  readonly stage3: Stage3Details;
  readonly ombudsman: OmbudsmanDetails;
}

type Count = number | string | bigint | null;

export class AnnualDetailsQuery {
  constructor(private readonly db: Kysely<Database>) {}

  /** The details for the period `from`–`upTo` (events dated in it), decisions and compliance as at `asAt`. */
  async details(from: IsoDate, upTo: IsoDate, asAt: IsoDate): Promise<AnnualDetails> {
    return {
      escalations: await this.escalations(from, upTo, asAt),
      stage2: await this.stage2(from, upTo),
      stage3: await this.stage3(from, upTo),
      ombudsman: await this.ombudsman(from, upTo, asAt),
    };
  }

  /** Complaints received in the period and taken to Stage 2 by `asAt` without a Stage 1 response, as the outcomes count them. */
  private async escalations(from: IsoDate, upTo: IsoDate, asAt: IsoDate): Promise<EscalationDetails> {
    const rows = await this.db
      .selectFrom('stage2 as s')
      .innerJoin('representation as r', 'r.id', 's.representation_id')
      .where('r.kind', '=', 'children_statutory')
      .where('r.received_on', '>=', from)
      .where('r.received_on', '<=', upTo)
      .where('s.route', 'is not', null)
      .where('s.requested_on', '<=', asAt)
      .where((eb) => eb.or([eb('r.responded_on', 'is', null), eb('r.responded_on', '>', asAt)]))
      .where((eb) => eb.or([eb('r.withdrawn_on', 'is', null), eb('r.withdrawn_on', '>', asAt)]))
      .select((eb) => ['s.route', eb.fn.countAll<number | string>().as('n')])
      .groupBy('s.route')
      .execute();
    const of = (route: string): number => Number(rows.find((row) => row.route === route)?.n ?? 0);
    return { pastDeadline: of('no_response'), byAgreement: of('by_agreement') };
  }

  private async stage2(from: IsoDate, upTo: IsoDate): Promise<Stage2Details> {
    const extended = clockExtended('c');
    const inTime = sql<boolean>`c.due_on >= s.responded_on`;
    const row = await this.db
      .selectFrom('stage2 as s')
      .leftJoin('clock as c', (join) => join.on('c.subject_type', '=', 'representation').onRef('c.subject_id', '=', 's.representation_id').on('c.clock_key', '=', 'stage2_response'))
      .where('s.responded_on', '>=', from)
      .where('s.responded_on', '<=', upTo)
      .where((eb) => eb.exists(ofChildrenAct(eb)))
      .select((eb) => [
        eb.fn.countAll<number | string>().as('responded'),
        sql<Count>`sum(case when ${inTime} and not ${extended} then 1 else 0 end)`.as('in_time'),
        sql<Count>`sum(case when ${inTime} and ${extended} then 1 else 0 end)`.as('in_extended_time'),
        sql<Count>`sum(case when c.id is null then 1 else 0 end)`.as('not_known'),
        sql<Count>`sum(coalesce(s.cost_investigator_pence, 0))`.as('investigator'),
        sql<Count>`sum(coalesce(s.cost_independent_person_pence, 0))`.as('independent_person'),
        sql<Count>`sum(coalesce(s.cost_other_pence, 0))`.as('other'),
      ])
      .executeTakeFirst();
    const responded = count(row?.responded);
    const inTimeCount = count(row?.in_time);
    const inExtended = count(row?.in_extended_time);
    const notKnown = count(row?.not_known);
    return {
      responded,
      inTime: inTimeCount,
      inExtendedTime: inExtended,
      late: responded - inTimeCount - inExtended - notKnown,
      notKnown,
      costPence: { investigator: count(row?.investigator), independentPerson: count(row?.independent_person), other: count(row?.other) },
    };
  }

  private async stage3(from: IsoDate, upTo: IsoDate): Promise<Stage3Details> {
    /** Events dated in the year, and those on or before their clock's due date. */
    const step = (column: 'panel_met_on' | 'recommendations_received_on' | 'responded_on', clockKey: string) =>
      this.db
        .selectFrom('stage3 as s')
        .leftJoin('clock as c', (join) => join.on('c.subject_type', '=', 'representation').onRef('c.subject_id', '=', 's.representation_id').on('c.clock_key', '=', clockKey))
        .where(`s.${column}`, '>=', from)
        .where(`s.${column}`, '<=', upTo)
        .where((eb) => eb.exists(ofChildrenAct(eb)))
        .select((eb) => [eb.fn.countAll<number | string>().as('n'), sql<Count>`sum(case when c.due_on >= ${sql.ref(`s.${column}`)} then 1 else 0 end)`.as('in_time')])
        .executeTakeFirst();
    const panels = await step('panel_met_on', 'panel_meeting');
    const recommendations = await step('recommendations_received_on', 'panel_recommendations');
    const responses = await step('responded_on', 'council_response');
    return {
      panelsHeld: count(panels?.n),
      panelsInTime: count(panels?.in_time),
      recommendations: count(recommendations?.n),
      recommendationsInTime: count(recommendations?.in_time),
      responses: count(responses?.n),
      responsesInTime: count(responses?.in_time),
    };
  }

  private async ombudsman(from: IsoDate, upTo: IsoDate, asAt: IsoDate): Promise<OmbudsmanDetails> {
    const when = (condition: ReturnType<typeof sql>) => sql<Count>`sum(case when ${condition} then 1 else 0 end)`;
    const row = await this.db
      .selectFrom('ombudsman_enquiry as e')
      .where('e.received_on', '>=', from)
      .where('e.received_on', '<=', upTo)
      .where('e.decided_on', '<=', asAt)
      .select([
        when(FINDING_CONDITIONS.fault).as('fault'),
        when(FINDING_CONDITIONS.injustice).as('injustice'),
        when(FINDING_CONDITIONS.apology).as('apologies'),
        when(FINDING_CONDITIONS.payment).as('payments'),
        sql<Count>`sum(coalesce(e.remedy_amount_pence, 0))`.as('payments_pence'),
        when(FINDING_CONDITIONS.service_improvements).as('service_improvements'),
        when(complianceCondition('due', asAt)).as('compliance_due'),
        when(complianceCondition('in_time', asAt)).as('complied_in_time'),
        when(complianceCondition('late', asAt)).as('complied_late'),
        when(complianceCondition('outstanding', asAt)).as('outstanding'),
        when(complianceCondition('not_yet_due', asAt)).as('not_yet_due'),
      ])
      .executeTakeFirst();
    return {
      fault: count(row?.fault),
      injustice: count(row?.injustice),
      apologies: count(row?.apologies),
      payments: count(row?.payments),
      paymentsPence: count(row?.payments_pence),
      serviceImprovements: count(row?.service_improvements),
      complianceDue: count(row?.compliance_due),
      compliedInTime: count(row?.complied_in_time),
      compliedLate: count(row?.complied_late),
      complianceOutstanding: count(row?.outstanding),
      complianceNotYetDue: count(row?.not_yet_due),
    };
  }
}
