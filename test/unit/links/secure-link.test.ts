import { describe, expect, it } from 'vitest';
import { DEFAULT_LIFETIME_DAYS, expiresAfter, isWellFormedToken, refusalOf, secureLinkPath, SECURE_LINK_PURPOSES } from '../../../src/domain/links/secure-link.ts';
import { hashToken, newToken } from '../../../src/app/secure-link-service.ts';
import { checkAnswers, getsQuestionnaire, responseRate } from '../../../src/domain/questionnaires/questionnaire.ts';
import { templateTextProblems } from '../../../src/notify/templates.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');

describe('secure links', () => {
  it('makes tokens of 256 random bits, well formed, all different, stored as a SHA-256', () => {
    const tokens = Array.from({ length: 200 }, () => newToken());
    expect(new Set(tokens).size).toBe(200);
    for (const token of tokens) {
      expect(isWellFormedToken(token)).toBe(true);
      expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
      expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
      expect(hashToken(token)).not.toContain(token);
    }
    expect(Buffer.from(tokens[0] ?? '', 'base64url')).toHaveLength(32);
  });

  it('refuses anything that is not a token before looking it up', () => {
    for (const value of ['', 'abc', `${newToken()}x`, newToken().slice(1), `${newToken().slice(1)}=`, `${newToken().slice(1)}/`, undefined, 42]) expect(isWellFormedToken(value)).toBe(false);
  });

  it.each([
    ['unknown', undefined, 'unknown'],
    ['another purpose', { purpose: 'stage2_request', expiresAt: '2026-12-01T00:00:00.000Z', usedAt: null }, 'unknown'],
    ['expired', { purpose: 'questionnaire', expiresAt: '2026-11-26T10:00:00.000Z', usedAt: null }, 'expired'],
    ['used', { purpose: 'questionnaire', expiresAt: '2026-12-01T00:00:00.000Z', usedAt: '2026-11-25T00:00:00.000Z' }, 'used'],
    ['used and expired', { purpose: 'questionnaire', expiresAt: '2026-11-01T00:00:00.000Z', usedAt: '2026-10-25T00:00:00.000Z' }, 'used'],
    ['good', { purpose: 'questionnaire', expiresAt: '2026-11-26T10:00:00.001Z', usedAt: null }, undefined],
  ] as const)('says why a link does not work: %s', (_name, state, refusal) => {
    expect(refusalOf(state, 'questionnaire', NOW)).toBe(refusal);
  });

  it('gives each purpose an address and a lifetime', () => {
    expect(SECURE_LINK_PURPOSES.map((p) => secureLinkPath(p, 'T'))).toEqual(['/respond/questionnaire/T', '/respond/stage-2/T', '/respond/stage-3/T']);
    expect(expiresAfter(NOW, DEFAULT_LIFETIME_DAYS.questionnaire).toISOString()).toBe('2027-01-25T10:00:00.000Z');
    expect(() => expiresAfter(NOW, 0)).toThrow(RangeError);
    expect(() => expiresAfter(NOW, 1.5)).toThrow(RangeError);
  });
});

describe('the questionnaire', () => {
  it('checks every answer and the length of the comments', () => {
    const good = { ease: '5', kept_informed: '1', timeliness: '3', listened: '4', comments: '  Thanks\r\n ' };
    expect(checkAnswers(good)).toEqual({ answers: { ease: 5, kept_informed: 1, timeliness: 3, listened: 4, comments: 'Thanks' }, problems: [] });
    const bad = checkAnswers({ ease: '6', kept_informed: '', timeliness: '0', listened: '4.0', comments: 'x'.repeat(1201) });
    expect(bad.answers).toBeUndefined();
    expect(bad.problems.map((p) => p.field)).toEqual(['ease', 'kept_informed', 'timeliness', 'listened', 'comments']);
  });

  it('goes only to complainants of responded complaints with an email address who did not ask not to be contacted', () => {
    const base = { kind: 'children_statutory', respondedOn: '2026-11-26', withdrawnOn: null, email: 'sam@example.org', preferredContact: 'email' };
    expect(getsQuestionnaire(base)).toBe(true);
    expect(getsQuestionnaire({ ...base, kind: 'corporate' })).toBe(true);
    expect(getsQuestionnaire({ ...base, kind: 'compliment' })).toBe(false);
    expect(getsQuestionnaire({ ...base, respondedOn: null })).toBe(false);
    expect(getsQuestionnaire({ ...base, withdrawnOn: '2026-11-20' })).toBe(false);
    expect(getsQuestionnaire({ ...base, email: ' ' })).toBe(false);
    expect(getsQuestionnaire({ ...base, email: 'not an address' })).toBe(false);
    expect(getsQuestionnaire({ ...base, preferredContact: 'none' })).toBe(false);
    expect(getsQuestionnaire({ ...base, preferredContact: null })).toBe(true);
  });

  it('rounds the response rate, and has none when nothing was sent', () => {
    expect([responseRate(0, 0), responseRate(3, 2), responseRate(3, 1), responseRate(8, 8)]).toEqual([null, 67, 33, 100]);
  });

  it('keeps the link in an administrator’s wording of the questionnaire emails', () => {
    expect(templateTextProblems('questionnaire', 'body', 'Tell us: {{ link_url }}')).toEqual([]);
    expect(templateTextProblems('questionnaire_reminder', 'body', 'Please tell us how we did.')).toMatchObject([{ code: 'link_url_required', field: 'body' }]);
    expect(templateTextProblems('questionnaire', 'subject', 'How did we do?')).toEqual([]);
    expect(templateTextProblems('acknowledgement', 'body', 'Thank you.')).toEqual([]);
  });
});
