/**
 * The complaint procedures and their clocks, as data. The workflow,
 * the pages and the clock engine read these definitions; none of them re-encodes a time limit.
 *
 * Each clock says which recorded event starts it and which stops it, how long it runs, how
 * far it may be extended (the cap), whether it may be paused, and what must be recorded
 * when it is extended or put on hold.
 */
import { DomainError } from '../errors.ts';
import { type CouncilSettings, DEFAULT_COUNCIL_SETTINGS, validateCouncilSettings } from './council-settings.ts';

export type ProcedureKind = 'children_statutory' | 'corporate' | 'adult_statutory';

export const PROCEDURE_KINDS: readonly ProcedureKind[] = ['children_statutory', 'corporate', 'adult_statutory'];

/** The recorded events that start and stop clocks. */
export type ClockEventName =
  | 'received'
  | 'acknowledged'
  | 'stage1_responded'
  | 'stage2_requested'
  | 'stage2_acknowledged'
  | 'stage2_statement_agreed'
  | 'stage2_responded'
  | 'stage3_requested'
  | 'panel_met'
  | 'recommendations_received'
  | 'stage3_responded'
  | 'responded';

/** What must be recorded with an extension or a pause. */
export type RecordedItem = 'reason' | 'complainant_told_on';

/**
 * How long a clock runs. Working days follow the counting rule (working day N after day 0).
 * Months are for the adult social care response period; see `clock-engine.ts` for how a
 * period in months becomes a due date.
 */
export type ClockLength = { unit: 'working_days'; value: number } | { unit: 'months'; value: number };

export interface ClockDefinition {
  /** Stable key, unique within its procedure, e.g. `stage1_response`. */
  key: string;
  /** What staff see. */
  label: string;
  /** The stage the clock belongs to (the acknowledgement belongs to stage 1). */
  stage: number;
  startsOn: ClockEventName;
  /** When the start event has not been recorded, the event whose date stands in for it. */
  startDefaultsTo?: ClockEventName;
  stopsOn: ClockEventName;
  length: ClockLength;
  /** The council setting the length comes from, when it is one. */
  lengthSetting?: LengthSetting;
  /** The most working days the clock may run with its extensions; absent when there is no cap. */
  capWorkingDays?: number;
  canExtend: boolean;
  /**
   * Whether a hold may pause the clock, where the council's policy allows it (the clock
   * records the policy's maximum when it starts). A hold on any other clock is shown but
   * never moves its deadline.
   */
  canPause: boolean;
  recordOnExtension: readonly RecordedItem[];
  recordOnPause: readonly RecordedItem[];
  /**
   * A window for the complainant to ask for the next stage, not a deadline for the council:
   * a late request is never refused automatically — the decision and its reason are recorded.
   */
  isRequestWindow: boolean;
  /** The length is agreed with the complainant case by case (the default applies until it is). */
  isLengthAgreed: boolean;
  /** Where the rule comes from. */
  basis: string;
}

export interface ProcedureDefinition {
  kind: ProcedureKind;
  label: string;
  stages: number;
  clocks: readonly ClockDefinition[];
}

/** The council settings a clock's length may come from. */
type LengthSetting = 'childrenAcknowledgementDays' | 'corporateAcknowledgementDays' | 'adultAcknowledgementDays' | 'adultResponseMonths';

/** A clock as written in the table below: its length may name a council setting. */
type ClockSpec = Omit<ClockDefinition, 'length' | 'lengthSetting' | 'canExtend' | 'canPause' | 'recordOnExtension' | 'recordOnPause' | 'isRequestWindow' | 'isLengthAgreed'> & {
  length: ClockLength | { unit: ClockLength['unit']; setting: LengthSetting };
  canExtend?: boolean;
  canPause?: boolean;
  isRequestWindow?: boolean;
  isLengthAgreed?: boolean;
};

const EXTENSION_RECORDS: readonly RecordedItem[] = ['reason', 'complainant_told_on'];
/** A hold (a pause, where the clock may pause) always records its reason. */
const HOLD_RECORDS: readonly RecordedItem[] = ['reason'];

