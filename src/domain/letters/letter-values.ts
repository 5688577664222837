/**
 * A case's values for its letters, as text, worked out from what the case records. A value
 * that has not been recorded is left out, so the letter shows a visible gap for it.
 *
 * Dates are written the GOV.UK way ("26 November 2026"). Dates Redress works out itself:
 *
 * - `reply_by_date`: `REPLY_WORKING_DAYS` working days after the information was asked for
 *   (after today if the request has not been recorded yet);
 * - `closure_date`: `REPLY_WORKING_DAYS` working days after the closure letter (or today);
 * - `stage2_request_by`: `STAGE2_REQUEST_WORKING_DAYS` working days after the Stage 1
 *   response (DOMAIN.md §3), or after today while the response is still being written.
 */
import type { IsoDate } from '../calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { formatLongDate } from '../cases/stage1-fields.ts';
import { REPLY_WORKING_DAYS, STAGE2_REQUEST_WORKING_DAYS, type LetterField, type LetterValues } from './letter-fields.ts';

/** What a case records that its letters use. Absent or null: not recorded. */
export interface LetterCaseFacts {
  readonly reference: string;
  readonly kind: string;
  readonly councilName: string;
  readonly today: IsoDate;
  readonly complainantName?: string | null;
  readonly complainantAddress?: string | null;
  readonly youngPersonId?: string | null;
  readonly teamName?: string | null;
  readonly receivedOn: IsoDate;
  readonly acknowledgedOn?: IsoDate | null;
  readonly respondedOn?: IsoDate | null;
  readonly withdrawnOn?: IsoDate | null;
  /** The Stage 1 clock, when it has started: its due date (extensions and pauses counted) and extensions. */
  readonly stage1?: { readonly dueOn: IsoDate; readonly extraWorkingDays: number; readonly extensionReason?: string | undefined } | undefined;
  readonly findingLabel?: string | null;
  readonly remedyLabels?: readonly string[];
  readonly responderName?: string | null;
  readonly informationRequestedOn?: IsoDate | null;
  readonly informationRequested?: string | null;
  readonly closureWarningSentOn?: IsoDate | null;
}

function workingDays(n: number): string {
  return n === 1 ? '1 working day' : `${String(n)} working days`;
}

/** How to take the complaint further, by the kind's procedure. Always has the date and the reference. */
export function stage2RouteText(kind: string, requestBy: IsoDate, reference: string, councilName: string): string {
  const by = formatLongDate(requestBy);
  if (kind === 'adult_statutory') {
    return `If you are not satisfied with this response, you can ask the Local Government and Social Care Ombudsman to look at your complaint. The Ombudsman is free and independent: see www.lgo.org.uk or telephone 0300 061 0614. Please quote your reference ${reference}.`;
  }
  const who = kind === 'children_statutory' ? ' It will then be looked into by an investigating officer who does not work for the service, overseen by an Independent Person.' : '';
  return (
    `If you are not satisfied with this response, you can ask for your complaint to be considered at Stage 2 of the complaints procedure.${who} ` +
    `Please tell the Complaints Team at ${councilName} within ${workingDays(STAGE2_REQUEST_WORKING_DAYS)} of this response, that is by ${by}, quoting your reference ${reference}. ` +
    'You can ask by letter, email, telephone or in person, and you can ask for an advocate to help you. If you ask after that date, tell us why: we will still consider your request.'
  );
}

const present = (value: string | null | undefined): string | undefined => (value === null || value === undefined || value.trim() === '' ? undefined : value);
const date = (value: IsoDate | null | undefined): string | undefined => (present(value) === undefined ? undefined : formatLongDate(value as IsoDate));

export function letterValues(facts: LetterCaseFacts, calendar: WorkingDayCalendar): LetterValues {
  const extraDays = facts.stage1?.extraWorkingDays ?? 0;
  const requestBy = calendar.addWorkingDays(facts.respondedOn ?? facts.today, STAGE2_REQUEST_WORKING_DAYS);
  const warningOn = facts.closureWarningSentOn ?? facts.today;
  const values: Record<LetterField, string | undefined> = {
    case_reference: facts.reference,
    today: formatLongDate(facts.today),
    council_name: present(facts.councilName),
    complainant_name: present(facts.complainantName),
    complainant_address: present(facts.complainantAddress),
    young_person_id: present(facts.youngPersonId),
    team_name: present(facts.teamName),
    received_date: date(facts.receivedOn),
    acknowledgement_date: date(facts.acknowledgedOn),
    due_date: date(facts.stage1?.dueOn),
    extension_days: extraDays > 0 ? workingDays(extraDays) : undefined,
    extension_reason: present(facts.stage1?.extensionReason),
    new_due_date: extraDays > 0 ? date(facts.stage1?.dueOn) : undefined,
    response_date: date(facts.respondedOn),
    finding: present(facts.findingLabel),
    remedies: facts.remedyLabels !== undefined && facts.remedyLabels.length > 0 ? facts.remedyLabels.join('\n') : undefined,
    responding_manager_name: present(facts.responderName),
    information_requested: present(facts.informationRequested),
    information_requested_date: date(facts.informationRequestedOn),
    reply_by_date: formatLongDate(calendar.addWorkingDays(facts.informationRequestedOn ?? facts.today, REPLY_WORKING_DAYS)),
    closure_warning_date: formatLongDate(warningOn),
    closure_date: formatLongDate(calendar.addWorkingDays(warningOn, REPLY_WORKING_DAYS)),
    withdrawn_date: date(facts.withdrawnOn),
    stage2_request_by: formatLongDate(requestBy),
    stage2_route: stage2RouteText(facts.kind, requestBy, facts.reference, facts.councilName),
  };
  const recorded: LetterValues = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return recorded;
}
