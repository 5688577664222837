/**
 * Finds out once per run whether PostgreSQL is there. In CI it must be; a local run
 * without it says loudly that the PostgreSQL half of the tests was skipped.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  let isReachable = false;
  try {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    await client.connect();
    await client.end();
    isReachable = true;
  } catch {
    isReachable = false;
  }
  if (!isReachable) {
    if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
      throw new Error(`PostgreSQL is not reachable at ${url}: CI never skips PostgreSQL`);
    }
    const bar = '!'.repeat(78);
    console.warn(`\n${bar}\n!! PostgreSQL is not reachable at ${url}\n!! The PostgreSQL half of the integration tests is SKIPPED in this run.\n!! Start PostgreSQL (or set TEST_DATABASE_URL) to run them; CI always does.\n${bar}\n`);
  }
  project.provide('postgresUrl', isReachable ? url : null);
}
