/**
 * The Ombudsman register: enquiries of the Local Government and Social Care Ombudsman about
 * complaints, their requests for information, decisions and the council's compliance.
 * Every change is one transaction with a version check (`stale_update`), a
 * line in the complaint's history and an audit event; every view of an enquiry is audited.
 * Nothing personal is written to the audit details or the history summary.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { type EnquiryChanges, type EnquiryFilter, type EnquiryRow, type InformationRequestRow, OmbudsmanRepository, type RegisterKey, type RegisterRow } from '../db/ombudsman-repository.ts';
import { DomainError, refuseProblems } from '../domain/errors.ts';
import {
  type DecisionInput,
  ENQUIRY_STATE_LABELS,
  type EnquiryState,
  type InformationRequestInput,
  type NewEnquiryInput,
  answerProblems,
  complianceProblems,
  decisionProblems,
  enquiryState,
  informationRequestProblems,
  newEnquiryProblems,
} from '../domain/ombudsman/enquiry.ts';
import { isComplaintKind, isRepresentationKind } from '../domain/taxonomies/representation-kinds.ts';
import type { Clock } from './clock.ts';
import type { StaffActor } from './registration-service.ts';
import { CaseRestrictionRepository } from '../db/case-restriction-repository.ts';
import type { RestrictedPerson } from '../domain/cases/case-restriction.ts';

export const OMBUDSMAN_SUBJECT = 'ombudsman_enquiry';

export interface RegisterEntry extends RegisterRow {
  readonly state: EnquiryState;
}

/** Enquiries on one page of the register. */
export const REGISTER_PAGE_SIZE = 50;

export interface RegisterPage {
  readonly entries: readonly RegisterEntry[];
  /** The key the next page starts after; undefined on the last page. */
  readonly next: RegisterKey | undefined;
  /** The key the previous page ends before; undefined on the first page. */
  readonly previous: RegisterKey | undefined;
}

export interface EnquiryView {
  readonly enquiry: EnquiryRow & { case_reference: string };
  readonly requests: readonly InformationRequestRow[];
  readonly state: EnquiryState;
}

