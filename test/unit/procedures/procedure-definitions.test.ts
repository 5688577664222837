import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.ts';
import { DEFAULT_COUNCIL_SETTINGS, validateCouncilSettings } from '../../../src/domain/procedures/council-settings.ts';
import { PROCEDURE_KINDS, clockDefinition, isProcedureKind, procedureDefinition } from '../../../src/domain/procedures/procedure-definitions.ts';

function refusal(action: () => unknown): { code: string; field?: string } | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.field === undefined ? { code: error.code } : { code: error.code, field: error.field };
    throw error;
  }
  return undefined;
}

describe('procedures as data', () => {
  it('has the Children Act clocks of the 2006 Regulations', () => {
    const clocks = procedureDefinition('children_statutory').clocks.map((c) => ({
      key: c.key,
      startsOn: c.startsOn,
      stopsOn: c.stopsOn,
      days: c.length.value,
      cap: c.capWorkingDays,
      canExtend: c.canExtend,
      isRequestWindow: c.isRequestWindow,
    }));
    expect(clocks).toEqual([
      { key: 'acknowledgement', startsOn: 'received', stopsOn: 'acknowledged', days: 2, cap: undefined, canExtend: false, isRequestWindow: false },
      { key: 'stage1_response', startsOn: 'received', stopsOn: 'stage1_responded', days: 10, cap: 20, canExtend: true, isRequestWindow: false },
      { key: 'stage2_request_window', startsOn: 'stage1_responded', stopsOn: 'stage2_requested', days: 20, cap: undefined, canExtend: false, isRequestWindow: true },
      { key: 'stage2_response', startsOn: 'stage2_statement_agreed', stopsOn: 'stage2_responded', days: 25, cap: 65, canExtend: true, isRequestWindow: false },
      { key: 'stage3_request_window', startsOn: 'stage2_responded', stopsOn: 'stage3_requested', days: 20, cap: undefined, canExtend: false, isRequestWindow: true },
      { key: 'panel_meeting', startsOn: 'stage3_requested', stopsOn: 'panel_met', days: 30, cap: undefined, canExtend: false, isRequestWindow: false },
      { key: 'panel_recommendations', startsOn: 'panel_met', stopsOn: 'recommendations_received', days: 5, cap: undefined, canExtend: false, isRequestWindow: false },
      { key: 'council_response', startsOn: 'recommendations_received', stopsOn: 'stage3_responded', days: 15, cap: undefined, canExtend: false, isRequestWindow: false },
    ]);
    expect(clockDefinition('children_statutory', 'stage2_response').startDefaultsTo).toBe('stage2_requested');
  });

  it('says what an extension or a hold must record', () => {
    const stage1 = clockDefinition('children_statutory', 'stage1_response');
    expect(stage1.recordOnExtension).toEqual(['reason', 'complainant_told_on']);
    expect(stage1.recordOnPause).toEqual(['reason']);
    const window = clockDefinition('children_statutory', 'stage2_request_window');
    expect(window.canPause).toBe(false);
    expect(window.recordOnExtension).toEqual([]);
    // Every clock may be put on hold, and a hold always records its reason.
    for (const kind of PROCEDURE_KINDS) {
      for (const clock of procedureDefinition(kind).clocks) expect([kind, clock.key, clock.recordOnPause]).toEqual([kind, clock.key, ['reason']]);
    }
  });

  it('lets only the corporate response clocks pause: the Children Act clocks have no pause (2006 Regulations)', () => {
    expect(clockDefinition('children_statutory', 'stage1_response').canPause).toBe(false);
    expect(clockDefinition('children_statutory', 'stage2_response').canPause).toBe(false);
    expect(clockDefinition('corporate', 'stage1_response').canPause).toBe(true);
    expect(clockDefinition('corporate', 'stage2_response').canPause).toBe(true);
    const pausable = PROCEDURE_KINDS.flatMap((kind) => procedureDefinition(kind).clocks.filter((c) => c.canPause).map((c) => `${kind}.${c.key}`));
    expect(pausable).toEqual(['corporate.stage1_response', 'corporate.stage2_response']);
    // The council's policy does not change the definitions: it is stamped on each clock as it starts.
    expect(clockDefinition('children_statutory', 'stage1_response', { corporatePausesAllowed: true }).canPause).toBe(false);
    expect(clockDefinition('corporate', 'stage1_response', { corporatePausesAllowed: false }).canPause).toBe(true);
  });

  it('has the corporate clocks (LGSCO code) and the adult clocks (2009 Regulations)', () => {
    const corporate = procedureDefinition('corporate');
    expect(corporate.stages).toBe(2);
    expect(corporate.clocks.map((c) => [c.key, c.startsOn, c.length.value, c.capWorkingDays])).toEqual([
      ['acknowledgement', 'received', 5, undefined],
      ['stage1_response', 'acknowledged', 10, 20],
      ['stage2_acknowledgement', 'stage2_requested', 5, undefined],
      ['stage2_response', 'stage2_acknowledged', 20, 40],
    ]);
    const adult = procedureDefinition('adult_statutory');
    expect(adult.stages).toBe(1);
    expect(adult.clocks.map((c) => [c.key, c.length])).toEqual([
      ['acknowledgement', { unit: 'working_days', value: 3 }],
      ['response', { unit: 'months', value: 6 }],
    ]);
    const response = clockDefinition('adult_statutory', 'response');
    expect(response).toMatchObject({ isLengthAgreed: true, canExtend: true, canPause: false });
    expect(response.capWorkingDays).toBeUndefined();
  });

  it('applies the council settings', () => {
    expect(clockDefinition('children_statutory', 'acknowledgement', { childrenAcknowledgementDays: 5 }).length).toEqual({ unit: 'working_days', value: 5 });
    expect(clockDefinition('children_statutory', 'acknowledgement', { childrenAcknowledgementDays: 5 }).lengthSetting).toBe('childrenAcknowledgementDays');
    expect(clockDefinition('adult_statutory', 'response', { adultResponseMonths: 3 }).length).toEqual({ unit: 'months', value: 3 });
    expect(clockDefinition('corporate', 'stage2_acknowledgement', { corporateAcknowledgementDays: 3 }).length.value).toBe(3);
  });

  it('knows its kinds and refuses unknown clocks', () => {
    expect(PROCEDURE_KINDS).toEqual(['children_statutory', 'corporate', 'adult_statutory']);
    expect(isProcedureKind('informal')).toBe(false);
    expect(refusal(() => clockDefinition('corporate', 'panel_meeting'))).toEqual({ code: 'unknown_clock' });
    expect(refusal(() => procedureDefinition('informal' as 'corporate'))).toEqual({ code: 'unknown_procedure' });
  });
});

