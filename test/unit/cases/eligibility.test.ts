import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatIsoDate, parseIsoDate } from '../../../src/domain/calendar/iso-date.ts';
import {
  ELIGIBILITY_DECISIONS,
  ELIGIBILITY_OUTCOMES,
  ELIGIBILITY_RULES,
  type EligibilityFacts,
  fieldsToRecord,
  isDeclinedWholly,
  isOutsideTimeLimit,
  latestDecisions,
  neededDecisions,
  outstandingDecisions,
} from '../../../src/domain/cases/eligibility.ts';
import { COMPLAINANT_ROLES } from '../../../src/domain/taxonomies/complainant-roles.ts';
import { codeOf } from '../../support/domain-errors.ts';

const facts = (overrides: Partial<EligibilityFacts> = {}): EligibilityFacts => ({ kind: 'children_statutory', receivedOn: '2026-03-10', ...overrides });

describe('the 12-month time limit', () => {
  it.each([
    ['2025-03-10', '2026-03-10', false],
    ['2025-03-10', '2026-03-11', true],
    ['2025-03-11', '2026-03-10', false],
    ['2026-03-10', '2026-03-10', false],
    ['2024-02-29', '2025-02-28', false],
    ['2024-02-29', '2025-03-01', true],
    ['2023-03-01', '2024-02-29', false],
    ['2019-12-31', '2026-03-10', true],
  ])('event %s, received %s: outside %s', (eventOn, receivedOn, outside) => {
    expect(isOutsideTimeLimit(eventOn, receivedOn)).toBe(outside);
  });

  it('an event recorded after the receipt asks no time-limit question (it is refused when recorded)', () => {
    expect(neededDecisions(facts({ complainantRole: 'parent', eventOn: '2026-04-01' }))).toEqual([]);
  });

  it('refuses an event after the receipt and dates that are not real', () => {
    expect(codeOf(() => isOutsideTimeLimit('2026-03-11', '2026-03-10'))).toBe('event_after_receipt');
    expect(codeOf(() => isOutsideTimeLimit('2025-02-29', '2026-03-10'))).toBe('invalid_date');
  });

  it('is outside exactly when the receipt is after the same date a year on (28 February for 29 February)', () => {
    const day = fc.integer({ min: parseIsoDate('2000-01-01'), max: parseIsoDate('2039-12-31') });
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 800 }), (event, gap) => {
        const eventOn = formatIsoDate(event);
        const receivedOn = formatIsoDate(event + gap);
        const [y = 0, m = 0, d = 0] = eventOn.split('-').map(Number);
        const sameDateNextYear = m === 2 && d === 29 ? `${String(y + 1)}-02-28` : `${String(y + 1)}${eventOn.slice(4)}`;
        expect(isOutsideTimeLimit(eventOn, receivedOn)).toBe(receivedOn > sameDateNextYear);
      }),
    );
  });
});

