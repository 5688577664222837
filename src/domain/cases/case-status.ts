/**
 * Where a case stands: at Stage 1, or at Stage 2 or 3 (`stage2`, `stage3`; after a later stage's
 * response the case is `responded` again). The statuses say whose move it is; the Stage 1 clock's own
 * state (running, paused, extended) is kept by the clock, not here, because a clock can be
 * paused or extended in several of these statuses.
 */
import { isOneOf } from '../taxonomies/code-list.ts';

export const CASE_STATUSES = [
  /** Arrived from the public form: the complaints team has not checked and registered it yet. */
  'awaiting_registration',
  /** Registered (reference given, kind decided), waiting to be allocated. */
  'registered',
  /** With a responding manager to answer. */
  'allocated',
  /** The complaints team has asked the complainant for more information. */
  'awaiting_information',
  /** No information came: a letter has said the case will be closed. */
  'closure_warning_sent',
  /** The Stage 1 response has been recorded. */
  'responded',
  /** Stage 2: the complaint is being investigated (src/domain/cases/later-stage-workflow.ts). */
  'stage2',
  /** Stage 3: a review panel has been asked for. */
  'stage3',
  /** Withdrawn by the complainant, or for want of a reply after the closure letter. No finding. */
  'withdrawn',
  /** Nothing more to do at Stage 1. */
  'closed',
] as const;

export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABELS: Readonly<Record<CaseStatus, string>> = {
  awaiting_registration: 'Waiting to be registered',
  registered: 'Waiting to be allocated',
  allocated: 'With the responding manager',
  awaiting_information: 'Waiting for information',
  closure_warning_sent: 'Closure letter sent',
  responded: 'Responded',
  stage2: 'At Stage 2: investigation',
  stage3: 'At Stage 3: review panel',
  withdrawn: 'Withdrawn',
  closed: 'Closed',
};

export function isCaseStatus(value: unknown): value is CaseStatus {
  return isOneOf(CASE_STATUSES, value);
}

/** Registered and not yet answered, withdrawn or closed: the Stage 1 clock is running (or paused). */
export const STAGE1_OPEN_STATUSES = ['registered', 'allocated', 'awaiting_information', 'closure_warning_sent'] as const satisfies readonly CaseStatus[];

/** A withdrawn or closed case: the ones a complaints manager may re-open. */
export const ENDED_STATUSES = ['withdrawn', 'closed'] as const satisfies readonly CaseStatus[];

export function isEndedStatus(value: unknown): value is (typeof ENDED_STATUSES)[number] {
  return isOneOf(ENDED_STATUSES, value);
}