describe('council settings', () => {
  it('default when missing', () => {
    expect(validateCouncilSettings({})).toEqual(DEFAULT_COUNCIL_SETTINGS);
    expect(validateCouncilSettings(undefined)).toEqual(DEFAULT_COUNCIL_SETTINGS);
    expect(validateCouncilSettings({ childrenAcknowledgementDays: 3 })).toEqual({ ...DEFAULT_COUNCIL_SETTINGS, childrenAcknowledgementDays: 3 });
  });

  it.each([
    [{ childrenAcknowledgementDays: 1 }, 'childrenAcknowledgementDays'],
    [{ childrenAcknowledgementDays: 6 }, 'childrenAcknowledgementDays'],
    [{ childrenAcknowledgementDays: 2.5 }, 'childrenAcknowledgementDays'],
    [{ childrenAcknowledgementDays: '3' }, 'childrenAcknowledgementDays'],
    [{ corporateAcknowledgementDays: 6 }, 'corporateAcknowledgementDays'],
    [{ adultAcknowledgementDays: 4 }, 'adultAcknowledgementDays'],
    [{ adultResponseMonths: 7 }, 'adultResponseMonths'],
    [{ adultResponseMonths: 0 }, 'adultResponseMonths'],
    [{ stage1Days: 15 }, 'stage1Days'],
  ])('refuses %j', (input, field) => {
    expect(refusal(() => validateCouncilSettings(input))).toEqual({ code: 'invalid_council_setting', field });
  });

  it('has the statutory receipt rule and no corporate pauses by default', () => {
    expect(DEFAULT_COUNCIL_SETTINGS).toMatchObject({ receiptRule: 'statutory', corporatePausesAllowed: false, corporateMaxPausedWorkingDays: 20 });
    expect(validateCouncilSettings({ receiptRule: 'next_working_day' }).receiptRule).toBe('next_working_day');
    expect(validateCouncilSettings({ corporatePausesAllowed: true, corporateMaxPausedWorkingDays: 65 })).toMatchObject({ corporatePausesAllowed: true, corporateMaxPausedWorkingDays: 65 });
  });

  it.each([
    [{ receiptRule: 'next_day' }, 'receiptRule'],
    [{ receiptRule: null }, 'receiptRule'],
    [{ corporatePausesAllowed: 'yes' }, 'corporatePausesAllowed'],
    [{ corporateMaxPausedWorkingDays: 0 }, 'corporateMaxPausedWorkingDays'],
    [{ corporateMaxPausedWorkingDays: 66 }, 'corporateMaxPausedWorkingDays'],
  ])('refuses the clock policy %j', (input, field) => {
    expect(refusal(() => validateCouncilSettings(input))).toEqual({ code: 'invalid_council_setting', field });
  });

  it('refuses settings beyond the limits when building a procedure too', () => {
    expect(refusal(() => procedureDefinition('children_statutory', { childrenAcknowledgementDays: 10 }))?.code).toBe('invalid_council_setting');
  });

  it('explains a refusal in words', () => {
    try {
      validateCouncilSettings({ childrenAcknowledgementDays: 9 });
    } catch (error) {
      expect((error as Error).message).toBe('childrenAcknowledgementDays must be a whole number of working days from 2 to 5');
    }
  });
});
