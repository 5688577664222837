/**
 * The counting rule checked against worked examples done by hand from the Children Act 1989
 * Representations Procedure (England) Regulations 2006 (reg. 14: a Stage 1 response within
 * 10 working days of receipt), under both of the council's receipt rules, end to end: the
 * complaint registered through the API, the Stage 1 due date read back from the API and from
 * the case page, a response recorded on the deadline and another on the day after (through
 * the Stage 1 actions), the case page's words and the annual report's timescale bands.
 *
 * How the examples were counted (see src/domain/calendar/counting-rule.ts):
 * - `statutory`: day 0 is the day of receipt, whatever day it is; working day 1 is the first
 *   working day after it; the deadline is working day 10.
 * - `next_working_day`: something received on a non-working day counts as received on the next
 *   working day, which is then day 0.
 * - A response dated on a non-working day counts as made on the next working day.
 * Working days are Monday to Friday except the bank holidays of England and Wales.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer, aCaseworkToken } from '../support/builders.ts';
import { decodeEntities, signedInAs, type Browser, registerThroughApi } from '../support/http.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { ReceiptRule } from '../../src/domain/calendar/counting-rule.ts';
import { actionsJson } from '../../src/api/representation-actions-api.ts';

// Monday 30 June 2014: after every date below, so that no response is in the future.
const NOW = '2014-06-30T10:00:00.000Z';
const AS_AT = '2014-06-30';

interface WorkedExample {
  /** What the example is about. */
  name: string;
  receivedOn: string;
  rule: ReceiptRule;
  /** Working day 10, counted by hand (the reasoning is in the comment above each row). */
  dueOn: string;
  /** The day after the deadline (a calendar day: it may be a non-working day). */
  dayAfter: string;
  /** The working days a response on `dayAfter` took (11: one working day late). */
  dayAfterTaken: number;
  /** The reporting year (1 April to 31 March) the receipt falls in. */
  reportYear: number;
}

