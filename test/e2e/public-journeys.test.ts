/**
 * The public front door in Chromium over HTTP: a child's complaint sent on a phone-sized
 * screen, with JavaScript switched off, by keyboard alone, with axe checking every page
 * (an error state included); then an adult's compliment with JavaScript on.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/web/paths.ts';
import { e2eEngines, errorSummaryLinks, expectNoAxeViolations, launchChromium, openPage, startTestServer, type TestServer } from '../support/browser.ts';

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true } as const;

/** Presses Tab until `selector` has focus (as a keyboard user would), failing after many presses. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if ((await page.locator(`${selector}:focus`).count()) > 0) return;
  }
  throw new Error(`could not reach ${selector} with the Tab key on ${page.url()}`);
}

/** Chooses the `index`-th radio of group `name` by keyboard: Tab into the group, then arrows (or Space for the first). */
async function chooseRadio(page: Page, name: string, index: number): Promise<void> {
  await tabTo(page, `input[type=radio][name="${name}"]`);
  if (index === 0) await page.keyboard.press('Space');
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  expect(await page.locator(`input[type=radio][name="${name}"]`).nth(index).isChecked()).toBe(true);
}

async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

/** Tabs to the page's main button and presses Enter, waiting for the next page. */
async function pressButton(page: Page, selector = 'button.govuk-button'): Promise<void> {
  await tabTo(page, selector);
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
}

/** Each route through the front door, every question answered (fields absent from a page are ignored). */
const ROUTES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  child: { topic: 'complaint', who: 'child', what_happened: 'Nobody came.', what_would_help: 'A new meeting.', advocate: 'unsure', name: 'Sam', contact: 'telephone', contact_phone: '07700 900 982' },
  parent: { topic: 'complaint', who: 'adult', relationship: 'parent', for_child: 'yes', child_agrees: 'yes', child_name: 'Riley', what_happened: 'Contact was cancelled.', what_would_help: 'A plan.', name: 'Jo Parent', contact: 'letter', contact_address: '1 High Street\nTown AB1 2CD' },
  professional: { topic: 'complaint', who: 'adult', relationship: 'professional', organisation: 'Hillside School', for_child: 'no', child_name: 'Riley', what_happened: 'Late reports.', what_would_help: 'On-time reports.', name: 'Pat Teacher', contact: 'email', contact_email: 'pat@example.org' },
  compliment: { topic: 'compliment', who: 'care_leaver', what_happened: 'My leaving care worker helped me.', consent_to_quote: 'no' },
  comment: { topic: 'comment', who: 'adult', relationship: 'foster_carer', what_happened: 'Evening meetings would help.', contact: 'none' },
};

/** Answers every page of a route with `answers`, running `check` on each page and its Back link target; returns the pages' headings. */
async function walkRoute(page: Page, answers: Readonly<Record<string, string>>, check: (label: string) => Promise<void>, send: boolean): Promise<string[]> {
  const headings: string[] = [];
  for (let step = 0; step < 20; step++) {
    const h1 = await heading(page);
    await check(h1);
    if (h1 === 'Check your answers') break;
    headings.push(h1);
    for (const [name, value] of Object.entries(answers)) {
      const radio = page.locator(`input[type=radio][name="${name}"][value=${JSON.stringify(value)}]`);
      if (!value.includes('\n') && (await radio.count()) > 0) await radio.check();
      const field = page.locator(`input#${name}:not([type=radio]), textarea#${name}`);
      if ((await field.count()) > 0) await field.fill(value);
    }
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Continue' }).click()]);
  }
  expect(await heading(page)).toBe('Check your answers');
  // The Back link goes to the last question (checked too), then forward again.
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Back' }).click()]);
  expect(await heading(page)).toBe(headings.at(-1));
  await check(`${headings.at(-1) ?? ''}, after Back`);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Continue' }).click()]);
  // Sending is limited to 10 an address in 10 minutes (SEND_LIMIT): only the runs with JavaScript send.
  if (send) {
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Send' }).click()]);
    await check('confirmation');
  }
  return headings;
}

