/**
 * What a complaint is about. Unlike the other code lists this taxonomy is
 * configurable: an administrator may add issues, relabel them or retire them. The seeded
 * list below is only the default, so the rest of the system takes the council's taxonomy
 * as a value (`IssueDefinition[]`) and treats an issue code as a string checked against it.
 */
import { DomainError } from '../errors.ts';

export const SEEDED_ISSUE_CODES = [
  'inadequate_service',
  'staff_attitude',
  'communication',
  'delay',
  'decision',
  'contact_arrangements',
  'placement',
  'not_involved',
  'family_dispute',
  'financial',
  'policy',
  'other',
] as const;

export type SeededIssueCode = (typeof SEEDED_ISSUE_CODES)[number];

/** An issue code: lower-case snake_case, as the seeded ones (the annual report's JSON keys). */
export type IssueCode = string;

export interface IssueDefinition {
  readonly code: IssueCode;
  readonly label: string;
  /** A retired issue stays on the complaints that have it and in reports, but is not offered for new ones. */
  readonly isRetired: boolean;
}

export const SEEDED_ISSUE_LABELS: Readonly<Record<SeededIssueCode, string>> = {
  inadequate_service: 'Inadequate service',
  staff_attitude: 'Staff attitude or behaviour',
  communication: 'Communication',
  delay: 'Delay',
  decision: 'Disagreement with a decision',
  contact_arrangements: 'Contact arrangements',
  placement: 'Placement',
  not_involved: 'Not involved in decisions',
  family_dispute: 'Family dispute',
  financial: 'Financial',
  policy: 'Policy',
  other: 'Other',
};

/** The taxonomy a new installation starts with. */
export const DEFAULT_ISSUES: readonly IssueDefinition[] = Object.freeze(
  SEEDED_ISSUE_CODES.map((code) => Object.freeze({ code, label: SEEDED_ISSUE_LABELS[code], isRetired: false })),
);

const ISSUE_CODE_PATTERN = /^[a-z][a-z0-9_]{0,49}$/;

/** Whether `value` is written as an issue code may be: lower-case snake_case, 50 characters at most. */
export function isIssueCodeFormat(value: unknown): value is IssueCode {
  return typeof value === 'string' && ISSUE_CODE_PATTERN.test(value);
}

/** Whether `value` is an issue of `taxonomy` that may be given to a complaint now (not retired). */
export function isCurrentIssue(value: unknown, taxonomy: readonly IssueDefinition[] = DEFAULT_ISSUES): value is IssueCode {
  return taxonomy.some((issue) => issue.code === value && !issue.isRetired);
}

/** The label of an issue, retired or not; the code itself when the taxonomy does not know it. */
export function issueLabel(code: IssueCode, taxonomy: readonly IssueDefinition[] = DEFAULT_ISSUES): string {
  return taxonomy.find((issue) => issue.code === code)?.label ?? code;
}

/**
 * Checks a taxonomy an administrator has edited: codes well formed and unique, labels
 * present and unique, at least one issue still offered. Refuses with DomainError
 * `invalid_issue_taxonomy`.
 */
export function checkIssueTaxonomy(taxonomy: readonly IssueDefinition[]): void {
  const codes = new Set<string>();
  const labels = new Set<string>();
  for (const issue of taxonomy) {
    if (!ISSUE_CODE_PATTERN.test(issue.code)) {
      throw new DomainError('invalid_issue_taxonomy', `Issue codes must be lower-case letters, digits and underscores, starting with a letter: "${issue.code}" is not`, 'code');
    }
    if (codes.has(issue.code)) throw new DomainError('invalid_issue_taxonomy', `The issue code ${issue.code} is used twice: give each issue its own code`, 'code');
    const label = issue.label.trim();
    if (label === '') throw new DomainError('invalid_issue_taxonomy', `Enter a label for the issue ${issue.code}`, 'label');
    if (labels.has(label.toLowerCase())) throw new DomainError('invalid_issue_taxonomy', `The label "${label}" is used twice: give each issue its own label`, 'label');
    codes.add(issue.code);
    labels.add(label.toLowerCase());
  }
  if (!taxonomy.some((issue) => !issue.isRetired)) {
    throw new DomainError('invalid_issue_taxonomy', 'Keep at least one issue that is not retired, so complaints can be classified');
  }
}
