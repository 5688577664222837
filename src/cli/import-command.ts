import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { CLI_ACTOR } from '../app/clock.ts';
import type { ImportProgress, ImportResult } from '../app/interchange-service.ts';
import { describeProblemPlace } from '../domain/interchange/interchange-rows.ts';
import { CliError, refusalsAsCliErrors } from './cli-io.ts';
import { print, withContainer } from './context.ts';

interface ImportOptions {
  dryRun?: boolean;
  createTeams?: boolean;
}

/** A progress bar on a terminal (stderr), nothing otherwise. */
export function progressBar(label: string): { update(progress: ImportProgress): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({ format: `${label} {phase} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr, clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic);
  let phase: string | undefined;
  return {
    update(progress) {
      if (phase !== progress.phase) {
        if (phase !== undefined) bar.stop();
        phase = progress.phase;
        bar.start(progress.total, progress.done, { phase: progress.phase.padEnd(8) });
      } else bar.update(progress.done);
    },
    stop() {
      if (phase !== undefined) bar.stop();
    },
  };
}

/** The lines the CLI prints for an import's result. */
export function describeImport(result: ImportResult): string[] {
  const lines = [`${String(result.lines)} line(s) read: ${String(result.created)} new, ${String(result.unchanged)} already recorded (unchanged), ${String(result.repeats)} repeated in the file.`];
  if (result.teamsCreated.length > 0) lines.push(`Teams ${result.isWritten ? 'created' : 'to create'} (service area "Imported"): ${result.teamsCreated.join(', ')}`);
  if (result.ethnicitiesChanged > 0) lines.push(`Young people whose recorded ethnicity ${result.isWritten ? 'was' : 'would be'} replaced by their latest line: ${String(result.ethnicitiesChanged)}`);
  if (result.warnings.length > 0) lines.push(`${String(result.warnings.length)} warning(s), listed on standard error: taken as they are.`);
  lines.push(result.isDryRun ? 'Dry run: the file has no problems; nothing was written.' : result.isWritten ? `Imported ${String(result.created)} representation(s).` : 'Nothing new to import: nothing was written.');
  return lines;
}

export function registerImportCommands(program: Command): void {
  program
    .command('import')
    .description('import representations from a redress interchange file (CSV or XLSX): all or nothing, idempotent by reference')
    .argument('<file>', 'the CSV or XLSX file (XLSX: the first sheet)')
    .option('--dry-run', 'check the file and report every problem; write nothing')
    .option('--create-teams', 'create the teams the file names that do not exist yet (in the service area "Imported")')
    .addHelpText(
      'after',
      '\nEvery problem is printed on standard error as "line 12, column F (received_on): …". On any problem nothing is written and the exit code is 1.\n' +
        'Warnings (a young person with different ethnicities on different lines: they keep the one on their latest line) are printed on standard error as\n' +
        '"warning: line 12, column K (ethnicity): …"; they do not stop the import, and the exit code stays 0.',
    )
    .action((file: string, options: ImportOptions) =>
      withContainer(async (c) => {
        let content: Buffer;
        try {
          content = await readFile(file);
        } catch {
          throw new CliError(`cannot read ${file}`);
        }
        const bar = progressBar('import');
        let result: ImportResult;
        try {
          result = await refusalsAsCliErrors(() => c.interchange.importFile(content, CLI_ACTOR, { isDryRun: options.dryRun === true, createTeams: options.createTeams === true, onProgress: (p) => { bar.update(p); } }));
        } finally {
          bar.stop();
        }
        for (const warning of result.warnings) process.stderr.write(`warning: ${describeProblemPlace(warning)}: ${warning.message}\n`);
        if (result.problems.length > 0) {
          for (const problem of result.problems) process.stderr.write(`${describeProblemPlace(problem)}: ${problem.message}\n`);
          throw new CliError(`${String(result.problems.length)} problem(s) in ${file}: nothing was imported`, 1);
        }
        for (const line of describeImport(result)) print(line);
      }),
    );
}
