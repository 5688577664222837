/**
 * The timeline's presenter: every code of every code list an entry may record shows as its
 * label, people by name, dates written out, flags as Yes or No, lists with commas — and
 * nothing ever as a code, an id, an ISO date or JSON.
 */
import { describe, expect, it } from 'vitest';
import { historyFieldLabel, historyIdsOf, historyValue, presentHistoryChanges, readableSummary, type HistoryNames } from '../../../src/domain/cases/history-labels.ts';
import { CASE_STATUSES, CASE_STATUS_LABELS } from '../../../src/domain/cases/case-status.ts';
import { ADVOCACY_OUTCOMES, ADVOCACY_OUTCOME_LABELS } from '../../../src/domain/cases/advocacy.ts';
import { ELIGIBILITY_DECISIONS, ELIGIBILITY_DECISION_LABELS, ELIGIBILITY_RULES } from '../../../src/domain/cases/eligibility.ts';
import { LATER_STATE_LABELS, STAGE2_ROUTES, STAGE2_ROUTE_LABELS, STAGE2_STATES, STAGE3_STATES } from '../../../src/domain/cases/later-stage-workflow.ts';
import { CHANNELS, CHANNEL_LABELS } from '../../../src/domain/taxonomies/channels.ts';
import { COMPLAINANT_ROLES, COMPLAINANT_ROLE_LABELS } from '../../../src/domain/taxonomies/complainant-roles.ts';
import { COMPLIMENT_SOURCES, COMPLIMENT_SOURCE_LABELS } from '../../../src/domain/taxonomies/compliment-sources.ts';
import { DELAY_REASONS, DELAY_REASON_LABELS } from '../../../src/domain/taxonomies/delay-reasons.ts';
import { EXTENSION_REASONS, EXTENSION_REASON_LABELS } from '../../../src/domain/taxonomies/extension-reasons.ts';
import { FINDINGS, FINDING_LABELS } from '../../../src/domain/taxonomies/findings.ts';
import { SEEDED_ISSUE_CODES, SEEDED_ISSUE_LABELS } from '../../../src/domain/taxonomies/issues.ts';
import { OMBUDSMAN_DECISIONS, OMBUDSMAN_DECISION_LABELS } from '../../../src/domain/taxonomies/ombudsman-decisions.ts';
import { REMEDIES, REMEDY_LABELS } from '../../../src/domain/taxonomies/remedies.ts';
import { REPRESENTATION_KINDS, REPRESENTATION_KIND_LABELS } from '../../../src/domain/taxonomies/representation-kinds.ts';
import { LETTER_DEFINITIONS, LETTER_KEYS } from '../../../src/domain/letters/letter-definitions.ts';
import { PROCEDURE_KINDS, procedureDefinition } from '../../../src/domain/procedures/procedure-definitions.ts';

const NAMES: HistoryNames = { users: new Map([[7, 'Sam Patel']]), teams: new Map([[3, 'Contact Team']]) };

/** Codes, ISO dates and JSON: what a person must never read in a timeline. */
const UNREADABLE = /\b[a-z0-9]+_[a-z0-9_]+\b|\d{4}-\d{2}-\d{2}|[{}]/;

/** Each code list a recorded field takes its values from, with the labels it must show. */
const CODE_LISTS: readonly { fields: readonly string[]; codes: readonly string[]; labels: Readonly<Record<string, string>> }[] = [
  { fields: ['status', 'status_before_closure'], codes: CASE_STATUSES, labels: CASE_STATUS_LABELS },
  { fields: ['kind', 'to_kind'], codes: REPRESENTATION_KINDS, labels: REPRESENTATION_KIND_LABELS },
  { fields: ['channel'], codes: CHANNELS, labels: CHANNEL_LABELS },
  { fields: ['complainant_role'], codes: COMPLAINANT_ROLES, labels: COMPLAINANT_ROLE_LABELS },
  { fields: ['compliment_source'], codes: COMPLIMENT_SOURCES, labels: COMPLIMENT_SOURCE_LABELS },
  { fields: ['finding'], codes: FINDINGS, labels: FINDING_LABELS },
  { fields: ['remedies'], codes: REMEDIES, labels: REMEDY_LABELS },
  { fields: ['delay_reasons', 'panel_delay_reasons'], codes: DELAY_REASONS, labels: DELAY_REASON_LABELS },
  { fields: ['extension_reason'], codes: EXTENSION_REASONS, labels: EXTENSION_REASON_LABELS },
  { fields: ['issues'], codes: SEEDED_ISSUE_CODES, labels: SEEDED_ISSUE_LABELS },
  { fields: ['advocacy_outcome'], codes: ADVOCACY_OUTCOMES, labels: ADVOCACY_OUTCOME_LABELS },
  { fields: ['stage2_route'], codes: STAGE2_ROUTES, labels: STAGE2_ROUTE_LABELS },
  { fields: ['state'], codes: [...STAGE2_STATES, ...STAGE3_STATES], labels: LATER_STATE_LABELS },
  { fields: ['decision'], codes: ELIGIBILITY_DECISIONS, labels: ELIGIBILITY_DECISION_LABELS },
  { fields: ['decision'], codes: OMBUDSMAN_DECISIONS, labels: OMBUDSMAN_DECISION_LABELS },
  { fields: ['letter'], codes: LETTER_KEYS, labels: Object.fromEntries(LETTER_KEYS.map((key) => [key, LETTER_DEFINITIONS[key].title])) },
];

