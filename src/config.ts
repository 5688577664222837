/**
 * The only reader of process.env. Reads the environment once, validates it and returns a
 * typed, frozen Config. Production refuses to start with a missing secret or an unsafe
 * database setting; every refusal is one line that says what to fix.
 */
import { z } from 'zod';

export type Environment = 'development' | 'test' | 'production';

export interface DatabaseConfig {
  readonly engine: 'sqlite' | 'postgres';
  /** For SQLite the file path (or `:memory:`); for PostgreSQL the connection URL. */
  readonly location: string;
  /** PostgreSQL schema to use (tests use one per file); undefined means the default. */
  readonly schema?: string;
}

export interface Config {
  readonly env: Environment;
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  readonly sessionSecret: string;
  readonly sessionIdleMinutes: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Set behind a TLS-terminating proxy: cookies become Secure and the client IP comes from X-Forwarded-For. */
  readonly trustProxy: boolean;
  readonly secureCookies: boolean;
  readonly councilName: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const DEVELOPMENT_SECRET = 'redress-development-secret-not-for-production';

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().min(1).default('sqlite:./data/redress.db'),
  SESSION_SECRET: z.string().optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: booleanString.default(false),
  SECURE_COOKIES: booleanString.optional(),
  COUNCIL_NAME: z.string().min(1).default('Demo Council'),
});

/** Parses `sqlite:PATH` or `postgres://…`; throws ConfigError with one clear line otherwise. */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const location = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (location === '') throw new ConfigError('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/redress.db');
    return { engine: 'sqlite', location };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid PostgreSQL URL: expected postgres://user@host:port/database');
    }
    if (parsed.hostname === '' || parsed.pathname.length <= 1) {
      throw new ConfigError('DATABASE_URL must name a host and a database: postgres://user@host:port/database');
    }
    return { engine: 'postgres', location: url };
  }
  throw new ConfigError('DATABASE_URL must start with "sqlite:" or "postgres://" (e.g. sqlite:./data/redress.db)');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const name = issue.path.join('.');
  return `${name} is not valid: ${issue.message}`;
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map(describeIssue).join('; '));
  }
  const e = result.data;
  const database = parseDatabaseUrl(e.DATABASE_URL);
  const isProduction = e.NODE_ENV === 'production';

  if (isProduction) {
    if (e.SESSION_SECRET === undefined || e.SESSION_SECRET.length < 32) {
      throw new ConfigError('SESSION_SECRET must be set to at least 32 random characters in production');
    }
    if (database.engine === 'sqlite' && database.location === ':memory:') {
      throw new ConfigError('DATABASE_URL sqlite::memory: loses every record on restart: not allowed in production');
    }
    if (database.engine === 'postgres') {
      const params = new URL(database.location).searchParams;
      if (params.get('sslmode') === 'disable' && !isLoopback(new URL(database.location).hostname)) {
        throw new ConfigError('DATABASE_URL disables TLS (sslmode=disable) to a remote PostgreSQL: not allowed in production');
      }
    }
  }

  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database,
    sessionSecret: e.SESSION_SECRET ?? DEVELOPMENT_SECRET,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    secureCookies: e.SECURE_COOKIES ?? isProduction,
    councilName: e.COUNCIL_NAME,
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}
