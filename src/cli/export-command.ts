import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { CLI_ACTOR } from '../app/clock.ts';
import { formatForName } from '../app/interchange-formats.ts';
import { reportYearLabel } from '../domain/reports/annual-report.ts';
import { CliError, refusalsAsCliErrors } from './cli-io.ts';
import { withContainer } from './context.ts';
import { parseYear } from './history-command.ts';

interface ExportOptions {
  year: string;
  out?: string;
}

export function registerExportCommands(program: Command): void {
  program
    .command('export')
    .description('export a year’s representations (received 1 April to 31 March) as a redress interchange file')
    .requiredOption('--year <year>', 'the year it starts: 2011 for 1 April 2011 to 31 March 2012')
    .option('--out <file>', 'write to this file: XLSX when it ends in .xlsx, CSV otherwise (default: CSV on standard output)')
    .addHelpText(
      'after',
      '\nCells that start with =, +, - or @ are written with a single quote in front, so a spreadsheet never runs them; import takes it off again.\n' +
        'stage2_cost_gbp is written in pounds with two decimals (3500.00, 21020.50), exact to the penny.',
    )
    .action((options: ExportOptions) => {
      const year = parseYear(options.year, '--year');
      return withContainer(async (c) => {
        const out = options.out;
        if (out === undefined) {
          // Standard output is never ended: the file is written through a stream that is.
          const pass = new PassThrough();
          pass.pipe(process.stdout, { end: false });
          const ended = new Promise((resolve) => pass.once('end', resolve));
          await refusalsAsCliErrors(() => c.interchange.exportYear(year, 'csv', pass, CLI_ACTOR));
          await ended;
          return;
        }
        const stream = createWriteStream(out);
        const opened = new Promise<void>((resolve, reject) => {
          stream.once('open', () => { resolve(); });
          stream.once('error', reject);
        });
        try {
          await opened;
        } catch {
          throw new CliError(`cannot write ${out}`, 1);
        }
        const format = formatForName(out);
        const rows = await refusalsAsCliErrors(() => c.interchange.exportYear(year, format, stream, CLI_ACTOR));
        process.stderr.write(`Wrote ${String(rows)} representation(s) received in ${reportYearLabel(year)} to ${out} (${format.toUpperCase()})\n`);
      });
    });
}
