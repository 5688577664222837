/**
 * The API documentation (`/api/docs`) is our own GOV.UK page, passing axe in Chromium: the
 * OpenAPI document's operations by tag, links to the document (JSON and YAML) and, behind it,
 * Swagger UI for trying calls out.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/web/paths.ts';
import { e2eEngines, expectNoAxeViolations, launchChromium, openPage, startTestServer, type TestServer } from '../support/browser.ts';

describe.each(e2eEngines())('the API documentation [%s]', (engine) => {
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

  it('lists every operation of the OpenAPI document on an accessible page, with the document and the explorer behind it', async () => {
    const { page, problems } = await openPage(browser);
    const response = await page.goto(server.url(paths.apiDocs.url()));
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('API documentation – Redress');
    expect(((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim()).toBe('API documentation');
    await expectNoAxeViolations(page, 'the API documentation');
    problems.expectNone();

    // Every operation of the served document is on the page, by its operationId.
    const document = (await (await page.request.get(server.url(paths.apiDocsJson.url()))).json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
    expect(document.openapi).toMatch(/^3\./);
    const operationIds = Object.values(document.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(operationIds.length).toBeGreaterThan(10);
    const shown = await page.locator('table code').allTextContents();
    for (const id of operationIds) expect(shown).toContain(id);
    expect(await page.getByRole('table', { name: 'representations' }).getByText('/api/v1/representations', { exact: true }).count()).toBeGreaterThan(0);

    const yaml = await page.request.get(server.url(paths.apiDocsYaml.url()));
    expect(yaml.status()).toBe(200);
    expect(await yaml.text()).toContain('openapi: 3.');

    // Swagger UI is still there, one link away, reading the same document.
    await page.getByRole('link', { name: 'interactive API explorer (Swagger UI)' }).click();
    await page.waitForURL((url) => url.pathname.startsWith(paths.apiExplorer.url()));
    await page.locator('.opblock').first().waitFor();
    await page.context().close();
  });
});
