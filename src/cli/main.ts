import { Command, CommanderError } from 'commander';
import { registerServeCommands } from './serve-command.ts';
import { registerUserCommands } from './user-command.ts';
import { registerTeamCommands } from './team-command.ts';
import { registerWorkdaysCommands } from './workdays-command.ts';
import { registerCalendarCommands } from './calendar-command.ts';
import { registerTokenCommands } from './token-command.ts';
import { registerNotifyCommands } from './notify-command.ts';
import { registerReportCommands } from './report-command.ts';
import { registerImportCommands } from './import-command.ts';
import { registerExportCommands } from './export-command.ts';
import { registerHistoryCommands } from './history-command.ts';
import { registerSettingsCommands } from './settings-command.ts';
import { registerRetentionCommands } from './retention-command.ts';
import { registerAuditCommands } from './audit-command.ts';
import { registerSarCommands } from './sar-command.ts';
import { registerBackupCommands } from './backup-command.ts';
import { CliError } from './cli-io.ts';

/** Builds the `redress` program. Each feature registers its own commands. */
export function buildProgram(): Command {
  const program = new Command('redress')
    .description('Redress: casework for children\'s social care complaints, comments and compliments')
    .showHelpAfterError()
    .exitOverride();
  registerServeCommands(program);
  registerUserCommands(program);
  registerTeamCommands(program);
  registerCalendarCommands(program);
  registerTokenCommands(program);
  registerNotifyCommands(program);
  registerReportCommands(program);
  registerWorkdaysCommands(program);
  registerImportCommands(program);
  registerExportCommands(program);
  registerHistoryCommands(program);
  registerSettingsCommands(program);
  registerRetentionCommands(program);
  registerAuditCommands(program);
  registerSarCommands(program);
  registerBackupCommands(program);
  return program;
}

/** Runs the CLI and returns the process exit code (0 ok, 1 failure, 2 bad input). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      process.stderr.write(`redress: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`redress: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
