/** Test builders: a container on a test database with a fixed clock, and users with named traits. */
import { loadConfig, type Config } from '../../src/config.ts';
import { createContainer, type Container } from '../../src/container.ts';
import { createLogger } from '../../src/logger.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import type { TestDatabase } from './databases.ts';

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
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SESSION_SECRET: 'test-secret-test-secret-test-secret', ...overrides });
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
  const { user } = await container.users.add({ email, name: `Test ${roles.join(' ')}`, roles: roles.length ? roles : ['viewer'], password: TEST_PASSWORD }, CLI_ACTOR);
  return { email, id: user.id };
}
