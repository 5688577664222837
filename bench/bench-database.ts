/**
 * A fresh database for a benchmark: on SQLite a file in a temporary directory, on PostgreSQL
 * a throw-away schema in `BENCH_DATABASE_URL` (default: the test database,
 * postgres://postgres@127.0.0.1:5432/test). `BENCH_ENGINES=sqlite` (or `postgres`) runs one engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Engine } from '../src/db/database.ts';

/** The engines to measure, from `BENCH_ENGINES` (both by default). */
export function benchEngines(): Engine[] {
  return (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').map((e) => e.trim()) as Engine[];
}

/** A fresh database on `engine`: its DATABASE_URL and how to remove it. */
export async function freshDatabase(engine: Engine): Promise<{ url: string; remove: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'redress-bench-'));
    const remove = () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    };
    return { url: `sqlite:${path.join(dir, 'bench.db')}`, remove };
  }
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create schema ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), remove: () => admin(`drop schema if exists ${schema} cascade`) };
}
