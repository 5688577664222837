/**
 * Browser-test support: the real app listening over HTTP on a random loopback port (a fresh
 * test database with the demo data), Debian's Chromium driven by playwright-core, axe for
 * WCAG checks, and a watch for console errors (CSP refusals, script errors) on every page.
 */
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type ConsoleMessage, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { Engine } from '../../src/db/database.ts';
import { createTestDatabase } from './databases.ts';
import { testClock, testContainer, type TestClock } from './builders.ts';
import { codeAt, isStepUsed, rememberSecret } from './authenticator.ts';

/**
 * The engines browser tests run on: SQLite always; PostgreSQL too when
 * `REDRESS_E2E_ENGINES` names it (e.g. `REDRESS_E2E_ENGINES=sqlite,postgres`).
 */
export function e2eEngines(): Engine[] {
  const wanted = (process.env.REDRESS_E2E_ENGINES ?? 'sqlite').split(',').map((s) => s.trim());
  const engines = (['sqlite', 'postgres'] as const).filter((engine) => wanted.includes(engine));
  if (engines.length === 0) throw new Error(`REDRESS_E2E_ENGINES names no engine (sqlite, postgres): ${wanted.join(',')}`);
  return engines;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly app: FastifyInstance;
  readonly container: Container;
  readonly clock: TestClock;
  /** An absolute URL on this server for a path made with `paths`. */
  url(path: string): string;
  close(): Promise<void>;
}

/** Starts the real app on a fresh database (migrated, demo data added), listening on loopback. */
export async function startTestServer(engine: Engine = 'sqlite'): Promise<TestServer> {
  const database = await createTestDatabase(engine);
  const clock = testClock();
  let app: FastifyInstance | undefined;
  try {
    const container = await testContainer(database, clock);
    await container.demo.ensure();
    app = await createApp(container);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
    const baseUrl = `http://127.0.0.1:${address.port}`;
    const started = app;
    return {
      baseUrl,
      app: started,
      container,
      clock,
      url: (path) => new URL(path, baseUrl).toString(),
      close: async () => {
        await started.close();
        await container.close();
        await database.close();
      },
    };
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }
}

/** Debian's Chromium (never a downloaded one), headless and quiet on the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

/** A new page in a fresh context (its own cookies), watched for console errors. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ page: Page; problems: PageProblems }> {
  const context = await browser.newContext(options);
  // Fail in seconds, not half a minute, when an element never appears.
  context.setDefaultTimeout(10_000);
  return watchedPage(context);
}

/** Another page in an existing context (sharing its cookies), with its own watch for problems. */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  return { page, problems: watchForProblems(page) };
}

export interface PageProblems {
  /** Console errors, uncaught page errors and failed asset requests seen so far, one line each. */
  readonly list: readonly string[];
  /** Fails the test if any were seen, listing them. */
  expectNone(): void;
}

/**
 * Collects console errors (CSP refusals appear here), uncaught page errors and failed
 * asset requests. Chromium also logs "Failed to load resource" for a document served with
 * an error status (a 404 page, a form redisplayed as 400): that is the page working as
 * designed, so it is ignored when it concerns the document itself. Requests the browser
 * abandons on navigating away are ignored too; a refused or missing asset is not.
 */
export function watchForProblems(page: Page): PageProblems {
  const list: string[] = [];
  const isDocumentStatus = (message: ConsoleMessage): boolean =>
    message.text().startsWith('Failed to load resource: the server responded with a status of') && message.location().url === page.url();
  page.on('console', (message) => {
    if (message.type() === 'error' && !isDocumentStatus(message)) list.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    list.push(`page error on ${page.url()}: ${error.message}`);
  });
  page.on('requestfailed', (request) => {
    // Leaving a page cancels what it was still loading (often the favicon): not a fault.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    list.push(`request failed on ${page.url()}: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`);
  });
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'document' && response.status() >= 400) {
      list.push(`asset ${response.url()} answered ${response.status()} on ${page.url()}`);
    }
  });
  return {
    list,
    expectNone() {
      expect(list, `problems in the browser:\n${list.join('\n')}`).toEqual([]);
    },
  };
}

