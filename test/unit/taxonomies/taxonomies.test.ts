/**
 * The code lists against the records and the annual report, written out again here (not read from the
 * source), with their labels and guards.
 */
import { describe, expect, it } from 'vitest';
import { CHANNELS, CHANNEL_LABELS, isChannel } from '../../../src/domain/taxonomies/channels.ts';
import { COMPLAINANT_ROLES, COMPLAINANT_ROLE_LABELS, isComplainantRole } from '../../../src/domain/taxonomies/complainant-roles.ts';
import { COMPLIMENT_SOURCES, COMPLIMENT_SOURCE_LABELS, isComplimentSource } from '../../../src/domain/taxonomies/compliment-sources.ts';
import { CONTACT_METHODS, CONTACT_METHOD_LABELS, isContactMethod } from '../../../src/domain/taxonomies/contact-methods.ts';
import { DELAY_REASONS, DELAY_REASON_LABELS, isDelayReason } from '../../../src/domain/taxonomies/delay-reasons.ts';
import { ETHNICITIES, ETHNICITY_GROUP_LABELS, ETHNICITY_GROUP_OF, ETHNICITY_LABELS, isEthnicity } from '../../../src/domain/taxonomies/ethnicities.ts';
import { FINDINGS, FINDING_LABELS, isFinding } from '../../../src/domain/taxonomies/findings.ts';
import { OMBUDSMAN_DECISIONS, OMBUDSMAN_DECISION_LABELS, isOmbudsmanDecision } from '../../../src/domain/taxonomies/ombudsman-decisions.ts';
import { REMEDIES, REMEDY_LABELS, isRemedy } from '../../../src/domain/taxonomies/remedies.ts';
import { COMPLAINT_KINDS, REPRESENTATION_KINDS, REPRESENTATION_KIND_LABELS, RESPONSE_KINDS, isRepresentationKind } from '../../../src/domain/taxonomies/representation-kinds.ts';

interface CodeList {
  codes: readonly string[];
  labels: Readonly<Record<string, string>>;
  is: (value: unknown) => boolean;
  expected: string;
}

const LISTS: Record<string, CodeList> = {
  'representation kinds': { codes: REPRESENTATION_KINDS, labels: REPRESENTATION_KIND_LABELS, is: isRepresentationKind, expected: 'children_statutory corporate adult_statutory informal other_agency comment compliment' },
  channels: { codes: CHANNELS, labels: CHANNEL_LABELS, is: isChannel, expected: 'leaflet telephone letter email online in_person other' },
  'complainant roles': {
    codes: COMPLAINANT_ROLES,
    labels: COMPLAINANT_ROLE_LABELS,
    is: isComplainantRole,
    expected: 'child advocate parent relative foster_carer special_guardian adopter care_leaver iro professional other',
  },
  ethnicities: {
    codes: ETHNICITIES,
    labels: ETHNICITY_LABELS,
    is: isEthnicity,
    expected: 'WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT',
  },
  findings: { codes: FINDINGS, labels: FINDING_LABELS, is: isFinding, expected: 'upheld partially_upheld not_upheld service_provided resolution_meeting_offered' },
  remedies: {
    codes: REMEDIES,
    labels: REMEDY_LABELS,
    is: isRemedy,
    expected: 'explanation apology service_provided service_reviewed care_plan_revised contact_revised change_of_worker financial staff_guidance policy_change other',
  },
  'delay reasons': {
    codes: DELAY_REASONS,
    labels: DELAY_REASON_LABELS,
    is: isDelayReason,
    expected: 'complex_multi_team insufficient_detail further_complaints redress court_proceedings consent_check other_procedure other',
  },
  'compliment sources': {
    codes: COMPLIMENT_SOURCES,
    labels: COMPLIMENT_SOURCE_LABELS,
    is: isComplimentSource,
    expected: 'parent_or_carer child foster_carer adopter judge solicitor guardian other_professional other',
  },
  'ombudsman decisions': { codes: OMBUDSMAN_DECISIONS, labels: OMBUDSMAN_DECISION_LABELS, is: isOmbudsmanDecision, expected: 'closed_after_initial_enquiries premature not_upheld upheld' },
  'contact methods': { codes: CONTACT_METHODS, labels: CONTACT_METHOD_LABELS, is: isContactMethod, expected: 'email telephone letter none' },
};

// Spellings a British-English page should not show.
const AMERICAN = /\b\w+(?:ization|izations|ize|izes|ized)\b|\b(?:color|center|program|judgment|license|behavior|favor)\b/i;

describe.each(Object.entries(LISTS))('%s', (_name, list) => {
  it('are the codes the records and the report use, in their order', () => {
    expect(list.codes.join(' ')).toBe(list.expected);
  });

  it('have a label for every code and nothing else, in British English', () => {
    expect(Object.keys(list.labels)).toEqual([...list.codes]);
    for (const label of Object.values(list.labels)) {
      expect(label.trim()).not.toBe('');
      expect(label).not.toMatch(AMERICAN);
    }
    expect(new Set(Object.values(list.labels)).size).toBe(list.codes.length);
  });

  it('guard their codes only', () => {
    for (const code of list.codes) expect(list.is(code)).toBe(true);
    for (const other of ['', 'UNKNOWN', 'constructor', 'toString', ' upheld', 42, null, undefined, ['upheld']]) expect(list.is(other)).toBe(false);
  });
});

describe('ethnicity', () => {
  it('uses the DfE descriptions', () => {
    expect(ETHNICITY_LABELS.WBRI).toBe('White British');
    expect(ETHNICITY_LABELS.WIRT).toBe('Traveller of Irish heritage');
    expect(ETHNICITY_LABELS.WROM).toBe('Gypsy/Roma');
    expect(ETHNICITY_LABELS.MWBC).toBe('White and Black Caribbean');
    expect(ETHNICITY_LABELS.REFU).toBe('Refused');
    expect(ETHNICITY_LABELS.NOBT).toBe('Information not yet obtained');
  });

  it('puts every code in a group by its first letter', () => {
    const byLetter: Record<string, string> = { W: 'white', M: 'mixed', A: 'asian', B: 'black', C: 'chinese', O: 'other', R: 'not_known', N: 'not_known' };
    for (const code of ETHNICITIES) expect(ETHNICITY_GROUP_OF[code]).toBe(byLetter[code[0] ?? '']);
    expect(Object.keys(ETHNICITY_GROUP_LABELS).sort()).toEqual([...new Set(Object.values(ETHNICITY_GROUP_OF))].sort());
  });
});

describe('groups of kinds', () => {
  it('complaints are the adverse contacts with a complainant; comments are answered too', () => {
    expect([...COMPLAINT_KINDS]).toEqual(['children_statutory', 'corporate', 'adult_statutory', 'informal']);
    expect([...RESPONSE_KINDS]).toEqual(['children_statutory', 'corporate', 'adult_statutory', 'informal', 'comment']);
  });
});
