/** Scenario tests for each Stage 1 guard and input rule (dates as in `stage1-builders.ts`). */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.ts';
import type { CaseFacts, Stage1Action } from '../../../src/domain/cases/stage1-workflow.ts';
import { allowedActions, availableActions, decide, inputProblems } from '../../../src/domain/cases/stage1-workflow.ts';
import { codeOf } from '../../support/domain-errors.ts';
import { stage1Clock } from '../../../src/domain/cases/stage1-clock.ts';
import { DUE, RECEIVED, RESPONDER_ID, TEAM_ID, TODAY, VALID_INPUT, actor, calendar, caseFacts, context, officer, responder } from './stage1-builders.ts';

function refusal(facts: CaseFacts, action: Stage1Action, input: Record<string, unknown>, who = officer): { code: string; field?: string; message: string } | undefined {
  try {
    decide(facts, who, action, input, context);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  return undefined;
}

const response = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ ...VALID_INPUT.record_response, ...extra });

describe('recording the Stage 1 response', () => {
  it('on the due date is on time: no delay reasons needed, and any given are not recorded', () => {
    const decision = decide(caseFacts(), responder, 'record_response', response({ responded_on: DUE, delay_reasons: ['redress'] }), context);
    expect(decision).toMatchObject({ to: 'responded', isLate: false, record: { responded_on: DUE, finding: 'partially_upheld', remedies: ['apology', 'explanation'] } });
    expect(decision.record.delay_reasons).toBeUndefined();
    expect(decision.stage1Clock).toMatchObject({ state: 'met', workingDaysUsed: 10 });
  });

  it('a working day late is refused without delay reasons', () => {
    expect(refusal(caseFacts(), 'record_response', response({ responded_on: '2026-03-17' }))).toMatchObject({ code: 'delay_reasons_required', field: 'delay_reasons' });
    const decision = decide(caseFacts(), officer, 'record_response', response({ responded_on: '2026-03-17', delay_reasons: ['complex_multi_team', 'redress'] }), context);
    expect(decision).toMatchObject({ isLate: true, record: { delay_reasons: ['complex_multi_team', 'redress'] } });
    expect(decision.stage1Clock).toMatchObject({ state: 'missed', workingDaysUsed: 11 });
  });

  it('is late after the deadline even when the case was on hold: a hold never moves a Children Act deadline', () => {
    // On hold Thursday 5 to Monday 9 March: the deadline stays Monday 16 March.
    const held = caseFacts({ stage1Pauses: [{ from: '2026-03-05', to: '2026-03-09', reason: 'Waiting for the complainant' }] });
    expect(decide(held, officer, 'record_response', response({ responded_on: DUE }), context)).toMatchObject({ isLate: false });
    expect(refusal(held, 'record_response', response({ responded_on: '2026-03-17' }))?.code).toBe('delay_reasons_required');
    // A hold still running ends with the response, which is late all the same.
    const stillHeld = caseFacts({ stage1Pauses: [{ from: '2026-03-05', reason: 'Waiting' }] });
    expect(refusal(stillHeld, 'record_response', response({ responded_on: '2026-03-17' }))?.code).toBe('delay_reasons_required');
  });

  it('is not late within an extension', () => {
    const extended = caseFacts({ stage1Extensions: [{ extraWorkingDays: 10, reason: 'Complex', complainantToldOn: '2026-03-09' }] });
    const later = { ...context, today: '2026-03-31' };
    expect(decide(extended, officer, 'record_response', response({ responded_on: '2026-03-30' }), later)).toMatchObject({ isLate: false });
    expect(codeOf(() => decide(extended, officer, 'record_response', response({ responded_on: '2026-03-31' }), later))).toBe('delay_reasons_required');
  });

  it('refuses a response dated before the complaint was received', () => {
    expect(refusal(caseFacts(), 'record_response', response({ responded_on: '2026-03-01' }))).toMatchObject({
      code: 'response_before_receipt',
      field: 'responded_on',
      message: 'The date of the response must be the same as or after the date it was received (2 March 2026)',
    });
    expect(codeOf(() => decide(caseFacts(), officer, 'record_response', response({ responded_on: RECEIVED }), context))).toBeUndefined();
  });

  it('refuses impossible, future and out-of-calendar dates', () => {
    expect(refusal(caseFacts(), 'record_response', response({ responded_on: '2026-02-30' }))).toMatchObject({ code: 'invalid_responded_on', message: 'The date of the response must be a real date' });
    expect(refusal(caseFacts(), 'record_response', response({ responded_on: '13/03/2026' }))?.code).toBe('invalid_responded_on');
    expect(refusal(caseFacts(), 'record_response', response({ responded_on: '2026-03-21' }))).toMatchObject({ code: 'date_in_future', message: 'The date of the response must be today or in the past' });
    expect(refusal(caseFacts({ receivedOn: '1999-06-01' }), 'record_response', response({ responded_on: '1999-07-01' }))?.code).toBe('date_outside_calendar');
    expect(refusal(caseFacts(), 'record_response', response({ responded_on: '' }))).toMatchObject({ code: 'missing_responded_on', message: 'Enter the date of the response' });
  });

  it('needs a finding and remedies from the procedure, checked against the lists', () => {
    expect(refusal(caseFacts(), 'record_response', response({ finding: undefined }))).toMatchObject({ code: 'missing_finding', message: 'Select the finding' });
    expect(refusal(caseFacts(), 'record_response', response({ finding: 'partly' }))?.code).toBe('invalid_finding');
    expect(refusal(caseFacts(), 'record_response', response({ remedies: [] }))).toMatchObject({ code: 'missing_remedies', message: 'Select at least one remedy' });
    expect(refusal(caseFacts(), 'record_response', response({ remedies: ['apology', 'cake'] }))?.code).toBe('invalid_remedies');
    // An informal complaint or a comment may be answered without them.
    expect(decide(caseFacts({ kind: 'informal' }), officer, 'record_response', { responded_on: '2026-03-13' }, context).record).toEqual({ responded_on: '2026-03-13' });
    // A single remedy from a form (one checkbox) is a list of one.
    expect(decide(caseFacts(), officer, 'record_response', response({ remedies: 'apology' }), context).record.remedies).toEqual(['apology']);
  });

  it('lists every problem for the error summary', () => {
    const problems = inputProblems(caseFacts(), officer, 'record_response', { responded_on: '2026-02-30', finding: 'x' }, context);
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ['invalid_responded_on', 'responded_on'],
      ['invalid_finding', 'finding'],
      ['missing_remedies', 'remedies'],
    ]);
    expect(inputProblems(caseFacts(), officer, 'record_response', response(), context)).toEqual([]);
  });
});