/** The WCAG 2.2 AA rule sets axe checks. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type AxeViolations = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'];

export function describeViolations(violations: AxeViolations): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map((node) => `    - ${node.target.flat().join(' >>> ')}\n      ${(node.failureSummary ?? '').replaceAll('\n', '\n      ')}`);
      return `${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n  ${violation.helpUrl}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/** Runs axe on the page as it is now and fails, listing each violation and its nodes, if any. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(violations.length, `axe found WCAG violations on ${label} (${page.url()}):\n${describeViolations(violations)}`).toBe(0);
}

/**
 * Signs in through the form, as a person would (mouse or not does not matter here). Where the
 * account needs an authenticator (administrators), the steps after the password are done too,
 * with codes computed in the test for the server's clock: setting up the app (its key read from
 * the page) at the first sign-in, a code from it later — the clock moved on 30 seconds first
 * when this step's code was already used, as a person would wait for the next code.
 */
export async function signInThroughForm(page: Page, server: TestServer, email: string, password: string): Promise<void> {
  if (!page.url().startsWith(server.url('/sign-in'))) await page.goto(server.url('/sign-in'));
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/sign-in'), page.getByRole('button', { name: 'Sign in' }).click()]);
  await completeAuthenticatorSteps(page, server, email);
}

/** Completes the authenticator set-up or code page the browser is on (nothing when it is on neither). */
export async function completeAuthenticatorSteps(page: Page, server: TestServer, email: string): Promise<void> {
  const account = `${server.baseUrl}|${email}`;
  const path = () => new URL(page.url()).pathname;
  if (path() === '/sign-in/authenticator') {
    const secret = ((await page.locator('#secret').textContent()) ?? '').trim();
    rememberSecret(account, secret);
    await page.getByLabel('Code from your authenticator app').fill(codeAt(account, server.clock()).code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    await Promise.all([page.waitForURL((url) => url.pathname !== '/sign-in/authenticator'), page.getByRole('link', { name: 'Continue' }).click()]);
  } else if (path() === '/sign-in/code') {
    if (isStepUsed(account, server.clock())) server.clock.advance(30_000);
    await page.getByLabel('Enter the code from your authenticator app').fill(codeAt(account, server.clock()).code);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/sign-in/code'), page.getByRole('button', { name: 'Continue' }).click()]);
  }
}

/** The GOV.UK error summary's links, and whether each points at an element on the page. */
export async function errorSummaryLinks(page: Page): Promise<{ text: string; href: string; targetExists: boolean }[]> {
  // After a click on a form's button the page with the summary may still be on its way.
  await page.locator('.govuk-error-summary').first().waitFor();
  const links: { text: string; href: string; targetExists: boolean }[] = [];
  for (const link of await page.locator('.govuk-error-summary__list a').all()) {
    const href = (await link.getAttribute('href')) ?? '';
    const text = ((await link.textContent()) ?? '').trim();
    const targetExists = href.startsWith('#') && (await page.locator(`[id="${href.slice(1)}"]`).count()) === 1;
    links.push({ text, href, targetExists });
  }
  return links;
}

/** What has keyboard focus: `#id`, or `tag:text` for an element without an id ('' for none). */
export async function focusedElement(page: Page): Promise<string> {
  const focused = page.locator(':focus');
  if ((await focused.count()) === 0) return '';
  const id = await focused.getAttribute('id');
  if (id !== null && id !== '') return `#${id}`;
  const tag = await focused.evaluate((element: { readonly tagName: string }) => element.tagName.toLowerCase());
  return `${tag}:${((await focused.textContent()) ?? '').trim()}`;
}
