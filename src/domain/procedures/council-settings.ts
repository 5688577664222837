/**
 * The clock settings a council chooses, checked against the limits the law or the
 * Ombudsman's code sets. Stored by the application; the procedures read them here.
 */
import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { type ReceiptRule, DEFAULT_RECEIPT_RULE, RECEIPT_RULES } from '../calendar/counting-rule.ts';

export interface CouncilSettings {
  /**
   * How day 0 is found for something received on a non-working day: `statutory` (the day
   * itself) or `next_working_day` (the council's procedure deems it received then). A clock
   * keeps the rule in force when it started.
   */
  receiptRule: ReceiptRule;
  /**
   * Corporate procedure: whether the council's policy lets a hold pause the clock. The
   * Children Act clocks never pause (the 2006 Regulations have no pause).
   */
  corporatePausesAllowed: boolean;
  /** Corporate procedure: the most working days holds may pause one clock, when pauses are allowed. */
  corporateMaxPausedWorkingDays: number;
  /** Children Act procedure: working days to acknowledge. Not fixed by law; councils use 2–5. */
  childrenAcknowledgementDays: number;
  /** Corporate procedure: working days to acknowledge (LGSCO Complaint Handling Code: at most 5). */
  corporateAcknowledgementDays: number;
  /** Adult social care: working days to acknowledge (2009 Regulations: at most 3). */
  adultAcknowledgementDays: number;
  /**
   * Adult social care: the response period, in months, used when none has been agreed with
   * the complainant (2009 Regulations: six months unless a longer period is agreed).
   * A council may aim for less; it may not default to more.
   */
  adultResponseMonths: number;
  /**
   * Retention: a closed case's personal data is kept this many years after the end of the
   * financial year (31 March) in which it closed. Never fewer than six (the limitation period
   * for claims, and the retention schedules councils follow for complaint records).
   */
  retentionYearsAfterClosure: number;
  /**
   * Retention: and at least until the young person it is about reaches this age (a child's
   * limitation period runs from their 18th birthday). Never younger than 25.
   */
  retentionMinimumAge: number;
}

export const DEFAULT_COUNCIL_SETTINGS: Readonly<CouncilSettings> = Object.freeze({
  receiptRule: DEFAULT_RECEIPT_RULE,
  corporatePausesAllowed: false,
  corporateMaxPausedWorkingDays: 20,
  childrenAcknowledgementDays: 2,
  corporateAcknowledgementDays: 5,
  adultAcknowledgementDays: 3,
  adultResponseMonths: 6,
  retentionYearsAfterClosure: 6,
  retentionMinimumAge: 25,
});

type NumberSetting = { [K in keyof CouncilSettings]: CouncilSettings[K] extends number ? K : never }[keyof CouncilSettings];

/** The limits, inclusive, of each number setting (also used to explain a refusal). */
export const COUNCIL_SETTING_LIMITS: Readonly<Record<NumberSetting, { min: number; max: number; unit: string }>> = Object.freeze({
  corporateMaxPausedWorkingDays: { min: 1, max: 65, unit: 'working days' },
  childrenAcknowledgementDays: { min: 2, max: 5, unit: 'working days' },
  corporateAcknowledgementDays: { min: 1, max: 5, unit: 'working days' },
  adultAcknowledgementDays: { min: 1, max: 3, unit: 'working days' },
  adultResponseMonths: { min: 1, max: 6, unit: 'months' },
  retentionYearsAfterClosure: { min: 6, max: 100, unit: 'years' },
  retentionMinimumAge: { min: 25, max: 120, unit: 'years of age' },
});

/** Why a retention setting may not be shorter than its minimum (the message of a refusal). */
export const RETENTION_FLOORS: Readonly<Record<'retentionYearsAfterClosure' | 'retentionMinimumAge', string>> = Object.freeze({
  retentionYearsAfterClosure:
    'a closed case’s personal data must be kept at least 6 years after the end of the financial year in which it closed (the six-year limitation period for claims)',
  retentionMinimumAge: 'a case’s personal data must be kept at least until the young person’s 25th birthday (their limitation period runs from their 18th birthday)',
});

function setting(key: NumberSetting) {
  const { min, max, unit } = COUNCIL_SETTING_LIMITS[key];
  const message = `must be a whole number of ${unit} from ${min} to ${max}`;
  return z.int({ error: message }).min(min, { error: message }).max(max, { error: message }).default(DEFAULT_COUNCIL_SETTINGS[key]);
}

/** A retention setting: below its minimum the refusal says why the law does not allow it. */
function retention(key: keyof typeof RETENTION_FLOORS) {
  const { min, max, unit } = COUNCIL_SETTING_LIMITS[key];
  const message = `must be a whole number of ${unit} from ${min} to ${max}`;
  return z
    .int({ error: message })
    .min(min, { error: `cannot be less than ${min}: ${RETENTION_FLOORS[key]}` })
    .max(max, { error: message })
    .default(DEFAULT_COUNCIL_SETTINGS[key]);
}

const councilSettingsSchema = z.strictObject({
  receiptRule: z.enum(RECEIPT_RULES, { error: 'must be "statutory" or "next_working_day"' }).default(DEFAULT_COUNCIL_SETTINGS.receiptRule),
  corporatePausesAllowed: z.boolean({ error: 'must be true or false' }).default(DEFAULT_COUNCIL_SETTINGS.corporatePausesAllowed),
  corporateMaxPausedWorkingDays: setting('corporateMaxPausedWorkingDays'),
  childrenAcknowledgementDays: setting('childrenAcknowledgementDays'),
  corporateAcknowledgementDays: setting('corporateAcknowledgementDays'),
  adultAcknowledgementDays: setting('adultAcknowledgementDays'),
  adultResponseMonths: setting('adultResponseMonths'),
  retentionYearsAfterClosure: retention('retentionYearsAfterClosure'),
  retentionMinimumAge: retention('retentionMinimumAge'),
});

/**
 * Checks settings (a missing one takes its default) and returns them whole. Refuses, with
 * DomainError `invalid_council_setting` naming the setting as its field, a value outside
 * its limits and a setting that does not exist.
 */
export function validateCouncilSettings(input: unknown): CouncilSettings {
  const result = councilSettingsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    throw new DomainError('invalid_council_setting', `there is no council setting called "${key}"`, key);
  }
  const field = issue?.path.map(String).join('.') ?? '';
  throw new DomainError('invalid_council_setting', field === '' ? 'council settings must be an object' : `${field} ${issue?.message ?? 'is not valid'}`, field || undefined);
}
