/**
 * Restricted cases: the rule (src/domain/cases/case-restriction.ts) and how it takes over the
 * case visibility matrix — an excluded user, or a member of an excluded team, sees nothing of
 * the case whatever their roles; everyone else sees what they saw before.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isExcluded, newRestrictions, restrictionHistorySummary, restrictionProblems, type RestrictionContext } from '../../../src/domain/cases/case-restriction.ts';
import { caseVisibility, type CaseVisibility } from '../../../src/app/case-query-service.ts';
import { ROLES, type Role } from '../../../src/domain/users/roles.ts';

const MANAGER = { userId: 1, teamId: 10 };
const RESPONDER = { userId: 2, teamId: 20 };

const context = (overrides: Partial<RestrictionContext> = {}): RestrictionContext => ({
  actor: MANAGER,
  responder: RESPONDER,
  existing: [],
  knownUserIds: new Set([1, 2, 3, 4]),
  knownTeamIds: new Set([10, 20, 30]),
  ...overrides,
});

const codes = (userIds: number[], teamIds: number[], reason = 'The complaint is about them', ctx = context()) =>
  restrictionProblems({ userIds, teamIds, reason }, ctx).map((p) => `${p.field ?? ''}:${p.code}`);

describe('who a restriction excludes', () => {
  it('excludes the named user and every member of a named team, and no one else', () => {
    const restrictions = [
      { userId: 3, teamId: null },
      { userId: null, teamId: 30 },
    ];
    expect(isExcluded({ userId: 3, teamId: null }, restrictions)).toBe(true);
    expect(isExcluded({ userId: 3, teamId: 10 }, restrictions)).toBe(true);
    expect(isExcluded({ userId: 9, teamId: 30 }, restrictions)).toBe(true);
    expect(isExcluded({ userId: 4, teamId: 10 }, restrictions)).toBe(false);
    expect(isExcluded({ userId: 4, teamId: null }, restrictions)).toBe(false);
    expect(isExcluded({ userId: 3, teamId: 10 }, [])).toBe(false);
  });
});

describe('adding restrictions', () => {
  it('accepts staff and teams with a reason', () => {
    expect(codes([3], [30])).toEqual([]);
    expect(codes([3, 4], [])).toEqual([]);
    expect(codes([], [30])).toEqual([]);
  });

  it('needs someone chosen and a reason', () => {
    expect(codes([], [])).toEqual(['users:restriction_nobody_chosen']);
    expect(codes([3], [], '   ')).toEqual(['reason:restriction_reason_required']);
    expect(codes([3], [], 'x'.repeat(1001))).toEqual(['reason:restriction_reason_too_long']);
  });

  it('never restricts the person doing it, nor their own team', () => {
    expect(codes([MANAGER.userId], [])).toEqual(['users:restriction_of_self']);
    expect(codes([], [MANAGER.teamId])).toEqual(['teams:restriction_of_own_team']);
  });

  it('refuses the responding manager and their team with a clear message: re-allocate first', () => {
    const problems = restrictionProblems({ userIds: [RESPONDER.userId], teamIds: [RESPONDER.teamId], reason: 'About them' }, context());
    expect(problems.map((p) => p.code)).toEqual(['restriction_of_responder', 'restriction_of_responder']);
    expect(problems[0]?.message).toContain('allocate the case to another responding manager first');
    // With no one allocated, the same people may be excluded.
    expect(codes([RESPONDER.userId], [RESPONDER.teamId], 'About them', context({ responder: null }))).toEqual([]);
  });

  it('refuses people and teams it does not know', () => {
    expect(codes([99], [])).toEqual(['users:restriction_unknown_user']);
    expect(codes([], [99])).toEqual(['teams:restriction_unknown_team']);
  });

  it('adds only those not excluded already, once each', () => {
    expect(newRestrictions({ userIds: [3, 3, 4], teamIds: [30], reason: 'r' }, [{ userId: 4, teamId: null }])).toEqual([
      { userId: 3, teamId: null },
      { userId: null, teamId: 30 },
    ]);
  });

  it('writes history without names: counts only', () => {
    expect(restrictionHistorySummary('added', [{ userId: 3, teamId: null }, { userId: 4, teamId: null }, { userId: null, teamId: 30 }])).toBe(
      'Access restricted: 2 members of staff and 1 team excluded from the case',
    );
    expect(restrictionHistorySummary('removed', [{ userId: null, teamId: 30 }])).toBe('Access restriction removed: 1 team no longer excluded');
  });
});

describe('the visibility matrix with restrictions', () => {
  const record = { teamId: 20, responderUserId: 2, appointedUserIds: [5] };
  const people = [
    { userId: 1, teamId: 10 },
    { userId: 2, teamId: 20 },
    { userId: 5, teamId: null },
    { userId: 6, teamId: 20 },
    { userId: 7, teamId: 30 },
  ];

  it('hides the case from an excluded person whatever their roles, and changes nothing for anyone else', () => {
    fc.assert(
      fc.property(
        fc.subarray([...ROLES] as Role[], { minLength: 1 }),
        fc.constantFrom(...people),
        fc.subarray([1, 2, 5, 6, 7]),
        fc.subarray([10, 20, 30]),
        (roles, person, userIds, teamIds) => {
          const viewer = { ...person, roles };
          const restrictions = [...userIds.map((userId) => ({ userId, teamId: null })), ...teamIds.map((teamId) => ({ userId: null, teamId }))];
          const excluded = userIds.includes(person.userId) || (person.teamId !== null && teamIds.includes(person.teamId));
          const without: CaseVisibility = caseVisibility(viewer, record);
          expect(caseVisibility(viewer, { ...record, restrictions })).toBe(excluded ? 'none' : without);
        },
      ),
    );
  });

  it('hides the case even from the complaints team and senior managers when they are excluded', () => {
    for (const role of ['complaints_officer', 'complaints_manager', 'senior_manager', 'viewer'] as const) {
      expect(caseVisibility({ userId: 7, teamId: 30, roles: [role] }, { ...record, restrictions: [{ userId: null, teamId: 30 }] })).toBe('none');
      expect(caseVisibility({ userId: 7, teamId: 30, roles: [role] }, { ...record, restrictions: [{ userId: 7, teamId: null }] })).toBe('none');
      expect(caseVisibility({ userId: 7, teamId: 30, roles: [role] }, { ...record, restrictions: [{ userId: 8, teamId: null }] })).not.toBe('none');
    }
  });
});
