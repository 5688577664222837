/**
 * Import throughput (issue: at least 100,000 rows a minute): a generated interchange file of
 * 100,000 representations over a year — every kind, codes, advocacy, young people, some open
 * (with clocks), some at Stages 2 and 3, some with the Ombudsman — imported on a fresh SQLite
 * database (WAL, `synchronous=FULL`) with `--create-teams`, all in one transaction.
 *
 * Baseline: the same file checked only (a dry run: read, parsed, validated, compared with the
 * records). Measured: the real import. Prints rows per minute and the ratio to the check;
 * passes when the import runs at 100,000 rows a minute or more and a second import of the
 * same file finds every row unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.ts';
import { createContainer } from '../src/container.ts';
import { CLI_ACTOR } from '../src/app/clock.ts';
import { addDays } from '../src/domain/calendar/iso-date.ts';
import { INTERCHANGE_COLUMNS, type InterchangeColumn } from '../src/domain/interchange/interchange-columns.ts';
import { CHANNELS } from '../src/domain/taxonomies/channels.ts';
import { COMPLAINANT_ROLES } from '../src/domain/taxonomies/complainant-roles.ts';
import { FINDINGS } from '../src/domain/taxonomies/findings.ts';
import { REMEDIES } from '../src/domain/taxonomies/remedies.ts';
import { SEEDED_ISSUE_CODES } from '../src/domain/taxonomies/issues.ts';
import { ETHNICITIES } from '../src/domain/taxonomies/ethnicities.ts';

const ROWS = 100_000;
const TARGET_PER_MINUTE = 100_000;

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;

function generate(rows: number): Buffer {
  const lines = [INTERCHANGE_COLUMNS.join(',')];
  for (let i = 0; i < rows; i++) {
    const receivedOn = addDays('2015-04-01', i % 365);
    const kind = i % 10 < 6 ? 'children_statutory' : pick(['informal', 'corporate', 'compliment', 'comment'], i);
    const cells: Partial<Record<InterchangeColumn, string>> = {
      reference: `IMP-2015-${String(i + 1).padStart(6, '0')}`,
      kind,
      received_on: receivedOn,
      team: `Team ${String(i % 12)}`,
      channel: pick(CHANNELS, i),
      via_complaints_team: i % 3 === 0 ? 'false' : 'true',
      summary: i % 50 === 0 ? `'=formula-like summary ${String(i)}` : `Summary of representation ${String(i)}`,
    };
    if (kind === 'children_statutory') {
      const young = `YP-${String(i % 30_000)}`;
      Object.assign(cells, { young_person_id: young, ethnicity: pick(ETHNICITIES, i % 30_000), complainant_role: pick(COMPLAINANT_ROLES, i), issues: [pick(SEEDED_ISSUE_CODES, i), pick(SEEDED_ISSUE_CODES, i + 3)].sort().join(';') });
      if (i % 4 === 0) Object.assign(cells, { advocacy_offered: 'true', advocacy_accepted: i % 8 === 0 ? 'true' : 'false' });
      if (i % 20 !== 0) {
        const responded = addDays(receivedOn, 5 + (i % 25));
        Object.assign(cells, { stage1_responded_on: responded, finding: pick(FINDINGS, i), remedies: pick(REMEDIES, i), stage1_extended: i % 7 === 0 ? 'true' : '' });
        if (i % 30 === 0) Object.assign(cells, { stage2_requested_on: addDays(responded, 3), stage2_responded_on: addDays(responded, 40), stage2_cost_gbp: '2500' });
        if (i % 90 === 0) Object.assign(cells, { stage3_requested_on: addDays(responded, 45) });
        if (i % 45 === 0) Object.assign(cells, { ombudsman_enquiry_on: addDays(responded, 60), ombudsman_decision: 'not_upheld' });
      }
    }
    if (kind === 'compliment') cells.compliment_source = 'judge';
    lines.push(INTERCHANGE_COLUMNS.map((c) => cells[c] ?? '').join(','));
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

export default async function importBench(): Promise<boolean> {
  const dir = mkdtempSync(path.join(tmpdir(), 'redress-import-bench-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}` });
  const container = await createContainer(config);
  try {
    const file = generate(ROWS);
    console.log(`${String(ROWS)} generated rows (${(file.length / 1024 / 1024).toFixed(1)} MB of CSV), SQLite (WAL, synchronous=FULL), Node ${process.version}`);
    let started = performance.now();
    const dry = await container.interchange.importFile(file, CLI_ACTOR, { isDryRun: true, createTeams: true });
    const checkSeconds = (performance.now() - started) / 1000;
    if (dry.problems.length > 0) throw new Error(`the generated file has problems: ${JSON.stringify(dry.problems.slice(0, 3))}`);
    console.log(`baseline check only (dry run): ${checkSeconds.toFixed(1)} s = ${Math.round((ROWS / checkSeconds) * 60).toLocaleString('en-GB')} rows/minute`);

    started = performance.now();
    const result = await container.interchange.importFile(file, CLI_ACTOR, { createTeams: true });
    const seconds = (performance.now() - started) / 1000;
    const perMinute = (result.created / seconds) * 60;
    console.log(`import: ${String(result.created)} rows in ${seconds.toFixed(1)} s = ${Math.round(perMinute).toLocaleString('en-GB')} rows/minute (target ${TARGET_PER_MINUTE.toLocaleString('en-GB')})`);
    console.log(`import/check: ${(seconds / checkSeconds).toFixed(2)}× the time of the check alone`);

    const again = await container.interchange.importFile(file, CLI_ACTOR);
    console.log(`second import: ${String(again.unchanged)} unchanged, ${String(again.created)} new`);
    return result.isWritten && result.created === ROWS && perMinute >= TARGET_PER_MINUTE && again.unchanged === ROWS && again.created === 0;
  } finally {
    await container.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
