/**
 * The annual report's figures for a year of 100,000 complaints in a database of 1,000,000
 * representations (issue #6; target: under 2 seconds, computed in SQL), on SQLite (a
 * fresh file in a temporary directory) and on PostgreSQL (a fresh schema in the test
 * database, `BENCH_DATABASE_URL` or postgres://postgres@127.0.0.1:5432/test), filled by
 * `fill.ts` (shared with the casework benchmark): the year's complaints, most responded to
 * with a finding and remedies, some withdrawn, some extended; the rest of the million spread
 * over the other years and every kind, so the year is a tenth of the table.
 *
 * Baseline: one `count(*)` of the year's complaints on the same database (the cheapest
 * question about them). Measured: the whole `redress.annual-report/1` figures. The time and
 * the ratio are printed; the target is the absolute 2 seconds, and the figures must add up
 * (every check holds). `BENCH_COMPLAINTS` and `BENCH_REPRESENTATIONS` change the sizes;
 * `BENCH_ENGINES=sqlite` runs one engine.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.ts';
import type { Engine } from '../src/db/database.ts';
import { createContainer, type Container } from '../src/container.ts';
import { AnnualReportService } from '../src/app/annual-report-service.ts';
import { fill, settle } from './fill.ts';
import { benchEngines, freshDatabase } from './bench-database.ts';

const TARGET_MS = 2000;
const YEAR = 2024;

async function time(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function measure(engine: Engine, complaints: number, representations: number): Promise<boolean> {
  console.log(`-- ${engine}`);
  const database = await freshDatabase(engine);
  let container: Container | undefined;
  try {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', DATABASE_URL: database.url });
    container = await createContainer(config);
    await container.demo.ensure();
    const db = container.db.kysely;
    const filling = await time(() => fill(db, { complaints, representations, year: YEAR, today: (container as Container).clock().toISOString().slice(0, 10) }));
    await settle(container.db);
    console.log(`filled ${String(representations)} representations, ${String(complaints)} of them complaints in the year, in ${(filling / 1000).toFixed(1)} s`);
    const service = new AnnualReportService(db, container.clock, container.calendar);
    await service.report(YEAR, { asAt: `${String(YEAR + 1)}-06-30` }); // warm up: calendar, caches
    const baseline = await time(() =>
      db.selectFrom('representation').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'children_statutory').where('received_on', '>=', `${String(YEAR)}-04-01`).where('received_on', '<=', `${String(YEAR + 1)}-03-31`).execute(),
    );
    let report: Awaited<ReturnType<AnnualReportService['report']>> | undefined;
    const measured = await time(async () => {
      report = await service.report(YEAR, { asAt: `${String(YEAR + 1)}-06-30` });
    });
    const received = report?.figures.children_statutory.received ?? 0;
    const holds = report?.checks.every((c) => c.holds) === true;
    console.log(`baseline count(*): ${baseline.toFixed(1)} ms; annual figures: ${measured.toFixed(1)} ms (${(measured / Math.max(baseline, 0.001)).toFixed(1)}× the baseline); target ${String(TARGET_MS)} ms`);
    console.log(`received ${String(received)}; every check holds: ${String(holds)}`);
    return measured < TARGET_MS && received === complaints && holds;
  } finally {
    await container?.close();
    await database.remove();
  }
}

export default async function annualReportBench(): Promise<boolean> {
  const complaints = Number(process.env.BENCH_COMPLAINTS ?? 100_000);
  const representations = Math.max(complaints, Number(process.env.BENCH_REPRESENTATIONS ?? 1_000_000));
  const engines = benchEngines();
  let met = true;
  for (const engine of engines) met = (await measure(engine, complaints, representations)) && met;
  return met;
}