export class OmbudsmanService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Every enquiry, newest first, with where it stands (optionally only those in `state`, and those meeting `filter`: the enquiries behind a report's figure). */
  async register(state?: EnquiryState, filter: EnquiryFilter = {}, excluding?: RestrictedPerson): Promise<RegisterEntry[]> {
    const today = this.today();
    // Restricted cases: the enquiries about a case the reader is excluded from are left out.
    const rows = await new OmbudsmanRepository(this.db).register(filter, excluding);
    const entries = rows.map((row) => ({
      ...row,
      state: enquiryState({ decision: row.decision, complianceDueOn: row.complianceDueOn, complianceDoneOn: row.complianceDoneOn, openInformationRequests: row.openRequests }, today),
    }));
    return state === undefined ? entries : entries.filter((e) => e.state === state);
  }

  /**
   * A page of the register, newest first (at most `REGISTER_PAGE_SIZE`), found by its place
   * in the order (`after` or `before` a neighbouring row's key) and without counting the
   * whole register; `next` and `previous` are the keys the neighbouring pages start from.
   */
  async registerPage(
    state: EnquiryState | undefined,
    filter: EnquiryFilter,
    excluding: RestrictedPerson | undefined,
    page: { readonly after?: RegisterKey | undefined; readonly before?: RegisterKey | undefined } = {},
  ): Promise<RegisterPage> {
    const today = this.today();
    const { after, before } = page;
    const { rows, hasMore } = await new OmbudsmanRepository(this.db).registerPage(filter, excluding, state === undefined ? undefined : { state, today }, { limit: REGISTER_PAGE_SIZE, after, before });
    const isBackwards = after === undefined && before !== undefined;
    const hasNext = isBackwards ? true : hasMore;
    const hasPrevious = isBackwards ? hasMore : after !== undefined;
    const first = rows[0];
    const last = rows.at(-1);
    const keyOf = (row: RegisterRow): RegisterKey => ({ receivedOn: row.receivedOn, id: row.id });
    return {
      entries: rows.map((row) => ({ ...row, state: this.stateOf(row, today) })),
      next: hasNext && last !== undefined ? keyOf(last) : undefined,
      previous: hasPrevious && first !== undefined ? keyOf(first) : undefined,
    };
  }

  private stateOf(row: RegisterRow, today: string): EnquiryState {
    return enquiryState({ decision: row.decision, complianceDueOn: row.complianceDueOn, complianceDoneOn: row.complianceDoneOn, openInformationRequests: row.openRequests }, today);
  }

  /** The enquiries about one complaint, for its case page. */
  async forRepresentation(representationId: number): Promise<{ id: number; lgscoReference: string; receivedOn: string; stateLabel: string }[]> {
    const repository = new OmbudsmanRepository(this.db);
    const today = this.today();
    const enquiries = await repository.forRepresentation(representationId);
    return Promise.all(
      enquiries.map(async (e) => ({
        id: e.id,
        lgscoReference: e.lgsco_reference,
        receivedOn: e.received_on,
        stateLabel: ENQUIRY_STATE_LABELS[enquiryState(this.factsOf(e, await repository.requests(e.id)), today)],
      })),
    );
  }

  /** An enquiry and its requests (audited as a view), or `enquiry_not_found`. */
  async view(id: number, actor: StaffActor): Promise<EnquiryView> {
    const repository = new OmbudsmanRepository(this.db);
    const enquiry = await repository.find(id);
    if (enquiry === undefined) throw notFound();
    if (await new CaseRestrictionRepository(this.db).isExcluded(enquiry.representation_id, actor)) {
      await new AuditRepository(this.db).record({ ...actor, action: 'case_view_refused', entityType: 'representation', entityId: String(enquiry.representation_id) }, this.clock().toISOString());
      throw notFound();
    }
    const requests = await repository.requests(id);
    await new AuditRepository(this.db).record({ ...actor, action: 'ombudsman_enquiry_viewed', entityType: OMBUDSMAN_SUBJECT, entityId: String(id) }, this.clock().toISOString());
    return { enquiry, requests, state: enquiryState(this.factsOf(enquiry, requests), this.today()) };
  }

  /** Records an enquiry about the complaint `caseReference`; returns its id. */
  async create(caseReference: string, input: NewEnquiryInput, actor: StaffActor): Promise<number> {
    const now = this.clock().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const reference = caseReference.trim().toUpperCase();
      const representation = await trx.selectFrom('representation').select(['id', 'kind', 'received_on']).where('reference', '=', reference).executeTakeFirst();
      if (representation === undefined || !isRepresentationKind(representation.kind) || !isComplaintKind(representation.kind)) {
        throw new DomainError('case_not_found', 'Enter the reference of a complaint, for example CSC-2026-0042', 'case_reference');
      }
      const problems = newEnquiryProblems(input, representation.received_on, now.slice(0, 10));
      const lgscoReference = input.lgscoReference.trim();
      const repository = new OmbudsmanRepository(trx);
      if (problems.length === 0 && (await repository.isReferenceTaken(lgscoReference))) {
        problems.push(new DomainError('lgsco_reference_taken', 'There is already an enquiry with that Ombudsman reference', 'lgsco_reference'));
      }
      refuseProblems(problems);
      const id = await repository.create({ representationId: representation.id, lgscoReference, receivedOn: input.receivedOn, createdBy: actor.userId }, now);
      await this.log(trx, actor, { enquiryId: id, representationId: representation.id, action: 'ombudsman_enquiry_received', summary: 'Ombudsman enquiry received', after: { lgsco_reference: lgscoReference, received_on: input.receivedOn } }, now);
      return id;
    });
  }

  async addInformationRequest(id: number, input: InformationRequestInput, actor: StaffActor, version: number): Promise<void> {
    await this.change(id, version, actor, async (repository, enquiry, today, now) => {
      refuseProblems(informationRequestProblems(input, enquiry.received_on, today));
      await repository.addRequest(id, { requestedOn: input.requestedOn, dueOn: input.dueOn, details: input.details.trim() }, now);
      return { action: 'ombudsman_information_requested', summary: 'Ombudsman asked for information', changes: {}, after: { requested_on: input.requestedOn, due_on: input.dueOn } };
    });
  }

  async answerInformationRequest(id: number, requestId: number, answeredOn: string, actor: StaffActor, version: number): Promise<void> {
    await this.change(id, version, actor, async (repository, _enquiry, today) => {
      const request = (await repository.requests(id)).find((r) => r.id === requestId);
      if (request === undefined) throw notFound();
      if (request.answered_on !== null) throw new DomainError('already_answered', 'That request has already been answered', 'answered_on');
      refuseProblems(answerProblems(answeredOn, request.requested_on, today));
      await repository.answerRequest(requestId, answeredOn);
      return { action: 'ombudsman_information_sent', summary: 'Information sent to the Ombudsman', changes: {}, after: { answered_on: answeredOn, due_on: request.due_on } };
    });
  }

  async recordDecision(id: number, input: DecisionInput, actor: StaffActor, version: number): Promise<void> {
    await this.change(id, version, actor, (_repository, enquiry, today) => {
      if (enquiry.decision !== null) throw new DomainError('already_decided', 'The Ombudsman’s decision has already been recorded');
      const { problems, decision } = decisionProblems(input, enquiry.received_on, today);
      refuseProblems(problems);
      if (decision === undefined) throw new Error('a decision without problems must be checked');
      const flag = (value: boolean | null): 0 | 1 | null => (value === null ? null : value ? 1 : 0);
      const changes: EnquiryChanges = {
        decision: decision.decision,
        decided_on: decision.decidedOn,
        is_fault: flag(decision.isFault),
        is_injustice: flag(decision.isInjustice),
        remedy_apology: decision.apology ? 1 : 0,
        remedy_amount_pence: decision.amountPence,
        remedy_service_improvements: decision.serviceImprovements,
        compliance_due_on: decision.complianceDueOn,
      };
      return Promise.resolve({ action: 'ombudsman_decision', summary: 'Ombudsman’s decision recorded', changes, after: { ...changes } });
    });
  }

  async recordCompliance(id: number, doneOn: string, actor: StaffActor, version: number): Promise<void> {
    await this.change(id, version, actor, (_repository, enquiry, today) => {
      if (enquiry.compliance_done_on !== null) throw new DomainError('already_complied', 'Compliance has already been recorded');
      refuseProblems(complianceProblems(doneOn, { decidedOn: enquiry.decided_on, complianceDueOn: enquiry.compliance_due_on }, today));
      return Promise.resolve({ action: 'ombudsman_compliance', summary: 'Ombudsman’s remedy carried out', changes: { compliance_done_on: doneOn }, after: { compliance_done_on: doneOn } });
    });
  }

  /** Loads the enquiry, lets `work` check and write, then moves its version on and logs it — all in one transaction. */
  private async change(
    id: number,
    version: number,
    actor: StaffActor,
    work: (
      repository: OmbudsmanRepository,
      enquiry: EnquiryRow,
      today: string,
      now: string,
    ) => Promise<{ action: string; summary: string; changes: EnquiryChanges; after: Record<string, unknown> }>,
  ): Promise<void> {
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const repository = new OmbudsmanRepository(trx);
      const enquiry = await repository.find(id);
      if (enquiry === undefined) throw notFound();
      if (enquiry.version !== version) throw staleUpdate();
      const done = await work(repository, enquiry, now.slice(0, 10), now);
      if (!(await repository.update(id, version, done.changes, now))) throw staleUpdate();
      await this.log(trx, actor, { enquiryId: id, representationId: enquiry.representation_id, action: done.action, summary: done.summary, after: done.after }, now);
    });
  }

  private async log(
    trx: Kysely<Database>,
    actor: StaffActor,
    entry: { enquiryId: number; representationId: number; action: string; summary: string; after: Record<string, unknown> },
    now: string,
  ): Promise<void> {
    await new HistoryRepository(trx).add(
      { subjectType: REPRESENTATION_SUBJECT, subjectId: entry.representationId, userId: actor.userId, action: entry.action, summary: entry.summary, after: entry.after },
      now,
    );
    await new AuditRepository(trx).record({ ...actor, action: entry.action, entityType: OMBUDSMAN_SUBJECT, entityId: String(entry.enquiryId) }, now);
  }

  private factsOf(enquiry: EnquiryRow, requests: readonly InformationRequestRow[]) {
    return {
      decision: enquiry.decision,
      complianceDueOn: enquiry.compliance_due_on,
      complianceDoneOn: enquiry.compliance_done_on,
      openInformationRequests: requests.filter((r) => r.answered_on === null).length,
    };
  }

  private today(): string {
    return this.clock().toISOString().slice(0, 10);
  }
}

function notFound(): DomainError {
  return new DomainError('enquiry_not_found', 'There is no such Ombudsman enquiry');
}

function staleUpdate(): DomainError {
  return new DomainError('stale_update', 'Someone else changed this enquiry while you were working on it. Check it, then save your answers again.');
}
