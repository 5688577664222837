/**
 * Enquiries of the Local Government and Social Care Ombudsman (LGSCO) about a complaint:
 * the enquiry, its requests for information (each with its own deadline),
 * the decision — fault, injustice and remedies — and the council's compliance with it.
 *
 * Each check returns every problem with what was entered (a form shows them all at once),
 * as DomainErrors whose `field` is the form field: empty when it would be accepted.
 */
import type { IsoDate } from '../calendar/iso-date.ts';
import { DomainError } from '../errors.ts';
import { checkDate } from '../date-checks.ts';
import { poundsToPence } from '../money.ts';
import { type OmbudsmanDecision, isOmbudsmanDecision } from '../taxonomies/ombudsman-decisions.ts';

/** Decisions that look at the substance, so say whether there was fault and injustice. */
const DECISIONS_ON_SUBSTANCE: readonly OmbudsmanDecision[] = ['upheld', 'not_upheld'];

/** Where an enquiry stands, for the register's filters and tags. */
export const ENQUIRY_STATES = ['awaiting_information', 'awaiting_decision', 'remedy_due', 'remedy_overdue', 'closed'] as const;
export type EnquiryState = (typeof ENQUIRY_STATES)[number];

export const ENQUIRY_STATE_LABELS: Readonly<Record<EnquiryState, string>> = {
  awaiting_information: 'Information asked for',
  awaiting_decision: 'Waiting for the decision',
  remedy_due: 'Remedy due',
  remedy_overdue: 'Remedy overdue',
  closed: 'Closed',
};

export interface EnquiryFacts {
  readonly decision: string | null;
  readonly complianceDueOn: string | null;
  readonly complianceDoneOn: string | null;
  /** Requests for information not answered yet. */
  readonly openInformationRequests: number;
}

export function enquiryState(enquiry: EnquiryFacts, today: IsoDate): EnquiryState {
  if (enquiry.decision === null) return enquiry.openInformationRequests > 0 ? 'awaiting_information' : 'awaiting_decision';
  if (enquiry.complianceDueOn !== null && enquiry.complianceDoneOn === null) return enquiry.complianceDueOn < today ? 'remedy_overdue' : 'remedy_due';
  return 'closed';
}

const LGSCO_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/ -]{0,38}$/;
const MAX_TEXT = 2_000;
const MAX_IMPROVEMENTS = 4_000;

export interface NewEnquiryInput {
  readonly lgscoReference: string;
  readonly receivedOn: string;
}

/** A new enquiry about a complaint received on `caseReceivedOn`. */
export function newEnquiryProblems(input: NewEnquiryInput, caseReceivedOn: IsoDate, today: IsoDate): DomainError[] {
  const problems: DomainError[] = [];
  const reference = input.lgscoReference.trim();
  if (reference === '') problems.push(new DomainError('missing_lgsco_reference', 'Enter the Ombudsman’s reference', 'lgsco_reference'));
  else if (!LGSCO_REFERENCE.test(reference)) {
    problems.push(new DomainError('invalid_lgsco_reference', 'The Ombudsman’s reference must be 40 letters, numbers, spaces, / or - at most, for example 24 012 345', 'lgsco_reference'));
  }
  checkDate(problems, 'received_on', input.receivedOn, 'the date the enquiry was received', { required: true, today, notBefore: { date: caseReceivedOn, what: 'the date the complaint was received' } });
  return problems;
}

export interface InformationRequestInput {
  readonly requestedOn: string;
  readonly dueOn: string;
  readonly details: string;
}

export function informationRequestProblems(input: InformationRequestInput, enquiryReceivedOn: IsoDate, today: IsoDate): DomainError[] {
  const problems: DomainError[] = [];
  const requestedOn = checkDate(problems, 'requested_on', input.requestedOn, 'the date the Ombudsman asked', {
    required: true,
    today,
    notBefore: { date: enquiryReceivedOn, what: 'the date the enquiry was received' },
  });
  checkDate(problems, 'due_on', input.dueOn, 'the date the answer is due', { required: true, ...(requestedOn === undefined ? {} : { notBefore: { date: requestedOn, what: 'the date of the request' } }) });
  const details = input.details.trim();
  if (details === '') problems.push(new DomainError('missing_details', 'Enter what the Ombudsman asked for', 'details'));
  else if (details.length > MAX_TEXT) problems.push(new DomainError('details_too_long', `What the Ombudsman asked for must be ${String(MAX_TEXT)} characters or fewer`, 'details'));
  return problems;
}

export function answerProblems(answeredOn: string, requestedOn: IsoDate, today: IsoDate): DomainError[] {
  const problems: DomainError[] = [];
  checkDate(problems, 'answered_on', answeredOn, 'the date the council answered', { required: true, today, notBefore: { date: requestedOn, what: 'the date of the request' } });
  return problems;
}

