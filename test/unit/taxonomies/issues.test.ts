import { describe, expect, it } from 'vitest';
import { DEFAULT_ISSUES, SEEDED_ISSUE_CODES, checkIssueTaxonomy, isCurrentIssue, isIssueCodeFormat, issueLabel } from '../../../src/domain/taxonomies/issues.ts';
import { codeOf } from '../../support/domain-errors.ts';

describe('the issue taxonomy', () => {
  it('is seeded with the issues the annual report counts', () => {
    expect(SEEDED_ISSUE_CODES.join(' ')).toBe('inadequate_service staff_attitude communication delay decision contact_arrangements placement not_involved family_dispute financial policy other');
    expect(DEFAULT_ISSUES.map((i) => i.code)).toEqual([...SEEDED_ISSUE_CODES]);
    expect(DEFAULT_ISSUES.every((i) => !i.isRetired && i.label.trim() !== '')).toBe(true);
    expect(() => { checkIssueTaxonomy(DEFAULT_ISSUES); }).not.toThrow();
  });

  it('offers current issues, and still labels retired ones', () => {
    const council = [...DEFAULT_ISSUES, { code: 'transport', label: 'School transport', isRetired: false }, { code: 'old_issue', label: 'Old issue', isRetired: true }];
    expect(isCurrentIssue('transport', council)).toBe(true);
    expect(isCurrentIssue('transport')).toBe(false);
    expect(isCurrentIssue('old_issue', council)).toBe(false);
    expect(issueLabel('old_issue', council)).toBe('Old issue');
    expect(issueLabel('not_involved')).toBe('Not involved in decisions');
    expect(issueLabel('mystery')).toBe('mystery');
  });

  it('accepts codes written as snake_case only', () => {
    for (const good of ['delay', 'school_transport', 'a1']) expect(isIssueCodeFormat(good)).toBe(true);
    for (const bad of ['', 'Delay', '1delay', 'school transport', 'school-transport', 'x'.repeat(51), 7]) expect(isIssueCodeFormat(bad)).toBe(false);
  });

  it('refuses a taxonomy with bad, repeated or no current issues', () => {
    const issue = (code: string, label: string, isRetired = false): { code: string; label: string; isRetired: boolean } => ({ code, label, isRetired });
    expect(codeOf(() => { checkIssueTaxonomy([issue('Bad Code', 'X')]); })).toBe('invalid_issue_taxonomy');
    expect(codeOf(() => { checkIssueTaxonomy([issue('a', 'X'), issue('a', 'Y')]); })).toBe('invalid_issue_taxonomy');
    expect(codeOf(() => { checkIssueTaxonomy([issue('a', 'Same'), issue('b', 'same')]); })).toBe('invalid_issue_taxonomy');
    expect(codeOf(() => { checkIssueTaxonomy([issue('a', ' ')]); })).toBe('invalid_issue_taxonomy');
    expect(codeOf(() => { checkIssueTaxonomy([issue('a', 'A', true)]); })).toBe('invalid_issue_taxonomy');
  });
});
