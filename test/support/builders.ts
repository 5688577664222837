/** Test builders: a container on a test database with a fixed clock, and users with named traits. */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { createContainer, type Container } from '../../src/container.ts';
import { createLogger } from '../../src/logger.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import type { TestDatabase } from './databases.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';

export const FIXED_NOW = '2026-11-26T10:00:00.000Z';

/** A clock that stands still until told to move. */
export interface TestClock {
  (): Date;
  advance(ms: number): void;
  set(iso: string): void;
}

export function testClock(start = FIXED_NOW): TestClock {
  let now = Date.parse(start);
  const clock = (() => new Date(now)) as TestClock;
  clock.advance = (ms) => {
    now += ms;
  };
  clock.set = (iso) => {
    now = Date.parse(iso);
  };
  return clock;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  // Attachments go to a temporary directory (made when first used), never into the checkout's ./data.
  const attachmentsDir = path.join(tmpdir(), `redress-test-attachments-${String(process.pid)}`);
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SESSION_SECRET: 'test-secret-test-secret-test-secret', ATTACHMENTS_DIR: attachmentsDir, ...overrides });
}

export async function testContainer(database: TestDatabase, clock: TestClock = testClock(), config: Config = testConfig()): Promise<Container> {
  return createContainer({ ...config, database: database.config }, { db: database.db, clock, logger: createLogger({ logLevel: 'silent' }) });
}

export const TEST_PASSWORD = 'correct-horse-battery';

let sequence = 0;

/** Adds a user; traits are roles. Returns the email to sign in with (password TEST_PASSWORD). */
export async function aUser(container: Container, ...roles: Role[]): Promise<{ email: string; id: number }> {
  sequence += 1;
  const email = `${roles.join('-') || 'user'}-${sequence}-${Date.now()}@test.example`;
  const { user } = await container.users.add(
    { email, name: `Test ${roles.join(' ')}`, roles: roles.length ? roles : ['viewer'], password: TEST_PASSWORD, mustChangePassword: false },
    CLI_ACTOR,
  );
  return { email, id: user.id };
}

/** A member of staff with `roles` (in the team called `teamName`), as the actor a service call takes for them, with their email to sign in. */
export async function aStaffMember(container: Container, roles: readonly Role[], teamName?: string): Promise<StaffActor & { email: string }> {
  sequence += 1;
  const email = `${roles.join('-')}-${String(sequence)}-${String(Date.now())}@test.example`;
  const name = `Test ${roles.join(' ')} ${teamName ?? ''}`.trim();
  const { user } = await container.users.add({ email, name, roles: [...roles], teamName, password: TEST_PASSWORD, mustChangePassword: false }, CLI_ACTOR);
  return { email, userId: user.id, roles, teamId: user.teamId, ip: '192.0.2.9', requestId: 'r-test' };
}

/** An API token of a new user with `roles`, with the representations scopes to read and write cases. */
export async function aCaseworkToken(container: Container, roles: readonly Role[]): Promise<string> {
  const { email } = await aStaffMember(container, roles);
  return (await container.apiTokens.create(email, 'test', ['representations:read', 'representations:write'], CLI_ACTOR)).token;
}

/** The id of each team, by name (the demo organisation's, once `demo.ensure()` has run); throws on an unknown name. */
export async function teamIdsByName(container: Container): Promise<(name: string) => number> {
  const teams = await container.organisation.listTeams();
  return (name) => {
    const team = teams.find((t) => t.name === name);
    if (!team) throw new Error(`no team ${name}`);
    return team.id;
  };
}
