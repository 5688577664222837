import type { Command } from 'commander';
import { CLI_ACTOR } from '../app/clock.ts';
import { COUNCIL_SETTING_KEYS, COUNCIL_SETTING_NAMES, councilSettingKeyOf, councilSettingMeaning, councilSettingText, parseCouncilSettingText } from '../domain/procedures/council-setting-names.ts';
import { DomainError } from '../domain/errors.ts';
import { CliError, refusalsAsCliErrors } from './cli-io.ts';
import { print, withContainer } from './context.ts';

const NAMES = COUNCIL_SETTING_KEYS.map((key) => COUNCIL_SETTING_NAMES[key]).join(', ');

export function registerSettingsCommands(program: Command): void {
  const settings = program.command('settings').description('the council’s settings: how day 0 is counted, corporate pauses, acknowledgement days (a change applies to time limits that start after it)');

  settings
    .command('list')
    .description('list each setting, its value and what it means (tab-separated, one a line)')
    .action(() =>
      withContainer(async (c) => {
        const current = await c.councilSettings.settings();
        for (const key of COUNCIL_SETTING_KEYS) print([COUNCIL_SETTING_NAMES[key], councilSettingText(key, current[key]), councilSettingMeaning(key, current)].join('\t'));
      }),
    );

  settings
    .command('set')
    .description('change one setting, for example: settings set receipt-rule next-working-day')
    .argument('<name>', `the setting: ${NAMES}`)
    .argument('<value>', 'statutory or next-working-day; true or false; or a whole number')
    .action((name: string, raw: string) => {
      const key = councilSettingKeyOf(name);
      if (key === undefined) throw new CliError(`there is no council setting called "${name}": use one of ${NAMES}`);
      let value;
      try {
        value = parseCouncilSettingText(key, raw);
      } catch (error) {
        if (error instanceof DomainError) throw new CliError(error.message);
        throw error;
      }
      return withContainer(async (c) => {
        const before = await c.councilSettings.settings();
        const after = await refusalsAsCliErrors(() => c.councilSettings.update({ [key]: value }, CLI_ACTOR));
        const was = councilSettingText(key, before[key]);
        const now = councilSettingText(key, after[key]);
        if (was === now) {
          print(`${COUNCIL_SETTING_NAMES[key]} is already ${now}: nothing changed.`);
          return;
        }
        print(`${COUNCIL_SETTING_NAMES[key]}: ${was} → ${now} (${councilSettingMeaning(key, after)}).`);
        print('The change applies to time limits that start from now; each running time limit keeps the settings it started under.');
      });
    });
}
