/**
 * The council settings page over HTTP, on both engines: administrators change the settings
 * (CSRF-checked, an error summary with a message a field and nothing saved on any error,
 * audited), complaints managers only read them, and everyone else is refused.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testContainer } from '../support/builders.ts';
import { Browser, decodeEntities, errorSummary, signedInAs } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import { DEFAULT_COUNCIL_SETTINGS } from '../../src/domain/procedures/council-settings.ts';

/** Signing in hashes a password (argon2) for each user. */
const HTTP_TIMEOUT = 90_000;

const PAGE = '/admin/settings';

/** The form as it is first shown (the defaults), with `changes`. */
const form = (changes: Record<string, string> = {}): Record<string, string> => ({
  receiptRule: 'statutory',
  corporatePausesAllowed: 'no',
  corporateMaxPausedWorkingDays: '20',
  childrenAcknowledgementDays: '2',
  corporateAcknowledgementDays: '5',
  adultAcknowledgementDays: '3',
  adultResponseMonths: '6',
  ...changes,
});

describeEachEngine('council settings page', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let admin: Browser;
  let manager: Browser;
  let officer: Browser;

  const auditCount = async () =>
    Number((await container.db.kysely.selectFrom('audit_event').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'council_settings_changed').executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    container = await testContainer(database());
    app = await createApp(container);
    admin = await signedInAs(app, container, 'admin');
    manager = await signedInAs(app, container, 'complaints_manager');
    officer = await signedInAs(app, container, 'complaints_officer');
  }, HTTP_TIMEOUT);
  afterAll(async () => {
    await app.close();
  });

  it('shows an administrator the form with the settings in force, linked from the service navigation', async () => {
    const page = await admin.get(PAGE);
    expect(page.statusCode).toBe(200);
    const html = decodeEntities(page.body);
    expect(html).toContain('<h1 class="govuk-heading-l">Council settings</h1>');
    // Under "Admin" in the service navigation, marked as the section the page is in.
    expect(html).toMatch(/<a class="govuk-service-navigation__link" href="\/admin" aria-current="true">\s*<strong class="govuk-service-navigation__active-fallback">Admin</);
    expect(decodeEntities((await admin.get('/admin')).body)).toContain('<a class="govuk-link" href="/admin/settings">Settings</a>');
    expect(html).toContain('Day 0 is the day the complaint arrives, whatever day it is (the 2006 Regulations)');
    expect(html).toContain('A complaint that arrives on a weekend or bank holiday counts as arriving on the next working day (your council’s written procedure)');
    expect(html).toContain('A change applies only to time limits that start after it');
    expect(html).toContain('Children Act time limits are never paused');
    expect(html).toMatch(/id="receiptRule" name="receiptRule" type="radio" value="statutory" checked/);
    expect(html).toMatch(/name="corporatePausesAllowed" type="radio" value="no" checked/);
    expect(html).toMatch(/id="corporateMaxPausedWorkingDays" name="corporateMaxPausedWorkingDays" type="text"/);
    expect(html).toMatch(/id="childrenAcknowledgementDays" name="childrenAcknowledgementDays" type="text" value="2"/);
    expect(html).toContain('name="_csrf"');
  });

  it('saves the settings with a success banner, and audits the change', async () => {
    const saved = await admin.post(PAGE, form({ receiptRule: 'next_working_day', corporatePausesAllowed: 'yes', corporateMaxPausedWorkingDays: '30', corporateAcknowledgementDays: '3' }), PAGE);
    expect(saved.statusCode).toBe(200);
    expect(decodeEntities(saved.body)).toContain('Council settings saved: 4 settings changed. The change applies to time limits that start from now.');
    expect(saved.body).toContain('govuk-notification-banner--success');
    expect(saved.body).toMatch(/type="radio" value="next_working_day" checked/);
    expect(await container.councilSettings.settings()).toEqual({
      ...DEFAULT_COUNCIL_SETTINGS,
      receiptRule: 'next_working_day',
      corporatePausesAllowed: true,
      corporateMaxPausedWorkingDays: 30,
      corporateAcknowledgementDays: 3,
    });
    const audit = await container.db.kysely.selectFrom('audit_event').select(['user_id', 'details']).where('action', '=', 'council_settings_changed').executeTakeFirstOrThrow();
    expect(audit.user_id).not.toBeNull();
    expect(JSON.parse(audit.details ?? '{}')).toMatchObject({ after: { receiptRule: 'next_working_day', corporatePausesAllowed: true, corporateMaxPausedWorkingDays: 30, corporateAcknowledgementDays: 3 } });

    // With "No", the maximum is neither asked for nor checked: the stored one is kept.
    const off = await admin.post(PAGE, form({ receiptRule: 'next_working_day', corporatePausesAllowed: 'no', corporateMaxPausedWorkingDays: 'lots', corporateAcknowledgementDays: '3' }), PAGE);
    expect(off.statusCode).toBe(200);
    expect(decodeEntities(off.body)).toContain('Council settings saved: 1 setting changed.');
    expect(await container.councilSettings.settings()).toMatchObject({ corporatePausesAllowed: false, corporateMaxPausedWorkingDays: 30 });
  });

  it('refuses bad values with 400, an error summary with a message a field, the answers kept and nothing saved', async () => {
    const before = await container.councilSettings.settings();
    const audits = await auditCount();
    const bad = await admin.post(
      PAGE,
      { ...form({ corporatePausesAllowed: 'yes', corporateMaxPausedWorkingDays: '66', childrenAcknowledgementDays: '1', adultAcknowledgementDays: '', adultResponseMonths: 'six' }), receiptRule: 'whenever' },
      PAGE,
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      'Select which day is day 0 for a complaint that arrives on a weekend or bank holiday',
      'Most working days one time limit can be paused must be a whole number of working days from 1 to 65',
      'Working days to acknowledge a Children Act complaint must be a whole number of working days from 2 to 5',
      'Enter the working days to acknowledge an adult social care complaint',
      'Months to respond to an adult social care complaint when no period has been agreed must be a whole number of months from 1 to 6',
    ]);
    for (const field of ['receiptRule', 'corporateMaxPausedWorkingDays', 'childrenAcknowledgementDays', 'adultAcknowledgementDays', 'adultResponseMonths']) expect(bad.body).toContain(`href="#${field}"`);
    expect(bad.body).toContain('id="childrenAcknowledgementDays-error"');
    expect(bad.body).toMatch(/id="corporateMaxPausedWorkingDays" name="corporateMaxPausedWorkingDays" type="text" value="66"/);
    expect(bad.body).toMatch(/name="corporatePausesAllowed" type="radio" value="yes" checked/);
    expect(bad.body).not.toContain('govuk-notification-banner--success');
    expect(await container.councilSettings.settings()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it('refuses a post without the CSRF token, saving nothing', async () => {
    const before = await container.councilSettings.settings();
    const response = await admin.post(PAGE, form({ childrenAcknowledgementDays: '4' }));
    expect(response.statusCode).toBe(403);
    expect(await container.councilSettings.settings()).toEqual(before);
  });

  it('lets a complaints manager read the settings but not change them, and refuses everyone else', async () => {
    const read = await manager.get(PAGE);
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain('govuk-summary-list');
    expect(read.body).not.toContain('name="receiptRule"');
    expect(decodeEntities(read.body)).toContain('Only an administrator can change these settings.');
    const before = await container.councilSettings.settings();
    const post = await manager.post(PAGE, form({ childrenAcknowledgementDays: '4' }), PAGE);
    expect(post.statusCode).toBe(403);
    expect((await officer.get(PAGE)).statusCode).toBe(403);
    expect((await officer.post(PAGE, form({ childrenAcknowledgementDays: '4' }), PAGE)).statusCode).toBe(403);
    expect((await officer.get('/dashboard')).body).not.toContain('href="/admin/settings"');
    const signedOut = await new Browser(app).get(PAGE);
    expect(signedOut.statusCode).toBe(302);
    expect(await container.councilSettings.settings()).toEqual(before);
  });
});