const PROCEDURE_TABLE: Readonly<Record<ProcedureKind, { label: string; stages: number; clocks: readonly ClockSpec[] }>> = {
  children_statutory: {
    label: 'Children Act 1989 representations procedure',
    stages: 3,
    clocks: [
      {
        key: 'acknowledgement',
        label: 'Acknowledgement',
        stage: 1,
        startsOn: 'received',
        stopsOn: 'acknowledged',
        length: { unit: 'working_days', setting: 'childrenAcknowledgementDays' },
        basis: 'Not fixed by law; a council setting (2 to 5 working days).',
      },
      {
        key: 'stage1_response',
        label: 'Stage 1 response',
        stage: 1,
        startsOn: 'received',
        stopsOn: 'stage1_responded',
        length: { unit: 'working_days', value: 10 },
        capWorkingDays: 20,
        canExtend: true,
        basis: '2006 Regulations: 10 working days, extendable to 20 for a complex complaint; no pause (a hold is shown, the deadline stands).',
      },
      {
        key: 'stage2_request_window',
        label: 'Time to ask for Stage 2',
        stage: 2,
        startsOn: 'stage1_responded',
        stopsOn: 'stage2_requested',
        length: { unit: 'working_days', value: 20 },
        isRequestWindow: true,
        basis: '2006 Regulations: 20 working days from the Stage 1 response.',
      },
      {
        key: 'stage2_response',
        label: 'Stage 2 response',
        stage: 2,
        startsOn: 'stage2_statement_agreed',
        startDefaultsTo: 'stage2_requested',
        stopsOn: 'stage2_responded',
        length: { unit: 'working_days', value: 25 },
        capWorkingDays: 65,
        canExtend: true,
        basis: '2006 Regulations: 25 working days, at most 65, from the statement of complaint being agreed; no pause.',
      },
      {
        key: 'stage3_request_window',
        label: 'Time to ask for a review panel (Stage 3)',
        stage: 3,
        startsOn: 'stage2_responded',
        stopsOn: 'stage3_requested',
        length: { unit: 'working_days', value: 20 },
        isRequestWindow: true,
        basis: '2006 Regulations: 20 working days from the Stage 2 adjudication.',
      },
      {
        key: 'panel_meeting',
        label: 'Review panel meets',
        stage: 3,
        startsOn: 'stage3_requested',
        stopsOn: 'panel_met',
        length: { unit: 'working_days', value: 30 },
        basis: '2006 Regulations: the panel meets within 30 working days of the request.',
      },
      {
        key: 'panel_recommendations',
        label: 'Panel recommendations',
        stage: 3,
        startsOn: 'panel_met',
        stopsOn: 'recommendations_received',
        length: { unit: 'working_days', value: 5 },
        basis: '2006 Regulations: recommendations within 5 working days of the meeting.',
      },
      {
        key: 'council_response',
        label: 'Council response to the panel',
        stage: 3,
        startsOn: 'recommendations_received',
        stopsOn: 'stage3_responded',
        length: { unit: 'working_days', value: 15 },
        basis: '2006 Regulations: the council responds within 15 working days of the recommendations.',
      },
    ],
  },
  corporate: {
    label: 'Corporate complaints procedure',
    stages: 2,
    clocks: [
      {
        key: 'acknowledgement',
        label: 'Acknowledgement',
        stage: 1,
        startsOn: 'received',
        stopsOn: 'acknowledged',
        length: { unit: 'working_days', setting: 'corporateAcknowledgementDays' },
        basis: 'LGSCO Complaint Handling Code: acknowledge within 5 working days.',
      },
      {
        key: 'stage1_response',
        label: 'Stage 1 response',
        stage: 1,
        startsOn: 'acknowledged',
        stopsOn: 'stage1_responded',
        length: { unit: 'working_days', value: 10 },
        capWorkingDays: 20,
        canExtend: true,
        canPause: true,
        basis: 'LGSCO Complaint Handling Code: 10 working days from acknowledgement, extended by at most 10; paused only where the council’s policy allows.',
      },
      {
        key: 'stage2_acknowledgement',
        label: 'Stage 2 acknowledgement',
        stage: 2,
        startsOn: 'stage2_requested',
        stopsOn: 'stage2_acknowledged',
        length: { unit: 'working_days', setting: 'corporateAcknowledgementDays' },
        basis: 'LGSCO Complaint Handling Code: acknowledge an escalation within 5 working days.',
      },
      {
        key: 'stage2_response',
        label: 'Stage 2 response',
        stage: 2,
        startsOn: 'stage2_acknowledged',
        stopsOn: 'stage2_responded',
        length: { unit: 'working_days', value: 20 },
        capWorkingDays: 40,
        canExtend: true,
        canPause: true,
        basis: 'LGSCO Complaint Handling Code: 20 working days from acknowledgement, extended by at most 20; paused only where the council’s policy allows.',
      },
    ],
  },
  adult_statutory: {
    label: 'Adult social care complaints procedure',
    stages: 1,
    clocks: [
      {
        key: 'acknowledgement',
        label: 'Acknowledgement',
        stage: 1,
        startsOn: 'received',
        stopsOn: 'acknowledged',
        length: { unit: 'working_days', setting: 'adultAcknowledgementDays' },
        basis: '2009 Regulations: acknowledge within 3 working days.',
      },
      {
        key: 'response',
        label: 'Response',
        stage: 1,
        startsOn: 'received',
        stopsOn: 'responded',
        length: { unit: 'months', setting: 'adultResponseMonths' },
        canExtend: true,
        isLengthAgreed: true,
        basis:
          '2009 Regulations: the period agreed with the complainant, otherwise six months from receipt; ' +
          'a longer period may be agreed before it ends (an extension, with no cap).',
      },
    ],
  },
};

