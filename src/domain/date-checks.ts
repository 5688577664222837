/** Checking a date typed into a form, for the registers whose forms check field by field (Ombudsman, learning). */
import { type IsoDate, tryParseIsoDate } from './calendar/iso-date.ts';
import { formatLongDate } from './cases/stage1-fields.ts';
import { DomainError } from './errors.ts';

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A date field: required unless told otherwise, a real date, not in the future when `today`
 * is given, not before `notBefore` (with what that date is). Adds its problem to `problems`;
 * returns the date when it is fine.
 */
export function checkDate(
  problems: DomainError[],
  field: string,
  value: string,
  label: string,
  rules: { required?: boolean; today?: IsoDate; notBefore?: { date: IsoDate; what: string } },
): IsoDate | undefined {
  if (value === '') {
    if (rules.required !== false) problems.push(new DomainError(`missing_${field}`, `Enter ${label}`, field));
    return undefined;
  }
  if (tryParseIsoDate(value) === undefined) {
    problems.push(new DomainError(`invalid_${field}`, `${capitalise(label)} must be a real date`, field));
    return undefined;
  }
  if (rules.today !== undefined && value > rules.today) {
    problems.push(new DomainError('date_in_future', `${capitalise(label)} must be today or in the past`, field));
    return undefined;
  }
  if (rules.notBefore !== undefined && value < rules.notBefore.date) {
    problems.push(new DomainError(`${field}_too_early`, `${capitalise(label)} must be the same as or after ${rules.notBefore.what} (${formatLongDate(rules.notBefore.date)})`, field));
    return undefined;
  }
  return value;
}
