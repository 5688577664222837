/**
 * The council settings as people name and read them: each setting's kebab-case name (the
 * `redress settings` command), its value written as text, and what it means in plain words.
 * The settings themselves and their limits are in council-settings.ts.
 */
import type { ReceiptRule } from '../calendar/counting-rule.ts';
import { DomainError } from '../errors.ts';
import { COUNCIL_SETTING_LIMITS, RETENTION_FLOORS, type CouncilSettings } from './council-settings.ts';

export type CouncilSettingKey = keyof CouncilSettings;

/** Every setting, in the order they are listed and shown. */
export const COUNCIL_SETTING_KEYS: readonly CouncilSettingKey[] = [
  'receiptRule',
  'corporatePausesAllowed',
  'corporateMaxPausedWorkingDays',
  'childrenAcknowledgementDays',
  'corporateAcknowledgementDays',
  'adultAcknowledgementDays',
  'adultResponseMonths',
  'retentionYearsAfterClosure',
  'retentionMinimumAge',
];

/** Each setting's name on the command line. */
export const COUNCIL_SETTING_NAMES: Readonly<Record<CouncilSettingKey, string>> = {
  receiptRule: 'receipt-rule',
  corporatePausesAllowed: 'corporate-pauses-allowed',
  corporateMaxPausedWorkingDays: 'corporate-max-paused-working-days',
  childrenAcknowledgementDays: 'children-acknowledgement-days',
  corporateAcknowledgementDays: 'corporate-acknowledgement-days',
  adultAcknowledgementDays: 'adult-acknowledgement-days',
  adultResponseMonths: 'adult-response-months',
  retentionYearsAfterClosure: 'retention-years-after-closure',
  retentionMinimumAge: 'retention-minimum-age',
};

/** What each receipt rule means, in plain words. */
export const RECEIPT_RULE_MEANINGS: Readonly<Record<ReceiptRule, string>> = {
  statutory: 'Day 0 is the day the complaint arrives, whatever day it is (the 2006 Regulations)',
  next_working_day: 'A complaint that arrives on a weekend or bank holiday counts as arriving on the next working day (your council’s written procedure)',
};

/** The receipt rule as it is written on the command line. */
const RECEIPT_RULE_TEXT: Readonly<Record<ReceiptRule, string>> = { statutory: 'statutory', next_working_day: 'next-working-day' };

/** The receipt rule a command-line text names (`statutory`, `next-working-day`, or the code itself); undefined for anything else. */
export function receiptRuleOfText(text: string): ReceiptRule | undefined {
  return (Object.keys(RECEIPT_RULE_TEXT) as ReceiptRule[]).find((rule) => RECEIPT_RULE_TEXT[rule] === text.trim() || rule === text.trim());
}

/** The setting a command-line name stands for, or undefined when there is none. */
export function councilSettingKeyOf(name: string): CouncilSettingKey | undefined {
  return COUNCIL_SETTING_KEYS.find((key) => COUNCIL_SETTING_NAMES[key] === name.trim());
}

/** A setting's value as it is written on the command line: `next-working-day`, `true`, `5`. */
export function councilSettingText<K extends CouncilSettingKey>(key: K, value: CouncilSettings[K]): string {
  if (key === 'receiptRule') return RECEIPT_RULE_TEXT[value as ReceiptRule];
  return String(value);
}

/** What the setting means with the value it has, in plain words (one line). */
export function councilSettingMeaning(key: CouncilSettingKey, settings: CouncilSettings): string {
  const limits = key === 'receiptRule' || key === 'corporatePausesAllowed' ? undefined : COUNCIL_SETTING_LIMITS[key];
  const range = limits === undefined ? '' : ` (${String(limits.min)} to ${String(limits.max)})`;
  switch (key) {
    case 'receiptRule':
      return RECEIPT_RULE_MEANINGS[settings.receiptRule];
    case 'corporatePausesAllowed':
      return settings.corporatePausesAllowed
        ? 'A hold may pause the time limit of a corporate complaint (Children Act time limits are never paused)'
        : 'A hold never pauses the time limit of a corporate complaint (Children Act time limits are never paused)';
    case 'corporateMaxPausedWorkingDays':
      return `The most working days holds may pause one corporate time limit, when pauses are allowed${range}`;
    case 'childrenAcknowledgementDays':
      return `Working days to acknowledge a Children Act complaint${range}`;
    case 'corporateAcknowledgementDays':
      return `Working days to acknowledge a corporate complaint${range}; the Ombudsman’s code allows at most 5`;
    case 'adultAcknowledgementDays':
      return `Working days to acknowledge an adult social care complaint${range}; the 2009 Regulations allow at most 3`;
    case 'adultResponseMonths':
      return `Months to respond to an adult social care complaint when no period has been agreed${range}`;
    case 'retentionYearsAfterClosure':
      return `Years a closed case’s personal data is kept after the end of the financial year in which it closed${range}`;
    case 'retentionMinimumAge':
      return `Age the young person must reach before their case’s personal data is disposed of${range}`;
  }
}

/**
 * A setting's value from its text (`statutory`, `next-working-day`, `true`, `false`, a whole
 * number), checked against its limits. Refuses with DomainError `invalid_council_setting`,
 * naming the setting as its field and in the message by its command-line name.
 */
export function parseCouncilSettingText(key: CouncilSettingKey, raw: string): CouncilSettings[CouncilSettingKey] {
  const text = raw.trim();
  const name = COUNCIL_SETTING_NAMES[key];
  const refuse = (rule: string): never => {
    throw new DomainError('invalid_council_setting', `${name} must be ${rule} (got "${raw}")`, key);
  };
  if (key === 'receiptRule') {
    return receiptRuleOfText(text) ?? refuse('statutory or next-working-day');
  }
  if (key === 'corporatePausesAllowed') {
    if (text === 'true') return true;
    if (text === 'false') return false;
    return refuse('true or false');
  }
  const { min, max, unit } = COUNCIL_SETTING_LIMITS[key];
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if ((key === 'retentionYearsAfterClosure' || key === 'retentionMinimumAge') && Number.isInteger(value) && value < min) {
    return refuse(`at least ${String(min)}: ${RETENTION_FLOORS[key]}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) return refuse(`a whole number of ${unit} from ${String(min)} to ${String(max)}`);
  return value;
}