const heading = async (page: Page): Promise<string> => ((await page.locator('h1').first().textContent()) ?? '').trim();

describe.each(e2eEngines())('the public front door in a browser [%s]', (engine) => {
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

  it('takes a child’s complaint on a phone, without JavaScript, by keyboard alone, with no WCAG 2.2 AA problem on any page', async () => {
    const { page, problems } = await openPage(browser, { ...PHONE, javaScriptEnabled: false });
    // axe cannot run where scripts are switched off (its timers never fire), so each page is
    // checked as served to this browser — its HTML with the scripts taken out, which is what
    // a browser without JavaScript shows — in a second, phone-sized page that may run axe.
    const { page: checker } = await openPage(browser, PHONE);
    const snapshotUrl = server.url('/axe-snapshot');
    let snapshot = '';
    await checker.route(snapshotUrl, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: snapshot }));
    const check = async (label: string) => {
      snapshot = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/g, '');
      await checker.goto(snapshotUrl);
      expect(await checker.locator('body').getAttribute('class')).not.toContain('govuk-frontend-supported');
      await expectNoAxeViolations(checker, `${label} (${page.url()})`);
    };

    await page.goto(server.url(paths.contactUs.url()));
    expect(await heading(page)).toBe('What would you like to tell us?');
    await check('what would you like to tell us');

    // The first page sent empty: the error state, checked by axe too.
    await pressButton(page);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await errorSummaryLinks(page)).toEqual([{ text: 'Choose what you would like to tell us', href: '#topic', targetExists: true }]);
    await check('what would you like to tell us, with an error');

    await chooseRadio(page, 'topic', 0);
    await pressButton(page);
    expect(await heading(page)).toBe('Who are you?');
    await check('who are you');
    await chooseRadio(page, 'who', 0);
    await pressButton(page);

    expect(await heading(page)).toBe('Tell us what happened');
    await check('tell us what happened');
    await pressButton(page);
    expect(await errorSummaryLinks(page)).toEqual([{ text: 'Tell us what happened', href: '#what_happened', targetExists: true }]);
    await check('tell us what happened, with an error');
    await typeInto(page, '#what_happened', 'My social worker did not come to my review. <script>alert(1)</script>');
    await pressButton(page);

    expect(await heading(page)).toBe('What would make it better?');
    await check('what would make it better');
    await typeInto(page, '#what_would_help', 'I want a new meeting.');
    await pressButton(page);

    expect(await heading(page)).toBe('Would you like an advocate to help you?');
    expect(await page.getByText('An advocate is someone who is on your side.').count()).toBe(1);
    await check('advocate');
    await pressButton(page);
    await check('advocate, with an error');
    await chooseRadio(page, 'advocate', 0);
    await pressButton(page);

    expect(await heading(page)).toBe('What is your name?');
    await check('name');
    await typeInto(page, '#name', 'Sam Young');
    await pressButton(page);

    expect(await heading(page)).toBe('How can we get in touch with you?');
    await check('contact');
    await chooseRadio(page, 'contact', 0);
    await pressButton(page);
    // The email address on its own page (no conditional reveal under the radio).
    expect(await heading(page)).toBe('What is your email address?');
    await check('email address');
    await typeInto(page, '#contact_email', 'not an email');
    await pressButton(page);
    expect(await errorSummaryLinks(page)).toEqual([{ text: 'Enter an email address in the correct format, like name@example.com', href: '#contact_email', targetExists: true }]);
    await check('email address, with an error');
    await page.locator('#contact_email').fill('');
    await page.locator('#contact_email').focus();
    await page.keyboard.type('sam@example.org');
    await pressButton(page);

    expect(await heading(page)).toBe('Is there anything we should know to contact you safely? (optional)');
    await check('contact safely');
    await pressButton(page);

    // A file, uploaded without JavaScript (a multipart form), then listed with a Remove button.
    expect(await heading(page)).toBe('Do you want to send us a file? (optional)');
    await check('send us a file');
    await page.locator('#file').setInputFiles({ name: 'my-letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n') });
    await pressButton(page, 'button[name="_upload"]');
    expect(await page.locator('.govuk-summary-list__key').allTextContents()).toEqual(['my-letter.pdf']);
    await check('send us a file, with one added');
    await pressButton(page);

    expect(await heading(page)).toBe('Check your answers');
    expect(await page.locator('.govuk-summary-list__value li', { hasText: 'my-letter.pdf' }).count()).toBe(1);
    await check('check your answers');
    expect(await page.getByText('<script>alert(1)</script>', { exact: false }).count()).toBe(1);
    await pressButton(page, 'button.govuk-button');

    expect(new URL(page.url()).pathname).toBe(paths.contactUsSent.url());
    expect(await page.locator('.govuk-panel__title').textContent()).toContain('We have got your message');
    expect(await page.locator('.govuk-panel__body').textContent()).toMatch(/Your reference is\s*CSC-2026-\d{4}/);
    await check('confirmation');

    // No page scrolls sideways on a phone.
    expect(await page.locator('html').evaluate((html: { readonly scrollWidth: number }) => html.scrollWidth)).toBeLessThanOrEqual(375);
    problems.expectNone();
  }, 420_000);

  it.each(Object.keys(ROUTES).flatMap((route) => [[route, true] as const, [route, false] as const]))(
    'finds no WCAG 2.2 AA problem with axe on any page of the %s route (JavaScript on: %s)',
    async (route, javaScriptEnabled) => {
      const { page, problems } = await openPage(browser, { javaScriptEnabled });
      let check: (label: string) => Promise<void> = (label) => expectNoAxeViolations(page, `${route}: ${label}`);
      if (!javaScriptEnabled) {
        // As in the child's test: axe runs on the page as served, scripts taken out, in a page that may run it.
        const { page: checker } = await openPage(browser);
        const snapshotUrl = server.url('/axe-snapshot');
        let snapshot = '';
        await checker.route(snapshotUrl, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: snapshot }));
        check = async (label) => {
          snapshot = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/g, '');
          await checker.goto(snapshotUrl);
          await expectNoAxeViolations(checker, `${route} without JavaScript: ${label}`);
        };
      } else {
        const inner = check;
        check = async (label) => {
          // The GOV.UK script has run (so conditional reveals, if any, would carry aria-expanded).
          expect(await page.locator('body').getAttribute('class')).toContain('govuk-frontend-supported');
          await inner(label);
        };
      }
      await page.goto(server.url(paths.contactUs.url()));
      const headings = await walkRoute(page, ROUTES[route] ?? {}, check, javaScriptEnabled);
      if (route === 'compliment') expect(headings).toHaveLength(5);
      problems.expectNone();
    },
    180_000,
  );

  it('takes an adult’s compliment with JavaScript on, in five pages, using a Change link on "Check your answers"', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(server.url(paths.contactUs.url()));
    await page.getByLabel('Say thank you').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('I am an adult').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await heading(page)).toBe('Say thank you');
    await page.getByLabel('What would you like to thank us for?').fill('The support worker was brilliant.');
    await page.getByLabel('Who would you like to thank? (optional)').fill('Alex');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Yes, you can share it').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await heading(page)).toBe('Would you like a reply? (optional)');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await heading(page)).toBe('Check your answers');
    await expectNoAxeViolations(page, 'check your answers (adult, JavaScript on)');

    await page.getByRole('button', { name: 'Change what you want to thank us for' }).click();
    await page.getByLabel('Who would you like to thank? (optional)').fill('Alex and the Fostering team');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await heading(page)).toBe('Check your answers');
    expect(await page.getByText('Alex and the Fostering team').count()).toBe(1);

    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL((url) => url.pathname === paths.contactUsSent.url());
    expect(await page.locator('.govuk-panel__body').textContent()).toMatch(/CPL-2026-\d{4}/);
    await expectNoAxeViolations(page, 'confirmation (adult)');
    problems.expectNone();
  }, 120_000);
});
