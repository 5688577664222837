/**
 * Safety on the public front door over HTTP: the GOV.UK "Exit this page" link on every public
 * page, Back links that go to the previous question with the answers kept, help now (999,
 * Childline, the out-of-hours number) from the first page, and a public footer without the API.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testConfig, testContainer } from '../support/builders.ts';
import { signedInAs } from '../support/http.ts';
import { PublicVisitor, YOUNG_COMPLAINT, formOf, pageOf, valuesOf } from '../support/public-visitor.ts';
import { decodeEntities } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import { DEMO_OUT_OF_HOURS_PHONE, loadConfig } from '../../src/config.ts';
import { paths } from '../../src/web/paths.ts';
import type { Container } from '../../src/container.ts';

const EXIT = /<a href="https:\/\/www\.bbc\.co\.uk\/weather" role="button" draggable="false" class="govuk-button govuk-button--warning govuk-exit-this-page__button govuk-js-exit-this-page-button"[^>]*rel="nofollow noreferrer"/;

const hasExit = (html: string): boolean => html.includes('data-module="govuk-exit-this-page"') && EXIT.test(html);
const hasApiLink = (html: string): boolean => html.includes(`href="${paths.apiDocs.url()}"`);

/** The Back link's form on a journey page: its hidden fields and the `_back` value, or undefined. */
function backFormOf(html: string): Record<string, string> | undefined {
  const form = /<form class="app-back-form" method="post" action="[^"]+"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
  if (form === undefined) return undefined;
  const values: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) values[decodeEntities(m[1] ?? '')] = decodeEntities(m[2] ?? '');
  const button = /<button type="submit" name="_back" value="([^"]+)" class="govuk-back-link app-back-link">Back<\/button>/.exec(form);
  if (button === null) throw new Error('a back form without its button');
  values._back = decodeEntities(button[1] ?? '');
  return values;
}

async function pressBack(visitor: PublicVisitor): Promise<string> {
  const back = backFormOf(visitor.page?.body ?? '');
  if (back === undefined) throw new Error(`no Back link on ${pageOf(visitor.page?.body ?? '')}`);
  const response = await visitor.post(paths.contactUs.url(), back);
  expect(response.statusCode).toBe(200);
  return pageOf(response.body);
}

describe('the out-of-hours number setting', () => {
  it('defaults to a made-up number outside production, and is left out in production unless set', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).councilOutOfHoursPhone).toBe(DEMO_OUT_OF_HOURS_PHONE);
    const production = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), DATABASE_URL: 'sqlite:./data/x.db' };
    expect(loadConfig(production).councilOutOfHoursPhone).toBeUndefined();
    expect(loadConfig({ ...production, COUNCIL_OUT_OF_HOURS_PHONE: ' 0300 123 4567 ' }).councilOutOfHoursPhone).toBe('0300 123 4567');
    expect(() => loadConfig({ COUNCIL_OUT_OF_HOURS_PHONE: 'call us' })).toThrow(/COUNCIL_OUT_OF_HOURS_PHONE/);
  });
});

