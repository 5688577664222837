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
 * figures are this process's own: with several servers behind a load balancer, scrape each.
 * Under `redress serve --processes N`, which share one port, a process asked for /metrics
 * answers with every process's figures, added up by the first process (`serveClusterMetrics`).
 */
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
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
  if (cluster.isWorker) {
    // One of several processes: the first process asks each for its figures to add them up.
    AggregatorRegistry.setRegistries([registry]);
    new AggregatorRegistry();
  }
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
    aggregator: 'first',
    registers: [registry],
    async collect() {
      this.set((await outboxHealth()).unsent);
    },
  });
  new Gauge({
    name: 'redress_outbox_oldest_unsent_age_seconds',
    help: 'How long the oldest email not yet sent has waited (0 when none waits)',
    aggregator: 'first',
    registers: [registry],
    async collect() {
      const { oldestUnsentAt } = await outboxHealth();
      this.set(oldestUnsentAt === undefined ? 0 : Math.max(0, (container.clock().getTime() - new Date(oldestUnsentAt).getTime()) / 1000));
    },
  });
  new Gauge({
    name: 'redress_outbox_failed_messages',
    help: 'Notification emails given up after 48 hours of trying (see the Notifications page)',
    aggregator: 'first',
    registers: [registry],
    async collect() {
      this.set((await outboxHealth()).failed);
    },
  });
  new Gauge({
    name: 'redress_clocks_overdue',
    help: 'Open time limits whose due date has passed, by procedure',
    labelNames: ['procedure'] as const,
    aggregator: 'first',
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
      return cluster.isWorker ? fromFirstProcess() : registry.metrics();
    },
    observeRequest(method, route, status, seconds) {
      requests.observe({ method, route, status: String(status) }, seconds);
    },
  };
}

/** What a process of several sends the first process, and what it answers. */
const METRICS_REQUEST = 'redress:metrics';
const METRICS_REPLY = 'redress:metrics-reply';
const METRICS_TIMEOUT_MS = 10_000;

interface MetricsMessage {
  readonly type: string;
  readonly id: string;
  readonly text?: string;
}

const isMetricsMessage = (message: unknown, type: string): message is MetricsMessage =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type && typeof (message as { id?: unknown }).id === 'string';

/** Every process's figures, asked of the first process. */
function fromFirstProcess(): Promise<string> {
  return new Promise((resolve, reject) => {
    const id = randomUUID();
    const finish = (error: Error | undefined, text = ''): void => {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (error === undefined) resolve(text);
      else reject(error);
    };
    const onMessage = (message: unknown): void => {
      if (isMetricsMessage(message, METRICS_REPLY) && message.id === id) finish(message.text === undefined ? new Error('the first process could not add up the metrics') : undefined, message.text);
    };
    const timer = setTimeout(() => { finish(new Error('the first process did not answer for the metrics')); }, METRICS_TIMEOUT_MS);
    process.on('message', onMessage);
    process.send?.({ type: METRICS_REQUEST, id });
  });
}

/** In the first process of several: answers their requests for everyone's figures, added up. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMetricsMessage(message, METRICS_REQUEST)) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: METRICS_REPLY, id: message.id, text }),
      () => worker.send({ type: METRICS_REPLY, id: message.id }),
    );
  });
}
