import type { Command } from 'commander';
import { ROLES } from '../domain/users/roles.ts';
import { CLI_ACTOR } from '../app/clock.ts';
import { refusalsAsCliErrors } from './cli-io.ts';
import { print, withContainer } from './context.ts';

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage staff accounts');

  user
    .command('add')
    .description('add a user; prints a one-time password unless --password is given (either way they choose their own at first sign-in)')
    .argument('<email>', 'the user’s email address (their sign-in name)')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--role <role...>', `one or more roles: ${ROLES.join(', ')}`)
    .option('--team <team>', 'the team they belong to (by name)')
    .option('--password <password>', 'set this password instead of generating one (at least 12 characters)')
    .action((email: string, options: { name: string; role: string[]; team?: string; password?: string }) =>
      withContainer(async (c) => {
        const { user: added, password } = await refusalsAsCliErrors(() =>
          c.users.add({ email, name: options.name, roles: options.role, teamName: options.team, password: options.password, mustChangePassword: true }, CLI_ACTOR),
        );
        print(`Added ${added.email} (${added.roles.join(', ')})`);
        if (options.password === undefined) print(`One-time password: ${password}`);
      }),
    );

  user
    .command('list')
    .description('list users with their roles and status')
    .action(() =>
      withContainer(async (c) => {
        const users = await c.users.list();
        if (users.length === 0) print('No users yet. Add one with: redress user add EMAIL --name NAME --role admin');
        for (const u of users) {
          print([u.email, u.name, u.roles.join(','), u.teamName ?? '-', u.isActive ? 'active' : 'disabled'].join('\t'));
        }
      }),
    );

  user
    .command('disable')
    .description('stop a user signing in and end their sessions')
    .argument('<email>')
    .action((email: string) =>
      withContainer(async (c) => {
        await refusalsAsCliErrors(() => c.users.setActive(email, false, CLI_ACTOR));
        print(`Disabled ${email}`);
      }),
    );

  user
    .command('enable')
    .description('let a disabled user sign in again')
    .argument('<email>')
    .action((email: string) =>
      withContainer(async (c) => {
        await refusalsAsCliErrors(() => c.users.setActive(email, true, CLI_ACTOR));
        print(`Enabled ${email}`);
      }),
    );

  user
    .command('reset-password')
    .description('set a new password (generated unless --password is given), end the user’s sessions; they choose their own at next sign-in')
    .argument('<email>')
    .option('--password <password>', 'the new password (at least 12 characters)')
    .action((email: string, options: { password?: string }) =>
      withContainer(async (c) => {
        const password = await refusalsAsCliErrors(() => c.users.resetPassword(email, options.password, CLI_ACTOR));
        print(options.password === undefined ? `New one-time password for ${email}: ${password}` : `Password changed for ${email}`);
      }),
    );

  user
    .command('reset-mfa')
    .description('forget the user’s authenticator app and recovery codes (a lost phone) and end their sessions; they set it up again at their next sign-in')
    .argument('<email>')
    .action((email: string) =>
      withContainer(async (c) => {
        await refusalsAsCliErrors(() => c.mfa.reset(email, CLI_ACTOR));
        print(`Authenticator reset for ${email}: they will set it up again when they next sign in`);
      }),
    );
}
