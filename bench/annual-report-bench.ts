/**
 * The annual report's figures for a year of 100,000 complaints in a database of 1,000,000
 * representations (issue #6; DESIGN.md: under 2 seconds, computed in SQL), on SQLite (a
 * fresh file in a temporary directory) and on PostgreSQL (a fresh schema in the test
 * database, `BENCH_DATABASE_URL` or postgres://postgres@127.0.0.1:5432/test). Rows are
 * written straight into the tables (not through the services, which would take far longer
 * than the thing measured): the year's complaints, each with issues, most responded to with
 * a finding and remedies, some withdrawn, some extended; the rest of the million spread over
 * ten other years and every kind, so the year is a tenth of the table.
 *
 * Baseline: one `count(*)` of the year's complaints on the same database (the cheapest
 * question about them). Measured: the whole `redress.annual-report/1` figures. The time and
 * the ratio are printed; the target is the absolute 2 seconds, and the figures must add up
 * (every check holds). `BENCH_COMPLAINTS` and `BENCH_REPRESENTATIONS` change the sizes;
 * `BENCH_ENGINES=sqlite` runs one engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql, type Insertable } from 'kysely';
import { loadConfig } from '../src/config.ts';
import type { RepresentationTable } from '../src/db/schema.ts';
import type { Engine } from '../src/db/database.ts';
import { createContainer, type Container } from '../src/container.ts';
import { AnnualReportService } from '../src/app/annual-report-service.ts';
import { addDays } from '../src/domain/calendar/iso-date.ts';
import { CHANNELS } from '../src/domain/taxonomies/channels.ts';
import { COMPLAINANT_ROLES } from '../src/domain/taxonomies/complainant-roles.ts';
import { FINDINGS } from '../src/domain/taxonomies/findings.ts';
import { REMEDIES } from '../src/domain/taxonomies/remedies.ts';
import { SEEDED_ISSUE_CODES } from '../src/domain/taxonomies/issues.ts';
import type { RepresentationKind } from '../src/domain/taxonomies/representation-kinds.ts';

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

/** The other kinds in the rest of the table, by weight. */
const OTHER_KINDS: readonly RepresentationKind[] = ['children_statutory', 'children_statutory', 'children_statutory', 'informal', 'informal', 'compliment', 'compliment', 'corporate', 'comment', 'adult_statutory'];
/** The other years: the ten before the measured one (four of them feed `history`) and the one after. */
const OTHER_YEARS = [...Array.from({ length: 10 }, (_, k) => YEAR - 10 + k), YEAR + 1];

/**
 * `complaints` Children Act complaints received in YEAR, then other representations up to
 * `representations` in all, each with an issue (and a remedy when responded to); one in ten
 * has a closed Stage 1 clock, half of those extended. Written in transactions of 20 batches.
 */
export async function fill(container: Container, complaints: number, representations: number): Promise<void> {
  const db = container.db.kysely;
  const teams = await db.selectFrom('team').select('id').execute();
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const now = new Date().toISOString();
  const contact = await db.insertInto('contact').values({ received_on: `${String(YEAR)}-04-01`, created_at: now }).returning('id').executeTakeFirstOrThrow();
  const batch = (start: number): Insertable<RepresentationTable>[] => {
    const rows: Insertable<RepresentationTable>[] = [];
    for (let i = start; i < Math.min(representations, start + BATCH); i++) {
      const isMeasured = i < complaints;
      const kind = isMeasured ? 'children_statutory' : pick(OTHER_KINDS);
      const receivedOn = addDays(`${String(isMeasured ? YEAR : pick(OTHER_YEARS))}-04-01`, Math.floor(next() * 365));
      const isComplaint = kind !== 'compliment' && kind !== 'comment';
      const outcome = next();
      const respondedOn = isComplaint && outcome < 0.9 ? addDays(receivedOn, 1 + Math.floor(next() * 45)) : null;
      rows.push({
        reference: `B-${String(i)}`,
        contact_id: contact.id,
        kind,
        status: !isComplaint ? 'closed' : respondedOn === null ? (outcome < 0.95 ? 'withdrawn' : 'registered') : 'responded',
        received_on: receivedOn,
        channel: pick(CHANNELS),
        is_via_complaints_team: next() < 0.8 ? 1 : 0,
        team_id: pick(teams).id,
        summary: 'Benchmark representation',
        complainant_role: isComplaint ? pick(COMPLAINANT_ROLES) : null,
        responded_on: respondedOn,
        finding: respondedOn === null ? null : pick(FINDINGS),
        withdrawn_on: isComplaint && respondedOn === null && outcome < 0.95 ? addDays(receivedOn, 10) : null,
        created_at: now,
        updated_at: now,
      });
    }
    return rows;
  };
  for (let start = 0; start < representations; start += BATCH * 20) {
    await db.transaction().execute(async (trx) => {
      for (let from = start; from < Math.min(representations, start + BATCH * 20); from += BATCH) {
        const rows = batch(from);
        const ids = await trx.insertInto('representation').values(rows).returning('id').execute();
        const codes = ids.flatMap(({ id }, k) => [
          { representation_id: id, list: 'issue' as const, code: SEEDED_ISSUE_CODES[(from + k) % SEEDED_ISSUE_CODES.length] ?? 'other' },
          ...(rows[k]?.responded_on == null ? [] : [{ representation_id: id, list: 'remedy' as const, code: REMEDIES[(from + k) % REMEDIES.length] ?? 'other' }]),
        ]);
        await trx.insertInto('representation_code').values(codes).execute();
        const clocks = ids
          .filter((_, k) => (from + k) % 10 === 0 && rows[k]?.kind === 'children_statutory')
          .map(({ id }, k) => ({
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
        if (clocks.length > 0) await trx.insertInto('clock').values(clocks).execute();
      }
    });
  }
}

/** A fresh database on `engine`: its DATABASE_URL and how to remove it. */
async function freshDatabase(engine: Engine): Promise<{ url: string; remove: () => Promise<void> }> {
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

async function measure(engine: Engine, complaints: number, representations: number): Promise<boolean> {
  console.log(`-- ${engine}`);
  const database = await freshDatabase(engine);
  let container: Container | undefined;
  try {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', DATABASE_URL: database.url });
    container = await createContainer(config);
    await container.demo.ensure();
    const filling = await time(() => fill(container as Container, complaints, representations));
    if (engine === 'postgres') await container.db.kysely.executeQuery(sql`analyze`.compile(container.db.kysely));
    console.log(`filled ${String(representations)} representations, ${String(complaints)} of them complaints in the year, in ${(filling / 1000).toFixed(1)} s`);
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
    await database.remove();
  }
}

export default async function annualReportBench(): Promise<boolean> {
  const complaints = Number(process.env.BENCH_COMPLAINTS ?? 100_000);
  const representations = Math.max(complaints, Number(process.env.BENCH_REPRESENTATIONS ?? 1_000_000));
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as Engine[];
  let met = true;
  for (const engine of engines) met = (await measure(engine, complaints, representations)) && met;
  return met;
}