describe('the timeline presenter', () => {
  for (const { fields, codes, labels } of CODE_LISTS) {
    for (const field of fields) {
      it(`shows every ${field} code by its label`, () => {
        for (const code of codes) expect(historyValue(field, code, NAMES), code).toBe(labels[code]);
      });
    }
  }

  it('shows every eligibility outcome by its label, read with its decision', () => {
    for (const decision of ELIGIBILITY_DECISIONS) {
      for (const outcome of ELIGIBILITY_RULES[decision].outcomes) {
        expect(historyValue('outcome', outcome.code, NAMES, { decision })).toBe(outcome.label);
        expect(historyValue('outcome', outcome.code, NAMES)).not.toMatch(UNREADABLE);
      }
    }
  });

  it('names every clock’s due date by the clock', () => {
    for (const kind of PROCEDURE_KINDS) {
      for (const clock of procedureDefinition(kind).clocks) {
        expect(historyFieldLabel(`${clock.key}_due_on`)).toBe(`${clock.label} due`);
        expect(historyValue('clock', clock.key, NAMES)).toBe(clock.label);
      }
    }
  });

  it('labels each field and words each value: the examples people read', () => {
    const changes = presentHistoryChanges(
      { status: 'responded', responder_user_id: null },
      {
        status: 'closed',
        finding: 'partially_upheld',
        remedies: ['apology', 'contact_revised'],
        responder_user_id: 7,
        stage1_response_due_on: '2026-12-04',
        extension_reason: 'complexity',
        stage2_route: 'by_agreement',
        via_complaints_team: true,
        has_consent_to_quote: 0,
        cost_other_pence: 125050,
        team_id: 3,
      },
      NAMES,
    );
    const read = Object.fromEntries(changes.map((c) => [c.label, [c.before, c.after]]));
    expect(read).toEqual({
      Status: ['Responded', 'Closed'],
      Finding: [undefined, 'Partially upheld'],
      Remedies: [undefined, 'Apology, Contact arrangements revised'],
      'Responding manager': [undefined, 'Sam Patel'],
      'Stage 1 response due': [undefined, '4 December 2026'],
      'Reason for the extension': [undefined, 'The complaint is complex'],
      'Route into Stage 2': [undefined, STAGE2_ROUTE_LABELS.by_agreement],
      'Came to the complaints team directly': [undefined, 'Yes'],
      'May be quoted': [undefined, 'No'],
      'Other costs': [undefined, '£1,250.50'],
      Team: [undefined, 'Contact Team'],
    });
    for (const change of changes) expect(`${change.label} ${change.before ?? ''} ${change.after ?? ''}`).not.toMatch(UNREADABLE);
  });

  it('gives an unknown field its name in words and a plain value, never JSON', () => {
    const [change] = presentHistoryChanges(undefined, { panel_room_booked_on: '2027-01-05', extra: { seats_needed: 3, confirmed: true } }, NAMES);
    expect(change).toEqual({ field: 'panel_room_booked_on', label: 'Panel room booked', before: undefined, after: '5 January 2027' });
    const all = presentHistoryChanges(undefined, { extra: { seats_needed: 3, confirmed: true } }, NAMES);
    expect(all).toEqual([{ field: 'extra', label: 'Extra', before: undefined, after: 'Seats needed: 3; Confirmed: Yes' }]);
    expect(historyValue('mystery_code', 'some_unknown_code', NAMES)).toBe('some_unknown_code');
  });

  it('leaves out database ids with no name, and names a user who is gone without their id', () => {
    expect(presentHistoryChanges(undefined, { lesson_id: 12 }, NAMES)).toEqual([]);
    expect(historyValue('responder_user_id', 99, NAMES)).toBe('A user no longer on record');
  });

  it('says a value the same before and after once, and what was cleared', () => {
    expect(presentHistoryChanges({ clock: 'stage1_response', dueOn: '2030-06-05' }, { clock: 'stage1_response', dueOn: '2030-06-06' }, NAMES)).toEqual([
      { field: 'clock', label: 'Time limit', before: undefined, after: 'Stage 1 response' },
      { field: 'dueOn', label: 'Due', before: '5 June 2030', after: '6 June 2030' },
    ]);
    expect(presentHistoryChanges({ closed_on: '2026-12-01' }, { closed_on: null }, NAMES)).toEqual([{ field: 'closed_on', label: 'Closed', before: '1 December 2026', after: undefined }]);
  });

  it('finds the users and teams to look up, once each', () => {
    expect(historyIdsOf([{ responder_user_id: 7 }, { responder_user_id: 7, owner_user_id: '8' }, undefined, { team_id: 3 }])).toEqual({ userIds: [7, 8], teamIds: [3] });
  });

  it('writes the dates in a summary out', () => {
    expect(readableSummary('Stage 1 response now due 2030-06-06 (was 2030-06-05): Royal celebration (2030-06-03) added')).toBe(
      'Stage 1 response now due 6 June 2030 (was 5 June 2030): Royal celebration (3 June 2030) added',
    );
  });
});
