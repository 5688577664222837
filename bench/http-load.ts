/**
 * Load over real HTTP for the benchmarks: autocannon (which ships no types) with the part of
 * its API used here, and how results are printed and judged.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { createContainer, type Container } from '../src/container.ts';
import { createApp } from '../src/web/app.ts';
import { freePort } from '../test/support/ports.ts';

export interface BenchServer {
  readonly app: FastifyInstance;
  readonly container: Container;
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
}

/** The settings every benchmark's server runs with (its own database's added). */
const BENCH_ENV = { NODE_ENV: 'test', LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret' } as const;

/**
 * Runs `measure` against the real app in-process on a fresh SQLite database in a temporary
 * directory, listening on loopback (`env` adds settings; `prepare` runs before it listens);
 * everything is closed and removed afterwards.
 */
export async function withBenchServer<T>(env: Record<string, string>, prepare: (container: Container) => Promise<unknown>, measure: (server: BenchServer) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'redress-bench-'));
  let container: Container | undefined;
  let app: FastifyInstance | undefined;
  try {
    const config = loadConfig({ ...BENCH_ENV, DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}`, ...env });
    container = await createContainer(config);
    await prepare(container);
    app = await createApp(container);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the server has no port');
    return await measure({ app, container, base: `http://127.0.0.1:${String(address.port)}` });
  } finally {
    await app?.close();
    await container?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `measure` against `redress serve --processes N` (child processes sharing a port, as a
 * council would run it on a machine of N cores) on the database `env` names, with the same
 * settings as `withBenchServer` (so its sessions' cookies hold); stopped with SIGTERM after.
 */
export async function withServeProcesses<T>(env: Record<string, string>, processes: number, measure: (base: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const bin = path.resolve(import.meta.dirname, '../bin/redress.js');
  const child = spawn(process.execPath, [bin, 'serve', '--processes', String(processes)], {
    env: { PATH: process.env.PATH ?? '', ...BENCH_ENV, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  // Ready when it says so: once every process is listening (the first answers before the rest are).
  let printed = '';
  child.stdout.on('data', (chunk: Buffer) => { printed += chunk.toString('utf8'); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  try {
    const deadline = Date.now() + 120_000;
    while (!printed.includes('Redress is running at')) {
      if (child.exitCode !== null) throw new Error(`redress serve stopped with ${String(child.exitCode)}`);
      if (Date.now() > deadline) throw new Error('redress serve did not become ready');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return await measure(`http://127.0.0.1:${String(port)}`);
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  }
}

/** The part of autocannon's API used here (it ships no types). */
export interface AutocannonOptions {
  readonly url: string;
  readonly connections: number;
  readonly duration: number;
  readonly headers?: Record<string, string>;
  readonly method?: 'GET' | 'POST';
  /** Called before each request: a new body and headers every time. */
  readonly requests?: readonly { setupRequest: (request: { body?: string; headers: Record<string, string>; path?: string }) => { body?: string; headers: Record<string, string>; path?: string } }[];
}
interface Histogram {
  readonly average: number;
  readonly p50: number;
  readonly p99: number;
  readonly total: number;
}
export interface AutocannonResult {
  readonly requests: Histogram;
  readonly latency: Histogram;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly '2xx': number;
}
type Autocannon = (options: AutocannonOptions, done: (error: Error | null, result: AutocannonResult) => void) => unknown;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export function load(options: AutocannonOptions): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => {
      if (error) reject(error);
      else resolve(result);
    });
  });
}

/** `name=value` of a Set-Cookie header, exactly as sent (still signed and encoded). */
export function cookiePair(setCookie: string | string[] | undefined, name: string): string {
  const headers = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  const pair = headers.map((h) => h.split(';')[0] ?? '').find((p) => p.startsWith(`${name}=`));
  if (pair === undefined) throw new Error(`no ${name} cookie was set`);
  return pair;
}

export function report(name: string, result: AutocannonResult): void {
  const problems = `${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`;
  console.log(
    `${name.padEnd(22)} ${result.requests.average.toFixed(0).padStart(7)} requests/s   latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms   ${result['2xx']} 2xx, ${problems}`,
  );
}

export const isClean = (result: AutocannonResult): boolean => result.errors === 0 && result.timeouts === 0 && result.non2xx === 0 && result['2xx'] > 0;

