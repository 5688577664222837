import type { Command } from 'commander';
import { AuditRepository } from '../db/audit-repository.ts';
import { CliError } from './cli-io.ts';
import { print, withContainer } from './context.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit trail: who looked at or changed what, when and from where');

  audit
    .command('verify')
    .description('check the audit trail’s hash chain from the first entry to the last; exits 1 naming the first broken entry')
    .action(() =>
      withContainer(async (c) => {
        const result = await new AuditRepository(c.db.kysely).verify();
        if (result.verified) {
          print(`Audit trail verified: ${String(result.entries)} entries`);
          return;
        }
        print(`Audit trail broken at entry ${String(result.brokenId)}: ${result.reason}.`);
        print(`${String(result.entries)} entries before it verified.`);
        throw new CliError(`the audit trail is broken at entry ${String(result.brokenId)}`, 1);
      }),
    );
}
