/** Ombudsman enquiries and their requests for information, read and written inside the caller's transaction. */
import { sql, type Kysely, type Selectable, type SqlBool, type Updateable } from 'kysely';
import { OMBUDSMAN_DECISIONS, type OmbudsmanDecision } from '../domain/taxonomies/ombudsman-decisions.ts';
import type { Database, OmbudsmanEnquiryTable, OmbudsmanInformationRequestTable } from './schema.ts';
import { notExcludedFrom } from './case-restriction-repository.ts';
import type { RestrictedPerson } from '../domain/cases/case-restriction.ts';
import type { EnquiryState } from '../domain/ombudsman/enquiry.ts';

export type EnquiryRow = Selectable<OmbudsmanEnquiryTable>;
export type InformationRequestRow = Selectable<OmbudsmanInformationRequestTable>;

/** A line of the register: the enquiry, its case and what is still open. */
export interface RegisterRow {
  readonly id: number;
  readonly lgscoReference: string;
  readonly caseReference: string;
  readonly teamName: string | null;
  readonly receivedOn: string;
  readonly decision: string | null;
  readonly decidedOn: string | null;
  readonly complianceDueOn: string | null;
  readonly complianceDoneOn: string | null;
  readonly openRequests: number;
  /** The earliest due date of an unanswered request for information. */
  readonly nextRequestDueOn: string | null;
}

/** What the Ombudsman found or asked for, as the annual report counts it (annual-details-query.ts). */
export const ENQUIRY_FINDINGS = ['fault', 'injustice', 'apology', 'payment', 'service_improvements'] as const;
export type EnquiryFinding = (typeof ENQUIRY_FINDINGS)[number];

/** Where compliance with the remedies stood on the as-at date, as the annual report counts it. */
export const ENQUIRY_COMPLIANCE = ['due', 'in_time', 'late', 'outstanding', 'not_yet_due'] as const;
export type EnquiryCompliance = (typeof ENQUIRY_COMPLIANCE)[number];

/**
 * The enquiries behind a figure of the annual report (each part optional, all ANDed):
 * received in a date range; and, as at `asAt`, the decision made by then (`none`: not
 * decided by then), what a decision made by then found or asked for, and where compliance
 * with its remedies stood then. The parts after the dates need `asAt`.
 */
export interface EnquiryFilter {
  readonly receivedFrom?: string | undefined;
  readonly receivedTo?: string | undefined;
  readonly asAt?: string | undefined;
  readonly decision?: OmbudsmanDecision | 'none' | undefined;
  readonly found?: EnquiryFinding | undefined;
  readonly compliance?: EnquiryCompliance | undefined;
}

/** What each finding or remedy of a decided enquiry `e` is, for the register's filters and the annual report's counts. */
export const FINDING_CONDITIONS: Readonly<Record<EnquiryFinding, ReturnType<typeof sql<SqlBool>>>> = {
  fault: sql<SqlBool>`e.is_fault = 1`,
  injustice: sql<SqlBool>`e.is_injustice = 1`,
  apology: sql<SqlBool>`e.remedy_apology = 1`,
  payment: sql<SqlBool>`e.remedy_amount_pence > 0`,
  service_improvements: sql<SqlBool>`(e.remedy_service_improvements is not null and e.remedy_service_improvements <> '')`,
};

/** An enquiry `e`'s compliance as it stood on `asAt`, for the register's filters and the annual report's counts. */
export function complianceCondition(compliance: EnquiryCompliance, asAt: string) {
  switch (compliance) {
    case 'due':
      return sql<SqlBool>`e.compliance_due_on is not null`;
    case 'in_time':
      return sql<SqlBool>`(e.compliance_done_on <= ${asAt} and e.compliance_done_on <= e.compliance_due_on)`;
    case 'late':
      return sql<SqlBool>`(e.compliance_done_on <= ${asAt} and e.compliance_done_on > e.compliance_due_on)`;
    // Not done by `asAt`: outstanding once its due date has passed, not yet due until then (the due date is the last day to comply).
    case 'outstanding':
      return sql<SqlBool>`(e.compliance_due_on < ${asAt} and (e.compliance_done_on is null or e.compliance_done_on > ${asAt}))`;
    case 'not_yet_due':
      return sql<SqlBool>`(e.compliance_due_on >= ${asAt} and (e.compliance_done_on is null or e.compliance_done_on > ${asAt}))`;
  }
}

export type EnquiryChanges = Partial<
  Pick<
    Updateable<OmbudsmanEnquiryTable>,
    'decision' | 'decided_on' | 'is_fault' | 'is_injustice' | 'remedy_apology' | 'remedy_amount_pence' | 'remedy_service_improvements' | 'compliance_due_on' | 'compliance_done_on'
  >
