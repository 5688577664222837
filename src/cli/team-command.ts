import type { Command } from 'commander';
import { CLI_ACTOR } from '../app/clock.ts';
import { TEAM_CSV_COLUMNS } from '../app/organisation-service.ts';
import { TEAM_KIND_LABELS } from '../domain/organisation/team.ts';
import { CliError, readInputFile } from './cli-io.ts';
import { print, withContainer } from './context.ts';

export function registerTeamCommands(program: Command): void {
  const team = program.command('team').description('manage the organisation’s teams');

  team
    .command('import')
    .description('add or update teams from a CSV file; writes nothing if any row has a problem')
    .argument('<file>', `CSV with a header row: ${TEAM_CSV_COLUMNS.join(',')} (kind: internal, residential_home or commissioned)`)
    .option('--dry-run', 'check the file and report what would change, without writing')
    .action((file: string, options: { dryRun?: boolean }) =>
      withContainer(async (c) => {
        const csv = await readInputFile(file);
        const result = await c.organisation.importTeams(csv, CLI_ACTOR, { dryRun: options.dryRun === true });
        if (result.problems.length > 0) {
          for (const p of result.problems) process.stderr.write(`${file}:${p.line}: column ${p.column}: ${p.message}\n`);
          throw new CliError(`${result.problems.length} problem(s) found; nothing was imported`);
        }
        const verb = options.dryRun === true ? 'Would import' : 'Imported';
        print(`${verb}: ${result.created} new, ${result.updated} changed, ${result.unchanged} unchanged`);
      }),
    );

  team
    .command('list')
    .description('list teams by service area')
    .action(() =>
      withContainer(async (c) => {
        const teams = await c.organisation.listTeams();
        if (teams.length === 0) print('No teams yet.');
        for (const t of teams) {
          print([t.serviceAreaName, t.name, TEAM_KIND_LABELS[t.kind], t.publicAlias ?? '-', t.isActive ? 'active' : 'inactive'].join('\t'));
        }
      }),
    );
}
