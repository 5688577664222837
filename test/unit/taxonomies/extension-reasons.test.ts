import { describe, expect, it } from 'vitest';
import {
  EXTENSION_REASONS,
  EXTENSION_REASON_LABELS,
  describeExtensionReason,
  isExtensionReason,
  readExtensionReason,
  storedExtensionReason,
} from '../../../src/domain/taxonomies/extension-reasons.ts';

describe('reasons for an extension', () => {
  it('has a label for every code, and knows its codes only', () => {
    expect(EXTENSION_REASONS).toEqual(['complexity', 'advocate_needed', 'other']);
    for (const code of EXTENSION_REASONS) expect(EXTENSION_REASON_LABELS[code]).not.toBe('');
    expect(isExtensionReason('complexity')).toBe(true);
    expect(isExtensionReason('Complexity')).toBe(false);
    expect(isExtensionReason(undefined)).toBe(false);
  });

  it('stores the label as the clock’s reason for a code, and the words for "other"', () => {
    expect(storedExtensionReason('complexity', 'ignored')).toEqual({ reason: 'The complaint is complex', reasonCode: 'complexity' });
    expect(storedExtensionReason('other', ' Police records ')).toEqual({ reason: 'Police records', reasonCode: 'other' });
  });

  it('reads back what it stored', () => {
    expect(readExtensionReason(storedExtensionReason('advocate_needed', undefined))).toEqual({ code: 'advocate_needed', label: 'The complainant needs an advocate' });
    expect(readExtensionReason(storedExtensionReason('other', 'Police records'))).toEqual({ code: 'other', label: 'Other', text: 'Police records' });
  });

  it('reads an extension recorded before the codes, or with a code it does not know, as "other" with its words', () => {
    expect(readExtensionReason({ reason: 'Three teams are involved' })).toEqual({ code: 'other', label: 'Other', text: 'Three teams are involved' });
    expect(readExtensionReason({ reason: 'Busy', reasonCode: 'busy' })).toEqual({ code: 'other', label: 'Other', text: 'Busy' });
    // Words that happen to be a code are still words.
    expect(readExtensionReason({ reason: 'complexity' })).toEqual({ code: 'other', label: 'Other', text: 'complexity' });
  });

  it('describes a reason in one line, leaving out the words when they may not be shown', () => {
    expect(describeExtensionReason(readExtensionReason({ reason: 'x', reasonCode: 'complexity' }))).toBe('The complaint is complex');
    expect(describeExtensionReason(readExtensionReason({ reason: 'Police records' }))).toBe('Other: Police records');
    expect(describeExtensionReason(readExtensionReason({ reason: 'Police records' }), false)).toBe('Other');
  });
});
