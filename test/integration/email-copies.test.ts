/**
 * The Emails page: where the `log` transport records emails instead of sending them
 * (development, the demo, tests), signed-in staff read each one whole — subject, addressee,
 * body — with its links to follow, newest first, twenty a page. Anywhere emails really go, the
 * page is not there. Both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachEngine } from '../support/databases.ts';
import { FIXED_NOW, testClock, testConfig, testContainer } from '../support/builders.ts';
import { decodeEntities, signedInAs } from '../support/http.ts';
import type { Container } from '../../src/container.ts';
import { createApp } from '../../src/web/app.ts';
import { enqueue } from '../../src/notify/outbox.ts';
import { bodyParagraphs } from '../../src/web/admin/email-copy-routes.ts';

describeEachEngine('emails recorded, not sent', (database) => {
  let container: Container;
  let app: FastifyInstance;

  beforeAll(async () => {
    container = await testContainer(database(), testClock(FIXED_NOW));
    app = await createApp(container);
    for (let day = 1; day <= 21; day += 1) {
      const date = `2026-11-${String(day).padStart(2, '0')}`;
      await enqueue(container.db.kysely, { idempotencyKey: `digest-${date}`, templateKey: 'daily_digest', recipient: `worker${String(day)}@council.example`, personalisation: { date, open_cases: day, due_soon: 1, overdue: 0 } }, new Date(FIXED_NOW));
    }
    expect((await container.notifications.deliverOnce())?.sent).toBe(20);
    expect((await container.notifications.deliverOnce())?.sent).toBe(1);
  });
  afterAll(async () => {
    await app.close();
    await container.close();
  });

  it('shows each email whole, newest first, with its links, twenty a page', async () => {
    const browser = await signedInAs(app, container, 'viewer');
    const first = await browser.get('/emails');
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toContain('no-store');
    const html = decodeEntities(first.body);
    expect(html).toContain('Your complaints for 21 November 2026');
    expect(html).toContain('worker21@council.example');
    expect(html).toContain('Open: 21');
    expect(html).toMatch(/<a class="govuk-link app-break-anywhere" href="http:\/\/[^"]+\/cases">/);
    expect(html).not.toContain('Your complaints for 1 November 2026');
    const older = /href="(\/emails\?before=\d+)"/.exec(first.body)?.[1];
    expect(older).toBeDefined();
    const second = decodeEntities((await browser.get(older ?? '')).body);
    expect(second).toContain('Your complaints for 1 November 2026');
    expect(second).not.toContain('Your complaints for 21 November 2026');
    // The footer of every staff page leads to it.
    expect((await browser.get('/dashboard')).body).toContain('href="/emails"');
  });

  it('is only for signed-in staff', async () => {
    const response = await app.inject({ method: 'GET', url: '/emails' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toMatch(/^\/sign-in/);
  });

  it('is not there where emails are really sent', async () => {
    const sending = await testContainer(database(), testClock(FIXED_NOW), testConfig({ NOTIFY_TRANSPORT: 'smtp', SMTP_URL: 'smtp://127.0.0.1:2525' }));
    const live = await createApp(sending);
    try {
      const browser = await signedInAs(live, sending, 'viewer');
      expect((await browser.get('/emails')).statusCode).toBe(404);
      expect((await browser.get('/dashboard')).body).not.toContain('href="/emails"');
    } finally {
      await live.close();
    }
  });
});

it('reads an email body as paragraphs of lines of words and links', () => {
  expect(bodyParagraphs('Hello,\n\nOpen it: https://x.example/respond/stage-2/abc\nThanks')).toEqual([
    [[{ text: 'Hello,' }]],
    [[{ text: 'Open it: ' }, { text: 'https://x.example/respond/stage-2/abc', href: 'https://x.example/respond/stage-2/abc' }], [{ text: 'Thanks' }]],
  ]);
});
