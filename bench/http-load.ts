/**
 * Load over real HTTP for the benchmarks: autocannon (which ships no types) with the part of
 * its API used here, and how results are printed and judged.
 */
import { createRequire } from 'node:module';

/** The part of autocannon's API used here (it ships no types). */
export interface AutocannonOptions {
  readonly url: string;
  readonly connections: number;
  readonly duration: number;
  readonly headers?: Record<string, string>;
  readonly method?: 'GET' | 'POST';
  /** Called before each request: a new body and headers every time. */
  readonly requests?: readonly { setupRequest: (request: { body?: string; headers: Record<string, string> }) => { body?: string; headers: Record<string, string> } }[];
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

