/**
 * The clock settings a council chooses, checked against the limits the law or the
 * Ombudsman's code sets. Stored by the application; the procedures read them here.
 */
import { z } from 'zod';
import { DomainError } from '../errors.ts';

export interface CouncilSettings {
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
}

export const DEFAULT_COUNCIL_SETTINGS: Readonly<CouncilSettings> = Object.freeze({
  childrenAcknowledgementDays: 2,
  corporateAcknowledgementDays: 5,
  adultAcknowledgementDays: 3,
  adultResponseMonths: 6,
});

/** The limits, inclusive, of each setting (also used to explain a refusal). */
export const COUNCIL_SETTING_LIMITS: Readonly<Record<keyof CouncilSettings, { min: number; max: number; unit: string }>> = Object.freeze({
  childrenAcknowledgementDays: { min: 2, max: 5, unit: 'working days' },
  corporateAcknowledgementDays: { min: 1, max: 5, unit: 'working days' },
  adultAcknowledgementDays: { min: 1, max: 3, unit: 'working days' },
  adultResponseMonths: { min: 1, max: 6, unit: 'months' },
});

function setting(key: keyof CouncilSettings) {
  const { min, max, unit } = COUNCIL_SETTING_LIMITS[key];
  const message = `must be a whole number of ${unit} from ${min} to ${max}`;
  return z.int({ error: message }).min(min, { error: message }).max(max, { error: message }).default(DEFAULT_COUNCIL_SETTINGS[key]);
}

const councilSettingsSchema = z.strictObject({
  childrenAcknowledgementDays: setting('childrenAcknowledgementDays'),
  corporateAcknowledgementDays: setting('corporateAcknowledgementDays'),
  adultAcknowledgementDays: setting('adultAcknowledgementDays'),
  adultResponseMonths: setting('adultResponseMonths'),
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
