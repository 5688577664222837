import { describe, expect, it } from 'vitest';
import {
  actionProblems,
  canCompleteAction,
  caseReferencesOf,
  completionProblems,
  daysOverdue,
  isOverdue,
  learningScope,
  lessonProblems,
  nextActionStatus,
  reasonProblems,
} from '../../../src/domain/learning/learning.ts';
import { codeOf } from '../../support/domain-errors.ts';

const TODAY = '2026-11-26';
const codes = (problems: readonly { code: string }[]): string[] => problems.map((p) => p.code);

describe('a lesson', () => {
  it('is accepted with a title, what was learnt and a date identified up to today, trimmed', () => {
    expect(lessonProblems({ title: ' Give notice ', description: 'Families need a week’s notice.', identifiedOn: TODAY }, TODAY)).toEqual({
      problems: [],
      lesson: { title: 'Give notice', description: 'Families need a week’s notice.', identifiedOn: TODAY },
    });
  });

  it.each([
    [{ title: '', description: '', identifiedOn: '' }, ['missing_title', 'missing_description', 'missing_identified_on']],
    [{ title: 'T', description: 'D', identifiedOn: '2026-02-30' }, ['invalid_identified_on']],
    [{ title: 'T', description: 'D', identifiedOn: '2026-11-27' }, ['date_in_future']],
    [{ title: 'x'.repeat(201), description: 'D', identifiedOn: TODAY }, ['title_too_long']],
  ])('refuses %j with every problem', (input, expected) => {
    const { problems, lesson } = lessonProblems(input, TODAY);
    expect(codes(problems)).toEqual(expected);
    expect(lesson).toBeUndefined();
  });
});

describe('an action', () => {
  const identified = '2026-10-01';
  it('needs what, an owner (a user or a name, not both) and a due date not before the lesson', () => {
    expect(actionProblems({ description: 'Update the leaflet', dueOn: '2026-10-01', ownerUserId: 4, ownerName: '' }, identified).action).toEqual({
      description: 'Update the leaflet',
      dueOn: '2026-10-01',
      ownerUserId: 4,
      ownerName: null,
    });
    expect(codes(actionProblems({ description: '', dueOn: '', ownerUserId: null, ownerName: '' }, identified).problems)).toEqual(['missing_description', 'missing_owner', 'missing_due_on']);
    expect(codes(actionProblems({ description: 'A', dueOn: '2026-09-30', ownerUserId: 4, ownerName: 'Pat' }, identified).problems)).toEqual(['two_owners', 'due_on_too_early']);
    expect(codes(actionProblems({ description: 'A', dueOn: '2026-13-01', ownerUserId: null, ownerName: 'Pat' }, identified).problems)).toEqual(['invalid_due_on']);
  });

  it('may be due in the future, and (a recommendation recorded late) before the lesson, without an owner', () => {
    expect(actionProblems({ description: 'A', dueOn: '2027-06-30', ownerUserId: null, ownerName: 'Pat Jones' }, identified).problems).toEqual([]);
    expect(actionProblems({ description: 'A', dueOn: '2026-09-01', ownerUserId: null, ownerName: '' }, identified, { isDueBeforeIdentifiedAllowed: true, isOwnerOptional: true }).action).toMatchObject({
      dueOn: '2026-09-01',
      ownerUserId: null,
      ownerName: null,
    });
  });

  it('is done on a real date, not in the future, not before the lesson was identified', () => {
    expect(completionProblems('2026-11-26', identified, TODAY)).toEqual([]);
    expect(codes(completionProblems('', identified, TODAY))).toEqual(['missing_done_on']);
    expect(codes(completionProblems('2026-11-27', identified, TODAY))).toEqual(['date_in_future']);
    expect(codes(completionProblems('2026-09-30', identified, TODAY))).toEqual(['done_on_too_early']);
    expect(codes(completionProblems('2026-02-29', identified, TODAY))).toEqual(['invalid_done_on']);
  });

  it('is cancelled or reopened only with a reason', () => {
    expect(codes(reasonProblems('  ', 'cancel'))).toEqual(['missing_reason']);
    expect(reasonProblems('Overtaken by the new policy', 'reopen')).toEqual([]);
  });
});

describe('an action’s status', () => {
  it.each([
    ['open', 'complete', 'done'],
    ['open', 'cancel', 'cancelled'],
    ['done', 'reopen', 'open'],
    ['cancelled', 'reopen', 'open'],
  ] as const)('moves from %s by %s to %s', (status, move, next) => {
    expect(nextActionStatus(status, move)).toBe(next);
  });

  it.each([
    ['done', 'complete', 'action_not_open'],
    ['cancelled', 'cancel', 'action_not_open'],
    ['done', 'cancel', 'action_not_open'],
    ['open', 'reopen', 'action_not_closed'],
    ['unknown', 'complete', 'action_not_open'],
  ] as const)('refuses from %s to %s', (status, move, code) => {
    expect(codeOf(() => nextActionStatus(status, move))).toBe(code);
  });

  it('is overdue when open and due before today, counting the days', () => {
    expect(isOverdue({ status: 'open', dueOn: '2026-11-25' }, TODAY)).toBe(true);
    expect(daysOverdue({ status: 'open', dueOn: '2026-11-25' }, TODAY)).toBe(1);
    expect(daysOverdue({ status: 'open', dueOn: '2026-10-27' }, TODAY)).toBe(30);
    expect(isOverdue({ status: 'open', dueOn: TODAY }, TODAY)).toBe(false);
    expect(isOverdue({ status: 'done', dueOn: '2026-01-01' }, TODAY)).toBe(false);
    expect(daysOverdue({ status: 'cancelled', dueOn: '2026-01-01' }, TODAY)).toBe(0);
  });
});

describe('who may see and do what', () => {
  it('gives the complaints team and senior managers every lesson, viewers the figures, responding managers their own', () => {
    expect(learningScope(['complaints_officer'])).toBe('all');
    expect(learningScope(['senior_manager'])).toBe('all');
    expect(learningScope(['viewer', 'responding_manager'])).toBe('figures');
    expect(learningScope(['responding_manager'])).toBe('own');
    expect(learningScope(['admin'])).toBe('none');
    expect(learningScope(['investigator'])).toBe('none');
  });

  it('lets the keepers mark any action done, anyone else only their own', () => {
    expect(canCompleteAction({ userId: 1, roles: ['complaints_manager'] }, { ownerUserId: 7 })).toBe(true);
    expect(canCompleteAction({ userId: 7, roles: ['responding_manager'] }, { ownerUserId: 7 })).toBe(true);
    expect(canCompleteAction({ userId: 8, roles: ['senior_manager'] }, { ownerUserId: 7 })).toBe(false);
    expect(canCompleteAction({ userId: 8, roles: ['senior_manager'] }, { ownerUserId: null })).toBe(false);
  });
});

it('reads complaint references as typed', () => {
  expect(caseReferencesOf(' csc-2026-0001, CSC-2026-0002\nCSC-2026-0001 ')).toEqual(['CSC-2026-0001', 'CSC-2026-0002']);
  expect(caseReferencesOf('  ')).toEqual([]);
});
