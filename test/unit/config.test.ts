import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDatabaseUrl } from '../../src/config.ts';

describe('config', () => {
  it('defaults to the embedded SQLite database on port 3000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ engine: 'sqlite', location: './data/redress.db' });
    expect(config.port).toBe(3000);
    expect(config.sessionIdleMinutes).toBe(30);
    expect(config.env).toBe('development');
  });

  it('takes METRICS_TOKEN when long enough, and refuses a short or spaced one without echoing it', () => {
    const token = 'a'.repeat(31) + 'Z';
    expect(loadConfig({ METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(loadConfig({}).metricsToken).toBeUndefined();
    for (const bad of ['short-token', `${'b'.repeat(20)} ${'c'.repeat(20)}`]) {
      expect(() => loadConfig({ METRICS_TOKEN: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ METRICS_TOKEN: bad })).toThrow('METRICS_TOKEN is not valid: expected at least 32 characters with no spaces');
      expect(() => loadConfig({ METRICS_TOKEN: bad })).not.toThrow(bad);
    }
  });

  it('reads a PostgreSQL URL', () => {
    expect(parseDatabaseUrl('postgres://app@db.internal:5432/redress')).toEqual({
      engine: 'postgres',
      location: 'postgres://app@db.internal:5432/redress',
    });
  });

  it.each([
    ['mysql://x@y/z', 'must start with "sqlite:" or "postgres://"'],
    ['sqlite:', 'needs a file path'],
    ['postgres://', 'must name a host and a database'],
    ['postgres://host-only', 'must name a host and a database'],
    ['redress.db', 'must start with'],
  ])('refuses DATABASE_URL %s with one clear line', (url, message) => {
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(message);
  });

  it('refuses a bad port or log level, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  describe('in production', () => {
    const secret = 'x'.repeat(40);

    it('refuses to start without a session secret', () => {
      expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('SESSION_SECRET must be set');
      expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow('SESSION_SECRET must be set');
    });

    it('refuses an in-memory database', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, DATABASE_URL: 'sqlite::memory:' })).toThrow(/loses every record/);
    });

    it('refuses PostgreSQL without TLS to a remote host', () => {
      expect(() =>
        loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, DATABASE_URL: 'postgres://app@db.example.org/redress?sslmode=disable' }),
      ).toThrow(/disables TLS/);
    });

    it('makes cookies secure by default', () => {
      const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, DATABASE_URL: 'postgres://app@db.example.org/redress' });
      expect(config.secureCookies).toBe(true);
      expect(config.sessionSecret).toBe(secret);
    });
  });
});