describe('withdrawn complaints have no finding', () => {
  it('refuses a response on a withdrawn case, whoever asks', () => {
    const withdrawn = caseFacts({ status: 'withdrawn', withdrawnOn: '2026-03-10' });
    for (const who of [officer, responder, actor(['viewer'])]) {
      expect(codeOf(() => decide(withdrawn, who, 'record_response', response(), context))).toBe('finding_on_withdrawn');
    }
    // Once a withdrawn case is closed, still none.
    expect(codeOf(() => decide(caseFacts({ status: 'closed', withdrawnOn: '2026-03-10' }), officer, 'record_response', response(), context))).toBe('finding_on_withdrawn');
  });

  it('refuses a finding given with a withdrawal', () => {
    expect(refusal(caseFacts(), 'withdraw_by_complainant', { withdrawn_on: '2026-03-10', finding: 'upheld' })).toMatchObject({ code: 'finding_on_withdrawn', field: 'finding' });
    const warned = caseFacts({ status: 'closure_warning_sent', closureWarningSentOn: '2026-03-09' });
    expect(refusal(warned, 'withdraw_no_response', { withdrawn_on: '2026-03-12', finding: 'not_upheld' })?.code).toBe('finding_on_withdrawn');
    expect(decide(warned, officer, 'withdraw_no_response', { withdrawn_on: '2026-03-12' }, context)).toMatchObject({ to: 'withdrawn', record: { withdrawn_on: '2026-03-12' } });
  });

  it('refuses a withdrawal for want of a reply dated before the closure letter', () => {
    const warned = caseFacts({ status: 'closure_warning_sent', closureWarningSentOn: '2026-03-09' });
    expect(refusal(warned, 'withdraw_no_response', { withdrawn_on: '2026-03-06' })?.code).toBe('date_before_closure_warning');
  });
});

describe('advocacy', () => {
  it('a child complainant cannot complete Stage 1 until the offer of an advocate is recorded', () => {
    const child = caseFacts({ complainantRole: 'child' });
    expect(codeOf(() => decide(child, officer, 'record_response', response(), context))).toBe('advocacy_offer_required');
    expect(allowedActions(child, officer)).not.toContain('record_response');
    expect(availableActions(child, officer).find((a) => a.action === 'record_response')).toMatchObject({ isAllowed: false, code: 'advocacy_offer_required' });

    const offer = decide(child, officer, 'record_advocacy_offer', VALID_INPUT.record_advocacy_offer, context).record;
    expect(offer).toEqual({ offered_on: '2026-03-03', advocacy_outcome: 'declined', provider: "The Children's Society" });
    const offered = { ...child, advocacyOffer: { offeredOn: '2026-03-03', outcome: 'no_reply' as const, provider: "The Children's Society" } };
    expect(decide(offered, officer, 'record_response', response(), context).to).toBe('responded');
  });

  it('applies to care leavers too, not to advocates or parents, nor outside the Children Act procedure', () => {
    expect(codeOf(() => decide(caseFacts({ complainantRole: 'care_leaver' }), officer, 'record_response', response(), context))).toBe('advocacy_offer_required');
    for (const complainantRole of ['advocate', 'parent'] as const) {
      expect(codeOf(() => decide(caseFacts({ complainantRole }), officer, 'record_response', response(), context))).toBeUndefined();
    }
    expect(codeOf(() => decide(caseFacts({ kind: 'corporate', complainantRole: 'child' }), officer, 'record_response', response(), context))).toBeUndefined();
  });

  it('needs the date, the answer and the provider', () => {
    expect(refusal(caseFacts(), 'record_advocacy_offer', { offered_on: '2026-03-03', advocacy_outcome: 'maybe', provider: 'X' })?.code).toBe('invalid_advocacy_outcome');
    expect(refusal(caseFacts(), 'record_advocacy_offer', { offered_on: '2026-03-03', advocacy_outcome: 'accepted' })?.code).toBe('missing_provider');
  });
});

