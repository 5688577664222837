/**
 * The learning log in pages, on both engines: newest first, 50 lessons to a page, found by the
 * place in the order (`after` / `before` a lesson's key) rather than counted; previous and next
 * links keep the filters.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { teamIdsByName, testClock, testContainer } from '../support/builders.ts';
import { type Browser, decodeEntities, signedInAs } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import { addDays } from '../../src/domain/calendar/iso-date.ts';

const NOW = '2026-11-26T10:00:00.000Z';
const LESSONS = 110;

/** The lessons' titles on a log page, in the order shown. */
const titlesOn = (html: string): string[] => [...html.matchAll(/<a class="govuk-link" href="\/learning\/\d+">([^<]+)<\/a>/g)].map((m) => decodeEntities(m[1] ?? ''));
const linkOf = (html: string, rel: 'next' | 'prev'): string | undefined => {
  const href = new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1];
  return href === undefined ? undefined : decodeEntities(href);
};

describeEachEngine('the learning log in pages', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: Browser;
  /** Every lesson as the log should list it: newest first (identified, then id). */
  let expected: { id: number; title: string; identifiedOn: string; teamId: number | null; hasOpen: boolean }[];
  let fostering: number;

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    officer = await signedInAs(app, container, 'complaints_officer');
    fostering = (await teamIdsByName(container))('Fostering');
    const db = database().db.kysely;
    // Two or three on one day (the id orders them); every other one about Fostering, every third with an open action.
    await db
      .insertInto('lesson')
      .values(Array.from({ length: LESSONS }, (_, i) => ({ title: `Lesson number ${String(i)}`, description: 'Give families notice.', identified_on: addDays('2025-01-01', Math.floor(i / 3) * 4), team_id: i % 2 === 0 ? fostering : null, created_at: NOW, updated_at: NOW })))
      .execute();
    const lessons = await db.selectFrom('lesson').selectAll().execute();
    const withAction = lessons.filter((_, i) => i % 3 === 0);
    await db
      .insertInto('learning_action')
      .values(withAction.map((l) => ({ lesson_id: l.id, description: 'Write to families', due_on: '2027-01-31', created_at: NOW, updated_at: NOW })))
      .execute();
    const open = new Set(withAction.map((l) => l.id));
    expected = lessons
      .map((l) => ({ id: l.id, title: l.title, identifiedOn: l.identified_on, teamId: l.team_id, hasOpen: open.has(l.id) }))
      .sort((a, b) => (a.identifiedOn === b.identifiedOn ? b.id - a.id : a.identifiedOn < b.identifiedOn ? 1 : -1));
  }, 60_000);
  afterAll(async () => {
    await app.close();
  });

  /** Every title from `url` on, following the next links (each checked by `checkNext`). */
  async function walk(url: string, checkNext: (next: string) => void = () => undefined): Promise<{ titles: string[][]; pages: string[] }> {
    const titles: string[][] = [];
    const pages: string[] = [];
    for (let next: string | undefined = url; next !== undefined; ) {
      const page = await officer.get(next);
      expect(page.statusCode).toBe(200);
      pages.push(page.body);
      titles.push(titlesOn(page.body));
      next = linkOf(page.body, 'next');
      if (next !== undefined) checkNext(next);
    }
    return { titles, pages };
  }

  it('shows 50 lessons a page, newest first, and walks forwards and back through them all', async () => {
    const { titles, pages } = await walk('/learning', (next) => { expect(next).toMatch(/^\/learning\?after=\d{4}-\d{2}-\d{2}\.\d+$/); });
    expect(titles.map((t) => t.length)).toEqual([50, 50, 10]);
    expect(titles.flat()).toEqual(expected.map((e) => e.title));
    expect(pages[0]).toContain('Showing 50 lessons on this page');
    expect(linkOf(pages[0] ?? '', 'prev')).toBeUndefined();
    const middle = (await officer.get(linkOf(pages[2] ?? '', 'prev') ?? '')).body;
    expect(titlesOn(middle)).toEqual(titles[1]);
    const start = (await officer.get(linkOf(middle, 'prev') ?? '')).body;
    expect(titlesOn(start)).toEqual(titles[0]);
    expect(linkOf(start, 'prev')).toBeUndefined();
  });

  it('keeps the team and status filters on the other pages', async () => {
    const filter = `status=open&team=${String(fostering)}`;
    const wanted = expected.filter((e) => e.teamId === fostering && e.hasOpen).map((e) => e.title);
    const { titles } = await walk(`/learning?${filter}`, (next) => { expect(next).toContain(`${filter}&after=`); });
    expect(titles.flat()).toEqual(wanted);
    const teamOnly = await walk(`/learning?team=${String(fostering)}`, (next) => { expect(next).toContain(`team=${String(fostering)}&after=`); });
    expect(teamOnly.titles.map((t) => t.length)).toEqual([50, 5]);
    expect(teamOnly.titles.flat()).toEqual(expected.filter((e) => e.teamId === fostering).map((e) => e.title));
  });

  it('keeps the API’s list to its limit, newest first', async () => {
    const actor = { userId: 0, roles: ['complaints_officer'] as const, teamId: null, ip: null, requestId: null };
    const log = await container.learning.log({}, { ...actor, roles: [...actor.roles] });
    expect(log.map((e) => e.title)).toEqual(expected.map((e) => e.title));
  });
});
