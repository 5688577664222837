/**
 * The only reader of process.env. Reads the environment once, validates it and returns a
 * typed, frozen Config. Production refuses to start with a missing secret or an unsafe
 * database setting; every refusal is one line that says what to fix.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ROLES, isRole, type Role } from './domain/users/roles.ts';

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
  /**
   * The proxies in front of Redress whose X-Forwarded-For is believed: `false` (none: the
   * client address is the socket's), a hop count, or the proxies' addresses/CIDRs. Never
   * "everyone", which would let any client forge its address (audit trail, rate limits).
   */
  readonly trustProxy: TrustProxy;
  readonly secureCookies: boolean;
  /**
   * Whether every local account must use an authenticator app (MFA_REQUIRED; on by default in
   * production). Administrators must whatever this says; single sign-on users use their provider's.
   */
  readonly mfaRequired: boolean;
  readonly councilName: string;
  /**
   * The council's out-of-hours social care number, shown to children and families on the public
   * pages. Outside production it defaults to a made-up number (Ofcom's drama range); unset in
   * production, the line is left out.
   */
  readonly councilOutOfHoursPhone: string | undefined;
  /** Where staff reach Redress: links in emails start with it (no trailing slash). */
  readonly publicBaseUrl: string;
  readonly notify: NotifyConfig;
  /**
   * Where attachments are stored (an absolute path): by default `attachments` beside the SQLite
   * file (`./data/attachments` on PostgreSQL). Never inside anything the web server serves;
   * with several app processes it must be storage they all share.
   */
  readonly attachmentsDir: string;
  /** The most bytes of files the public may keep staged (uploaded, not yet sent): in all, and from one address. */
  readonly publicUploads: { readonly totalBytes: number; readonly perSourceBytes: number };
  /**
   * The bearer token /metrics asks for. Unset: /metrics is open in development and tests,
   * and not served in production.
   */
  readonly metricsToken: string | undefined;
  /** Single sign-on with OpenID Connect (src/app/oidc-service.ts); undefined when it is not set up. */
  readonly oidc: OidcConfig | undefined;
  /** Whether staff may sign in with a Redress password (LOCAL_SIGN_IN); off only with single sign-on. */
  readonly localSignIn: boolean;
  /**
   * The complaints team's shared mailbox: told of each submission sent online. Unset, each
   * active complaints manager is told instead.
   */
  readonly complaintsTeamEmail: string | undefined;
}

/**
 * How emails leave (src/notify/): by SMTP, by GOV.UK Notify, only recorded in the log
 * (development and tests), or `disabled` (production with no transport chosen: messages wait
 * in the outbox until one is).
 */
export type NotifyTransportName = 'smtp' | 'govuk_notify' | 'log' | 'disabled';

/** `false`, a number of proxy hops to believe, or the proxies' addresses and CIDR ranges. */
export type TrustProxy = false | number | readonly string[];

export interface NotifyConfig {
  readonly transport: NotifyTransportName;
  /** `smtp://user:pass@host:587` or `smtps://…:465`. */
  readonly smtpUrl?: string;
  /** Refuse to send over SMTP without TLS (production, to a host other than this one). */
  readonly smtpRequireTls: boolean;
  readonly mailFrom: string;
  readonly govukNotifyApiKey?: string;
  /** Another Notify API base URL (tests imitate Notify on loopback); undefined means GOV.UK's. */
  readonly govukNotifyBaseUrl?: string;
  /** A Notify template id per message (template key → id). */
  readonly govukNotifyTemplateIds: Readonly<Record<string, string>>;
  /** A Notify template whose subject is ((subject)) and body ((body)), for messages without their own id. */
  readonly govukNotifyDefaultTemplateId?: string;
  /** How often `serve` runs the outbox worker and the reminder job. */
  readonly workerIntervalSeconds: number;
}