>;

/** A place in the register's order, as its keyset paging carries it. */
export interface RegisterKey {
  readonly receivedOn: string;
  readonly id: number;
}

/**
 * An enquiry `e` stands in `state` on `today`: the SQL form of `enquiryState`
 * (src/domain/ombudsman/enquiry.ts), so that the register filters by state before paging.
 */
export function enquiryStateCondition(state: EnquiryState, today: string) {
  const hasOpenRequest = sql<SqlBool>`exists (select 1 from ombudsman_information_request q where q.enquiry_id = e.id and q.answered_on is null)`;
  const remedyPending = sql<SqlBool>`(e.compliance_due_on is not null and e.compliance_done_on is null)`;
  switch (state) {
    case 'awaiting_information':
      return sql<SqlBool>`(e.decision is null and ${hasOpenRequest})`;
    case 'awaiting_decision':
      return sql<SqlBool>`(e.decision is null and not ${hasOpenRequest})`;
    case 'remedy_due':
      return sql<SqlBool>`(e.decision is not null and ${remedyPending} and e.compliance_due_on >= ${today})`;
    case 'remedy_overdue':
      return sql<SqlBool>`(e.decision is not null and ${remedyPending} and e.compliance_due_on < ${today})`;
    case 'closed':
      return sql<SqlBool>`(e.decision is not null and not ${remedyPending})`;
  }
}

type RegisterQueryRow = {
  id: number;
  lgsco_reference: string;
  reference: string;
  team_name: string | null;
  received_on: string;
  decision: string | null;
  decided_on: string | null;
  compliance_due_on: string | null;
  compliance_done_on: string | null;
  open_requests: number | string | null;
  next_due: string | null;
};

function registerRowOf(r: RegisterQueryRow): RegisterRow {
  return {
    id: r.id,
    lgscoReference: r.lgsco_reference,
    caseReference: r.reference,
    teamName: r.team_name,
    receivedOn: r.received_on,
    decision: r.decision,
    decidedOn: r.decided_on,
    complianceDueOn: r.compliance_due_on,
    complianceDoneOn: r.compliance_done_on,
    // PostgreSQL gives count(*) as a string.
    openRequests: Number(r.open_requests ?? 0),
    nextRequestDueOn: r.next_due ?? null,
  };
}