/** Definitions already resolved, by procedure and settings (a council has a handful of settings in use at once). */
const resolvedDefinitions = new Map<string, ProcedureDefinition>();
const MAX_RESOLVED_DEFINITIONS = 256;

function resolveClock(spec: ClockSpec, settings: CouncilSettings): ClockDefinition {
  const { length, canExtend = false, canPause = false, isRequestWindow = false, isLengthAgreed = false, ...rest } = spec;
  const resolved: ClockDefinition = {
    ...rest,
    length: 'setting' in length ? { unit: length.unit, value: settings[length.setting] } : length,
    canExtend,
    canPause,
    recordOnExtension: canExtend ? EXTENSION_RECORDS : [],
    recordOnPause: HOLD_RECORDS,
    isRequestWindow,
    isLengthAgreed,
  };
  if ('setting' in length) resolved.lengthSetting = length.setting;
  return Object.freeze(resolved);
}

/** Whether `kind` names a procedure with clocks (informal, comments and the like have none). */
export function isProcedureKind(kind: string): kind is ProcedureKind {
  return (PROCEDURE_KINDS as readonly string[]).includes(kind);
}

/**
 * The procedure for `kind`, with the council's settings applied (checked against their
 * limits; the defaults when none are given).
 */
export function procedureDefinition(kind: ProcedureKind, settings: Partial<CouncilSettings> = DEFAULT_COUNCIL_SETTINGS): ProcedureDefinition {
  // Every clock on a page asks for its definition: the same few settings give the same frozen definition.
  const key = `${kind} ${JSON.stringify(settings)}`;
  const known = resolvedDefinitions.get(key);
  if (known !== undefined) return known;
  const checked = validateCouncilSettings(settings);
  if (!isProcedureKind(kind)) throw new DomainError('unknown_procedure', `there is no procedure with clocks for "${String(kind)}"`);
  const table = PROCEDURE_TABLE[kind];
  const definition: ProcedureDefinition = Object.freeze({
    kind,
    label: table.label,
    stages: table.stages,
    clocks: Object.freeze(table.clocks.map((spec) => resolveClock(spec, checked))),
  });
  if (resolvedDefinitions.size >= MAX_RESOLVED_DEFINITIONS) resolvedDefinitions.clear();
  resolvedDefinitions.set(key, definition);
  return definition;
}

/** One clock of a procedure; DomainError `unknown_clock` when the procedure has no such clock. */
export function clockDefinition(kind: ProcedureKind, key: string, settings?: Partial<CouncilSettings>): ClockDefinition {
  const clock = procedureDefinition(kind, settings).clocks.find((c) => c.key === key);
  if (clock === undefined) throw new DomainError('unknown_clock', `the ${kind} procedure has no clock called "${key}"`);
  return clock;
}