describe('extending the Stage 1 clock', () => {
  const extend = (extra: Record<string, unknown>): Record<string, unknown> => ({ ...VALID_INPUT.extend, ...extra });

  it('extends up to 20 working days in all', () => {
    const decision = decide(caseFacts(), officer, 'extend', extend({ extra_working_days: '10' }), context);
    expect(decision.record).toEqual({ extra_working_days: 10, extension_reason: 'complexity', complainant_told_on: '2026-03-09' });
    expect(decision.stage1Clock).toMatchObject({ totalWorkingDays: 20, dueDate: '2026-03-30', isExtended: true });
  });

  it('refuses an extension beyond 20 working days, saying how far it can go', () => {
    expect(refusal(caseFacts(), 'extend', extend({ extra_working_days: 11 }))).toEqual({
      code: 'extension_beyond_cap',
      field: 'extra_working_days',
      message: 'The time to respond can be extended to 20 working days at most: extend it by 10 working days or fewer',
    });
    const extended = caseFacts({ stage1Extensions: [{ extraWorkingDays: 10, reason: 'Complex', complainantToldOn: '2026-03-05' }] });
    expect(refusal(extended, 'extend', extend({ extra_working_days: 1 }))).toMatchObject({
      code: 'extension_beyond_cap',
      message: 'The time to respond has already been extended as far as it can be (20 working days)',
    });
  });

  it('needs the reason and the date the complainant was told, on or before the due date', () => {
    expect(refusal(caseFacts(), 'extend', extend({ extension_reason: ' ' }))).toMatchObject({ code: 'missing_extension_reason', field: 'extension_reason', message: 'Select the reason for the extension' });
    expect(refusal(caseFacts(), 'extend', extend({ complainant_told_on: undefined }))?.code).toBe('missing_complainant_told_on');
    expect(refusal(caseFacts(), 'extend', extend({ extra_working_days: 0 }))?.code).toBe('invalid_extra_working_days');
    expect(refusal(caseFacts(), 'extend', extend({ complainant_told_on: '2026-03-17' }))).toMatchObject({ code: 'extension_after_due_date', field: 'complainant_told_on' });
  });

  it('is not offered where the procedure has no extension or its clock has not started', () => {
    // Corporate Stage 1 runs from the acknowledgement.
    expect(codeOf(() => decide(caseFacts({ kind: 'corporate' }), officer, 'extend', extend({}), context))).toBe('clock_not_started');
    expect(codeOf(() => decide(caseFacts({ kind: 'corporate', acknowledgedOn: '2026-03-03' }), officer, 'extend', extend({}), context))).toBeUndefined();
  });
});

describe('the reason for an extension, as a code', () => {
  const extend = (extra: Record<string, unknown>): Record<string, unknown> => ({ ...VALID_INPUT.extend, ...extra });

  it('records the code, and keeps its label as the clock extension’s reason', () => {
    const decision = decide(caseFacts(), officer, 'extend', extend({ extension_reason: 'advocate_needed' }), context);
    expect(decision.record).toMatchObject({ extension_reason: 'advocate_needed' });
    expect(decision.record.extension_reason_text).toBeUndefined();
  });

  it('refuses an unknown code, naming the field', () => {
    expect(refusal(caseFacts(), 'extend', extend({ extension_reason: 'busy' }))).toEqual({
      code: 'invalid_extension_reason',
      field: 'extension_reason',
      message: 'Select the reason for the extension from the list',
    });
  });

  it('needs the words for "other", and takes them', () => {
    expect(refusal(caseFacts(), 'extend', extend({ extension_reason: 'other' }))).toEqual({
      code: 'missing_extension_reason_text',
      field: 'extension_reason_text',
      message: 'Enter the reason for the extension, in your own words',
    });
    expect(refusal(caseFacts(), 'extend', extend({ extension_reason: 'other', extension_reason_text: '   ' }))?.code).toBe('missing_extension_reason_text');
    const decision = decide(caseFacts(), officer, 'extend', extend({ extension_reason: 'other', extension_reason_text: ' Waiting for police records ' }), context);
    expect(decision.record).toMatchObject({ extension_reason: 'other', extension_reason_text: 'Waiting for police records' });
  });

  it('leaves out words given with a reason other than "other"', () => {
    const decision = decide(caseFacts(), officer, 'extend', extend({ extension_reason: 'complexity', extension_reason_text: 'Not needed' }), context);
    expect(decision.record.extension_reason_text).toBeUndefined();
  });

  it('lists every problem at once for a form', () => {
    const codes = inputProblems(caseFacts(), officer, 'extend', { extension_reason: 'other' }, context).map((p) => p.code);
    expect(codes).toEqual(['missing_extra_working_days', 'missing_extension_reason_text', 'missing_complainant_told_on']);
  });
});