export class OmbudsmanRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The register, newest first: every enquiry, or those meeting `filter`; none about a case `excluding` is excluded from (restricted cases). */
  async register(filter: EnquiryFilter = {}, excluding?: RestrictedPerson): Promise<RegisterRow[]> {
    const rows = await this.registerQuery(filter, excluding).orderBy('e.received_on', 'desc').orderBy('e.id', 'desc').execute();
    return rows.map(registerRowOf);
  }

  /**
   * A page of the register, newest first (received, then id, both descending), found by its
   * place in that order (keyset paging: `after` the last row of the page before, `before` the
   * first row of the page after), and only those standing in `state` on `today` when given.
   * It reads at most `limit + 1` rows through the index on (received_on, id) and counts
   * nothing.
   */
  async registerPage(
    filter: EnquiryFilter,
    excluding: RestrictedPerson | undefined,
    state: { readonly state: EnquiryState; readonly today: string } | undefined,
    page: { readonly limit: number; readonly after?: RegisterKey | undefined; readonly before?: RegisterKey | undefined },
  ): Promise<{ rows: RegisterRow[]; hasMore: boolean }> {
    const isBackwards = page.after === undefined && page.before !== undefined;
    const key = page.after ?? page.before;
    // Newest first: the page after a row holds the rows below it in (received_on, id).
    const direction = isBackwards ? 'asc' : 'desc';
    let query = this.registerQuery(filter, excluding);
    if (state !== undefined) query = query.where(enquiryStateCondition(state.state, state.today));
    if (key !== undefined) {
      const row = sql`(e.received_on, e.id)`;
      const value = sql`(${key.receivedOn}, ${key.id})`;
      query = query.where(isBackwards ? sql<SqlBool>`${row} > ${value}` : sql<SqlBool>`${row} < ${value}`);
    }
    const rows = await query.orderBy('e.received_on', direction).orderBy('e.id', direction).limit(page.limit + 1).execute();
    const hasMore = rows.length > page.limit;
    const shown = rows.slice(0, page.limit);
    if (isBackwards) shown.reverse();
    return { rows: shown.map(registerRowOf), hasMore };
  }

  private registerQuery(filter: EnquiryFilter, excluding: RestrictedPerson | undefined) {
    const { receivedFrom, receivedTo, asAt, decision, found, compliance } = filter;
    return this.db
      .selectFrom('ombudsman_enquiry as e')
      .innerJoin('representation as r', 'r.id', 'e.representation_id')
      .leftJoin('team', 'team.id', 'r.team_id')
      .select((eb) => [
        'e.id',
        'e.lgsco_reference',
        'r.reference',
        'team.name as team_name',
        'e.received_on',
        'e.decision',
        'e.decided_on',
        'e.compliance_due_on',
        'e.compliance_done_on',
        eb
          .selectFrom('ombudsman_information_request as q')
          .select((q) => q.fn.countAll<number | string>().as('n'))
          .whereRef('q.enquiry_id', '=', 'e.id')
          .where('q.answered_on', 'is', null)
          .as('open_requests'),
        eb
          .selectFrom('ombudsman_information_request as q')
          .select((q) => q.fn.min('q.due_on').as('due'))
          .whereRef('q.enquiry_id', '=', 'e.id')
          .where('q.answered_on', 'is', null)
          .as('next_due'),
      ])
      .where(notExcludedFrom('e.representation_id', excluding))
      .$if(receivedFrom !== undefined, (q) => q.where('e.received_on', '>=', receivedFrom ?? ''))
      .$if(receivedTo !== undefined, (q) => q.where('e.received_on', '<=', receivedTo ?? ''))
      .$if(asAt !== undefined && decision === 'none', (q) =>
        q.where((eb) => eb.or([eb('e.decision', 'is', null), eb('e.decided_on', 'is', null), eb('e.decided_on', '>', asAt ?? ''), eb('e.decision', 'not in', [...OMBUDSMAN_DECISIONS])])),
      )
      .$if(asAt !== undefined && decision !== undefined && decision !== 'none', (q) => q.where('e.decision', '=', decision ?? '').where('e.decided_on', '<=', asAt ?? ''))
      .$if(asAt !== undefined && found !== undefined, (q) => q.where('e.decided_on', '<=', asAt ?? '').where(FINDING_CONDITIONS[found ?? 'fault']))
      .$if(asAt !== undefined && compliance !== undefined, (q) => q.where('e.decided_on', '<=', asAt ?? '').where(complianceCondition(compliance ?? 'due', asAt ?? '')));
  }

  async find(id: number): Promise<(EnquiryRow & { case_reference: string }) | undefined> {
    return this.db
      .selectFrom('ombudsman_enquiry as e')
      .innerJoin('representation as r', 'r.id', 'e.representation_id')
      .selectAll('e')
      .select('r.reference as case_reference')
      .where('e.id', '=', id)
      .executeTakeFirst();
  }

  async forRepresentation(representationId: number): Promise<EnquiryRow[]> {
    return this.db.selectFrom('ombudsman_enquiry').selectAll().where('representation_id', '=', representationId).orderBy('received_on').orderBy('id').execute();
  }

  async isReferenceTaken(lgscoReference: string): Promise<boolean> {
    const row = await this.db.selectFrom('ombudsman_enquiry').select('id').where('lgsco_reference', '=', lgscoReference).executeTakeFirst();
    return row !== undefined;
  }

  async create(values: { representationId: number; lgscoReference: string; receivedOn: string; createdBy: number }, now: string): Promise<number> {
    const { id } = await this.db
      .insertInto('ombudsman_enquiry')
      .values({ representation_id: values.representationId, lgsco_reference: values.lgscoReference, received_on: values.receivedOn, created_by: values.createdBy, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** Applies `changes` and moves the version on, if the enquiry is still at `expectedVersion`; false if it changed meanwhile. */
  async update(id: number, expectedVersion: number, changes: EnquiryChanges, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('ombudsman_enquiry')
      .set({ ...changes, version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async requests(enquiryId: number): Promise<InformationRequestRow[]> {
    return this.db.selectFrom('ombudsman_information_request').selectAll().where('enquiry_id', '=', enquiryId).orderBy('requested_on').orderBy('id').execute();
  }

  async addRequest(enquiryId: number, values: { requestedOn: string; dueOn: string; details: string }, now: string): Promise<void> {
    await this.db
      .insertInto('ombudsman_information_request')
      .values({ enquiry_id: enquiryId, requested_on: values.requestedOn, due_on: values.dueOn, details: values.details, created_at: now })
      .execute();
  }

  async answerRequest(requestId: number, answeredOn: string): Promise<void> {
    await this.db.updateTable('ombudsman_information_request').set({ answered_on: answeredOn }).where('id', '=', requestId).execute();
  }
}
