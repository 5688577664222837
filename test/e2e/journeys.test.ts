/**
 * Journeys through the real app in Chromium over HTTP: sign in, look at the organisation,
 * add a team (with a first, empty attempt), sign out — with JavaScript, without it, and by
 * keyboard alone.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEmail } from '../../src/app/demo-service.ts';
import { TEAM_KIND_LABELS } from '../../src/domain/organisation/team.ts';
import { paths } from '../../src/web/paths.ts';
import { completeAuthenticatorSteps, e2eEngines, errorSummaryLinks, focusedElement, launchChromium, openPage, signInThroughForm, startTestServer, type TestServer } from '../support/browser.ts';

const ADMIN = demoEmail('admin');

describe.each(e2eEngines())('browser journeys [%s]', (engine) => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  const pathOf = (page: Page): string => new URL(page.url()).pathname;

  it('signs in, adds a team after fixing the errors, and signs out', async () => {
    const { page, problems } = await openPage(browser);

    await page.goto(server.url(paths.home.url()));
    expect(pathOf(page)).toBe(paths.signIn.url());
    expect(await page.title()).toBe('Sign in – Redress');
    // GOV.UK Frontend's module script ran (a CSP refusal would stop it): the body is marked
    // and the password input's "Show" button is revealed.
    expect(await page.locator('body').getAttribute('class')).toContain('govuk-frontend-supported');
    await page.getByRole('button', { name: 'Show password' }).waitFor({ state: 'visible' });

    await signInThroughForm(page, server, ADMIN, DEMO_PASSWORD);
    expect(pathOf(page)).toBe(paths.dashboard.url());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
    expect(await page.getByText(ADMIN).count()).toBeGreaterThan(0);

    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL(server.url(paths.adminIndex.url()));
    await page.getByRole('main').getByRole('link', { name: 'Teams' }).click();
    await page.waitForURL(server.url(paths.teams.url()));
    expect(await page.getByRole('table', { name: 'Care Management' }).getByText('Care Management North').count()).toBe(1);

    await page.getByRole('link', { name: 'Add a team' }).click();
    await page.waitForURL(server.url(paths.newTeam.url()));
    expect(await page.title()).toBe('Add a team – Redress');

    // An empty form: the error summary is shown, takes focus, and links to each field.
    await page.getByRole('button', { name: 'Save team' }).click();
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.title()).toBe('Error: Add a team – Redress');
    const links = await errorSummaryLinks(page);
    expect(links).toEqual([
      { text: 'Enter the team name', href: '#name', targetExists: true },
      { text: 'Select the service area', href: '#serviceArea', targetExists: true },
    ]);
    expect(await page.locator('.govuk-error-summary:focus').count()).toBe(1);
    expect(await page.locator('#name-error').textContent()).toContain('Enter the team name');
    expect(await page.locator('#name').getAttribute('aria-describedby')).toContain('name-error');
    await page.getByRole('link', { name: 'Select the service area' }).click();
    expect(await focusedElement(page)).toBe('#serviceArea');
    await page.getByRole('link', { name: 'Enter the team name' }).click();
    expect(await focusedElement(page)).toBe('#name');

    await page.getByLabel('Team name').fill('Independent Reviewing Service');
    await page.getByLabel('Service area').selectOption('Specialist Services');
    await page.getByLabel(TEAM_KIND_LABELS.internal).check();
    await Promise.all([page.waitForURL((url) => url.pathname === paths.teams.url()), page.getByRole('button', { name: 'Save team' }).click()]);
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain('Independent Reviewing Service saved');
    expect(await page.getByRole('table', { name: 'Specialist Services' }).getByText('Independent Reviewing Service').count()).toBe(1);

    // Sign out is a form button in the service navigation; afterwards pages need sign-in again.
    await Promise.all([page.waitForURL(server.url(paths.signOut.url())), page.getByRole('button', { name: 'Sign out' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You have signed out');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await page.goto(server.url(paths.dashboard.url()));
    expect(pathOf(page)).toBe(paths.signIn.url());
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe(paths.dashboard.url());

    problems.expectNone();
    await page.context().close();
  });

  it('keeps the team’s own name in the edit form’s heading while showing errors', async () => {
    const team = (await server.container.organisation.listTeams()).find((t) => t.name === 'Adoption');
    if (team === undefined) throw new Error('the demo data has no Adoption team');
    const { page } = await openPage(browser);
    await signInThroughForm(page, server, ADMIN, DEMO_PASSWORD);
    await page.goto(server.url(paths.editTeam.url({ teamId: team.id })));
    await page.getByLabel('Team name').fill('');
    await page.getByRole('button', { name: 'Save team' }).click();
    await page.waitForSelector('.govuk-error-summary');
    const heading = await page.getByRole('heading', { level: 1 }).textContent();
    await page.context().close();
    expect(heading?.trim()).toBe('Change Adoption');
  });

  it('works without JavaScript: errors, sign-in, dashboard and sign-out', async () => {
    const { page, problems } = await openPage(browser, { javaScriptEnabled: false });

    await page.goto(server.url(paths.home.url()));
    expect(pathOf(page)).toBe(paths.signIn.url());
    expect(await page.locator('body').getAttribute('class')).not.toContain('js-enabled');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('.govuk-error-summary');
    expect(await errorSummaryLinks(page)).toEqual([
      { text: 'Enter your email address', href: '#email', targetExists: true },
      { text: 'Enter your password', href: '#password', targetExists: true },
    ]);

    await signInThroughForm(page, server, ADMIN, DEMO_PASSWORD);
    expect(pathOf(page)).toBe(paths.dashboard.url());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');

    await Promise.all([page.waitForURL(server.url(paths.signOut.url())), page.getByRole('button', { name: 'Sign out' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You have signed out');
    await page.goto(server.url(paths.dashboard.url()));
    expect(pathOf(page)).toBe(paths.signIn.url());

    problems.expectNone();
    await page.context().close();
  });

  it('signs in by keyboard alone, in a sensible tab order', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(server.url(paths.signIn.url()));

    const focused = (): Promise<string> => focusedElement(page);
    const tabUntil = async (wanted: string): Promise<string[]> => {
      const seen: string[] = [];
      for (let i = 0; i < 20; i += 1) {
        await page.keyboard.press('Tab');
        const now = await focused();
        seen.push(now);
        if (now === wanted) return seen;
      }
      throw new Error(`never reached ${wanted} by Tab; focus went: ${seen.join(', ')}`);
    };

    // The first tab stop is the skip link.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('a:Skip to main content');

    await tabUntil('#email');
    await page.keyboard.type(ADMIN);
    const afterEmail = await tabUntil('#password');
    expect(afterEmail).toEqual(['#password']);
    await page.keyboard.type(DEMO_PASSWORD);
    const toButton = await tabUntil('button:Sign in');
    expect(toButton).toEqual(['button:Show', 'button:Sign in']);
    await Promise.all([page.waitForURL((url) => url.pathname !== paths.signIn.url()), page.keyboard.press('Enter')]);
    // The administrator's authenticator code (or, at the first sign-in, setting the app up).
    await completeAuthenticatorSteps(page, server, ADMIN);
    expect(pathOf(page)).toBe(paths.dashboard.url());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');

    // From the dashboard, the menu is reachable by keyboard too.
    await tabUntil('a:Teams');
    await Promise.all([page.waitForURL(server.url(paths.teams.url())), page.keyboard.press('Enter')]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Teams');

    problems.expectNone();
    await page.context().close();
  });
});