describe('re-opening a withdrawn or closed case', () => {
  const manager = actor(['complaints_manager'], 2, null);
  const reopen = VALID_INPUT.reopen;

  it('returns the case to the status it had before it was withdrawn or closed', () => {
    for (const before of ['registered', 'allocated', 'awaiting_information', 'closure_warning_sent', 'responded'] as const) {
      for (const status of ['withdrawn', 'closed'] as const) {
        const facts = caseFacts({ status, statusBeforeClosure: before, withdrawnOn: status === 'withdrawn' ? '2026-03-10' : undefined });
        expect(decide(facts, manager, 'reopen', reopen, context)).toMatchObject({ from: status, to: before, actingRole: 'complaints_manager', record: { reason: reopen.reason } });
      }
    }
  });

  it('works out where to return a case ended before that was recorded, from its facts', () => {
    const reopened = (facts: Partial<CaseFacts>): string => decide(caseFacts({ status: 'closed', ...facts }), manager, 'reopen', reopen, context).to;
    expect(reopened({ respondedOn: '2026-03-13' })).toBe('responded');
    expect(reopened({})).toBe('allocated');
    expect(reopened({ responderUserId: undefined })).toBe('registered');
  });

  it('needs the reason', () => {
    const facts = caseFacts({ status: 'withdrawn', statusBeforeClosure: 'allocated', withdrawnOn: '2026-03-10' });
    expect(refusal(facts, 'reopen', {}, manager)).toEqual({ code: 'missing_reason', field: 'reason', message: 'Enter the reason for re-opening' });
    expect(refusal(facts, 'reopen', { reason: '  ' }, manager)?.code).toBe('missing_reason');
  });

  it('is for a complaints manager only', () => {
    const facts = caseFacts({ status: 'closed', statusBeforeClosure: 'responded', respondedOn: '2026-03-13' });
    for (const role of ['complaints_officer', 'responding_manager', 'senior_manager', 'viewer', 'admin', 'investigator'] as const) {
      expect(refusal(facts, 'reopen', reopen, actor([role]))?.code).toBe('role_may_not');
    }
    expect(allowedActions(facts, officer)).not.toContain('reopen');
    expect(allowedActions(facts, manager)).toContain('reopen');
  });

  it('is refused for a case that is neither withdrawn nor closed', () => {
    for (const status of ['registered', 'allocated', 'awaiting_information', 'closure_warning_sent', 'responded', 'stage2', 'stage3'] as const) {
      expect(refusal(caseFacts({ status }), 'reopen', reopen, manager)?.code).toBe('action_not_allowed_in_status');
    }
  });

  it('is held back for a case withdrawn at Stage 2 or 3, saying so', () => {
    const facts = caseFacts({ status: 'closed', statusBeforeClosure: 'stage2', respondedOn: '2026-03-13' });
    expect(refusal(facts, 'reopen', reopen, manager)).toMatchObject({ code: 'reopen_later_stage', message: expect.stringContaining('Stage 2') as unknown });
    expect(availableActions(facts, manager).find((a) => a.action === 'reopen')).toMatchObject({ isAllowed: false, code: 'reopen_later_stage' });
  });

  it('lets a re-opened withdrawn complaint have its response again', () => {
    // Re-opening clears the withdrawal, so the "withdrawn complaints have no finding" refusal no longer applies.
    const reopened = caseFacts({ status: 'allocated' });
    expect(codeOf(() => decide(reopened, officer, 'record_response', VALID_INPUT.record_response, context))).toBeUndefined();
  });
});

