/**
 * The annual report's figures for a year of many complaints (DESIGN.md: 100,000 complaints
 * in a year, under 2 seconds, computed in SQL), on a fresh SQLite database in a temporary
 * directory. Rows are written straight into the tables (not through the services, which
 * would take far longer than the thing measured): complaints spread over two years, each
 * with issues, most responded to with a finding and remedies, some withdrawn, some extended.
 *
 * Baseline: one `count(*)` of the year's complaints (the cheapest question about them).
 * Measured: the whole `redress.annual-report/1` figures. The ratio is printed; the target is
 * the absolute 2 seconds of the design, and the figures must add up (every check holds).
 * `BENCH_COMPLAINTS` sets the number of complaints in the year (default 100,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Insertable } from 'kysely';
import { loadConfig } from '../src/config.ts';
import type { RepresentationTable } from '../src/db/schema.ts';
import { createContainer, type Container } from '../src/container.ts';
import { AnnualReportService } from '../src/app/annual-report-service.ts';
import { addDays } from '../src/domain/calendar/iso-date.ts';
import { CHANNELS } from '../src/domain/taxonomies/channels.ts';
import { COMPLAINANT_ROLES } from '../src/domain/taxonomies/complainant-roles.ts';
import { FINDINGS } from '../src/domain/taxonomies/findings.ts';
import { REMEDIES } from '../src/domain/taxonomies/remedies.ts';
import { SEEDED_ISSUE_CODES } from '../src/domain/taxonomies/issues.ts';

const TARGET_MS = 2000;
const YEAR = 2024;
const BATCH = 500;

/** A small deterministic generator, so every run builds the same data. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export async function fill(container: Container, complaints: number): Promise<void> {
  const db = container.db.kysely;
  const teams = await db.selectFrom('team').select('id').execute();
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const now = new Date().toISOString();
  const contact = await db.insertInto('contact').values({ received_on: `${String(YEAR)}-04-01`, created_at: now }).returning('id').executeTakeFirstOrThrow();
  // Half again as many in the year before, for `history`.
  const total = Math.round(complaints * 1.5);
  for (let start = 0; start < total; start += BATCH) {
    const rows: Insertable<RepresentationTable>[] = [];
    for (let i = start; i < Math.min(total, start + BATCH); i++) {
      const receivedOn = addDays(`${String(i < complaints ? YEAR : YEAR - 1)}-04-01`, Math.floor(next() * 365));
      const outcome = next();
      const respondedOn = outcome < 0.9 ? addDays(receivedOn, 1 + Math.floor(next() * 45)) : null;
      rows.push({
        reference: `CSC-B-${String(i)}`,
        contact_id: contact.id,
        kind: 'children_statutory',
        status: respondedOn === null ? (outcome < 0.95 ? 'withdrawn' : 'registered') : 'responded',
        received_on: receivedOn,
        channel: pick(CHANNELS),
        is_via_complaints_team: next() < 0.8 ? 1 : 0,
        team_id: pick(teams).id,
        summary: 'Benchmark complaint',
        complainant_role: pick(COMPLAINANT_ROLES),
        responded_on: respondedOn,
        finding: respondedOn === null ? null : pick(FINDINGS),
        withdrawn_on: respondedOn === null && outcome < 0.95 ? addDays(receivedOn, 10) : null,
        created_at: now,
        updated_at: now,
      });
    }
    const ids = await db.insertInto('representation').values(rows).returning('id').execute();
    const codes = ids.flatMap(({ id }, k) => [
      { representation_id: id, list: 'issue' as const, code: SEEDED_ISSUE_CODES[k % SEEDED_ISSUE_CODES.length] ?? 'other' },
      ...(rows[k]?.responded_on === null ? [] : [{ representation_id: id, list: 'remedy' as const, code: REMEDIES[k % REMEDIES.length] ?? 'other' }]),
    ]);
    await db.insertInto('representation_code').values(codes).execute();
    const clocks = ids.filter((_, k) => k % 10 === 0).map(({ id }, k) => ({
      subject_type: 'representation',
      subject_id: id,
      procedure_kind: 'children_statutory',
      clock_key: 'stage1_response',
      started_on: `${String(YEAR)}-04-01`,
      events: JSON.stringify({ startedOn: `${String(YEAR)}-04-01`, extensions: k % 2 === 0 ? [{ extraWorkingDays: 10, reason: 'bench', complainantToldOn: `${String(YEAR)}-04-02` }] : [] }),
      due_on: `${String(YEAR)}-04-15`,
      is_open: 0 as const,
      created_at: now,
      updated_at: now,
    }));
    if (clocks.length > 0) await db.insertInto('clock').values(clocks).execute();
  }
}

export default async function annualReportBench(): Promise<boolean> {
  const complaints = Number(process.env.BENCH_COMPLAINTS ?? 100_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'redress-bench-'));
  let container: Container | undefined;
  try {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}` });
    container = await createContainer(config);
    await container.demo.ensure();
    const filling = await time(() => fill(container as Container, complaints));
    console.log(`filled ${String(complaints)} complaints in the year (and ${String(Math.round(complaints * 0.5))} the year before) in ${(filling / 1000).toFixed(1)} s`);
    const service = new AnnualReportService(container.db.kysely, container.clock, container.calendar);
    const db = container.db.kysely;
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
    rmSync(dir, { recursive: true, force: true });
  }
}