describeEachEngine('safety on the public front door', (database) => {
  let container: Container;
  let app: FastifyInstance;

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2026-11-26T10:00:00.000Z'));
    await container.demo.ensure({ withCases: false });
    app = await createApp(container);
  });
  afterAll(async () => {
    await app.close();
  });

  it('has "Exit this page", a plain link to a neutral site, and no API link in the footer, on every page of a journey', async () => {
    const visitor = new PublicVisitor(app);
    await visitor.get(paths.contactUs.url());
    const seen: string[] = [];
    for (let step = 0; step < 20 && pageOf(visitor.page?.body ?? '') !== 'check'; step++) {
      const body = visitor.page?.body ?? '';
      seen.push(pageOf(body));
      expect(hasExit(body), pageOf(body)).toBe(true);
      expect(hasApiLink(body), pageOf(body)).toBe(false);
      expect(body).toContain(`href="${paths.accessibility.url()}"`);
      await visitor.answer(YOUNG_COMPLAINT);
    }
    expect(seen).toHaveLength(10);
    expect(hasExit(visitor.page?.body ?? '')).toBe(true);
    const sent = await visitor.answer();
    const confirmation = await visitor.get(String(sent.headers.location));
    expect(hasExit(confirmation.body)).toBe(true);
    expect(hasApiLink(confirmation.body)).toBe(false);
  });

  it('has "Exit this page" on the other public pages: secure links, the questionnaire’s thanks and the accessibility statement', async () => {
    const visitor = new PublicVisitor(app);
    for (const url of [paths.questionnaire.url({ token: 'not-a-real-token' }), paths.askForStage2.url({ token: 'not-a-real-token' }), paths.questionnaireThanks.url(), paths.nextStageSent.url(), paths.accessibility.url()]) {
      const page = await visitor.get(url);
      expect(page.statusCode, url).toBeLessThan(500);
      expect(hasExit(page.body), url).toBe(true);
    }
  });

  it('keeps the API documentation link in the staff footer', async () => {
    const officer = await signedInAs(app, container, 'complaints_officer');
    const dashboard = await officer.get(paths.dashboard.url());
    expect(hasApiLink(dashboard.body)).toBe(true);
    expect(dashboard.body).not.toContain('govuk-exit-this-page');
  });

  it('has a Back link on every question page but the first, going to the previous question with the answers kept', async () => {
    const visitor = new PublicVisitor(app);
    const pages = await visitor.reachCheck(YOUNG_COMPLAINT);
    // From "Check your answers" back through every page to the first.
    expect(await pressBack(visitor)).toBe('files');
    for (let i = pages.length - 2; i >= 0; i--) expect(await pressBack(visitor)).toBe(pages[i]);
    expect(backFormOf(visitor.page?.body ?? '')).toBeUndefined();
    // The answers came back too: the first page has the topic chosen, and going forward again works.
    expect(valuesOf(visitor.page?.body ?? '').topic).toBe('complaint');
    expect(pageOf((await visitor.answer()).body)).toBe('who');
    expect(formOf(visitor.page?.body ?? '').hidden.what_happened).toBe(YOUNG_COMPLAINT.what_happened);
  });

  it('goes back by the route taken: the adult’s relationship page, the contact page before the email page', async () => {
    const visitor = new PublicVisitor(app);
    await visitor.get(paths.contactUs.url());
    await visitor.answer({ topic: 'comment' });
    await visitor.answer({ who: 'adult' });
    expect(pageOf(visitor.page?.body ?? '')).toBe('relationship');
    await visitor.answer({ relationship: 'parent' });
    expect(pageOf(visitor.page?.body ?? '')).toBe('what_happened');
    expect(await pressBack(visitor)).toBe('relationship');

    const child = new PublicVisitor(app);
    await child.reachCheck(YOUNG_COMPLAINT);
    await child.change('contact');
    await child.answer({ contact: 'telephone' });
    expect(pageOf(child.page?.body ?? '')).toBe('contact_phone');
    // Not finished (no phone number yet): back to the question before, still returning to "Check your answers".
    expect(await pressBack(child)).toBe('contact');
    await child.answer({ contact: 'email' });
    expect(pageOf(child.page?.body ?? '')).toBe('contact_email');
    await child.answer({ contact_email: 'sam@example.org' });
    expect(pageOf(child.page?.body ?? '')).toBe('check');
    // After a Change with everything answered, Back goes to "Check your answers".
    await child.change('name');
    expect(await pressBack(child)).toBe('check');
  });

  it('shows help now from the first page: 999, Childline and the out-of-hours number, in plain words', async () => {
    const visitor = new PublicVisitor(app);
    const start = await visitor.get(paths.contactUs.url());
    const help = (html: string) => /<(?:div class="govuk-inset-text app-help"|details class="govuk-details app-help")[\s\S]*?<\/(?:div|details)>/.exec(html)?.[0] ?? '';
    const inset = help(start.body);
    expect(inset).toContain('govuk-inset-text');
    expect(inset).toContain('If you need help now');
    expect(inset).toContain('If you are in danger now, call 999.');
    expect(inset).toContain('You can talk to Childline on 0800 1111. It is free. You can call at any time, day or night.');
    expect(inset).toContain(`When our office is closed, you can call our social workers on ${DEMO_OUT_OF_HOURS_PHONE}.`);
    expect(help((await visitor.answer({ topic: 'complaint' })).body)).toContain('govuk-inset-text');

    // The children's route: an inset on its first page, then a details on every question page.
    expect(help((await visitor.answer({ who: 'child' })).body)).toContain('govuk-inset-text');
    const answers: Record<string, string>[] = [{ what_happened: 'x' }, { what_would_help: 'y' }, { advocate: 'no' }, { name: 'Sam' }, { contact: 'none' }];
    for (const answer of answers) {
      const page = await visitor.answer(answer);
      expect(help(page.body), pageOf(page.body)).toContain('<summary class="govuk-details__summary">');
      expect(help(page.body), pageOf(page.body)).toContain('Childline on 0800 1111');
    }

    // The adults' route: at its start only.
    const adult = new PublicVisitor(app);
    await adult.get(paths.contactUs.url());
    await adult.answer({ topic: 'complaint' });
    expect(help((await adult.answer({ who: 'adult' })).body)).toContain('Childline on 0800 1111');
    expect(help((await adult.answer({ relationship: 'parent' })).body)).toBe('');
  });

  it('leaves out the out-of-hours line when there is no number', async () => {
    const quiet = await createApp(await testContainer(database(), testClock('2026-11-26T10:00:00.000Z'), { ...testConfig(), councilOutOfHoursPhone: undefined }));
    try {
      const start = await new PublicVisitor(quiet).get(paths.contactUs.url());
      expect(start.body).toContain('Childline on 0800 1111');
      expect(start.body).not.toContain('When our office is closed');
    } finally {
      await quiet.close();
    }
  });
});
