import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { dateOfBirthOf } from '../../../src/app/public-submission-service.ts';
import { TEMPLATE_DEFINITIONS, templateTextProblems } from '../../../src/notify/templates.ts';

describe('the complaints team’s shared mailbox (COMPLAINTS_TEAM_EMAIL)', () => {
  it('is optional, trimmed, and must be an email address', () => {
    expect(loadConfig({}).complaintsTeamEmail).toBeUndefined();
    expect(loadConfig({ COMPLAINTS_TEAM_EMAIL: ' complaints@council.example ' }).complaintsTeamEmail).toBe('complaints@council.example');
    expect(() => loadConfig({ COMPLAINTS_TEAM_EMAIL: 'the complaints team' })).toThrow(ConfigError);
    expect(() => loadConfig({ COMPLAINTS_TEAM_EMAIL: 'the complaints team' })).toThrow('COMPLAINTS_TEAM_EMAIL is not valid: expected an email address');
  });
});

describe('the team’s email about a submission', () => {
  it('says the reference, what it is and the day it arrived, and nothing personal', () => {
    const template = TEMPLATE_DEFINITIONS.submission_for_team;
    expect(template.audience).toBe('staff');
    expect(Object.keys(template.placeholders).sort()).toEqual(['case_url', 'council_name', 'received_on', 'reference', 'what']);
    expect(templateTextProblems('submission_for_team', 'body', template.body)).toEqual([]);
    expect(templateTextProblems('submission_for_team', 'subject', 'About {{ name }}').map((p) => p.code)).toEqual(['unknown_placeholder']);
  });
});

describe('a date of birth typed on the public pages', () => {
  it.each([
    ['3 4 2014', { day: '3', month: '4', year: '2014' }],
    ['03/04/2014', { day: '3', month: '4', year: '2014' }],
    ['3.4.2014', { day: '3', month: '4', year: '2014' }],
    ['2014-04-03', { day: '3', month: '4', year: '2014' }],
  ])('reads %s as the form’s day, month and year', (typed, expected) => {
    expect(dateOfBirthOf(typed)).toEqual(expected);
  });

  it.each(['12', 'about 12', '31 2 2014', '3 13 2014', '', '3 4 14'])('leaves %j for staff to read', (typed) => {
    expect(dateOfBirthOf(typed)).toBeUndefined();
  });
});