describe('putting a case on hold', () => {
  it('records the hold with its reason and shows it, but the deadline stands', () => {
    const held = decide(caseFacts(), officer, 'pause', VALID_INPUT.pause, context);
    expect(held.record).toEqual({ paused_on: '2026-03-09', reason: 'Waiting for the complainant to agree what the complaint is' });
    expect(held.stage1Clock).toMatchObject({ isOnHold: true, pausedWorkingDays: 0, dueDate: DUE });
    expect(held.stage1Clock?.state).not.toBe('paused');

    const facts = caseFacts({ stage1Pauses: [{ from: '2026-03-09', reason: 'Waiting' }] });
    const ended = decide(facts, officer, 'resume', { resumed_on: '2026-03-11', reason: 'Agreed' }, context);
    expect(ended.stage1Clock).toMatchObject({ isOnHold: false, pausedWorkingDays: 0, dueDate: DUE });
  });

  it('refuses a second hold, ending a hold that is not there, or ending one before it started', () => {
    const facts = caseFacts({ stage1Pauses: [{ from: '2026-03-09', reason: 'Waiting' }] });
    expect(codeOf(() => decide(facts, officer, 'pause', VALID_INPUT.pause, context))).toBe('clock_already_paused');
    expect(codeOf(() => decide(caseFacts(), officer, 'resume', VALID_INPUT.resume, context))).toBe('clock_not_paused');
    expect(refusal(facts, 'resume', { resumed_on: '2026-03-06', reason: 'Agreed' })).toMatchObject({ code: 'resume_before_pause', field: 'resumed_on' });
    expect(refusal(caseFacts(), 'resume', { resumed_on: '2026-03-10' }, officer)?.code).toBe('clock_not_paused');
    expect(refusal(facts, 'resume', { resumed_on: '2026-03-10' })?.code).toBe('missing_reason');
  });

  it('needs a reason; a hold may start on or after the deadline, which it does not move', () => {
    expect(refusal(caseFacts(), 'pause', { paused_on: '2026-03-09' })).toMatchObject({ code: 'missing_reason', message: 'Enter the reason for the hold' });
    expect(decide(caseFacts(), officer, 'pause', { paused_on: DUE, reason: 'Waiting' }, context).stage1Clock).toMatchObject({ isOnHold: true, dueDate: DUE });
  });

  it('pauses a corporate clock only where the council policy recorded on it allows, up to its maximum', () => {
    const corporate = caseFacts({ kind: 'corporate', acknowledgedOn: '2026-03-03' });
    const held = decide(corporate, officer, 'pause', VALID_INPUT.pause, context).stage1Clock;
    expect(held).toMatchObject({ isOnHold: true, pausedWorkingDays: 0, dueDate: '2026-03-17' });
    expect(held?.state).not.toBe('paused');
    // Acknowledged Tuesday 3 March: 10 working days → Tuesday 17 March. On hold Monday 9 to
    // Wednesday 11: Tuesday 10 and Wednesday 11 are paused where the policy allows.
    const hold = [{ from: '2026-03-09', to: '2026-03-11', reason: 'Waiting for consent' }];
    const allowed = caseFacts({ kind: 'corporate', acknowledgedOn: '2026-03-03', stage1Pauses: hold, stage1Rules: { maxPausedWorkingDays: 20 } });
    expect(stage1Clock(allowed, calendar, TODAY)).toMatchObject({ pausedWorkingDays: 2, dueDate: '2026-03-19' });
    const capped = caseFacts({ kind: 'corporate', acknowledgedOn: '2026-03-03', stage1Pauses: hold, stage1Rules: { maxPausedWorkingDays: 1 } });
    expect(stage1Clock(capped, calendar, TODAY)).toMatchObject({ pausedWorkingDays: 1, dueDate: '2026-03-18' });
  });
});

describe('responding managers', () => {
  it('act only on cases allocated to them or to their team', () => {
    const elsewhere = caseFacts({ responderUserId: 99, teamId: 3 });
    expect(codeOf(() => decide(elsewhere, responder, 'record_response', response(), context))).toBe('not_allocated_to_you');
    expect(codeOf(() => decide(elsewhere, responder, 'add_note', VALID_INPUT.add_note, context))).toBe('not_allocated_to_you');
    expect(allowedActions(elsewhere, responder)).toEqual([]);
    // Their team's case, allocated to a colleague.
    expect(codeOf(() => decide(caseFacts({ responderUserId: 99 }), responder, 'record_response', response(), context))).toBeUndefined();
    // Allocated to them personally, for another team.
    expect(codeOf(() => decide(caseFacts({ teamId: 3 }), actor(['responding_manager'], RESPONDER_ID, null), 'record_response', response(), context))).toBeUndefined();
    expect(allowedActions(caseFacts(), responder)).toEqual(['record_response', 'record_advocacy_offer', 'add_note']);
    // The offer of an advocate: on their own case, not on someone else's.
    expect(codeOf(() => decide(caseFacts(), responder, 'record_advocacy_offer', VALID_INPUT.record_advocacy_offer, context))).toBeUndefined();
    expect(codeOf(() => decide(elsewhere, responder, 'record_advocacy_offer', VALID_INPUT.record_advocacy_offer, context))).toBe('not_allocated_to_you');
  });

  it('someone with several roles acts in the complaints team role, which has no allocation guard', () => {
    const both = actor(['responding_manager', 'complaints_officer'], 55, 3);
    expect(decide(caseFacts(), both, 'record_response', response(), context).actingRole).toBe('complaints_officer');
  });
});

