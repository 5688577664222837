/**
 * Notifications end to end on both engines: actions and the reminder job fill the outbox in
 * their own transactions; workers deliver through a real SMTP server (smtp-server on a
 * loopback port) and we read what arrives.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { YOUNG_COMPLAINT } from '../support/public-visitor.ts';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testConfig, testContainer, type TestClock, aStaffMember, teamIdsByName } from '../support/builders.ts';
import { errorSummary, signedInAs, type Browser } from '../support/http.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import { enqueue, OutboxRepository } from '../../src/notify/outbox.ts';

const BASE_URL = 'https://redress.example.gov.uk';
const MINUTE = 60_000;

describeEachEngine('notifications', (database) => {
  let smtp: TestSmtpServer;
  let clock: TestClock;
  let container: Container;
  let officer: StaffActor;
  let responder: StaffActor & { email: string };
  let otherResponder: StaffActor & { email: string };
  let teamId: (name: string) => number;

  const kysely = () => database().db.kysely;
  const outboxRows = () => kysely().selectFrom('notification_outbox').selectAll().orderBy('id').execute();
  const arrivedFor = (reference: string) => smtp.received.filter((m) => m.subject.includes(reference));

  const staff = (roles: Role[], teamName?: string): Promise<StaffActor & { email: string }> => aStaffMember(container, roles, teamName);

  const register = async (receivedOn: string, complainantEmail: string | null = 'sam@example.org'): Promise<string> => {
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: receivedOn, channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        complainant: { name: 'Sam Parent', ...(complainantEmail === null ? {} : { email: complainantEmail }) },
      },
      officer,
    );
    if (made === undefined) throw new Error('nothing registered');
    return made.reference;
  };

  const versionOf = async (reference: string) => (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;

  const allocate = async (reference: string, to: StaffActor = responder) =>
    container.caseActions.apply(reference, 'allocate', { responder_user_id: String(to.userId) }, officer, await versionOf(reference));

  const worker = (workerId: string, options: { maxAttempts?: number } = {}) => {
    const made = container.notifications.worker({ workerId, ...options });
    if (made === undefined) throw new Error('no transport');
    return made;
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    clock = testClock('2026-11-26T10:00:00.000Z');
    container = await testContainer(database(), clock, testConfig({ NOTIFY_TRANSPORT: 'smtp', SMTP_URL: smtp.url, MAIL_FROM: 'Complaints <complaints@council.example>', PUBLIC_BASE_URL: BASE_URL }));
    await container.demo.ensure();
    teamId = await teamIdsByName(container);
    officer = await staff(['complaints_officer']);
    responder = await staff(['responding_manager'], 'Care Management North');
    otherResponder = await staff(['responding_manager'], 'Fostering');
  });
  afterAll(async () => {
    await container.notifications.stop();
    await smtp.close();
  });
  beforeEach(async () => {
    // Each test starts with an empty outbox and inbox.
    await kysely().deleteFrom('notification_outbox').execute();
    smtp.received.length = 0;
    smtp.refuseNext(0);
    clock.set('2026-11-26T10:00:00.000Z');
  });

  it('sends the allocation email once, even when the worker runs twice and two workers run at once', async () => {
    const reference = await register('2026-11-24');
    await allocate(reference);
    const rows = await outboxRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ template_key: 'allocation', recipient: responder.email, status: 'pending', idempotency_key: expect.stringMatching(/^allocation:\d+:2$/) as unknown });

    const [a, b] = await Promise.all([worker('worker-a').runOnce(), worker('worker-b').runOnce()]);
    expect(a.sent + b.sent).toBe(1);
    expect((await worker('worker-a').runOnce()).claimed).toBe(0);

    const arrived = arrivedFor(reference);
    expect(arrived).toHaveLength(1);
    expect(arrived[0]?.to).toEqual([responder.email]);
    expect(arrived[0]?.subject).toBe(`Complaint ${reference} has been allocated to you`);
    expect(arrived[0]?.body).toContain(`${BASE_URL}/cases/${reference}`);
    expect(arrived[0]?.body).toMatch(/due by \d{1,2} [A-Z][a-z]+ 2026/);
    // Staff emails name no one and say nothing of what happened.
    expect(arrived[0]?.raw).not.toContain('Sam Parent');
    expect(arrived[0]?.raw).not.toContain('Contact visits');
    expect((await outboxRows())[0]).toMatchObject({ status: 'sent', attempts: 1, locked_by: null, provider_message_id: expect.any(String) as unknown });
  });

  it('enqueues nothing when the transaction that caused the message fails', async () => {
    const reference = await register('2026-11-24');
    // A stale save is refused: nothing of it, the outbox row included, is written.
    await expect(container.caseActions.apply(reference, 'allocate', { responder_user_id: String(responder.userId) }, officer, 99)).rejects.toMatchObject({ code: 'stale_update' });
    // Enqueued, then the transaction fails.
    await expect(
      kysely()
        .transaction()
        .execute(async (trx) => {
          expect(await enqueue(trx, { idempotencyKey: 'test:rollback', templateKey: 'allocation', recipient: responder.email, personalisation: { reference, due_on: '2026-12-08' } }, clock())).toBe(true);
          throw new Error('the change failed');
        }),
    ).rejects.toThrow('the change failed');
    expect(await outboxRows()).toHaveLength(0);
  });

  it('enqueuing the same message twice adds it once', async () => {
    const message = { idempotencyKey: 'test:twice', templateKey: 'allocation', recipient: responder.email, personalisation: { reference: 'CSC-2026-9999', due_on: '2026-12-08' } } as const;
    expect(await enqueue(kysely(), message, clock())).toBe(true);
    expect(await enqueue(kysely(), message, clock())).toBe(false);
    expect(await outboxRows()).toHaveLength(1);
  });

  it('acknowledges to the complainant by email, with the reference and dates only', async () => {
    const reference = await register('2026-11-24');
    await container.caseActions.apply(reference, 'acknowledge', { acknowledged_on: '2026-11-25' }, officer, await versionOf(reference));
    const noEmail = await register('2026-11-24', null);
    await container.caseActions.apply(noEmail, 'acknowledge', { acknowledged_on: '2026-11-25' }, officer, await versionOf(noEmail));
    const rows = await outboxRows();
    expect(rows.map((r) => [r.template_key, r.recipient])).toEqual([['acknowledgement', 'sam@example.org']]);

    await worker('worker-a').runOnce();
    const [arrived] = arrivedFor(reference);
    expect(arrived?.to).toEqual(['sam@example.org']);
    expect(arrived?.body).toContain('We received your complaint on 24 November 2026');
    expect(arrived?.body).toContain('Demo Council');
    expect(arrived?.raw).not.toContain('Sam Parent');
    expect(arrived?.raw).not.toContain('Contact visits');
    expect(arrived?.raw).not.toContain('/cases/');
  });

  it('emails the reference to a child who sent a complaint online and asked for email replies', async () => {
    const { reference } = await container.publicSubmissions.submit(YOUNG_COMPLAINT, `public-key-${String(Date.now())}-abcdefghijklmnop`, { userId: null, ip: '198.51.100.7', requestId: 'r-public' });
    await worker('worker-a').runOnce();
    const [arrived] = arrivedFor(reference);
    expect(arrived?.to).toEqual(['sam@example.org']);
    expect(arrived?.subject).toBe(`We have got your complaint (${reference})`);
    expect(arrived?.body).toContain('Someone from the complaints team will read it and get in touch.');
    expect(arrived?.raw).not.toContain('social worker');
  });

  it('retries with backoff when the SMTP server refuses, then delivers', async () => {
    const reference = await register('2026-11-24');
    await allocate(reference);
    smtp.refuseNext(2);
    const w = worker('worker-a');

    expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 0, retrying: 1 });
    let [row] = await outboxRows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: '2026-11-26T10:01:00.000Z', locked_by: null });
    expect(row?.last_error).toContain('451');
    expect(row?.last_error).not.toContain('@');

    // Not before its time.
    expect((await w.runOnce()).claimed).toBe(0);
    clock.advance(MINUTE);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    [row] = await outboxRows();
    expect(row).toMatchObject({ status: 'pending', attempts: 2, next_attempt_at: '2026-11-26T10:06:00.000Z' });

    clock.advance(4 * MINUTE);
    expect((await w.runOnce()).claimed).toBe(0);
    clock.advance(MINUTE);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(smtp.refused()).toBeGreaterThanOrEqual(2);
    expect(arrivedFor(reference)).toHaveLength(1);
    expect((await outboxRows())[0]).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
  });

  it('gives up after the last attempt: the message is failed and visible, and can be tried again', async () => {
    const reference = await register('2026-11-24');
    await allocate(reference);
    smtp.refuseNext(1000);
    const w = worker('worker-a', { maxAttempts: 3 });
    await w.runOnce();
    clock.advance(MINUTE);
    await w.runOnce();
    clock.advance(5 * MINUTE);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    const [row] = await outboxRows();
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    clock.advance(24 * 60 * MINUTE);
    expect((await w.runOnce()).claimed).toBe(0);
    expect(await container.notifications.outbox.counts()).toMatchObject({ failed: 1, sent: 0 });
    expect((await container.notifications.outbox.list({ status: 'failed' })).map((r) => r.id)).toEqual([row?.id]);
    expect(arrivedFor(reference)).toHaveLength(0);

    smtp.refuseNext(0);
    expect(await container.notifications.outbox.retry(row?.id ?? 0, clock())).toBe(true);
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    expect(arrivedFor(reference)).toHaveLength(1);
  });

  it('redelivers a message whose worker stopped mid-lease, once the lease runs out', async () => {
    const reference = await register('2026-11-24');
    await allocate(reference);
    const outbox = new OutboxRepository(kysely());
    // A worker claims the message and "crashes" before sending.
    const claimed = await outbox.claim('crashed-worker', clock(), new Date(clock().getTime() + 5 * MINUTE), 10);
    expect(claimed).toHaveLength(1);

    const survivor = worker('survivor');
    expect((await survivor.runOnce()).claimed).toBe(0);
    clock.advance(5 * MINUTE + 1000);
    expect(await survivor.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(arrivedFor(reference)).toHaveLength(1);
    // The crashed worker, were it to come back, cannot mark or fail the message any more.
    expect(await outbox.markSent(claimed[0]?.id ?? 0, 'crashed-worker', null, clock())).toBe(false);
    expect((await outboxRows())[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('reminds the responder 3 working days before the due date and on the day, across Christmas, once each', async () => {
    clock.set('2026-12-15T10:00:00.000Z');
    const reference = await register('2026-12-15');
    await allocate(reference);
    const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    const stage1 = await kysely().selectFrom('clock').selectAll().where('subject_id', '=', id).where('clock_key', '=', 'stage1_response').executeTakeFirstOrThrow();
    // 10 working days from Tuesday 15 December 2026: Christmas Day (Fri) and Boxing Day's substitute (Mon 28) do not count.
    expect(stage1.due_on).toBe('2026-12-31');
    await worker('worker-a').runOnce();
    smtp.received.length = 0; // the allocation email

    const runDay = async (iso: string) => {
      clock.set(iso);
      await container.notifications.runJobs();
      await container.notifications.runJobs();
      await worker('worker-a').runOnce();
      await worker('worker-b').runOnce();
    };
    const toResponder = () => arrivedFor(reference).filter((m) => m.to.includes(responder.email)).map((m) => m.subject);

    await runDay('2026-12-23T10:00:00.000Z'); // 4 working days left
    expect(toResponder()).toEqual([]);
    await runDay('2026-12-24T10:00:00.000Z'); // 3 working days left: 29, 30, 31
    expect(toResponder()).toEqual([`Reminder: the response to ${reference} is due on 31 December 2026`]);
    expect(arrivedFor(reference)[0]?.body).toContain('in 3 working days');
    await runDay('2026-12-25T10:00:00.000Z'); // Christmas Day
    await runDay('2026-12-28T10:00:00.000Z'); // Boxing Day (substitute)
    await runDay('2026-12-29T10:00:00.000Z');
    await runDay('2026-12-30T10:00:00.000Z');
    expect(toResponder()).toHaveLength(1);
    await runDay('2026-12-31T10:00:00.000Z');
    expect(toResponder()).toEqual([`Reminder: the response to ${reference} is due on 31 December 2026`, `The response to ${reference} is due today`]);
    await runDay('2026-12-31T16:00:00.000Z');
    expect(toResponder()).toHaveLength(2);

    // New Year's Day is a bank holiday: the escalation waits for Monday 4 January 2027.
    await runDay('2027-01-01T10:00:00.000Z');
    expect(arrivedFor(reference).filter((m) => m.subject.startsWith('Overdue'))).toHaveLength(0);
    await runDay('2027-01-04T10:00:00.000Z');
    await runDay('2027-01-04T11:00:00.000Z');
    const overdue = arrivedFor(reference).filter((m) => m.subject.startsWith('Overdue'));
    const recipients = overdue.flatMap((m) => m.to);
    const managers = await kysely()
      .selectFrom('app_user')
      .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
      .select('app_user.email')
      .where((eb) => eb.or([eb('user_role.role', '=', 'complaints_manager'), eb.and([eb('user_role.role', '=', 'responding_manager'), eb('app_user.team_id', '=', teamId('Care Management North'))])]))
      .where('app_user.is_active', '=', 1)
      .execute();
    expect(managers.map((m) => m.email)).toContain(responder.email);
    // Each complaints manager and each responding manager of the case's team, once each; not another team's manager.
    expect([...recipients].sort()).toEqual([...new Set(managers.map((m) => m.email))].sort());
    expect(recipients).not.toContain(otherResponder.email);
    expect(overdue[0]?.body).toContain('is overdue by 1 working day.');
  });

  it('sends a daily digest once each working day, never on a non-working day', async () => {
    clock.set('2026-12-01T10:00:00.000Z');
    const reference = await register('2026-12-01');
    await allocate(reference);
    const digests = () => smtp.received.filter((m) => m.to.includes(responder.email) && m.subject.startsWith('Your complaints'));

    clock.set('2026-12-07T05:00:00.000Z'); // too early in the day
    expect((await container.notifications.runJobs()).digests).toBe(0);
    clock.set('2026-12-07T10:00:00.000Z');
    await container.notifications.runJobs();
    await container.notifications.runJobs();
    await worker('worker-a').runOnce();
    expect(digests().map((m) => m.subject)).toEqual(['Your complaints for 7 December 2026']);
    expect(digests()[0]?.body).toMatch(/Open: [1-9]/);
    expect(digests()[0]?.body).toContain(`${BASE_URL}/cases`);

    clock.set('2026-12-12T10:00:00.000Z'); // Saturday
    expect(await container.notifications.runJobs()).toMatchObject({ isWorkingDay: false, digests: 0 });
    clock.set('2026-12-08T10:00:00.000Z');
    await container.notifications.runJobs();
    await worker('worker-a').runOnce();
    expect(digests()).toHaveLength(2);
  });

  describe('templates administrators edit', () => {
    let app: FastifyInstance;
    let admin: Browser;
    const page = '/admin/notifications/allocation';
    const form = async (browser: Browser) => {
      const response = await browser.get(page);
      return {
        csrf: /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? '',
        version: /name="version" value="(\d+)"/.exec(response.body)?.[1] ?? '',
      };
    };

    beforeAll(async () => {
      app = await createApp(container);
      admin = await signedInAs(app, container, 'admin');
    });
    afterAll(async () => {
      await app.close();
    });

    it('lists the templates to administrators only', async () => {
      const list = await admin.get('/admin/notifications');
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain('Allocation to a responding manager');
      expect(list.body).toContain('{{ reference }}');
      expect((await admin.get('/admin/notifications/no-such-template')).statusCode).toBe(404);
      // Failed emails are shown by id, template and error code, never by address.
      await enqueue(kysely(), { idempotencyKey: 'test:failed', templateKey: 'daily_digest', recipient: 'hidden@council.example', personalisation: {} }, clock());
      await kysely().updateTable('notification_outbox').set({ status: 'failed', attempts: 6, last_error: 'smtp EENVELOPE 550 RCPT TO' }).where('idempotency_key', '=', 'test:failed').execute();
      const withFailure = await admin.get('/admin/notifications');
      expect(withFailure.body).toContain('Emails that could not be sent');
      expect(withFailure.body).toContain('smtp EENVELOPE 550 RCPT TO');
      expect(withFailure.body).not.toContain('hidden@council.example');
      const officerBrowser = await signedInAs(app, container, 'complaints_officer');
      expect((await officerBrowser.get('/admin/notifications')).statusCode).toBe(403);
      expect((await officerBrowser.get(page)).statusCode).toBe(403);
    });

    it('refuses an unknown placeholder with an error summary, saves a good one, and refuses a stale save', async () => {
      const first = await form(admin);
      expect(first.version).toBe('0');
      const refused = await admin.post(page, { _csrf: first.csrf, version: first.version, subject: 'Case {{ reference }} for {{ complainant_name }}', body: 'Open {{ case_url }}' });
      expect(refused.statusCode).toBe(400);
      expect(errorSummary(refused.body)).toEqual([expect.stringContaining('{{ complainant_name }}') as unknown]);
      const broken = await admin.post(page, { _csrf: first.csrf, version: first.version, subject: 'Case {{ reference }}', body: 'Open {{ case_url' });
      expect(errorSummary(broken.body)).toEqual([expect.stringContaining('braces') as unknown]);

      const saved = await admin.post(page, { _csrf: first.csrf, version: first.version, subject: 'New case for you: {{reference}}', body: 'Please respond by {{ due_on }}.\n\n{{ case_url }}' });
      expect(saved.statusCode, saved.body).toBe(303);
      const stale = await admin.post(page, { _csrf: first.csrf, version: first.version, subject: 'Another {{ reference }}', body: 'x' });
      expect(stale.statusCode).toBe(409);
      expect(errorSummary(stale.body)[0]).toContain('Someone else changed this template');
      expect((await form(admin)).version).toBe('1');
      const audit = await kysely().selectFrom('audit_event').select('action').where('action', '=', 'notification_template_changed').execute();
      expect(audit.length).toBeGreaterThan(0);

      // Messages use the template in force when they are sent.
      const reference = await register('2026-11-24');
      await allocate(reference);
      await worker('worker-a').runOnce();
      const [arrived] = arrivedFor(reference);
      expect(arrived?.subject).toBe(`New case for you: ${reference}`);
      expect(arrived?.body).toContain(`${BASE_URL}/cases/${reference}`);
    });
  });
});
