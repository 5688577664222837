/** Who must use an authenticator (MFA_REQUIRED and administrators), recovery code input, and the password rules. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { isMfaRequired, normaliseRecoveryCode } from '../../../src/app/mfa-service.ts';
import { checkPasswordStrength } from '../../../src/app/passwords.ts';
import { DomainError } from '../../../src/domain/errors.ts';

const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://app@db.example.org/redress', PUBLIC_BASE_URL: 'https://redress.example.gov.uk' };

describe('MFA_REQUIRED', () => {
  it('is on by default in production and off in development and tests', () => {
    expect(loadConfig(production).mfaRequired).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).mfaRequired).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).mfaRequired).toBe(false);
  });

  it('can be set either way', () => {
    expect(loadConfig({ ...production, MFA_REQUIRED: 'false' }).mfaRequired).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', MFA_REQUIRED: 'true' }).mfaRequired).toBe(true);
  });

  it('refuses a value that is not a yes or no, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'development', MFA_REQUIRED: 'sometimes' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'development', MFA_REQUIRED: 'sometimes' })).toThrow(/MFA_REQUIRED/);
  });

  it('always applies to administrators', () => {
    expect(isMfaRequired(['admin'], false)).toBe(true);
    expect(isMfaRequired(['complaints_officer'], false)).toBe(false);
    expect(isMfaRequired(['complaints_officer'], true)).toBe(true);
  });
});

describe('recovery codes as typed', () => {
  it('ignores case, spaces and the hyphen, and refuses look-alike characters', () => {
    expect(normaliseRecoveryCode('abcde-fgh23')).toBe('ABCDEFGH23');
    expect(normaliseRecoveryCode(' ABCDE FGH23 ')).toBe('ABCDEFGH23');
    expect(normaliseRecoveryCode('ABCDE-FGH10')).toBeUndefined();
    expect(normaliseRecoveryCode('123456')).toBeUndefined();
  });
});

describe('password rules', () => {
  const code = (password: string, email?: string): string | undefined => {
    try {
      checkPasswordStrength(password, email);
      return undefined;
    } catch (error) {
      if (error instanceof DomainError) return error.code;
      throw error;
    }
  };

  it('asks for 12 characters, refuses common passwords and ones containing the email name', () => {
    expect(code('short')).toBe('password_too_short');
    expect(code('Password1234')).toBe('password_common');
    expect(code('aaaaaaaaaaaaaa')).toBe('password_common');
    expect(code('sam.jones-is-great', 'sam.jones@council.example')).toBe('password_has_email');
    expect(code('lantern orchard kettle', 'sam.jones@council.example')).toBeUndefined();
  });
});
