import { expect, it } from 'vitest';
import { describeEachEngine } from '../../support/databases.ts';
import { runCli } from '../../support/cli.ts';
import { startSmtpServer } from '../../support/smtp.ts';
import { enqueue } from '../../../src/notify/outbox.ts';

describeEachEngine('redress notify', (database) => {
  it('delivers what is due, lists the outbox without addresses, and retries a failed message', async () => {
    const smtp = await startSmtpServer();
    try {
      const kysely = database().db.kysely;
      const now = new Date();
      await enqueue(kysely, { idempotencyKey: 'cli:1', templateKey: 'allocation', recipient: 'rm@council.example', personalisation: { reference: 'CSC-2026-0001', due_on: '2026-12-08' } }, now);
      await enqueue(kysely, { idempotencyKey: 'cli:2', templateKey: 'allocation', recipient: 'rm2@council.example', personalisation: { reference: 'CSC-2026-0002', due_on: '2026-12-08' } }, now);
      await kysely.updateTable('notification_outbox').set({ status: 'failed', attempts: 6, last_error: 'smtp 451' }).where('idempotency_key', '=', 'cli:2').execute();
      const env = { DATABASE_URL: database().url, NOTIFY_TRANSPORT: 'smtp', SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'https://redress.example' };

      const run = await runCli(['notify', 'run-once', '--no-jobs'], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Delivered: 1 sent, 0 to try again, 0 failed (of 1 due).');
      expect(smtp.received.map((m) => m.subject)).toEqual(['Complaint CSC-2026-0001 has been allocated to you']);

      const list = await runCli(['notify', 'list'], env);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain('pending 0, sending 0, sent 1, failed 1');
      expect(list.stdout).toMatch(/\tfailed\tallocation\tcli:2\tattempts 6\t.*\tsmtp 451/);
      expect(list.stdout).not.toContain('@');

      const failedId = (await kysely.selectFrom('notification_outbox').select('id').where('idempotency_key', '=', 'cli:2').executeTakeFirstOrThrow()).id;
      expect((await runCli(['notify', 'retry', String(failedId)], env)).stdout).toContain('will be tried again');
      expect(await kysely.selectFrom('notification_outbox').select(['status', 'attempts']).where('id', '=', failedId).executeTakeFirstOrThrow()).toEqual({ status: 'pending', attempts: 0 });
      expect((await runCli(['notify', 'list', '--status', 'lost'], env)).code).toBe(2);
    } finally {
      await smtp.close();
    }
  }, 180_000);
});
