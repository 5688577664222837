/**
 * The Ombudsman register in pages, on both engines: newest first, 50 to a page, found by the
 * place in the order (`after` / `before` a row's key) rather than counted; previous and next
 * links keep the state and the report's filters; the state is filtered in the database, as
 * `enquiryState` works it out.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, teamIdsByName, testClock, testContainer } from '../support/builders.ts';
import { type Browser, decodeEntities, signedInAs } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import { addDays } from '../../src/domain/calendar/iso-date.ts';
import { enquiryState } from '../../src/domain/ombudsman/enquiry.ts';

const NOW = '2026-11-26T10:00:00.000Z';
const ENQUIRIES = 120;

/** The enquiries' references on a register page, in the order shown. */
const referencesOn = (html: string): string[] => [...html.matchAll(/<a class="govuk-link" href="\/ombudsman\/\d+">([^<]+)<\/a>/g)].map((m) => decodeEntities(m[1] ?? ''));
const linkOf = (html: string, rel: 'next' | 'prev'): string | undefined => {
  const href = new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1];
  return href === undefined ? undefined : decodeEntities(href);
};

describeEachEngine('the Ombudsman register in pages', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: Browser;
  /** Every enquiry as the register should list it: newest first (received, then id). */
  let expected: { id: number; reference: string; receivedOn: string; state: string }[];

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    officer = await signedInAs(app, container, 'complaints_officer');
    const actor = await aStaffMember(container, ['complaints_officer']);
    const [made] = await container.registration.register(
      { fields: { kind: 'children_statutory', received_on: '2025-01-06', channel: 'email', summary: 'Contact was cancelled.', complainant_role: 'parent' }, teamIds: [(await teamIdsByName(container))('Family Support')], complainant: { name: 'Sam Parent' } },
      actor,
    );
    const db = database().db.kysely;
    const representation = await db.selectFrom('representation').select('id').where('reference', '=', made?.reference ?? '').executeTakeFirstOrThrow();
    const now = NOW;
    // Several on one day (the id orders them), undecided, decided with a remedy due, overdue, done.
    const rows = Array.from({ length: ENQUIRIES }, (_, i) => {
      const decided = i % 4 !== 0;
      return {
        representation_id: representation.id,
        lgsco_reference: `25 ${String(100 + i).padStart(3, '0')} 000`,
        received_on: addDays('2025-02-01', Math.floor(i / 3) * 5),
        decision: decided ? 'upheld' : null,
        decided_on: decided ? '2026-06-01' : null,
        compliance_due_on: decided && i % 4 !== 3 ? (i % 2 === 0 ? '2026-12-31' : '2026-09-30') : null,
        compliance_done_on: i % 8 === 5 ? '2026-09-01' : null,
        created_at: now,
        updated_at: now,
      };
    });
    await db.insertInto('ombudsman_enquiry').values(rows).execute();
    const enquiries = await db.selectFrom('ombudsman_enquiry').selectAll().where('representation_id', '=', representation.id).execute();
    const first = enquiries.find((e) => e.decision === null);
    await db.insertInto('ombudsman_information_request').values({ enquiry_id: first?.id ?? 0, requested_on: '2026-05-01', due_on: '2026-05-20', details: 'Notes', created_at: now }).execute();
    expected = enquiries
      .map((e) => ({
        id: e.id,
        reference: e.lgsco_reference,
        receivedOn: e.received_on,
        state: enquiryState({ decision: e.decision, complianceDueOn: e.compliance_due_on, complianceDoneOn: e.compliance_done_on, openInformationRequests: e.id === first?.id ? 1 : 0 }, NOW.slice(0, 10)),
      }))
      .sort((a, b) => (a.receivedOn === b.receivedOn ? b.id - a.id : a.receivedOn < b.receivedOn ? 1 : -1));
  }, 60_000);
  afterAll(async () => {
    await app.close();
  });

  it('shows 50 enquiries a page, newest first, and walks forwards and back through them all', async () => {
    const first = await officer.get('/ombudsman');
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body).toContain('Showing 50 enquiries on this page');
    expect(linkOf(first.body, 'prev')).toBeUndefined();
    const seen = [referencesOn(first.body)];
    let html = first.body;
    const pages = [first.body];
    for (let next = linkOf(html, 'next'); next !== undefined; next = linkOf(html, 'next')) {
      expect(next).toMatch(/^\/ombudsman\?after=\d{4}-\d{2}-\d{2}\.\d+$/);
      html = (await officer.get(next)).body;
      pages.push(html);
      seen.push(referencesOn(html));
    }
    expect(seen.map((page) => page.length)).toEqual([50, 50, 20]);
    expect(seen.flat()).toEqual(expected.map((e) => e.reference));
    expect(pages[2]).toContain('Showing 20 enquiries on this page');

    // Back from the last page: the same middle page.
    const back = linkOf(pages[2] ?? '', 'prev') ?? '';
    expect(back).toMatch(/before=/);
    const middle = (await officer.get(back)).body;
    expect(referencesOn(middle)).toEqual(seen[1]);
    expect(linkOf(middle, 'prev')).toBeDefined();
    const start = (await officer.get(linkOf(middle, 'prev') ?? '')).body;
    expect(referencesOn(start)).toEqual(seen[0]);
    expect(linkOf(start, 'prev')).toBeUndefined();
  });

  it('keeps the state and the report’s filters on the next page, and filters the state in the database', async () => {
    const from = expected.at(-1)?.receivedOn ?? '';
    const to = expected[0]?.receivedOn ?? '';
    for (const state of ['awaiting_information', 'awaiting_decision', 'remedy_due', 'remedy_overdue', 'closed']) {
      const wanted = expected.filter((e) => e.state === state).map((e) => e.reference);
      const shown: string[] = [];
      let url: string | undefined = `/ombudsman?state=${state}&received_from=${from}&received_to=${to}`;
      while (url !== undefined) {
        const page = await officer.get(url);
        expect(page.statusCode).toBe(200);
        shown.push(...referencesOn(page.body));
        url = linkOf(page.body, 'next');
        if (url !== undefined) expect(url).toContain(`state=${state}&received_from=${from}&received_to=${to}&after=`);
      }
      expect(shown, state).toEqual(wanted);
    }
    expect(expected.filter((e) => e.state === 'remedy_overdue').length).toBeGreaterThan(0);
    expect(expected.filter((e) => e.state === 'awaiting_information').length).toBe(1);
  });

  it('ignores a key it does not understand (the first page)', async () => {
    const page = await officer.get('/ombudsman?after=yesterday');
    expect(referencesOn(page.body)).toEqual(expected.slice(0, 50).map((e) => e.reference));
  });

  it('keeps the API’s list whole', async () => {
    const actor = await aStaffMember(container, ['complaints_officer']);
    expect((await container.ombudsman.register(undefined, {}, actor)).length).toBe(ENQUIRIES);
  });
});