export interface DecisionInput {
  readonly decision: string;
  readonly decidedOn: string;
  /** 'yes', 'no' or '' as the form gives them. */
  readonly fault: string;
  readonly injustice: string;
  readonly apology: boolean;
  /** Pounds as typed, e.g. "250", "£1,250.50"; '' for none. */
  readonly amount: string;
  readonly serviceImprovements: string;
  readonly complianceDueOn: string;
}

export interface CheckedDecision {
  readonly decision: OmbudsmanDecision;
  readonly decidedOn: IsoDate;
  readonly isFault: boolean | null;
  readonly isInjustice: boolean | null;
  readonly apology: boolean;
  readonly amountPence: number | null;
  readonly serviceImprovements: string | null;
  readonly complianceDueOn: IsoDate | null;
}

function yesNo(problems: DomainError[], field: string, value: string, question: string, required: boolean): boolean | null {
  if (value === 'yes') return true;
  if (value === 'no') return false;
  if (value !== '' || required) problems.push(new DomainError(`missing_${field}`, `Select whether ${question}`, field));
  return null;
}

/**
 * The decision on an enquiry received on `receivedOn`: a decision code and date; for a
 * decision on the substance (upheld, not upheld) whether there was fault and injustice; an
 * upheld complaint has fault; any remedy needs a date by which the council must comply, and a
 * date to comply needs a remedy.
 */
export function decisionProblems(input: DecisionInput, receivedOn: IsoDate, today: IsoDate): { problems: DomainError[]; decision?: CheckedDecision } {
  const problems: DomainError[] = [];
  const code = input.decision.trim();
  if (!isOmbudsmanDecision(code)) problems.push(new DomainError(code === '' ? 'missing_decision' : 'invalid_decision', 'Select the Ombudsman’s decision', 'decision'));
  const decidedOn = checkDate(problems, 'decided_on', input.decidedOn, 'the date of the decision', { required: true, today, notBefore: { date: receivedOn, what: 'the date the enquiry was received' } });
  const onSubstance = isOmbudsmanDecision(code) && DECISIONS_ON_SUBSTANCE.includes(code);
  const isFault = yesNo(problems, 'fault', input.fault, 'the Ombudsman found fault', onSubstance);
  const isInjustice = yesNo(problems, 'injustice', input.injustice, 'the fault caused injustice', onSubstance && isFault === true);
  if (code === 'upheld' && isFault === false) problems.push(new DomainError('upheld_without_fault', 'An upheld complaint is one where the Ombudsman found fault: select Yes, or choose another decision', 'fault'));

  let amountPence: number | null = null;
  if (input.amount.trim() !== '') {
    const pence = poundsToPence(input.amount);
    if (pence === undefined || pence === 0) problems.push(new DomainError('invalid_amount', 'Enter the amount in pounds, for example 250 or 1,250.50', 'amount'));
    else amountPence = pence;
  }
  const improvements = input.serviceImprovements.trim();
  if (improvements.length > MAX_IMPROVEMENTS) {
    problems.push(new DomainError('service_improvements_too_long', `Service improvements must be ${String(MAX_IMPROVEMENTS)} characters or fewer`, 'service_improvements'));
  }
  const hasRemedy = input.apology || amountPence !== null || improvements !== '';
  const complianceDueOn = checkDate(problems, 'compliance_due_on', input.complianceDueOn, 'the date the remedy is due', {
    required: hasRemedy,
    ...(decidedOn === undefined ? {} : { notBefore: { date: decidedOn, what: 'the date of the decision' } }),
  });
  if (!hasRemedy && complianceDueOn !== undefined) {
    problems.push(new DomainError('compliance_without_remedy', 'Select or enter the remedy the council must carry out, or remove the date it is due', 'compliance_due_on'));
  }
  if (problems.length > 0 || !isOmbudsmanDecision(code) || decidedOn === undefined) return { problems };
  return {
    problems,
    decision: {
      decision: code,
      decidedOn,
      isFault,
      isInjustice,
      apology: input.apology,
      amountPence,
      serviceImprovements: improvements === '' ? null : improvements,
      complianceDueOn: complianceDueOn ?? null,
    },
  };
}

/** The council complied with the remedies: on or after the decision, not in the future; only when a remedy is due. */
export function complianceProblems(doneOn: string, enquiry: { decidedOn: IsoDate | null; complianceDueOn: IsoDate | null }, today: IsoDate): DomainError[] {
  if (enquiry.decidedOn === null || enquiry.complianceDueOn === null) {
    return [new DomainError('no_remedy_due', 'There is no remedy to comply with: record the Ombudsman’s decision and its remedies first')];
  }
  const problems: DomainError[] = [];
  checkDate(problems, 'done_on', doneOn, 'the date the council complied', { required: true, today, notBefore: { date: enquiry.decidedOn, what: 'the date of the decision' } });
  return problems;
}