const EXAMPLES: readonly WorkedExample[] = [
  // Saturday 24 December 2011. Sun 25 Dec is not a working day; Mon 26 Dec (Boxing Day) and
  // Tue 27 Dec (Christmas Day substitute) are bank holidays; Mon 2 Jan 2012 is the New Year
  // substitute bank holiday.
  // statutory: day 0 = Sat 24 Dec. 1 Wed 28, 2 Thu 29, 3 Fri 30, (Mon 2 Jan holiday) 4 Tue 3 Jan,
  //   5 Wed 4, 6 Thu 5, 7 Fri 6, 8 Mon 9, 9 Tue 10, 10 Wed 11 Jan → due Wednesday 11 January 2012.
  //   The day after, Thu 12 Jan, is working day 11.
  { name: 'a Saturday receipt', receivedOn: '2011-12-24', rule: 'statutory', dueOn: '2012-01-11', dayAfter: '2012-01-12', dayAfterTaken: 11, reportYear: 2011 },
  // next_working_day: day 0 = Wed 28 Dec. 1 Thu 29, 2 Fri 30, 3 Tue 3 Jan, 4 Wed 4, 5 Thu 5, 6 Fri 6,
  //   7 Mon 9, 8 Tue 10, 9 Wed 11, 10 Thu 12 → due Thursday 12 January 2012. Fri 13 Jan is 11.
  { name: 'a Saturday receipt', receivedOn: '2011-12-24', rule: 'next_working_day', dueOn: '2012-01-12', dayAfter: '2012-01-13', dayAfterTaken: 11, reportYear: 2011 },

  // Good Friday 22 April 2011 (a bank holiday). Mon 25 Apr is Easter Monday, Fri 29 Apr the
  // Royal Wedding bank holiday, Mon 2 May the Early May bank holiday.
  // statutory: day 0 = Fri 22 Apr. 1 Tue 26, 2 Wed 27, 3 Thu 28, (Fri 29, Mon 2 May holidays)
  //   4 Tue 3 May, 5 Wed 4, 6 Thu 5, 7 Fri 6, 8 Mon 9, 9 Tue 10, 10 Wed 11 May → due Wednesday
  //   11 May 2011. Thu 12 May is 11.
  { name: 'a Good Friday receipt', receivedOn: '2011-04-22', rule: 'statutory', dueOn: '2011-05-11', dayAfter: '2011-05-12', dayAfterTaken: 11, reportYear: 2011 },
  // next_working_day: day 0 = Tue 26 Apr. 1 Wed 27, 2 Thu 28, 3 Tue 3 May, 4 Wed 4, 5 Thu 5,
  //   6 Fri 6, 7 Mon 9, 8 Tue 10, 9 Wed 11, 10 Thu 12 → due Thursday 12 May 2011. Fri 13 May is 11.
  { name: 'a Good Friday receipt', receivedOn: '2011-04-22', rule: 'next_working_day', dueOn: '2011-05-12', dayAfter: '2011-05-13', dayAfterTaken: 11, reportYear: 2011 },

  // Christmas Day, Tuesday 25 December 2012 (a bank holiday). Wed 26 Dec (Boxing Day) and
  // Tue 1 Jan 2013 are bank holidays.
  // statutory: day 0 = Tue 25 Dec. 1 Thu 27, 2 Fri 28, 3 Mon 31, (Tue 1 Jan holiday) 4 Wed 2 Jan,
  //   5 Thu 3, 6 Fri 4, 7 Mon 7, 8 Tue 8, 9 Wed 9, 10 Thu 10 → due Thursday 10 January 2013.
  //   Fri 11 Jan is 11.
  { name: 'a Christmas Day receipt', receivedOn: '2012-12-25', rule: 'statutory', dueOn: '2013-01-10', dayAfter: '2013-01-11', dayAfterTaken: 11, reportYear: 2012 },
  // next_working_day: day 0 = Thu 27 Dec. 1 Fri 28, 2 Mon 31, 3 Wed 2 Jan, 4 Thu 3, 5 Fri 4,
  //   6 Mon 7, 7 Tue 8, 8 Wed 9, 9 Thu 10, 10 Fri 11 → due Friday 11 January 2013. The day after is
  //   Saturday 12 January: a response dated then counts as made on Mon 14 Jan, working day 11.
  { name: 'a Christmas Day receipt', receivedOn: '2012-12-25', rule: 'next_working_day', dueOn: '2013-01-11', dayAfter: '2013-01-12', dayAfterTaken: 11, reportYear: 2012 },

  // The Diamond Jubilee: Saturday 2 June 2012; Mon 4 June (the Spring bank holiday, moved) and
  // Tue 5 June (the Jubilee) were bank holidays.
  // statutory: day 0 = Sat 2 Jun. 1 Wed 6, 2 Thu 7, 3 Fri 8, 4 Mon 11, 5 Tue 12, 6 Wed 13, 7 Thu 14,
  //   8 Fri 15, 9 Mon 18, 10 Tue 19 → due Tuesday 19 June 2012. Wed 20 Jun is 11.
  { name: 'a Jubilee receipt', receivedOn: '2012-06-02', rule: 'statutory', dueOn: '2012-06-19', dayAfter: '2012-06-20', dayAfterTaken: 11, reportYear: 2012 },
  // next_working_day: day 0 = Wed 6 Jun. 1 Thu 7, 2 Fri 8, 3 Mon 11, …, 9 Tue 19, 10 Wed 20 → due
  //   Wednesday 20 June 2012. Thu 21 Jun is 11.
  { name: 'a Jubilee receipt', receivedOn: '2012-06-02', rule: 'next_working_day', dueOn: '2012-06-20', dayAfter: '2012-06-21', dayAfterTaken: 11, reportYear: 2012 },

  // Saturday 31 March 2012, the last day of the 2011/12 reporting year: counted in that year's
  // report, though answered in the next. Fri 6 Apr (Good Friday) and Mon 9 Apr (Easter Monday)
  // were bank holidays.
  // statutory: day 0 = Sat 31 Mar. 1 Mon 2 Apr, 2 Tue 3, 3 Wed 4, 4 Thu 5, (Fri 6, Mon 9 holidays)
  //   5 Tue 10, 6 Wed 11, 7 Thu 12, 8 Fri 13, 9 Mon 16, 10 Tue 17 → due Tuesday 17 April 2012.
  //   Wed 18 Apr is 11.
  { name: 'a 31 March receipt', receivedOn: '2012-03-31', rule: 'statutory', dueOn: '2012-04-17', dayAfter: '2012-04-18', dayAfterTaken: 11, reportYear: 2011 },
  // next_working_day: day 0 = Mon 2 Apr. 1 Tue 3, 2 Wed 4, 3 Thu 5, 4 Tue 10, 5 Wed 11, 6 Thu 12,
  //   7 Fri 13, 8 Mon 16, 9 Tue 17, 10 Wed 18 → due Wednesday 18 April 2012. Thu 19 Apr is 11.
  { name: 'a 31 March receipt', receivedOn: '2012-03-31', rule: 'next_working_day', dueOn: '2012-04-18', dayAfter: '2012-04-19', dayAfterTaken: 11, reportYear: 2011 },
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "11 January 2012", as pages show a date. */
function longDate(iso: string): string {
  const [year = '', month = '', day = ''] = iso.split('-');
  return `${String(Number(day))} ${MONTHS[Number(month) - 1] ?? ''} ${year}`;
}

/** The Stage 1 response row of the case page's "Time limits" table: started, due, where it stands. */
function stage1Row(html: string): { started: string; due: string; stands: string } {
  const text = decodeEntities(html);
  const match = /<th[^>]*>\s*Stage 1 response\s*<\/th>\s*<td[^>]*>\s*([^<]*?)\s*<\/td>\s*<td[^>]*>\s*([^<]*?)\s*<\/td>\s*<td[^>]*>([\s\S]*?)<\/td>/.exec(text);
  if (!match) throw new Error('no Stage 1 response row on the case page');
  return { started: match[1] ?? '', due: match[2] ?? '', stands: (match[3] ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() };
}

describeEachEngine('the counting rule’s worked examples', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: string;
  let browser: Browser;

  const kysely = () => database().db.kysely;
  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${officer}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const representation = (reference: string) => kysely().selectFrom('representation').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();

  const setRule = async (rule: ReceiptRule) => {
    const settings = await container.councilSettings.update({ receiptRule: rule }, CLI_ACTOR);
    expect(settings.receiptRule).toBe(rule);
  };

  const register = (receivedOn: string): Promise<string> => registerThroughApi(app, officer, receivedOn);

  /** The Stage 1 response clock as the API gives it. */
  const apiStage1 = async (reference: string) => {
    const response = await call('GET', `/api/v1/representations/${reference}/actions`);
    expect(response.statusCode, response.body).toBe(200);
    const clock = actionsJson.parse(response.json()).clocks.find((c) => c.key === 'stage1_response');
    if (!clock) throw new Error(`no Stage 1 clock on ${reference}`);
    return clock;
  };

  const pageStage1 = async (reference: string) => {
    const page = await browser.get(`/cases/${reference}`);
    expect(page.statusCode).toBe(200);
    return stage1Row(page.body);
  };

  const respond = async (reference: string, respondedOn: string, isLate: boolean) => {
    const { version } = await representation(reference);
    const response = await call('POST', `/api/v1/representations/${reference}/actions/record_response`, {
      version,
      responded_on: respondedOn,
      finding: 'upheld',
      remedies: ['apology'],
      ...(isLate ? { delay_reasons: ['complex_multi_team'] } : {}),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ action: { is_late: boolean } }>();
  };

  const bands = async (year: number) => {
    const report = await container.annualReports.report(year, { asAt: AS_AT });
    expect(report.checks.filter((c) => !c.holds)).toEqual([]);
    expect(report.uncounted).toEqual([]);
    return report.figures.children_statutory.stage1.timescales;
  };

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    officer = await aCaseworkToken(container, ['complaints_officer']);
    browser = await signedInAs(app, container, 'complaints_officer');
  });
  afterAll(async () => {
    await app.close();
  });

  it.each(EXAMPLES)('$name on $receivedOn under $rule: due $dueOn; on time on it, 1 working day late on $dayAfter', async (example) => {
    await setRule(example.rule);
    const onTime = await register(example.receivedOn);
    const late = await register(example.receivedOn);

    for (const reference of [onTime, late]) {
      // Each keeps the rule it was received under.
      expect(await representation(reference)).toMatchObject({ received_on: example.receivedOn, receipt_rule: example.rule });
      expect(await apiStage1(reference)).toMatchObject({ started_on: example.receivedOn, due_on: example.dueOn, is_open: true });
      const row = await pageStage1(reference);
      expect(row.started).toBe(longDate(example.receivedOn));
      expect(row.due).toBe(longDate(example.dueOn));
    }

    const before = await bands(example.reportYear);

    // A response dated on the deadline: on time, 10 working days, in the "0-10" band.
    expect((await respond(onTime, example.dueOn, false)).action.is_late).toBe(false);
    expect(await apiStage1(onTime)).toMatchObject({ due_on: example.dueOn, is_open: false, tag: 'met', text: 'Responded in 10 working days' });
    const onTimeRow = await pageStage1(onTime);
    expect(onTimeRow.due).toBe(longDate(example.dueOn));
    expect(onTimeRow.stands).toContain('Responded in 10 working days');
    expect(onTimeRow.stands).not.toContain('late');
    const afterOnTime = await bands(example.reportYear);
    expect(afterOnTime).toEqual({ ...before, '0-10': before['0-10'] + 1 });

    // A response dated the day after: one working day late, 11 working days, in the "11-20" band.
    expect((await respond(late, example.dayAfter, true)).action.is_late).toBe(true);
    expect(await apiStage1(late)).toMatchObject({ due_on: example.dueOn, is_open: false, tag: 'late', text: `Responded in ${String(example.dayAfterTaken)} working days, 1 working day late` });
    const lateRow = await pageStage1(late);
    expect(lateRow.stands).toContain(`Responded in ${String(example.dayAfterTaken)} working days, 1 working day late`);
    expect(await bands(example.reportYear)).toEqual({ ...afterOnTime, '11-20': afterOnTime['11-20'] + 1 });
  });

  it('puts every worked example in its year’s bands: half on time, half a day late', async () => {
    // 2011/12: the Saturday, Good Friday and 31 March receipts, each under both rules, two cases each.
    expect(await bands(2011)).toEqual({ '0-10': 6, '11-20': 6, '21-25': 0, '26-30': 0, '31+': 0 });
    // 2012/13: the Christmas Day and Jubilee receipts.
    expect(await bands(2012)).toEqual({ '0-10': 4, '11-20': 4, '21-25': 0, '26-30': 0, '31+': 0 });
    const { figures } = await container.annualReports.report(2011, { asAt: AS_AT });
    expect(figures.children_statutory.stage1).toMatchObject({ responded: 12, open: 0, withdrawn: 0, escalated_without_response: 0 });
  });

  it('keeps a clock’s due date when the council changes its receipt rule later', async () => {
    // Saturday 24 August 2013; Monday 26 August 2013 was the Summer bank holiday.
    // next_working_day: day 0 = Tue 27 Aug. 1 Wed 28, 2 Thu 29, 3 Fri 30, 4 Mon 2 Sep, 5 Tue 3,
    //   6 Wed 4, 7 Thu 5, 8 Fri 6, 9 Mon 9, 10 Tue 10 → due Tuesday 10 September 2013.
    // statutory: day 0 = Sat 24 Aug. 1 Tue 27, 2 Wed 28, 3 Thu 29, 4 Fri 30, 5 Mon 2 Sep, 6 Tue 3,
    //   7 Wed 4, 8 Thu 5, 9 Fri 6, 10 Mon 9 → due Monday 9 September 2013.
    await setRule('next_working_day');
    const earlier = await register('2013-08-24');
    expect(await apiStage1(earlier)).toMatchObject({ due_on: '2013-09-10' });
    const { id } = await representation(earlier);
    const clockRow = () => kysely().selectFrom('clock').select(['due_on', 'events']).where('subject_type', '=', 'representation').where('subject_id', '=', id).where('clock_key', '=', 'stage1_response').executeTakeFirstOrThrow();
    const clockBefore = await clockRow();
    expect(clockBefore.due_on).toBe('2013-09-10');

    await setRule('statutory');
    // The clock that started under next_working_day keeps it: its due date does not move.
    expect(await representation(earlier)).toMatchObject({ receipt_rule: 'next_working_day' });
    expect(await apiStage1(earlier)).toMatchObject({ due_on: '2013-09-10' });
    expect((await pageStage1(earlier)).due).toBe('10 September 2013');
    expect(await clockRow()).toEqual(clockBefore);
    // A complaint received the same day after the change is counted under the new rule.
    const later = await register('2013-08-24');
    expect(await representation(later)).toMatchObject({ receipt_rule: 'statutory' });
    expect(await apiStage1(later)).toMatchObject({ due_on: '2013-09-09' });
    expect((await pageStage1(later)).due).toBe('9 September 2013');

    // Answered on Tuesday 10 September, the earlier one is on time (10 working days); the later one late.
    await respond(earlier, '2013-09-10', false);
    expect((await pageStage1(earlier)).stands).toContain('Responded in 10 working days');
    await respond(later, '2013-09-10', true);
    expect((await pageStage1(later)).stands).toContain('Responded in 11 working days, 1 working day late');
    expect(await bands(2013)).toEqual({ '0-10': 1, '11-20': 1, '21-25': 0, '26-30': 0, '31+': 0 });
  });

  it('gives the acknowledgement the council’s number of working days, kept by each clock from its start', async () => {
    await setRule('statutory');
    const ackDue = async (reference: string) => {
      const { id } = await representation(reference);
      const row = await kysely().selectFrom('clock').select('due_on').where('subject_type', '=', 'representation').where('subject_id', '=', id).where('clock_key', '=', 'acknowledgement').executeTakeFirstOrThrow();
      return row.due_on;
    };
    // Monday 2 June 2014: working day 2 (the default) is Wednesday 4 June, working day 5 Monday 9 June.
    const before = await register('2014-06-02');
    expect(await ackDue(before)).toBe('2014-06-04');
    await container.councilSettings.update({ childrenAcknowledgementDays: 5 }, CLI_ACTOR);
    const after = await register('2014-06-02');
    expect(await ackDue(after)).toBe('2014-06-09');
    // The clock that started under 2 days keeps them, and the later one its 5.
    expect(await ackDue(before)).toBe('2014-06-04');
    await container.councilSettings.update({ childrenAcknowledgementDays: 2 }, CLI_ACTOR);
    expect(await ackDue(after)).toBe('2014-06-09');
  });
});
