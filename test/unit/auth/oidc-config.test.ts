import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseRoleMap } from '../../../src/config.ts';

const OIDC = { OIDC_ISSUER: 'https://login.example.gov.uk/tenant/v2.0', OIDC_CLIENT_ID: 'redress', OIDC_CLIENT_SECRET: 'a-secret' };
const PRODUCTION = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://app@db.internal:5432/redress', PUBLIC_BASE_URL: 'https://redress.council.gov.uk' };

describe('single sign-on settings', () => {
  it('is off, with passwords on, when nothing is set', () => {
    const config = loadConfig({});
    expect(config.oidc).toBeUndefined();
    expect(config.localSignIn).toBe(true);
  });

  it('derives the redirect address from PUBLIC_BASE_URL and asks for openid, email and profile', () => {
    const config = loadConfig({ ...OIDC, PUBLIC_BASE_URL: 'https://redress.council.gov.uk/' });
    expect(config.oidc).toMatchObject({
      issuer: OIDC.OIDC_ISSUER,
      clientId: 'redress',
      clientSecret: 'a-secret',
      redirectUri: 'https://redress.council.gov.uk/sign-in/oidc/callback',
      scopes: 'openid email profile',
      roleClaim: undefined,
      roleMap: [],
      allowInsecureHttp: false,
    });
    expect(loadConfig({ ...OIDC, OIDC_SCOPES: 'email groups' }).oidc?.scopes).toBe('openid email groups');
  });

  it.each([
    [{ OIDC_ISSUER: OIDC.OIDC_ISSUER }, 'set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too, or unset OIDC_ISSUER'],
    [{ OIDC_ISSUER: OIDC.OIDC_ISSUER, OIDC_CLIENT_ID: 'redress' }, 'set OIDC_CLIENT_SECRET too'],
    [{ OIDC_CLIENT_SECRET: 'a-secret' }, 'set OIDC_ISSUER and OIDC_CLIENT_ID too'],
    [{ OIDC_ROLE_MAP: 'admins=admin' }, 'OIDC_ROLE_MAP is set but single sign-on is not'],
    [{ ...OIDC, OIDC_ROLE_CLAIM: 'groups' }, 'OIDC_ROLE_CLAIM and OIDC_ROLE_MAP go together'],
    [{ ...OIDC, OIDC_ROLE_MAP: 'admins=admin' }, 'OIDC_ROLE_CLAIM and OIDC_ROLE_MAP go together'],
    [{ ...OIDC, OIDC_ISSUER: 'not a url' }, 'OIDC_ISSUER is not valid'],
    [{ ...OIDC, OIDC_ISSUER: 'http://login.example.gov.uk' }, 'OIDC_ISSUER must be an https:// address'],
    [{ LOCAL_SIGN_IN: 'off' }, 'LOCAL_SIGN_IN=off needs single sign-on'],
    [{ ...OIDC, LOCAL_SIGN_IN: 'no' }, 'LOCAL_SIGN_IN is not valid: expected on or off'],
  ])('refuses %o with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('allows plain http to a provider on this machine, outside production only', () => {
    expect(loadConfig({ ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:4000' }).oidc?.allowInsecureHttp).toBe(true);
    expect(loadConfig({ ...OIDC, OIDC_ISSUER: 'http://localhost:4000', NODE_ENV: 'test' }).oidc?.allowInsecureHttp).toBe(true);
    expect(() => loadConfig({ ...PRODUCTION, ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:4000' })).toThrow('OIDC_ISSUER must be an https:// address');
    expect(loadConfig({ ...PRODUCTION, ...OIDC }).oidc?.allowInsecureHttp).toBe(false);
  });

  it('in production, needs the https:// public address the provider sends staff back to', () => {
    const { PUBLIC_BASE_URL: _url, ...withoutUrl } = PRODUCTION;
    expect(() => loadConfig({ ...withoutUrl, ...OIDC })).toThrow('PUBLIC_BASE_URL must be set to the https:// address staff use');
  });

  it('switches passwords off only with single sign-on', () => {
    expect(loadConfig({ ...PRODUCTION, ...OIDC, LOCAL_SIGN_IN: 'off' }).localSignIn).toBe(false);
  });

  it('reads the role map, one claim value giving several roles if listed more than once', () => {
    const config = loadConfig({ ...OIDC, OIDC_ROLE_CLAIM: 'groups', OIDC_ROLE_MAP: ' redress-admins = admin ; team=complaints_officer;team=viewer;' });
    expect(config.oidc?.roleClaim).toBe('groups');
    expect(config.oidc?.roleMap).toEqual([
      { claimValue: 'redress-admins', role: 'admin' },
      { claimValue: 'team', role: 'complaints_officer' },
      { claimValue: 'team', role: 'viewer' },
    ]);
  });

  it.each([
    ['', 'OIDC_ROLE_MAP is empty'],
    ['admins', 'entry 1 ("admins") is not claimValue=role'],
    ['admins=admin;=viewer', 'entry 2 ("=viewer") is not claimValue=role'],
    ['admins=admin;team=boss', 'entry 2 names an unknown role "boss": the roles are admin, complaints_manager'],
  ])('refuses the role map %j, saying which entry is wrong', (value, message) => {
    expect(() => parseRoleMap(value)).toThrow(message);
  });
});
