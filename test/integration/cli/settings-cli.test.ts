/** `redress settings list` and `redress settings set` run as a user runs them, on both engines. */
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../support/databases.ts';
import { runCli } from '../../support/cli.ts';
import { CouncilSettingsRepository } from '../../../src/db/council-settings-repository.ts';
import { DEFAULT_COUNCIL_SETTINGS } from '../../../src/domain/procedures/council-settings.ts';

/** Each CLI run starts a process and opens the database: slow on a busy machine. */
const CLI_TIMEOUT = 180_000;

describeEachEngine('redress settings', (database) => {
  const env = () => ({ DATABASE_URL: database().url });
  const stored = () => new CouncilSettingsRepository(database().db.kysely).load();
  const audited = async () =>
    (await database().db.kysely.selectFrom('audit_event').select(['action', 'user_id', 'details']).where('action', '=', 'council_settings_changed').orderBy('id').execute()).map((row) => ({
      ...row,
      details: JSON.parse(row.details ?? 'null') as unknown,
    }));

  it(
    'lists each setting with its value and meaning, one a line',
    async () => {
      const list = await runCli(['settings', 'list'], env());
      expect(list.code, list.stderr).toBe(0);
      const lines = list.stdout.trim().split('\n');
      expect(lines.map((l) => l.split('\t').slice(0, 2).join('\t'))).toEqual([
        'receipt-rule\tstatutory',
        'corporate-pauses-allowed\tfalse',
        'corporate-max-paused-working-days\t20',
        'children-acknowledgement-days\t2',
        'corporate-acknowledgement-days\t5',
        'adult-acknowledgement-days\t3',
        'adult-response-months\t6',
        'retention-years-after-closure\t6',
        'retention-minimum-age\t25',
      ]);
      expect(lines[0]).toBe('receipt-rule\tstatutory\tDay 0 is the day the complaint arrives, whatever day it is (the 2006 Regulations)');
      expect(lines[4]).toContain('Working days to acknowledge a corporate complaint (1 to 5)');
    },
    CLI_TIMEOUT,
  );

  it(
    'sets a setting, prints what changed, audits it, and lists the new value',
    async () => {
      const set = await runCli(['settings', 'set', 'receipt-rule', 'next-working-day'], env());
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toContain('receipt-rule: statutory → next-working-day (A complaint that arrives on a weekend or bank holiday counts as arriving on the next working day');
      expect(set.stdout).toContain('applies to time limits that start from now');
      const pauses = await runCli(['settings', 'set', 'corporate-pauses-allowed', 'true'], env());
      expect(pauses.code, pauses.stderr).toBe(0);
      const max = await runCli(['settings', 'set', 'corporate-max-paused-working-days', '30'], env());
      expect(max.code, max.stderr).toBe(0);
      expect(max.stdout).toContain('corporate-max-paused-working-days: 20 → 30');
      expect(await stored()).toEqual({ ...DEFAULT_COUNCIL_SETTINGS, receiptRule: 'next_working_day', corporatePausesAllowed: true, corporateMaxPausedWorkingDays: 30 });
      expect((await audited())[0]).toEqual({ action: 'council_settings_changed', user_id: null, details: { before: DEFAULT_COUNCIL_SETTINGS, after: { receiptRule: 'next_working_day' } } });

      const again = await runCli(['settings', 'set', 'corporate-max-paused-working-days', '30'], env());
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout.trim()).toBe('corporate-max-paused-working-days is already 30: nothing changed.');
      expect(await audited()).toHaveLength(3);

      const list = await runCli(['settings', 'list'], env());
      expect(list.stdout).toContain('receipt-rule\tnext-working-day\tA complaint that arrives on a weekend or bank holiday counts as arriving on the next working day');
      expect(list.stdout).toContain('corporate-pauses-allowed\ttrue\tA hold may pause');
    },
    CLI_TIMEOUT,
  );

  it(
    'refuses a bad name or value with exit 2 and a one-line message naming it, changing nothing',
    async () => {
      const before = await stored();
      const cases: [string[], string][] = [
        [['settings', 'set', 'receipt-day', 'statutory'], 'redress: there is no council setting called "receipt-day": use one of receipt-rule, corporate-pauses-allowed,'],
        [['settings', 'set', 'receipt-rule', 'weekday'], 'redress: receipt-rule must be statutory or next-working-day (got "weekday")'],
        [['settings', 'set', 'corporate-pauses-allowed', 'yes'], 'redress: corporate-pauses-allowed must be true or false (got "yes")'],
        [['settings', 'set', 'corporate-max-paused-working-days', '66'], 'redress: corporate-max-paused-working-days must be a whole number of working days from 1 to 65 (got "66")'],
        [['settings', 'set', 'children-acknowledgement-days', '1'], 'redress: children-acknowledgement-days must be a whole number of working days from 2 to 5 (got "1")'],
        [['settings', 'set', 'adult-response-months', '2.5'], 'redress: adult-response-months must be a whole number of months from 1 to 6 (got "2.5")'],
      ];
      for (const [args, message] of cases) {
        const result = await runCli(args, env());
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toContain(message);
      }
      expect(await stored()).toEqual(before);
    },
    CLI_TIMEOUT,
  );
});
