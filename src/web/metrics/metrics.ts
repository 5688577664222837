/**
 * Prometheus metrics for /metrics (src/web/metrics/metrics-routes.ts), one registry per app:
 *
 * - `redress_http_request_duration_seconds{method,route,status}`: every response, labelled by
 *   the route's pattern (`/cases/:reference`), never the URL with its ids or query;
 * - `redress_outbox_unsent_messages`, `redress_outbox_oldest_unsent_age_seconds`,
 *   `redress_outbox_failed_messages`: the notification outbox, read when scraped;
 * - `redress_clocks_overdue{procedure}`: open time limits past their due date, read when scraped;
 * - `redress_job_runs_total{job,outcome}`: this process's background job runs;
 * - Node's process figures (memory, CPU, event loop delay).
 *
 * The database figures are cheap indexed counts (the same in every process); request and job
 * figures are this process's own: with several processes, scrape each.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Container } from '../../container.ts';
import { OperationsRepository } from '../../db/operations-repository.ts';
import { jobRunCounts } from '../../jobs/scheduler.ts';

export interface AppMetrics {
  readonly registry: Registry;
  /** The metrics as Prometheus text, the database figures read afresh. */
  render(): Promise<string>;
  /** Records one response: `route` is the matched pattern, or `unmatched`. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

export function createMetrics(container: Container): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const operations = new OperationsRepository(container.db.kysely);

  const requests = new Histogram({
    name: 'redress_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  // One read of the outbox serves its three gauges in a scrape (`render` starts each scrape afresh).
  let outboxRead: Promise<Awaited<ReturnType<typeof container.notifications.outbox.health>>> | undefined;
  const outboxHealth = () => {
    outboxRead ??= container.notifications.outbox.health();
    return outboxRead;
  };
  new Gauge({
    name: 'redress_outbox_unsent_messages',
    help: 'Notification emails waiting to be sent or being sent',
    registers: [registry],
    async collect() {
      this.set((await outboxHealth()).unsent);
    },
  });
  new Gauge({
    name: 'redress_outbox_oldest_unsent_age_seconds',
    help: 'How long the oldest email not yet sent has waited (0 when none waits)',
    registers: [registry],
    async collect() {
      const { oldestUnsentAt } = await outboxHealth();
      this.set(oldestUnsentAt === undefined ? 0 : Math.max(0, (container.clock().getTime() - new Date(oldestUnsentAt).getTime()) / 1000));
    },
  });
  new Gauge({
    name: 'redress_outbox_failed_messages',
    help: 'Notification emails given up after 48 hours of trying (see the Notifications page)',
    registers: [registry],
    async collect() {
      this.set((await outboxHealth()).failed);
    },
  });
  new Gauge({
    name: 'redress_clocks_overdue',
    help: 'Open time limits whose due date has passed, by procedure',
    labelNames: ['procedure'] as const,
    registers: [registry],
    async collect() {
      const rows = await operations.overdueClocks(container.clock().toISOString().slice(0, 10));
      this.reset();
      for (const row of rows) this.set({ procedure: row.procedure }, row.n);
    },
  });
  new Counter({
    name: 'redress_job_runs_total',
    help: 'Background job runs in this process, by job and outcome (skipped: another process ran that period)',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const run of jobRunCounts()) this.inc({ job: run.job, outcome: run.outcome }, run.count);
    },
  });

  return {
    registry,
    async render() {
      outboxRead = undefined;
      return registry.metrics();
    },
    observeRequest(method, route, status, seconds) {
      requests.observe({ method, route, status: String(status) }, seconds);
    },
  };
}
