/**
 * The children's questionnaire, on both engines: a child or young person who complained gets
 * the questionnaire email and the questions in words for them; a parent gets the standard
 * ones; both are stored in the same answers, so the yearly summary counts them together.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, teamIdsByName, testClock, testConfig, testContainer } from '../support/builders.ts';
import { decodeEntities } from '../support/http.ts';
import { PublicVisitor } from '../support/public-visitor.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';

const BASE_URL = 'https://redress.example.gov.uk';
const START = '2026-11-26T10:00:00.000Z';
const LINK = /https:\/\/redress\.example\.gov\.uk(\/respond\/questionnaire\/([A-Za-z0-9_-]+))/;

describeEachEngine('the children’s questionnaire', (database) => {
  let smtp: TestSmtpServer;
  let container: Container;
  let app: FastifyInstance;
  let officer: StaffActor;
  let teamId: (name: string) => number;
  let sequence = 0;

  const kysely = () => database().db.kysely;
  const versionOf = async (reference: string) => (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const act = async (reference: string, action: string, input: Record<string, unknown>) => container.caseActions.apply(reference, action, input, officer, await versionOf(reference));

  /** A complaint by someone in `role`, responded to and closed. A child's has an advocate (which counts as the offer). */
  async function aClosedComplaint(role: 'child' | 'parent'): Promise<{ reference: string; email: string }> {
    sequence += 1;
    const email = `${role}-${String(sequence)}@example.org`;
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-24', channel: 'email', via_complaints_team: 'yes', summary: 'Visits were cancelled.', complainant_role: role },
        teamIds: [teamId('Care Management North')],
        complainant: { name: role === 'child' ? 'Jade Smith' : 'Sam Parent', email },
        ...(role === 'child' ? { advocate: { name: 'Priya Shah' } } : {}),
      },
      officer,
    );
    if (made === undefined) throw new Error('nothing registered');
    await act(made.reference, 'acknowledge', { acknowledged_on: '2026-11-25' });
    // A child's complaint cannot pass Stage 1 without the offer of an advocate: the advocate recorded at registration is it.
    await act(made.reference, 'record_response', { responded_on: '2026-11-26', finding: 'upheld', remedies: ['apology'] });
    await act(made.reference, 'close', { closed_on: '2026-11-26' });
    return { reference: made.reference, email };
  }

  async function deliver(): Promise<void> {
    const worker = container.notifications.worker({ workerId: `worker-${String(++sequence)}` });
    if (worker === undefined) throw new Error('no transport');
    await worker.runOnce();
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    container = await testContainer(database(), testClock(START), testConfig({ NOTIFY_TRANSPORT: 'smtp', SMTP_URL: smtp.url, MAIL_FROM: 'Complaints <complaints@council.example>', PUBLIC_BASE_URL: BASE_URL }));
    await container.demo.ensure({ withCases: false });
    teamId = await teamIdsByName(container);
    officer = await aStaffMember(container, ['complaints_officer']);
    app = await createApp(container);
  });
  afterAll(async () => {
    await app.close();
    await container.notifications.stop();
    await smtp.close();
  });

  it('a child gets the children’s email and questions; a parent the standard ones; the answers count together', async () => {
    const child = await aClosedComplaint('child');
    const parent = await aClosedComplaint('parent');
    const keys = await kysely().selectFrom('notification_outbox').select(['template_key', 'recipient']).where('template_key', 'like', 'questionnaire%').orderBy('id').execute();
    expect(keys.map((k) => k.template_key)).toEqual(['questionnaire_child', 'questionnaire']);
    await deliver();

    const childMail = smtp.received.find((m) => m.to.includes(child.email) && m.subject === `Tell us what you think (${child.reference})`);
    expect(childMail).toBeDefined();
    expect(childMail?.body).toContain('There are 4 quick questions');
    const parentMail = smtp.received.find((m) => m.to.includes(parent.email) && m.subject === `How did we do? (${parent.reference})`);
    expect(parentMail).toBeDefined();
    expect(smtp.received.some((m) => m.to.includes(child.email) && m.subject.startsWith('How did we do?'))).toBe(false);

    const childPath = LINK.exec(childMail?.body ?? '')?.[1] ?? '';
    const visitor = new PublicVisitor(app);
    const form = await visitor.get(childPath);
    expect(form.statusCode).toBe(200);
    expect(form.headers['cache-control']).toContain('no-store');
    const html = decodeEntities(form.body);
    expect(html).toContain('Tell us what you think');
    expect(html).toContain('Was it easy to tell us what was wrong?');
    expect(html).toContain('Did we listen to you?');
    expect(html).not.toContain('Do you feel you were listened to?');

    // Bad input: the error summary in the child's words.
    const missing = await visitor.answer({ ease: '5', kept_informed: '', timeliness: '4', listened: '5', comments: '' });
    expect(missing.statusCode).toBe(400);
    expect(decodeEntities(missing.body)).toContain('Choose if we told you what was going on');

    const check = await visitor.answer({ ease: '5', kept_informed: '4', timeliness: '4', listened: '5', comments: 'Thanks' });
    expect(check.statusCode).toBe(200);
    expect(decodeEntities(check.body)).toContain('Did we sort it out fast enough?');
    const sent = await visitor.answer();
    expect(sent.statusCode).toBe(303);

    const parentPath = LINK.exec(parentMail?.body ?? '')?.[1] ?? '';
    const adult = new PublicVisitor(app);
    expect(decodeEntities((await adult.get(parentPath)).body)).toContain('Do you feel you were listened to?');
    await adult.answer({ ease: '3', kept_informed: '4', timeliness: '2', listened: '1', comments: '' });
    expect((await adult.answer()).statusCode).toBe(303);

    const stored = await kysely().selectFrom('questionnaire').select(['answer_ease', 'answer_listened']).where('answered_at', 'is not', null).orderBy('id').execute();
    expect(stored).toEqual([
      { answer_ease: 5, answer_listened: 5 },
      { answer_ease: 3, answer_listened: 1 },
    ]);
    const summary = await container.questionnaires.summaryForYear('2026-04-01', '2027-03-31');
    expect(summary.answered).toBe(2);
    expect(summary.questions.find((q) => q.name === 'listened')?.counts).toMatchObject({ 5: 1, 1: 1 });
  });
});