/** Single sign-on with the council's OpenID Connect provider (Microsoft Entra ID and the like). */
export interface OidcConfig {
  /** The provider's issuer URL (its discovery document is at `/.well-known/openid-configuration` under it). */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where the provider sends the browser back: PUBLIC_BASE_URL + /sign-in/oidc/callback. */
  readonly redirectUri: string;
  /** The scopes asked for, separated by spaces (always including `openid`). */
  readonly scopes: string;
  /** The claim whose values give roles (e.g. `groups`); undefined: administrators give roles. */
  readonly roleClaim: string | undefined;
  /** Each claim value's roles (OIDC_ROLE_MAP), in the order given. */
  readonly roleMap: readonly { readonly claimValue: string; readonly role: Role }[];
  /** Plain http to the provider: only for a test provider on this machine, never in production. */
  readonly allowInsecureHttp: boolean;
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
  TRUST_PROXY: z.string().optional(),
  SECURE_COOKIES: booleanString.optional(),
  MFA_REQUIRED: booleanString.optional(),
  COUNCIL_NAME: z.string().min(1).default('Demo Council'),
  COUNCIL_OUT_OF_HOURS_PHONE: z.string().trim().regex(/^\+?[\d\s()-]{3,25}$/, 'expected a phone number, e.g. 0300 123 4567').optional(),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  NOTIFY_TRANSPORT: z.enum(['smtp', 'govuk_notify', 'log']).optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'expected smtp://user:password@host:587 or smtps://…').optional(),
  MAIL_FROM: z.string().min(3).optional(),
  GOVUK_NOTIFY_API_KEY: z.string().min(74, 'expected a GOV.UK Notify API key (name-serviceid-secret)').optional(),
  GOVUK_NOTIFY_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  GOVUK_NOTIFY_TEMPLATE_IDS: z.string().regex(/^\s*([a-z_]+\s*=\s*[0-9a-f-]{36}\s*(,\s*|$))*$/, 'expected key=template-id pairs separated by commas').optional(),
  GOVUK_NOTIFY_TEMPLATE_ID: z.uuid().optional(),
  NOTIFY_WORKER_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  ATTACHMENTS_DIR: z.string().min(1).optional(),
  PUBLIC_UPLOAD_MAX_STAGED_BYTES: z.coerce.number().int().min(1).default(2 * 1024 * 1024 * 1024),
  PUBLIC_UPLOAD_MAX_STAGED_BYTES_PER_SOURCE: z.coerce.number().int().min(1).default(100 * 1024 * 1024),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{32,200}$/, 'expected at least 32 characters with no spaces, e.g. the output of openssl rand -hex 32')
    .optional(),
  OIDC_ISSUER: z.url({ protocol: /^https?$/, error: 'expected the provider’s issuer URL, e.g. https://login.microsoftonline.com/TENANT-ID/v2.0' }).optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  OIDC_SCOPES: z.string().trim().regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'expected scopes separated by single spaces, e.g. openid email profile').optional(),
  OIDC_ROLE_CLAIM: z.string().trim().min(1).max(200).optional(),
  OIDC_ROLE_MAP: z.string().optional(),
  LOCAL_SIGN_IN: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
  COMPLAINTS_TEAM_EMAIL: z.string().trim().pipe(z.email({ error: 'expected an email address, e.g. complaints@council.gov.uk' })).optional(),
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

/** A made-up number (Ofcom's range for drama), shown outside production when none is set. */
export const DEMO_OUT_OF_HOURS_PHONE = '01632 960 000';

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

  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  const notify = notifyConfig(e, isProduction);
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  if (isProduction && notify.transport !== 'disabled') {
    if (e.PUBLIC_BASE_URL === undefined || !publicBaseUrl.startsWith('https://')) {
      throw new ConfigError('PUBLIC_BASE_URL must be set to the https:// address staff use, so that links in emails work, in production');
    }
  }

  const attachmentsDir = attachmentsDirOf(e.ATTACHMENTS_DIR, database);
  const oidc = oidcConfig(e, isProduction, publicBaseUrl);
  if (e.LOCAL_SIGN_IN === 'off' && oidc === undefined) {
    throw new ConfigError('LOCAL_SIGN_IN=off needs single sign-on (OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET): nobody could sign in');
  }

  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database,
    sessionSecret: e.SESSION_SECRET ?? DEVELOPMENT_SECRET,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    logLevel: e.LOG_LEVEL,
    trustProxy,
    secureCookies: e.SECURE_COOKIES ?? isProduction,
    mfaRequired: e.MFA_REQUIRED ?? isProduction,
    councilName: e.COUNCIL_NAME,
    councilOutOfHoursPhone: e.COUNCIL_OUT_OF_HOURS_PHONE ?? (isProduction ? undefined : DEMO_OUT_OF_HOURS_PHONE),
    publicBaseUrl,
    notify,
    attachmentsDir,
    publicUploads: Object.freeze({ totalBytes: e.PUBLIC_UPLOAD_MAX_STAGED_BYTES, perSourceBytes: e.PUBLIC_UPLOAD_MAX_STAGED_BYTES_PER_SOURCE }),
    metricsToken: e.METRICS_TOKEN,
    oidc,
    localSignIn: e.LOCAL_SIGN_IN === 'on',
    complaintsTeamEmail: e.COMPLAINTS_TEAM_EMAIL,
  });
}