describe('which decisions a case needs', () => {
  // Written from Children Act 1989 s.26(3) and the 2006 Regulations, role by role.
  const BY_ROLE: Record<string, string> = {
    child: '',
    advocate: '',
    parent: '',
    relative: 'sufficient_interest child_wishes',
    foster_carer: '',
    special_guardian: '',
    adopter: '',
    care_leaver: '',
    iro: 'sufficient_interest child_wishes',
    professional: 'sufficient_interest child_wishes',
    other: 'sufficient_interest child_wishes',
  };

  it('covers every complainant role', () => {
    expect(Object.keys(BY_ROLE).sort()).toEqual([...COMPLAINANT_ROLES].sort());
  });

  it.each(Object.entries(BY_ROLE))('a complaint by a %s needs: %s', (role, expected) => {
    expect(neededDecisions(facts({ complainantRole: role as EligibilityFacts['complainantRole'] })).join(' ')).toBe(expected);
  });

  it('nobody with parental responsibility needs either decision', () => {
    for (const complainantRole of COMPLAINANT_ROLES) {
      expect(neededDecisions(facts({ complainantRole, hasParentalResponsibility: true, isMadeForChild: true }))).toEqual([]);
    }
  });

  it('a foster carer complaining for the young person needs the young person’s wishes checked', () => {
    expect(neededDecisions(facts({ complainantRole: 'foster_carer', isMadeForChild: true }))).toEqual(['child_wishes']);
  });

  it('needs a time-limit decision for old events and a proceedings decision when there are proceedings', () => {
    expect(neededDecisions(facts({ complainantRole: 'parent', eventOn: '2025-03-09' }))).toEqual(['time_limit']);
    expect(neededDecisions(facts({ complainantRole: 'parent', eventOn: '2025-03-10' }))).toEqual([]);
    expect(neededDecisions(facts({ complainantRole: 'parent', hasProceedings: true }))).toEqual(['court_proceedings']);
    expect(neededDecisions(facts({ complainantRole: 'other', eventOn: '2020-01-01', hasProceedings: true }))).toEqual([...ELIGIBILITY_DECISIONS]);
  });

  it('asks only the decisions of the case’s procedure', () => {
    const old = { complainantRole: 'relative' as const, eventOn: '2020-01-01', hasProceedings: true };
    expect(neededDecisions(facts({ ...old, kind: 'corporate' }))).toEqual(['time_limit', 'court_proceedings']);
    expect(neededDecisions(facts({ ...old, kind: 'informal' }))).toEqual([]);
  });

  it('leaves out those recorded, the last recorded standing', () => {
    const recorded = facts({
      complainantRole: 'relative',
      eligibilityDecisions: [
        { decision: 'sufficient_interest', outcome: 'not_accepted', decidedOn: '2026-03-11' },
        { decision: 'sufficient_interest', outcome: 'accepted', decidedOn: '2026-03-12' },
      ],
    });
    expect(outstandingDecisions(recorded)).toEqual(['child_wishes']);
    expect(latestDecisions(recorded).get('sufficient_interest')?.outcome).toBe('accepted');
    expect(isDeclinedWholly(recorded)).toBe(false);
    expect(isDeclinedWholly(facts({ eligibilityDecisions: [{ decision: 'child_wishes', outcome: 'against_wishes', decidedOn: '2026-03-11' }] }))).toBe(true);
    expect(isDeclinedWholly(facts({ eligibilityDecisions: [{ decision: 'court_proceedings', outcome: 'decline_partly', decidedOn: '2026-03-11' }] }))).toBe(false);
  });
});

describe('the decisions as data', () => {
  it('each decision can consider the complaint or decline it, always with reasons', () => {
    for (const decision of ELIGIBILITY_DECISIONS) {
      const rule = ELIGIBILITY_RULES[decision];
      expect(rule.decision).toBe(decision);
      expect(rule.outcomes.map((o) => o.declines)).toContain('nothing');
      expect(rule.outcomes.map((o) => o.declines)).toContain('all');
      for (const outcome of rule.outcomes) {
        expect(fieldsToRecord(decision, outcome.code)).toContain('reason');
        // A refusal is never silent: the complainant is told.
        if (outcome.declines !== 'nothing') expect(fieldsToRecord(decision, outcome.code)).toContain('notified_on');
      }
    }
    expect(new Set(Object.values(ELIGIBILITY_RULES).flatMap((r) => r.outcomes.map((o) => o.code)))).toEqual(new Set(ELIGIBILITY_OUTCOMES));
  });

  it('records what each decision needs', () => {
    expect(fieldsToRecord('sufficient_interest', 'accepted')).toEqual(['reason', 'child_views', 'notified_on']);
    expect(fieldsToRecord('court_proceedings', 'decline_partly')).toEqual(['reason', 'parts_declined', 'notified_on']);
    expect(fieldsToRecord('time_limit', 'consider')).toEqual(['reason']);
    expect(fieldsToRecord('court_proceedings', 'decline_wholly')).toEqual(['reason', 'notified_on']);
  });
});
