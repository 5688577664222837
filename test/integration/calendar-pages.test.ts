import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer } from '../support/builders.ts';
import { errorSummary, signedInAs, type Browser } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';

describeEachEngine('calendar pages', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let admin: Browser;

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2027-03-01T09:00:00.000Z'));
    app = await createApp(container);
    admin = await signedInAs(app, container, 'admin');
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows this year’s bank holidays by default, and any year asked for', async () => {
    const page = await admin.get('/admin/calendar');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Bank holidays 2027');
    expect(page.body).toContain('Monday 27 December 2027');
    const old = await admin.get('/admin/calendar?year=2012');
    expect(old.body).toContain('Queen’s Diamond Jubilee');
    expect(old.body).toContain('Tuesday 5 June 2012');
    const last = await admin.get('/admin/calendar?year=2040');
    expect(last.body).toContain('year=2039');
    expect(last.body).not.toContain('year=2041');
  });

  it('adds a day, showing errors in a GOV.UK summary first', async () => {
    const empty = await admin.post('/admin/calendar/add', { 'date-day': '', 'date-month': '', 'date-year': '', title: '', reason: '' }, '/admin/calendar');
    expect(empty.statusCode).toBe(400);
    expect(errorSummary(empty.body)).toEqual(['Enter the date of the bank holiday', 'Enter the name of the bank holiday', 'Enter why the day is added, for example the proclamation']);
    const impossible = await admin.post('/admin/calendar/add', { 'date-day': '30', 'date-month': '2', 'date-year': '2027', title: 'X', reason: 'Y' }, '/admin/calendar');
    expect(errorSummary(impossible.body)).toEqual(['Date must be a real date, for example 27 12 2027']);
    expect(impossible.body).toContain('value="30"');
    const weekend = await admin.post('/admin/calendar/add', { 'date-day': '5', 'date-month': '6', 'date-year': '2027', title: 'X', reason: 'Y' }, '/admin/calendar');
    expect(errorSummary(weekend.body)).toEqual(['2027-06-05 is a Saturday: weekends are never working days']);
    const added = await admin.post('/admin/calendar/add', { 'date-day': '7', 'date-month': '6', 'date-year': '2027', title: 'Proclaimed day', reason: 'Proclamation' }, '/admin/calendar');
    expect(added.statusCode).toBe(303);
    const page = await admin.get(String(added.headers.location));
    expect(page.body).toContain('Monday 7 June 2027 added; 0 open clock(s) re-dated');
    expect(page.body).toContain('Proclaimed day');
  });

  it('removes a day after asking for a reason', async () => {
    const confirm = await admin.get('/admin/calendar/remove?date=2027-05-31');
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Make Spring bank holiday a working day?');
    const noReason = await admin.post('/admin/calendar/remove', { date: '2027-05-31', reason: '' }, '/admin/calendar/remove?date=2027-05-31');
    expect(errorSummary(noReason.body)).toEqual(['Enter why the day is no longer a bank holiday']);
    const removed = await admin.post('/admin/calendar/remove', { date: '2027-05-31', reason: 'Moved' }, '/admin/calendar/remove?date=2027-05-31');
    expect(removed.statusCode).toBe(303);
    const page = await admin.get('/admin/calendar?year=2027');
    expect(page.body).toContain('Removed in 2027');
    expect((await admin.get('/admin/calendar/remove?date=2027-07-01')).statusCode).toBe(404);
  });

  it('lets complaints staff read the calendar but not change it', async () => {
    const officer = await signedInAs(app, container, 'complaints_officer');
    const page = await officer.get('/admin/calendar');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Add a bank holiday');
    const post = await officer.post('/admin/calendar/add', { 'date-day': '8', 'date-month': '6', 'date-year': '2027', title: 'X', reason: 'Y' }, '/admin/calendar');
    expect(post.statusCode).toBe(403);
    expect((await container.calendar.calendar()).isWorkingDay('2027-06-08')).toBe(true);
  });
});