/** The path the provider sends the browser back to (also registered by src/web/paths.ts). */
export const OIDC_CALLBACK_PATH = '/sign-in/oidc/callback';

/** OIDC_*: all three of issuer, client id and secret, or none; https unless a test provider on this machine. */
function oidcConfig(e: z.infer<typeof envSchema>, isProduction: boolean, publicBaseUrl: string): OidcConfig | undefined {
  const given = (['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).filter((name) => e[name] !== undefined);
  if (given.length === 0) {
    const extra = (['OIDC_SCOPES', 'OIDC_ROLE_CLAIM', 'OIDC_ROLE_MAP'] as const).find((name) => e[name] !== undefined);
    if (extra !== undefined) throw new ConfigError(`${extra} is set but single sign-on is not: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too`);
    return undefined;
  }
  if (given.length < 3 || e.OIDC_ISSUER === undefined || e.OIDC_CLIENT_ID === undefined || e.OIDC_CLIENT_SECRET === undefined) {
    const missing = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'].filter((name) => !(given as readonly string[]).includes(name));
    throw new ConfigError(`Single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together: set ${missing.join(' and ')} too, or unset ${given.join(' and ')}`);
  }
  const issuer = new URL(e.OIDC_ISSUER);
  let allowInsecureHttp = false;
  if (issuer.protocol === 'http:') {
    if (isProduction || !isLoopback(issuer.hostname)) {
      throw new ConfigError('OIDC_ISSUER must be an https:// address (plain http only for a test provider on this machine, outside production)');
    }
    allowInsecureHttp = true;
  }
  if (isProduction && !publicBaseUrl.startsWith('https://')) {
    throw new ConfigError('PUBLIC_BASE_URL must be set to the https:// address staff use, so that the provider can send them back after single sign-on, in production');
  }
  if ((e.OIDC_ROLE_CLAIM === undefined) !== (e.OIDC_ROLE_MAP === undefined)) {
    throw new ConfigError('OIDC_ROLE_CLAIM and OIDC_ROLE_MAP go together: the claim to read (e.g. groups) and what each value gives (value=role;…)');
  }
  const scopes = (e.OIDC_SCOPES ?? 'openid email profile').split(' ');
  return Object.freeze({
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    redirectUri: `${publicBaseUrl}${OIDC_CALLBACK_PATH}`,
    scopes: (scopes.includes('openid') ? scopes : ['openid', ...scopes]).join(' '),
    roleClaim: e.OIDC_ROLE_CLAIM,
    roleMap: Object.freeze(e.OIDC_ROLE_MAP === undefined ? [] : parseRoleMap(e.OIDC_ROLE_MAP)),
    allowInsecureHttp,
  });
}

/**
 * OIDC_ROLE_MAP: `claimValue=role` pairs separated by `;` (a value may appear more than once
 * to give several roles), e.g. `redress-admins=admin;complaints-team=complaints_officer`.
 */
export function parseRoleMap(value: string): { claimValue: string; role: Role }[] {
  const entries = value.split(';').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) throw new ConfigError('OIDC_ROLE_MAP is empty: expected claimValue=role pairs separated by ";", e.g. redress-admins=admin;complaints-team=complaints_officer');
  return entries.map((entry, index) => {
    const at = entry.lastIndexOf('=');
    const claimValue = at < 0 ? '' : entry.slice(0, at).trim();
    const role = at < 0 ? '' : entry.slice(at + 1).trim();
    if (claimValue === '' || role === '') {
      throw new ConfigError(`OIDC_ROLE_MAP entry ${index + 1} ("${entry}") is not claimValue=role, e.g. redress-admins=admin`);
    }
    if (!isRole(role)) throw new ConfigError(`OIDC_ROLE_MAP entry ${index + 1} names an unknown role "${role}": the roles are ${ROLES.join(', ')}`);
    return { claimValue, role };
  });
}

/** The web server's static files: attachments may never be stored under them. */
const SERVED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'web', 'public');

/** ATTACHMENTS_DIR made absolute, or `attachments` beside the SQLite file; refuses a served directory. */
function attachmentsDirOf(given: string | undefined, database: DatabaseConfig): string {
  const besideDatabase = database.engine === 'sqlite' && database.location !== ':memory:' ? path.join(path.dirname(database.location), 'attachments') : path.join('data', 'attachments');
  const dir = path.resolve(given ?? besideDatabase);
  const relative = path.relative(SERVED_DIR, dir);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new ConfigError('ATTACHMENTS_DIR must not be inside src/web/public, which the web server serves');
  }
  return dir;
}