describe('eligibility decisions before completing Stage 1', () => {
  it('a relative needs decisions on sufficient interest and the young person’s wishes', () => {
    const relative = caseFacts({ complainantRole: 'relative' });
    expect(refusal(relative, 'record_response', response())).toMatchObject({
      code: 'eligibility_decision_required',
      message: "Record the sufficient interest and young person's wishes decisions before recording the response",
    });
    expect(refusal({ ...relative, complainantRole: 'foster_carer', isMadeForChild: true }, 'record_response', response())?.message).toBe(
      "Record the young person's wishes decision before recording the response",
    );
    const decided = {
      ...relative,
      eligibilityDecisions: [
        { decision: 'sufficient_interest' as const, outcome: 'accepted' as const, decidedOn: '2026-03-04' },
        { decision: 'child_wishes' as const, outcome: 'reflects_wishes' as const, decidedOn: '2026-03-04' },
      ],
    };
    expect(decide(decided, officer, 'record_response', response(), context).to).toBe('responded');
  });

  it('records a decision with what its rule asks for', () => {
    const sufficientInterest = { decision: 'sufficient_interest', outcome: 'accepted', decided_on: '2026-03-04', reason: 'Grandmother who cares for him at weekends' };
    expect(refusal(caseFacts(), 'record_eligibility_decision', sufficientInterest)?.code).toBe('missing_child_views');
    const full = { ...sufficientInterest, child_views: 'He wants his grandmother to speak for him', notified_on: '2026-03-05' };
    expect(decide(caseFacts(), officer, 'record_eligibility_decision', full, context).record).toEqual({
      decision: 'sufficient_interest',
      outcome: 'accepted',
      decided_on: '2026-03-04',
      reason: 'Grandmother who cares for him at weekends',
      child_views: 'He wants his grandmother to speak for him',
      notified_on: '2026-03-05',
    });
    const partly = { decision: 'court_proceedings', outcome: 'decline_partly', decided_on: '2026-03-04', reason: 'Contact is before the court', notified_on: '2026-03-05' };
    expect(refusal(caseFacts(), 'record_eligibility_decision', partly)?.code).toBe('missing_parts_declined');
    expect(refusal(caseFacts(), 'record_eligibility_decision', { ...partly, outcome: 'accepted' })).toMatchObject({ code: 'invalid_outcome', field: 'outcome' });
    expect(refusal(caseFacts({ kind: 'corporate' }), 'record_eligibility_decision', full)?.code).toBe('decision_not_for_kind');
    expect(refusal(caseFacts(), 'record_eligibility_decision', { ...partly, reason: '' })).toMatchObject({ code: 'missing_reason', message: 'Enter the reasons for the decision' });
  });

  it('a complaint declined wholly gets no response and may be closed', () => {
    const declined = caseFacts({ eventOn: '2024-01-10', eligibilityDecisions: [{ decision: 'time_limit', outcome: 'decline_wholly', decidedOn: '2026-03-04' }] });
    expect(codeOf(() => decide(declined, officer, 'record_response', response(), context))).toBe('complaint_declined');
    expect(decide(declined, officer, 'close', VALID_INPUT.close, context).to).toBe('closed');
    // A later decision to consider it after all stands instead.
    const reconsidered = { ...declined, eligibilityDecisions: [...(declined.eligibilityDecisions ?? []), { decision: 'time_limit' as const, outcome: 'consider' as const, decidedOn: '2026-03-06' }] };
    expect(codeOf(() => decide(reconsidered, officer, 'record_response', response(), context))).toBeUndefined();
  });
});

describe('closing', () => {
  it('a complaint cannot be closed before it is answered, withdrawn or declined', () => {
    expect(refusal(caseFacts(), 'close', VALID_INPUT.close)?.code).toBe('close_needs_response');
    expect(availableActions(caseFacts(), officer).find((a) => a.action === 'close')).toMatchObject({ isAllowed: false, code: 'close_needs_response' });
  });

  it('a compliment or a complaint about another body can be closed once registered', () => {
    for (const kind of ['compliment', 'other_agency'] as const) {
      expect(decide(caseFacts({ kind, status: 'registered' }), officer, 'close', VALID_INPUT.close, context).to).toBe('closed');
    }
  });
});

describe('asking for more information', () => {
  it('goes back to whoever had the case when the information comes', () => {
    const waiting = caseFacts({ status: 'awaiting_information', informationRequestedOn: '2026-03-03' });
    expect(decide(waiting, officer, 'record_information_received', { information_received_on: '2026-03-05' }, context).to).toBe('allocated');
    expect(decide({ ...waiting, responderUserId: undefined }, officer, 'record_information_received', { information_received_on: '2026-03-05' }, context).to).toBe('registered');
    expect(decide({ ...waiting, status: 'closure_warning_sent' }, officer, 'record_information_received', { information_received_on: '2026-03-12' }, context).to).toBe('allocated');
    expect(refusal(waiting, 'record_information_received', { information_received_on: '2026-03-02' })).toMatchObject({ code: 'date_before_request', field: 'information_received_on' });
    expect(refusal(waiting, 'send_closure_warning', { sent_on: '2026-03-02' })).toMatchObject({ code: 'date_before_request', field: 'sent_on' });
  });
});

