/**
 * The Stage 2 and Stage 3 pages on both engines: each step's form, its error summary with
 * the answers kept and nothing written, and who may open what — appointed and not appointed
 * investigators, Independent Persons and panel members, senior managers and the team.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { teamIdsByName, testClock, testContainer } from '../support/builders.ts';
import { dateFields, decodeEntities, errorSummary, signedInPerson, type Browser } from '../support/http.ts';
import { PDF } from '../support/file-samples.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { Role } from '../../src/domain/users/roles.ts';

const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];

describeEachEngine('Stage 2 and 3 pages', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let teamId: (name: string) => number;
  const kysely = () => database().db.kysely;

  const person = (roles: Role[]) => signedInPerson(app, container, roles);
  let officer: Awaited<ReturnType<typeof person>>;
  let senior: Awaited<ReturnType<typeof person>>;
  let investigator: Awaited<ReturnType<typeof person>>;
  let strangerInvestigator: Awaited<ReturnType<typeof person>>;
  let independentPerson: Awaited<ReturnType<typeof person>>;
  let panellist: Awaited<ReturnType<typeof person>>;
  let strangerPanellist: Awaited<ReturnType<typeof person>>;

  const stepUrl = (reference: string, step: string) => `/cases/${reference}/stages/${step}`;
  /** Opens the step's form and posts it with the version and CSRF token it shows. */
  const act = async (browser: Browser, reference: string, step: string, form: Record<string, string | string[]>): Promise<LightMyRequestResponse> => {
    const page = await browser.get(stepUrl(reference, step));
    expect(page.statusCode, page.body).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return browser.post(stepUrl(reference, step), { _csrf: csrf, version, ...form });
  };
  const expectSaved = (response: LightMyRequestResponse) => {
    expect(response.statusCode, errorSummary(response.body).join(' | ')).toBe(303);
  };

  beforeAll(async () => {
    // Now is after every date below, so that none is in the future (the clocks are the service test's business).
    container = await testContainer(database(), testClock());
    await container.demo.ensure();
    app = await createApp(container);
    teamId = await teamIdsByName(container);
    officer = await person(['complaints_officer']);
    senior = await person(['senior_manager']);
    investigator = await person(['investigator']);
    strangerInvestigator = await person(['investigator']);
    independentPerson = await person(['independent_person']);
    panellist = await person(['panel_member']);
    strangerPanellist = await person(['panel_member']);
  });
  afterAll(async () => {
    await app.close();
  });

  it('runs Stage 2 and Stage 3 from the case page, each person seeing only what they are appointed to', async () => {
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-03-02', channel: 'letter', summary: 'My son’s placement moved without warning.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        complainant: { name: 'Jo Parent' },
      },
      officer.actor,
    );
    const reference = made?.reference ?? '';
    await container.caseActions.apply(reference, 'record_response', { responded_on: '2026-03-06', finding: 'not_upheld', remedies: ['explanation'] }, officer.actor, 1);

    // The case page offers the Stage 2 request to the team, and nothing to others.
    const casePage = await officer.browser.get(`/cases/${reference}`);
    expect(casePage.statusCode, casePage.body).toBe(200);
    expect(casePage.body).toContain('id="later-stages"');
    expect(casePage.body).toContain(`href="${stepUrl(reference, 'request_stage2')}"`);
    expect((await investigator.browser.get(`/cases/${reference}`)).statusCode).toBe(404);
    expect((await investigator.browser.get(stepUrl(reference, 'record_report'))).statusCode).toBe(404);

    // Every problem at once, answers kept, nothing written.
    const bad = await act(officer.browser, reference, 'request_stage2', { ...dateFields('requested_on', '2026-02-30') });
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual(['The date of the request must be a real date']);
    expect(bad.body).toContain('value="30"');
    expect(bad.body).toContain('href="#requested_on"');
    expect(await kysely().selectFrom('stage2').select('id').execute()).toHaveLength(0);
    expectSaved(await act(officer.browser, reference, 'request_stage2', dateFields('requested_on', '2026-03-10')));

    expectSaved(
      await act(officer.browser, reference, 'agree_statement', { ...dateFields('statement_agreed_on', '2026-03-10'), points: 'The move was not explained.\nNo one visited for a month.' }),
    );
    // The reason for an extension: radios, "Other" revealing a box for the words, which it then needs.
    const extendForm = await officer.browser.get(stepUrl(reference, 'extend_stage2'));
    expect(extendForm.body).toMatch(/<div class="govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-extension_reason-3">[\s\S]*name="extension_reason_text"/);
    const clockBefore = await kysely().selectFrom('clock').select(['events', 'due_on', 'version']).where('clock_key', '=', 'stage2_response').execute();
    const noWords = await act(officer.browser, reference, 'extend_stage2', { extra_working_days: '5', extension_reason: 'other', ...dateFields('complainant_told_on', '2026-03-11') });
    expect(noWords.statusCode).toBe(400);
    expect(errorSummary(noWords.body)).toEqual(['Enter the reason for the extension, in your own words: it is needed when the reason is “Other”']);
    const unknownReason = await act(officer.browser, reference, 'extend_stage2', { extra_working_days: '5', extension_reason: 'busy', ...dateFields('complainant_told_on', '2026-03-11') });
    expect(errorSummary(unknownReason.body)).toEqual(['Select the reason for the extension from the list']);
    expect(await kysely().selectFrom('clock').select(['events', 'due_on', 'version']).where('clock_key', '=', 'stage2_response').execute()).toEqual(clockBefore);
    expectSaved(await act(officer.browser, reference, 'extend_stage2', { extra_working_days: '5', extension_reason: 'complexity', ...dateFields('complainant_told_on', '2026-03-11') }));
    expect(decodeEntities((await officer.browser.get(`/cases/${reference}`)).body)).toContain('Extended by 5 working days: The complaint is complex');

    const appointForm = await officer.browser.get(stepUrl(reference, 'appoint_investigator'));
    expect(appointForm.body).toContain(`value="${String(investigator.actor.userId)}"`);
    expectSaved(
      await act(officer.browser, reference, 'appoint_investigator', { name: 'Ira Vestigate', user_id: String(investigator.actor.userId), is_external: 'no', ...dateFields('appointed_on', '2026-03-10') }),
    );
    const declared = await act(officer.browser, reference, 'appoint_independent_person', {
      name: 'Ira Vestigate',
      is_external: 'yes',
      declarations: DECLARED,
      ...dateFields('declared_on', '2026-03-10'),
      ...dateFields('appointed_on', '2026-03-10'),
    });
    expect(declared.statusCode).toBe(400);
    expect(errorSummary(declared.body)).toEqual(['The Independent Person cannot also be the investigating officer']);
    expectSaved(
      await act(officer.browser, reference, 'appoint_independent_person', {
        name: 'Indie Person',
        user_id: String(independentPerson.actor.userId),
        is_external: 'yes',
        declarations: DECLARED,
        ...dateFields('declared_on', '2026-03-10'),
        ...dateFields('appointed_on', '2026-03-10'),
      }),
    );

    // Appointed: the investigator and the Independent Person see this case — and only this one.
    const investigatorView = await investigator.browser.get(`/cases/${reference}`);
    expect(investigatorView.statusCode).toBe(200);
    expect(decodeEntities(investigatorView.body)).toContain('Ira Vestigate');
    expect(investigatorView.body).toContain(`href="${stepUrl(reference, 'record_report')}"`);
    expect(investigatorView.body).not.toContain(`href="${stepUrl(reference, 'adjudicate')}"`);
    expect((await independentPerson.browser.get(`/cases/${reference}`)).statusCode).toBe(200);
    expect((await strangerInvestigator.browser.get(`/cases/${reference}`)).statusCode).toBe(404);
    expect((await strangerInvestigator.browser.get(stepUrl(reference, 'record_report'))).statusCode).toBe(404);
    const list = await investigator.browser.get('/cases?queue=all');
    expect(list.body).toContain(reference);
    expect((await strangerInvestigator.browser.get('/cases?queue=all')).body).not.toContain(reference);
    // An appointed investigator may not adjudicate: the page says so.
    expect((await investigator.browser.get(stepUrl(reference, 'adjudicate'))).statusCode).toBe(403);

    const reportPage = await investigator.browser.get(stepUrl(reference, 'record_report'));
    expect(reportPage.body).toContain('enctype="multipart/form-data"');
    expectSaved(
      await investigator.browser.postMultipart(
        stepUrl(reference, 'record_report'),
        { _csrf: /name="_csrf" value="([^"]+)"/.exec(reportPage.body)?.[1] ?? '', version: /name="version" value="(\d+)"/.exec(reportPage.body)?.[1] ?? '', ...dateFields('report_received_on', '2026-04-01') },
        { report: { name: 'report.pdf', bytes: PDF } },
      ),
    );

    // The adjudication: a finding for each point, by a senior manager.
    const missing = await act(senior.browser, reference, 'adjudicate', { ...dateFields('responded_on', '2026-04-01'), finding_1: 'upheld' });
    expect(missing.statusCode).toBe(400);
    expect(errorSummary(missing.body)).toEqual(['Record a finding for every point of the complaint: point 2 has none']);
    expect(missing.body).toContain('href="#finding_2"');
    expect(await kysely().selectFrom('stage2').select('state').executeTakeFirstOrThrow()).toEqual({ state: 'investigating' });
    expectSaved(
      await act(senior.browser, reference, 'adjudicate', {
        ...dateFields('responded_on', '2026-04-01'),
        finding_1: 'upheld',
        finding_2: 'upheld',
        recommendations: 'Explain every move to the child in writing.\nTrain the team in planning moves.',
        ...dateFields('actions_due_on', '2026-07-31'),
      }),
    );
    const afterAdjudication = decodeEntities((await officer.browser.get(`/cases/${reference}`)).body);
    expect(afterAdjudication).toContain('1 April 2026: Upheld');
    expect(afterAdjudication).toContain('Recommendations accepted');
    expect(afterAdjudication).toContain('Train the team in planning moves.');
    // The adjudication letter: a finding on each point, and the route to a review panel by 20 working days on (past Easter).
    const adjudicationLetter = decodeEntities((await officer.browser.get(`/cases/${reference}/letters/stage2_adjudication`)).body);
    expect(adjudicationLetter).toContain('1. The move was not explained.: Upheld');
    expect(adjudicationLetter).toContain('Taken as a whole, your complaint is: Upheld.');
    expect(adjudicationLetter).toContain('The council accepts these recommendations and will act on them:');
    expect(adjudicationLetter).toContain('1. Explain every move to the child in writing.');
    expect(adjudicationLetter).toContain('2. Train the team in planning moves.');
    expect(adjudicationLetter).toContain('that is by 1 May 2026');
    expect(adjudicationLetter).toContain('Ira Vestigate');
    expectSaved(await act(officer.browser, reference, 'record_costs', { cost_investigator: '1,800', cost_independent_person: '900' }));
    expect(decodeEntities((await officer.browser.get(`/cases/${reference}`)).body)).toContain('£2,700');

    // Stage 3.
    expectSaved(await act(officer.browser, reference, 'request_stage3', dateFields('requested_on', '2026-04-08')));
    const member = (n: number, name: string, userId?: number) => ({
      [`member_${String(n)}_name`]: name,
      [`member_${String(n)}_user_id`]: userId === undefined ? '' : String(userId),
      [`member_${String(n)}_declarations`]: DECLARED,
      ...dateFields(`member_${String(n)}_declared_on`, '2026-04-08'),
    });
    const withIp = await act(officer.browser, reference, 'appoint_panel', {
      ...member(1, 'Pat Chair', panellist.actor.userId),
      ...member(2, 'Indie Person'),
      ...member(3, 'Quinn Third'),
      chair: '1',
      ...dateFields('appointed_on', '2026-04-08'),
    });
    expect(withIp.statusCode).toBe(400);
    expect(errorSummary(withIp.body)).toEqual(['The Independent Person of Stage 2 may not sit on the review panel: choose someone else']);
    expect(withIp.body).toContain('href="#member_2_name"');
    expect(decodeEntities(withIp.body)).toContain('value="Quinn Third"');
    expectSaved(
      await act(officer.browser, reference, 'appoint_panel', {
        ...member(1, 'Pat Chair', panellist.actor.userId),
        ...member(2, 'Robin Second'),
        ...member(3, 'Quinn Third'),
        chair: '1',
        ...dateFields('appointed_on', '2026-04-08'),
      }),
    );
    expect((await strangerPanellist.browser.get(`/cases/${reference}`)).statusCode).toBe(404);
    expectSaved(await act(panellist.browser, reference, 'record_panel_meeting', { ...dateFields('panel_met_on', '2026-05-12'), attendees: 'The complainant and their advocate.' }));
    expectSaved(
      await act(panellist.browser, reference, 'record_recommendations', {
        ...dateFields('recommendations_received_on', '2026-05-12'),
        recommendations: 'Explain moves in writing.\nMeet the family before any move.',
      }),
    );
    expect((await panellist.browser.get(stepUrl(reference, 'record_council_response'))).statusCode).toBe(403);
    // The council decides on each recommendation: none may be left out.
    const response = { ...dateFields('independent_person_consulted_on', '2026-05-12'), ...dateFields('responded_on', '2026-05-12') };
    const undecided = await act(senior.browser, reference, 'record_council_response', { ...response, decision_1: 'accepted' });
    expect(undecided.statusCode).toBe(400);
    expect(errorSummary(undecided.body)).toEqual(['Select the council’s decision on recommendation 2']);
    expectSaved(
      await act(senior.browser, reference, 'record_council_response', {
        ...response,
        decision_1: 'accepted',
        decision_2: 'not_accepted',
        reasons_2: 'A meeting is not always possible in an emergency.',
        ...dateFields('actions_due_on', '2026-08-28'),
      }),
    );
    const letters = decodeEntities((await officer.browser.get(`/cases/${reference}/letters`)).body);
    expect(letters).toContain('Council’s response to the review panel');
    const responseLetter = decodeEntities((await officer.browser.get(`/cases/${reference}/letters/stage3_response`)).body);
    expect(responseLetter).toContain('Local Government and Social Care Ombudsman');
    expect(responseLetter).toContain('The review panel met on 12 May 2026');
    expect(responseLetter).toContain('1. Explain moves in writing.');
    expect(responseLetter).toContain('The council’s decision: Accepted');
    expect(responseLetter).toContain('2. Meet the family before any move.');
    expect(responseLetter).toContain('The council’s decision: Not accepted: A meeting is not always possible in an emergency.');
    expect(responseLetter).not.toContain('[not recorded]');
    const done = decodeEntities((await officer.browser.get(`/cases/${reference}`)).body);
    expect(done).toContain('Council has responded');
    expect(done).toContain('Ended 12 May 2026');
    // The case page and its timeline give the recommendations and decisions in words, not a count.
    expect(done).toContain('The panel’s recommendations');
    expect(done).toContain('Meet the family before any move.');
    expect(done).toContain('The council’s decision: Not accepted: A meeting is not always possible in an emergency.');
    expect(done).toContain('Explain moves in writing.; Meet the family before any move.');
    // The procedure is over: the appointed people no longer see the case.
    expect((await panellist.browser.get(`/cases/${reference}`)).statusCode).toBe(404);
    expect((await investigator.browser.get(`/cases/${reference}`)).statusCode).toBe(404);
  });

  it('refuses a save based on an older version of the case, keeping the answers', async () => {
    const [made] = await container.registration.register(
      { fields: { kind: 'children_statutory', received_on: '2026-03-02', channel: 'letter', summary: 'Stale', complainant_role: 'parent' }, teamIds: [teamId('Fostering')], complainant: { name: 'Kim' } },
      officer.actor,
    );
    const reference = made?.reference ?? '';
    await container.caseActions.apply(reference, 'record_response', { responded_on: '2026-03-06', finding: 'not_upheld', remedies: ['explanation'] }, officer.actor, 1);
    const page = await officer.browser.get(stepUrl(reference, 'request_stage2'));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const stale = await officer.browser.post(stepUrl(reference, 'request_stage2'), { _csrf: csrf, version: '1', ...dateFields('requested_on', '2026-03-06') });
    expect(stale.statusCode).toBe(409);
    expect(errorSummary(stale.body)[0]).toContain('Someone else changed this case');
    expect(stale.body).toContain('value="6"');
  });
});