/** The email settings; refuses in production what would lose or leak mail. */
function notifyConfig(e: z.infer<typeof envSchema>, isProduction: boolean): NotifyConfig {
  const transport: NotifyTransportName = e.NOTIFY_TRANSPORT ?? (isProduction ? 'disabled' : 'log');
  const templateIds: Record<string, string> = {};
  for (const pair of (e.GOVUK_NOTIFY_TEMPLATE_IDS ?? '').split(',')) {
    const [key, id] = pair.split('=').map((p) => p.trim());
    if (key !== undefined && key !== '' && id !== undefined) templateIds[key] = id;
  }
  if (isProduction && transport === 'log') {
    throw new ConfigError('NOTIFY_TRANSPORT=log only records that a message would be sent: choose smtp or govuk_notify in production');
  }
  if (transport === 'smtp' && e.SMTP_URL === undefined) {
    throw new ConfigError('NOTIFY_TRANSPORT=smtp needs SMTP_URL (smtp://user:password@host:587 or smtps://…)');
  }
  if (transport === 'smtp' && isProduction && e.MAIL_FROM === undefined) {
    throw new ConfigError('MAIL_FROM must be set (the address emails come from) in production');
  }
  if (transport === 'govuk_notify') {
    if (e.GOVUK_NOTIFY_API_KEY === undefined) throw new ConfigError('NOTIFY_TRANSPORT=govuk_notify needs GOVUK_NOTIFY_API_KEY');
    if (e.GOVUK_NOTIFY_TEMPLATE_ID === undefined && Object.keys(templateIds).length === 0) {
      throw new ConfigError('NOTIFY_TRANSPORT=govuk_notify needs GOVUK_NOTIFY_TEMPLATE_IDS (key=id,…) or GOVUK_NOTIFY_TEMPLATE_ID');
    }
    if (isProduction && e.GOVUK_NOTIFY_BASE_URL !== undefined && !e.GOVUK_NOTIFY_BASE_URL.startsWith('https://')) {
      throw new ConfigError('GOVUK_NOTIFY_BASE_URL must be https:// in production');
    }
  }
  const smtpHost = e.SMTP_URL === undefined ? undefined : /^smtps?:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?]+)/.exec(e.SMTP_URL)?.[1];
  return Object.freeze({
    transport,
    ...(e.SMTP_URL === undefined ? {} : { smtpUrl: e.SMTP_URL }),
    smtpRequireTls: isProduction && smtpHost !== undefined && !isLoopback(smtpHost),
    mailFrom: e.MAIL_FROM ?? 'Redress <no-reply@redress.invalid>',
    ...(e.GOVUK_NOTIFY_API_KEY === undefined ? {} : { govukNotifyApiKey: e.GOVUK_NOTIFY_API_KEY }),
    ...(e.GOVUK_NOTIFY_BASE_URL === undefined ? {} : { govukNotifyBaseUrl: e.GOVUK_NOTIFY_BASE_URL.replace(/\/+$/, '') }),
    govukNotifyTemplateIds: Object.freeze(templateIds),
    ...(e.GOVUK_NOTIFY_TEMPLATE_ID === undefined ? {} : { govukNotifyDefaultTemplateId: e.GOVUK_NOTIFY_TEMPLATE_ID }),
    workerIntervalSeconds: e.NOTIFY_WORKER_INTERVAL_SECONDS,
  });
}

const TRUST_PROXY_HELP = 'give the number of proxies in front of Redress (e.g. 1) or their addresses/CIDRs separated by commas (e.g. 10.0.0.1,10.1.0.0/16)';

/**
 * TRUST_PROXY: unset, `false`, `no` or `0` trust no proxy; a whole number is a hop count; else a
 * comma-separated list of addresses or CIDR ranges. `true` (trust every sender of
 * X-Forwarded-For, so any client could choose its own address) is refused in every environment.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const given = (value ?? '').trim();
  if (given === '' || /^(false|no|0)$/i.test(given)) return false;
  if (/^(true|yes|on|\*)$/i.test(given)) {
    throw new ConfigError(`TRUST_PROXY=${given} would believe X-Forwarded-For from anyone, so clients could forge their address: ${TRUST_PROXY_HELP}`);
  }
  if (/^\d+$/.test(given)) {
    const hops = Number(given);
    if (hops > 10) throw new ConfigError(`TRUST_PROXY=${given} is not a believable number of proxies: ${TRUST_PROXY_HELP}`);
    return hops;
  }
  const entries = given.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!isAddressOrCidr(entry)) throw new ConfigError(`TRUST_PROXY entry "${entry}" is not an IP address or CIDR range: ${TRUST_PROXY_HELP}`);
  }
  return Object.freeze(entries);
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  if (extra !== undefined) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}