describe('registering', () => {
  const waiting = caseFacts({ status: 'awaiting_registration', responderUserId: undefined, complainantRole: undefined });
  const register = (extra: Record<string, unknown>): Record<string, unknown> => ({ ...VALID_INPUT.register, ...extra });

  it('records what the kind needs', () => {
    expect(decide(waiting, officer, 'register', register({ event_on: '2026-02-20', issues: ['delay', 'communication'], via_complaints_team: 'true' }), context).record).toEqual({
      kind: 'children_statutory',
      received_on: RECEIVED,
      channel: 'email',
      team_id: 7,
      summary: 'Visits keep being cancelled',
      complainant_role: 'parent',
      event_on: '2026-02-20',
      issues: ['delay', 'communication'],
      via_complaints_team: true,
    });
    expect(refusal(waiting, 'register', register({ complainant_role: undefined }))).toMatchObject({ code: 'missing_complainant_role', message: 'Select who made it' });
    expect(refusal(waiting, 'register', register({ kind: 'other_agency' }))?.code).toBe('missing_agency');
    expect(refusal(waiting, 'register', register({ kind: 'other_agency', agency: 'The hospital trust', forwarded_on: '2026-03-01' }))?.code).toBe('date_before_receipt');
    expect(refusal(waiting, 'register', register({ kind: 'compliment', complainant_role: undefined, compliment_source: 'judge' }))?.code).toBe('missing_consent_to_quote');
    expect(decide(waiting, officer, 'register', register({ kind: 'compliment', complainant_role: undefined, compliment_source: 'judge', consent_to_quote: false }), context).record).toMatchObject({
      kind: 'compliment',
      compliment_source: 'judge',
      consent_to_quote: false,
    });
    expect(refusal(waiting, 'register', register({ kind: 'informal' }))).toMatchObject({ code: 'missing_informal_reason', message: 'Enter why it is not being taken as a complaint' });
  });

  it('refuses events after receipt, receipts in the future and unknown codes', () => {
    expect(refusal(waiting, 'register', register({ event_on: '2026-03-03' }))).toMatchObject({ code: 'event_after_receipt', field: 'event_on' });
    expect(refusal(waiting, 'register', register({ received_on: '2026-03-21' }))?.code).toBe('date_in_future');
    expect(refusal(waiting, 'register', register({ channel: 'fax' }))).toMatchObject({ code: 'invalid_channel', message: 'Select how it was received from the list' });
    expect(refusal(waiting, 'register', register({ team_id: 'x' }))?.code).toBe('invalid_team_id');
    expect(refusal(waiting, 'register', register({ summary: 'x'.repeat(10_001) }))?.code).toBe('summary_too_long');
  });

  it('checks issues against the council’s taxonomy', () => {
    expect(refusal(waiting, 'register', register({ issues: ['delay', 'parking'] }))).toMatchObject({ code: 'invalid_issues', message: 'Select issues from the list' });
    const issues = [
      { code: 'parking', label: 'Parking at the family centre', isRetired: false },
      { code: 'delay', label: 'Delay', isRetired: true },
    ];
    expect(decide(waiting, officer, 'register', register({ issues: ['parking'] }), { ...context, issues }).record.issues).toEqual(['parking']);
    expect(refusal(waiting, 'register', register({ issues: ['delay'] }), officer)?.code).toBeUndefined();
    expect(codeOf(() => decide(waiting, officer, 'register', register({ issues: ['delay'] }), { ...context, issues }))).toBe('invalid_issues');
  });
});

describe('reclassifying', () => {
  it('keeps the case and records the new kind and why', () => {
    const informal = caseFacts({ kind: 'informal', status: 'registered' });
    const decision = decide(informal, officer, 'reclassify', { to_kind: 'children_statutory', reclassified_on: '2026-03-05', reason: 'She wants it taken as a complaint' }, context);
    expect(decision).toMatchObject({ from: 'registered', to: 'registered', record: { to_kind: 'children_statutory', reclassified_on: '2026-03-05' } });
    expect(refusal(informal, 'reclassify', { to_kind: 'informal', reclassified_on: '2026-03-05', reason: 'x' })?.code).toBe('same_kind');
  });

  it('to another body needs the agency and the date forwarded', () => {
    const input = { to_kind: 'other_agency', reclassified_on: '2026-03-05', reason: 'About the school' };
    expect(refusal(caseFacts(), 'reclassify', input)?.code).toBe('missing_agency');
    expect(decide(caseFacts(), officer, 'reclassify', { ...input, agency: 'Hillside Academy', forwarded_on: '2026-03-05' }, context).record).toMatchObject({ agency: 'Hillside Academy', forwarded_on: '2026-03-05' });
  });
});

