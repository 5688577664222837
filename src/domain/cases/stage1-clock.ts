/**
 * The Stage 1 response clock of a case, worked out from the case's facts by the clock
 * engine, and the words pages show for it ("Due in 3 working days", "Overdue by 2 working
 * days", "Responded in 7 working days").
 *
 * Which clock: the procedure's Stage 1 response clock (`stage1_response`; for adult social
 * care, which has one stage, its `response` clock). Other kinds have no Stage 1 clock. The
 * clock starts on the event its definition names — the receipt for the Children Act
 * procedure, the acknowledgement for the corporate one — so a corporate complaint not yet
 * acknowledged has no clock running.
 */
import type { IsoDate } from '../calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { type ClockEvents, type ClockExtension, type ClockPause, type ClockStatus, computeClock } from '../clocks/clock-engine.ts';
import type { CouncilSettings } from '../procedures/council-settings.ts';
import { type ClockDefinition, type ClockEventName, type ProcedureKind, clockDefinition, isProcedureKind } from '../procedures/procedure-definitions.ts';
import type { RepresentationKind } from '../taxonomies/representation-kinds.ts';

export const STAGE1_CLOCK_KEYS: Readonly<Record<ProcedureKind, string>> = {
  children_statutory: 'stage1_response',
  corporate: 'stage1_response',
  adult_statutory: 'response',
};

/** What the Stage 1 clock reads from a case. */
export interface Stage1ClockFacts {
  kind: RepresentationKind;
  receivedOn: IsoDate;
  acknowledgedOn?: IsoDate;
  respondedOn?: IsoDate;
  /** In the order recorded; one without `to` is still running. */
  stage1Pauses?: readonly ClockPause[];
  stage1Extensions?: readonly ClockExtension[];
  /** The rules the Stage 1 clock started under (receipt rule, pause policy), as the clock records them. */
  stage1Rules?: Pick<ClockEvents, 'receiptRule' | 'maxPausedWorkingDays'>;
}

/** The definition of the case's Stage 1 clock; undefined for kinds without one. */
export function stage1ClockDefinition(kind: RepresentationKind, settings?: Partial<CouncilSettings>): ClockDefinition | undefined {
  return isProcedureKind(kind) ? clockDefinition(kind, STAGE1_CLOCK_KEYS[kind], settings) : undefined;
}

/** The date of a recorded event, as the case's facts hold it. */
function eventDate(facts: Stage1ClockFacts, event: ClockEventName): IsoDate | undefined {
  switch (event) {
    case 'received':
      return facts.receivedOn;
    case 'acknowledged':
      return facts.acknowledgedOn;
    case 'stage1_responded':
    case 'responded':
      return facts.respondedOn;
    default:
      return undefined; // a later stage's event: not a Stage 1 fact
  }
}

/** The clock engine's events for the case's Stage 1 clock; undefined while it has not started (or the kind has none). */
export function stage1ClockEvents(facts: Stage1ClockFacts, settings?: Partial<CouncilSettings>): ClockEvents | undefined {
  const definition = stage1ClockDefinition(facts.kind, settings);
  if (definition === undefined) return undefined;
  const startedOn = eventDate(facts, definition.startsOn) ?? (definition.startDefaultsTo === undefined ? undefined : eventDate(facts, definition.startDefaultsTo));
  if (startedOn === undefined) return undefined;
  const events: ClockEvents = { startedOn, ...facts.stage1Rules, pauses: facts.stage1Pauses ?? [], extensions: facts.stage1Extensions ?? [] };
  const stoppedOn = eventDate(facts, definition.stopsOn);
  if (stoppedOn !== undefined) events.stoppedOn = stoppedOn;
  return events;
}

/** The case's Stage 1 clock as at `asAt`; undefined while it has not started (or the kind has none). */
export function stage1Clock(facts: Stage1ClockFacts, calendar: WorkingDayCalendar, asAt: IsoDate, settings?: Partial<CouncilSettings>): ClockStatus | undefined {
  const definition = stage1ClockDefinition(facts.kind, settings);
  const events = stage1ClockEvents(facts, settings);
  if (definition === undefined || events === undefined) return undefined;
  return computeClock(definition, calendar, events, asAt);
}

/**
 * How a page tags a clock (GOV.UK tag colours are the page's business): `on_track` running
 * with time to spare, `due_soon` within `DUE_SOON_WORKING_DAYS` of its due date, `overdue`
 * running past it, `paused` (a corporate clock a hold pauses), and once stopped `met` or
 * `late`. A hold on a clock that does not pause changes only the words, not the tag: the
 * deadline still runs.
 */
export type DueTag = 'on_track' | 'due_soon' | 'overdue' | 'paused' | 'met' | 'late';

export const DUE_TAG_LABELS: Readonly<Record<DueTag, string>> = {
  on_track: 'On track',
  due_soon: 'Due soon',
  overdue: 'Overdue',
  paused: 'Paused',
  met: 'On time',
  late: 'Late',
};

export interface DueDescription {
  text: string;
  tag: DueTag;
  dueDate: IsoDate;
}

function workingDays(count: number): string {
  return count === 1 ? '1 working day' : `${count} working days`;
}

/** The words for a clock's status, as staff pages and reminders show them. */
export function describeDue(status: ClockStatus): DueDescription {
  const { dueDate, workingDaysUsed: used, workingDaysRemaining: remaining } = status;
  if (status.stoppedOn !== undefined) {
    return remaining >= 0
      ? { text: `Responded in ${workingDays(used)}`, tag: 'met', dueDate }
      : { text: `Responded in ${workingDays(used)}, ${workingDays(-remaining)} late`, tag: 'late', dueDate };
  }
  if (status.state === 'paused') return { text: `Paused with ${workingDays(Math.max(0, remaining))} left`, tag: 'paused', dueDate };
  const onHold = status.isOnHold ? 'On hold: ' : '';
  const due = (text: string): string => (onHold === '' ? text : onHold + text.charAt(0).toLowerCase() + text.slice(1));
  if (remaining < 0) return { text: due(`Overdue by ${workingDays(-remaining)}`), tag: 'overdue', dueDate };
  if (remaining === 0) return { text: due('Due today'), tag: 'due_soon', dueDate };
  return { text: due(`Due in ${workingDays(remaining)}`), tag: status.state === 'due_soon' ? 'due_soon' : 'on_track', dueDate };
}
