import type { Command } from 'commander';
import { CLI_ACTOR } from '../app/clock.ts';
import { API_SCOPES } from '../domain/users/api-scopes.ts';
import { refusalsAsCliErrors } from './cli-io.ts';
import { print, withContainer } from './context.ts';

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('API tokens for integrations (stored hashed, scoped, revocable)');

  token
    .command('add')
    .description('make a token that acts as a user within its scopes; prints it once')
    .requiredOption('--user <email>', 'the user the token acts as (their roles still apply)')
    .requiredOption('--name <name>', 'what uses the token, e.g. "social care system"')
    .requiredOption('--scope <scope...>', `one or more of: ${API_SCOPES.join(', ')}`)
    .action((options: { user: string; name: string; scope: string[] }) =>
      withContainer(async (c) => {
        const { id, token: secret } = await refusalsAsCliErrors(() => c.apiTokens.create(options.user, options.name, options.scope, CLI_ACTOR));
        print(`Token ${String(id)} made. Keep it secret; it is not shown again:`);
        print(secret);
      }),
    );

  token
    .command('list')
    .description('list tokens (never the tokens themselves)')
    .action(() =>
      withContainer(async (c) => {
        const tokens = await c.apiTokens.list();
        if (tokens.length === 0) print('No API tokens.');
        for (const t of tokens) {
          print([String(t.id), t.name, t.userEmail, t.scopes.join(','), t.revokedAt === null ? 'live' : `revoked ${t.revokedAt}`, t.lastUsedAt ?? 'never used'].join('\t'));
        }
      }),
    );

  token
    .command('revoke')
    .description('stop a token working at once')
    .argument('<id>', 'the token’s id (see token list)')
    .action((id: string) =>
      withContainer(async (c) => {
        await refusalsAsCliErrors(() => c.apiTokens.revoke(Number(id), CLI_ACTOR));
        print(`Token ${id} revoked.`);
      }),
    );
}