describe('other guards', () => {
  it('records the acknowledgement once', () => {
    expect(decide(caseFacts(), officer, 'acknowledge', VALID_INPUT.acknowledge, context).record).toEqual({ acknowledged_on: '2026-03-03' });
    expect(codeOf(() => decide(caseFacts({ acknowledgedOn: '2026-03-03' }), officer, 'acknowledge', VALID_INPUT.acknowledge, context))).toBe('already_acknowledged');
  });

  it('refuses an action that does not apply to the kind', () => {
    expect(codeOf(() => decide(caseFacts({ kind: 'compliment' }), officer, 'record_response', response(), context))).toBe('action_not_for_kind');
    expect(codeOf(() => decide(caseFacts({ kind: 'corporate' }), officer, 'record_advocacy_offer', VALID_INPUT.record_advocacy_offer, context))).toBe('action_not_for_kind');
  });

  it('says in words why an action is refused', () => {
    expect(refusal(caseFacts({ status: 'closure_warning_sent' }), 'record_response', response())?.message).toBe(
      'You cannot record the Stage 1 response for a case with the status "Closure letter sent"',
    );
    expect(refusal(caseFacts(), 'extend', VALID_INPUT.extend, actor(['viewer']))?.message).toBe('Your role does not allow you to extend the time to respond');
    expect(refusal(caseFacts({ kind: 'compliment' }), 'allocate', VALID_INPUT.allocate)?.message).toBe('You cannot allocate to a responding manager for this kind of representation (Compliment)');
  });

  it('refuses an action it does not know', () => {
    expect(codeOf(() => decide(caseFacts(), officer, 'escalate' as Stage1Action, {}, context))).toBe('unknown_action');
  });

  it('says who did it and when', () => {
    expect(decide(caseFacts(), officer, 'add_note', VALID_INPUT.add_note, context)).toMatchObject({ recordedBy: 1, recordedOn: context.today, actingRole: 'complaints_officer' });
  });
});

describe('circumstances and replies', () => {
  it('records parental responsibility, who it is made for and proceedings, each only when answered', () => {
    const { record } = decide(caseFacts(), officer, 'record_circumstances', { proceedings: 'yes' }, context);
    expect(record).toEqual({ proceedings: true });
  });

  it('refuses a form with no answer at all', () => {
    expect(codeOf(() => decide(caseFacts(), officer, 'record_circumstances', {}, context))).toBe('nothing_recorded');
  });

  it('asks for the court proceedings decision once proceedings are known, before Stage 1 can be answered', () => {
    const facts = caseFacts({ status: 'allocated', hasProceedings: true });
    expect(codeOf(() => decide(facts, officer, 'record_response', VALID_INPUT.record_response, context))).toBe('eligibility_decision_required');
  });

  it('keeps a reply with the response to a comment, and refuses one on a complaint', () => {
    const comment = caseFacts({ kind: 'comment', status: 'allocated' });
    expect(decide(comment, officer, 'record_response', { responded_on: '2026-03-13', reply: 'Thank you: we have changed the leaflet.' }, context).record.reply).toBe(
      'Thank you: we have changed the leaflet.',
    );
    const complaint = caseFacts({ status: 'allocated' });
    expect(codeOf(() => decide(complaint, officer, 'record_response', { ...VALID_INPUT.record_response, reply: 'Thanks' }, context))).toBe('reply_not_for_kind');
  });
});

describe('actions by kind', () => {
  // A registered case, not acknowledged, no pause, complainant a parent: what a complaints officer may do.
  const EXPECTED: Record<string, string> = {
    children_statutory: 'allocate acknowledge extend pause record_response request_information withdraw_by_complainant reclassify record_circumstances record_eligibility_decision record_advocacy_offer add_note',
    corporate: 'allocate acknowledge record_response request_information withdraw_by_complainant reclassify record_circumstances record_eligibility_decision add_note',
    adult_statutory: 'allocate acknowledge extend pause record_response request_information withdraw_by_complainant reclassify record_circumstances record_eligibility_decision add_note',
    informal: 'allocate acknowledge record_response request_information withdraw_by_complainant reclassify add_note',
    comment: 'allocate acknowledge record_response request_information withdraw_by_complainant close reclassify add_note',
    other_agency: 'close reclassify add_note',
    compliment: 'close reclassify add_note',
  };
  it.each(Object.entries(EXPECTED))('%s', (kind, expected) => {
    const facts = caseFacts({ kind: kind as CaseFacts['kind'], status: 'registered', responderUserId: undefined, teamId: TEAM_ID });
    expect(allowedActions(facts, officer).join(' ')).toBe(expected);
  });
});
