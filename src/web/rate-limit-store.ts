/**
 * A store for @fastify/rate-limit that keeps its counters in the database
 * (src/db/rate-limit-repository.ts), so a limit holds across every process serving Redress,
 * not per process. Each route with its own `config.rateLimit` counts apart (the route's
 * method and URL pattern are part of the counter's name).
 */
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { RateLimitRepository } from '../db/rate-limit-repository.ts';
import type { Clock } from '../app/clock.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface RouteInfo {
  readonly method?: string | readonly string[];
  readonly url?: string;
}

function routeName(options: unknown): string {
  const info = (options as { routeInfo?: RouteInfo } | undefined)?.routeInfo;
  const method = Array.isArray(info?.method) ? info.method.join(',') : String(info?.method ?? '');
  return `${method} ${info?.url ?? ''}`.trim() || 'global';
}

class DatabaseRateLimitStore implements FastifyRateLimitStore {
  constructor(
    private readonly counters: RateLimitRepository,
    private readonly clock: Clock,
    private readonly name: string,
  ) {}

  incr(key: string, callback: Callback, timeWindow?: number, _max?: number): void {
    this.counters.hit(this.name, key, timeWindow ?? 60_000, this.clock()).then(
      (hit) => {
        callback(null, { current: hit.count, ttl: hit.ttlMs });
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error('rate limit store failed'));
      },
    );
  }

  child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
    return new DatabaseRateLimitStore(this.counters, this.clock, routeName(routeOptions));
  }
}

/** The store class to pass as `store` when registering @fastify/rate-limit. */
export function databaseRateLimitStore(db: Kysely<Database>, clock: Clock): FastifyRateLimitStoreCtor {
  const counters = new RateLimitRepository(db);
  return class extends DatabaseRateLimitStore {
    constructor(_options: FastifyRateLimitOptions) {
      super(counters, clock, 'global');
    }
  };
}
