/**
 * Who may open and take each Stage 2 and 3 step, on both engines (issue #5, items 7 and 9).
 *
 * Every step of the later-stage table — `LATER_STEPS` itself, so a step added there is
 * covered at once (and `MAY_TAKE` below stops compiling until someone says who may take it) —
 * against every kind of user: the complaints team, a senior manager, responding managers of
 * the case's team and of another, a viewer, an administrator, and the investigating officer,
 * Independent Person and panel members on cases they are appointed to, on a case where they
 * are not, and on cases whose appointments have ended (council's response recorded, or
 * withdrawn). For each: the step page (GET, and a POST with no answers), the API's
 * `POST …/stages/{step}` and `GET …/stages`, the case page, the work queue, the case API and
 * a file download. Nothing is posted that would be saved, so the cases are built once.
 *
 * The expected answers come from the small explicit tables below — not from the production
 * workflow (`decideStep`, `availableSteps`) — so that a slip in either shows up here.
 *
 * What the code answers, and the test expects:
 *
 * | outcome    | page GET / POST                                   | API POST                  |
 * |------------|---------------------------------------------------|---------------------------|
 * | form       | 200 the form / 400 with an error summary          | 400 with `problems`       |
 * | state      | 400 "there is a problem" (the state's message)    | 409 the state's code      |
 * | denied     | 403                                               | 403 `role_may_not`        |
 * | wrong_kind | 403                                               | 409 `action_not_for_kind` |
 * | hidden     | 404 "Page not found", nothing of the case         | 404 `case_not_found`      |
 * | no_access  | 403 (the route's roles)                           | 403 `forbidden`           |
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, aStaffMember, teamIdsByName, testClock, testContainer } from '../support/builders.ts';
import { Browser, errorSummary } from '../support/http.ts';
import { PDF } from '../support/file-samples.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { REPRESENTATION_SUBJECT } from '../../src/db/representation-repository.ts';
import { LATER_STEPS, type AppointmentRole, type LaterStep } from '../../src/domain/cases/later-stage-workflow.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { Role } from '../../src/domain/users/roles.ts';

// ---- who is who ----

const CASE_TEAM = 'Care Management North';
const OTHER_TEAM = 'Fostering';

const ACTORS = {
  officer: { roles: ['complaints_officer'] },
  manager: { roles: ['complaints_manager'] },
  senior: { roles: ['senior_manager'] },
  /** A responding manager of the team every case here is about. */
  responder: { roles: ['responding_manager'], team: CASE_TEAM },
  otherResponder: { roles: ['responding_manager'], team: OTHER_TEAM },
  viewer: { roles: ['viewer'] },
  admin: { roles: ['admin'] },
  investigator: { roles: ['investigator'] },
  independentPerson: { roles: ['independent_person'] },
  panelChair: { roles: ['panel_member'] },
  panelMember2: { roles: ['panel_member'] },
  panelMember3: { roles: ['panel_member'] },
  /** A manager of another team appointed as the investigating officer of the `other` case (a common arrangement). */
  respondingInvestigator: { roles: ['responding_manager', 'investigator'], team: OTHER_TEAM },
} as const satisfies Record<string, { roles: readonly Role[]; team?: string }>;

type ActorKey = keyof typeof ACTORS;
const ACTOR_KEYS = Object.keys(ACTORS) as ActorKey[];

/** Roles that see every case in full; the responding manager of the case's team sees it in full too. */
const FULL_READERS: readonly ActorKey[] = ['officer', 'manager', 'senior', 'responder'];

// ---- the cases ----

/**
 * - `stage2`: Stage 2 under way (statement agreed, investigator and Independent Person appointed, report received, not acknowledged);
 * - `stage3`: adjudicated, review panel requested and appointed (not yet met, not acknowledged): the adjudication ended the
 *   investigator's and IP's appointments, and the request for the panel appointed the IP again (the council's response is made with them);
 * - `other`: the same point and further (recommendations received), none of the people above appointed — its investigator was
 *   `respondingInvestigator`, whose appointment the adjudication ended, and its IP has no account;
 * - `responded`: the council has responded to the panel: every appointment ended;
 * - `withdrawnStage2`: withdrawn at Stage 2: the investigator's and IP's appointments ended;
 * - `withdrawnStage3`: withdrawn at Stage 3: the panel's appointments ended.
 */
type CaseKey = 'stage2' | 'stage3' | 'other' | 'responded' | 'withdrawnStage2' | 'withdrawnStage3';
const CASE_KEYS: readonly CaseKey[] = ['stage2', 'stage3', 'other', 'responded', 'withdrawnStage2', 'withdrawnStage3'];

/** Each case's complainant: a name that must never reach anyone who may not see the case. */
const COMPLAINANTS: Readonly<Record<CaseKey, string>> = {
  stage2: 'Marigold Ashby-Quill',
  stage3: 'Peregrine Coltsfoot',
  other: 'Wilhelmina Draxmoor',
  responded: 'Octavia Fenwickham',
  withdrawnStage2: 'Barnaby Galloway-Pike',
  withdrawnStage3: 'Cressida Holtwhistle',
};

/** Who holds an appointment to each case now. */
const APPOINTED_NOW: Readonly<Record<CaseKey, Partial<Record<ActorKey, AppointmentRole>>>> = {
  stage2: { investigator: 'investigator', independentPerson: 'independent_person' },
  // The adjudication ended the Stage 2 appointments; the request for a review panel brought the Independent Person back.
  stage3: { independentPerson: 'independent_person', panelChair: 'panel_member', panelMember2: 'panel_member', panelMember3: 'panel_member' },
  other: {},
  responded: {},
  withdrawnStage2: {},
  // Once the complaint is withdrawn at Stage 3 the procedure is over: nobody is appointed any more.
  withdrawnStage3: {},
};

/** Who the matrix asks about each case (every actor on the three live cases; the people whose appointments ended, and a few others, on the rest). */
const MATRIX_ACTORS: Readonly<Record<CaseKey, readonly ActorKey[]>> = {
  stage2: ACTOR_KEYS,
  stage3: ACTOR_KEYS,
  other: ACTOR_KEYS,
  responded: ['officer', 'senior', 'viewer', 'otherResponder', 'investigator', 'independentPerson', 'panelChair', 'panelMember2', 'panelMember3'],
  withdrawnStage2: ['officer', 'viewer', 'investigator', 'independentPerson'],
  withdrawnStage3: ['officer', 'viewer', 'investigator', 'independentPerson', 'panelChair', 'panelMember2', 'panelMember3'],
};

/** The steps each case's state lets someone allowed to take them take now (the others are refused by the state). */
const OPEN: Readonly<Record<CaseKey, readonly LaterStep[]>> = {
  stage2: [
    'acknowledge_stage2',
    'agree_statement',
    'appoint_investigator',
    'appoint_independent_person',
    'offer_advocacy_stage2',
    'extend_stage2',
    'pause_stage2',
    'record_report',
    'record_costs',
    'adjudicate',
    'withdraw_stage2',
  ],
  stage3: ['record_costs', 'acknowledge_stage3', 'appoint_panel', 'record_panel_meeting', 'withdraw_stage3'],
  other: ['record_costs', 'acknowledge_stage3', 'record_council_response', 'withdraw_stage3'],
  responded: ['record_costs'],
  withdrawnStage2: ['record_costs'],
  withdrawnStage3: ['record_costs'],
};

// ---- who may take each step (the roles and the procedure): the test's own table, not the workflow's ----

const TEAM: readonly Role[] = ['complaints_officer', 'complaints_manager'];
const SENIOR: readonly Role[] = ['senior_manager'];

interface StepRule {
  readonly roles: readonly Role[];
  /** Someone appointed to the case now in one of these may take it too. */
  readonly appointed?: readonly AppointmentRole[];
  /** Corporate complaints only: every case here is a Children Act complaint. */
  readonly isCorporateOnly?: true;
}

const MAY_TAKE: Readonly<Record<LaterStep, StepRule>> = {
  request_stage2: { roles: TEAM },
  acknowledge_stage2: { roles: TEAM },
  agree_statement: { roles: TEAM, appointed: ['investigator'] },
  appoint_investigator: { roles: TEAM },
  appoint_independent_person: { roles: TEAM },
  offer_advocacy_stage2: { roles: TEAM },
  extend_stage2: { roles: TEAM },
  pause_stage2: { roles: TEAM },
  resume_stage2: { roles: TEAM },
  record_report: { roles: TEAM, appointed: ['investigator'] },
  record_costs: { roles: TEAM },
  adjudicate: { roles: SENIOR },
  respond_stage2: { roles: [...SENIOR, 'complaints_manager'], isCorporateOnly: true },
  withdraw_stage2: { roles: TEAM },
  request_stage3: { roles: TEAM },
  acknowledge_stage3: { roles: TEAM },
  appoint_panel: { roles: TEAM },
  record_panel_meeting: { roles: TEAM, appointed: ['panel_member'] },
  record_recommendations: { roles: TEAM, appointed: ['panel_member'] },
  record_council_response: { roles: SENIOR },
  withdraw_stage3: { roles: TEAM },
};

type Sight = 'full' | 'figures' | 'none' | 'no_access';

/** How much of the case the actor sees: the rule of the roles, written out again. */
function sightOf(actor: ActorKey, kase: CaseKey): Sight {
  if (actor === 'admin') return 'no_access';
  if (FULL_READERS.includes(actor) || APPOINTED_NOW[kase][actor] !== undefined) return 'full';
  if (actor === 'viewer') return 'figures';
  return 'none';
}

type Outcome = 'form' | 'state' | 'denied' | 'wrong_kind' | 'hidden' | 'no_access';

function expectedOutcome(actor: ActorKey, kase: CaseKey, step: LaterStep): Outcome {
  const sight = sightOf(actor, kase);
  if (sight === 'no_access') return 'no_access';
  if (sight !== 'full') return 'hidden';
  const rule = MAY_TAKE[step];
  if (rule.isCorporateOnly === true) return 'wrong_kind';
  const appointedAs = APPOINTED_NOW[kase][actor];
  const roles: readonly Role[] = ACTORS[actor].roles;
  const may = rule.roles.some((role) => roles.includes(role)) || (appointedAs !== undefined && (rule.appointed ?? []).includes(appointedAs));
  if (!may) return 'denied';
  return OPEN[kase].includes(step) ? 'form' : 'state';
}

const PAGE_STATUS: Readonly<Record<Outcome, { get: number; post: number }>> = {
  form: { get: 200, post: 400 },
  state: { get: 400, post: 400 },
  denied: { get: 403, post: 403 },
  wrong_kind: { get: 403, post: 403 },
  hidden: { get: 404, post: 404 },
  no_access: { get: 403, post: 403 },
};

const API_POST: Readonly<Record<Outcome, { status: number; code?: string }>> = {
  form: { status: 400 },
  state: { status: 409 },
  denied: { status: 403, code: 'role_may_not' },
  wrong_kind: { status: 409, code: 'action_not_for_kind' },
  hidden: { status: 404, code: 'case_not_found' },
  no_access: { status: 403, code: 'forbidden' },
};

/** Codes that are about access, never the answer for a step the state refuses. */
const ACCESS_CODES = new Set(['role_may_not', 'case_not_found', 'unknown_action', 'forbidden', 'action_not_for_kind']);

const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];

interface Person {
  readonly actor: StaffActor;
  readonly browser: Browser;
  readonly token: string;
  readonly csrf: string;
}

interface BuiltCase {
  readonly reference: string;
  readonly id: number;
  readonly attachmentId: number;
}

type ApiError = { error?: { code?: string; problems?: unknown[] } };

describeEachEngine('Stage 2 and 3 access by role and appointment', (database) => {
  let container: Container;
  let app: FastifyInstance;
  const people = {} as Record<ActorKey, Person>;
  const cases = {} as Record<CaseKey, BuiltCase>;
  const kysely = () => database().db.kysely;

  const api = (person: Person, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, headers: { authorization: `Bearer ${person.token}` }, ...(payload === undefined ? {} : { payload }) });
  const errorOf = (reply: LightMyRequestResponse): NonNullable<ApiError['error']> => {
    try {
      return reply.json<ApiError>().error ?? {};
    } catch {
      return {};
    }
  };

  const versionOf = async (reference: string): Promise<number> =>
    (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const take = async (reference: string, step: LaterStep, input: Record<string, unknown>, by: ActorKey = 'officer'): Promise<void> => {
    await container.laterStages.apply(reference, step, input, people[by].actor, await versionOf(reference));
  };

  /** Everything a step could write about the case, apart from audit rows of views and refusals. */
  const footprint = async (id: number) => {
    const db = kysely();
    const [representation, stage2, stage3, appointments, points, clocks, history, offers, audit, actions] = await Promise.all([
      db.selectFrom('representation').select(['version', 'status', 'stage']).where('id', '=', id).executeTakeFirstOrThrow(),
      db.selectFrom('stage2').select(['version', 'state']).where('representation_id', '=', id).execute(),
      db.selectFrom('stage3').select(['version', 'state']).where('representation_id', '=', id).execute(),
      db.selectFrom('appointment').select(['id', 'ended_on']).where('representation_id', '=', id).orderBy('id').execute(),
      db.selectFrom('complaint_point').select(['number', 'finding']).where('representation_id', '=', id).orderBy('number').execute(),
      db.selectFrom('clock').select(['id', 'version']).where('subject_type', '=', REPRESENTATION_SUBJECT).where('subject_id', '=', id).orderBy('id').execute(),
      db.selectFrom('history_entry').select('id').where('subject_type', '=', REPRESENTATION_SUBJECT).where('subject_id', '=', id).execute(),
      db.selectFrom('advocacy_offer').select('id').where('representation_id', '=', id).execute(),
      // A step taken is audited as `representation_<step>`; views and refusals are other actions.
      db.selectFrom('audit_event').select('id').where('entity_type', '=', REPRESENTATION_SUBJECT).where('entity_id', '=', String(id)).where('action', 'like', 'representation_%').execute(),
      db.selectFrom('learning_action').select('id').execute(),
    ]);
    return { representation, stage2, stage3, appointments, points, clocks, history: history.length, offers: offers.length, audit: audit.length, actions: actions.length };
  };

  const auditRows = async (id: number, userId: number, action: string): Promise<number> =>
    (await kysely().selectFrom('audit_event').select('id').where('entity_id', '=', String(id)).where('user_id', '=', userId).where('action', '=', action).execute()).length;

  // ---- building the cases (through the service: the pages and API are what is under test) ----

  const answeredComplaint = async (kase: CaseKey): Promise<string> => {
    const teams = await teamIdsByName(container);
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-03-02', channel: 'letter', summary: `About ${COMPLAINANTS[kase]}’s son’s placement.`, complainant_role: 'parent' },
        teamIds: [teams(CASE_TEAM)],
        complainant: { name: COMPLAINANTS[kase] },
      },
      people.officer.actor,
    );
    if (made === undefined) throw new Error('nothing registered');
    await container.caseActions.apply(made.reference, 'record_response', { responded_on: '2026-03-06', finding: 'not_upheld', remedies: ['explanation'] }, people.officer.actor, 1);
    return made.reference;
  };

  /** Stage 2 under way: statement agreed, investigator and IP appointed (with these accounts, or by name only). */
  const investigating = async (reference: string, investigator: ActorKey | undefined, independentPerson: ActorKey | undefined): Promise<void> => {
    await take(reference, 'request_stage2', { requested_on: '2026-03-10' });
    await take(reference, 'agree_statement', { statement_agreed_on: '2026-03-10', points: 'The move was not explained.\nNo one visited for a month.' });
    await take(reference, 'appoint_investigator', {
      name: 'Ira Vestigate',
      ...(investigator === undefined ? {} : { user_id: people[investigator].actor.userId }),
      is_external: 'no',
      appointed_on: '2026-03-10',
    });
    await take(reference, 'appoint_independent_person', {
      name: 'Indie Person',
      ...(independentPerson === undefined ? {} : { user_id: people[independentPerson].actor.userId }),
      is_external: 'yes',
      declarations: DECLARED,
      declared_on: '2026-03-10',
      appointed_on: '2026-03-10',
    });
  };

  const reportReceived = async (reference: string): Promise<void> => {
    await take(reference, 'record_report', { report_received_on: '2026-04-01', report: { fileName: 'investigation-report.pdf', bytes: PDF } }, 'officer');
  };

  /** Adjudicated, a review panel asked for and appointed (these accounts, or names only). */
  const panelAppointed = async (reference: string, panel: readonly (ActorKey | undefined)[]): Promise<void> => {
    await take(reference, 'adjudicate', { responded_on: '2026-04-01', finding_1: 'upheld', finding_2: 'not_upheld' }, 'senior');
    await take(reference, 'request_stage3', { requested_on: '2026-04-08' });
    const members = ['Pat Chair', 'Robin Second', 'Quinn Third'];
    const input: Record<string, unknown> = { chair: '1', appointed_on: '2026-04-08' };
    members.forEach((name, index) => {
      const n = String(index + 1);
      const account = panel[index];
      input[`member_${n}_name`] = name;
      if (account !== undefined) input[`member_${n}_user_id`] = people[account].actor.userId;
      input[`member_${n}_declarations`] = DECLARED;
      input[`member_${n}_declared_on`] = '2026-04-08';
    });
    await take(reference, 'appoint_panel', input);
  };

  const recommendationsReceived = async (reference: string): Promise<void> => {
    await take(reference, 'record_panel_meeting', { panel_met_on: '2026-05-12', attendees: 'The complainant and their advocate.' });
    await take(reference, 'record_recommendations', { recommendations_received_on: '2026-05-12', recommendations: 'Explain moves in writing.' });
  };

  const build = async (kase: CaseKey, steps: (reference: string) => Promise<void>): Promise<void> => {
    const reference = await answeredComplaint(kase);
    await steps(reference);
    const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    const attachment = await container.attachments.store(REPRESENTATION_SUBJECT, id, { fileName: 'letter-from-school.pdf', bytes: PDF }, people.officer.actor.userId);
    cases[kase] = { reference, id, attachmentId: attachment.id };
  };

  const PANEL: readonly ActorKey[] = ['panelChair', 'panelMember2', 'panelMember3'];

  beforeAll(async () => {
    // Now (26 November 2026) is after every date below, so that none is in the future.
    container = await testContainer(database(), testClock());
    await container.demo.ensure();
    app = await createApp(container);
    await Promise.all(
      ACTOR_KEYS.map(async (key) => {
        const spec: { roles: readonly Role[]; team?: string } = ACTORS[key];
        const actor = await aStaffMember(container, spec.roles, spec.team);
        const browser = new Browser(app);
        await browser.signIn(actor.email, TEST_PASSWORD, container.clock);
        const { token } = await container.apiTokens.create(actor.email, 'access test', ['representations:read', 'representations:write'], CLI_ACTOR);
        people[key] = { actor, browser, token, csrf: await browser.csrfToken('/dashboard') };
      }),
    );

    await build('stage2', async (reference) => {
      await investigating(reference, 'investigator', 'independentPerson');
      await reportReceived(reference);
    });
    await build('stage3', async (reference) => {
      await investigating(reference, 'investigator', 'independentPerson');
      await reportReceived(reference);
      await panelAppointed(reference, PANEL);
    });
    await build('other', async (reference) => {
      await investigating(reference, 'respondingInvestigator', undefined);
      await reportReceived(reference);
      await panelAppointed(reference, [undefined, undefined, undefined]);
      await recommendationsReceived(reference);
    });
    await build('responded', async (reference) => {
      await investigating(reference, 'investigator', 'independentPerson');
      await reportReceived(reference);
      await panelAppointed(reference, PANEL);
      await recommendationsReceived(reference);
      await take(reference, 'record_council_response', { independent_person_consulted_on: '2026-05-12', responded_on: '2026-05-12', decision_1: 'accepted', actions_due_on: '2026-08-28' }, 'senior');
    });
    await build('withdrawnStage2', async (reference) => {
      await investigating(reference, 'investigator', 'independentPerson');
      await take(reference, 'withdraw_stage2', { withdrawn_on: '2026-03-20' });
    });
    await build('withdrawnStage3', async (reference) => {
      await investigating(reference, 'investigator', 'independentPerson');
      await reportReceived(reference);
      await panelAppointed(reference, PANEL);
      await take(reference, 'withdraw_stage3', { withdrawn_on: '2026-04-20' });
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('has a rule for every step of the table, and the cases stand where the matrix says', async () => {
    expect(Object.keys(MAY_TAKE).sort()).toEqual([...LATER_STEPS].sort());
    // The appointments the matrix assumes are the ones recorded (current = not ended).
    for (const kase of CASE_KEYS) {
      const current = await kysely().selectFrom('appointment').select(['user_id', 'role']).where('representation_id', '=', cases[kase].id).where('ended_on', 'is', null).execute();
      const stillAppointed = current.filter((a) => a.user_id !== null);
      const expected = Object.entries(APPOINTED_NOW[kase]).map(([key, role]) => `${String(people[key as ActorKey].actor.userId)}:${role}`);
      expect(stillAppointed.map((a) => `${String(a.user_id)}:${a.role}`).sort(), kase).toEqual(expected.sort());
    }
  });

  for (const kase of CASE_KEYS) {
    it(`answers every step page and step API call on the ${kase} case as the table says, writing nothing`, { timeout: 180_000 }, async () => {
      const { reference, id } = cases[kase];
      const complainant = COMPLAINANTS[kase];
      const before = await footprint(id);
      const version = await versionOf(reference);
      const problems: string[] = [];
      let checks = 0;
      const check = (ok: boolean, what: string): void => {
        checks += 1;
        if (!ok) problems.push(what);
      };

      await Promise.all(
        MATRIX_ACTORS[kase].map(async (key) => {
          const person = people[key];
          const sight = sightOf(key, kase);
          const shownSteps: LaterStep[] = [];
          for (const step of LATER_STEPS) {
            const outcome = expectedOutcome(key, kase, step);
            if (outcome === 'form') shownSteps.push(step);
            const at = `${key} ${step} (${outcome})`;
            const url = `/cases/${reference}/stages/${step}`;

            const page = await person.browser.get(url);
            check(page.statusCode === PAGE_STATUS[outcome].get, `${at}: page GET ${String(page.statusCode)}`);
            const posted = await person.browser.post(url, { _csrf: person.csrf, version: String(version) });
            check(posted.statusCode === PAGE_STATUS[outcome].post, `${at}: page POST ${String(posted.statusCode)}`);
            const reply = await api(person, 'POST', `/api/v1/representations/${reference}/stages/${step}`, { version });
            const error = errorOf(reply);
            check(reply.statusCode === API_POST[outcome].status, `${at}: API POST ${String(reply.statusCode)} ${error.code ?? ''}`);
            const code = API_POST[outcome].code;
            if (code !== undefined) check(error.code === code, `${at}: API POST code ${error.code ?? 'none'}`);

            switch (outcome) {
              case 'form':
                check(page.body.includes(`action="${url}"`) && page.body.includes(`name="version" value="${String(version)}"`), `${at}: no form`);
                check(errorSummary(posted.body).length > 0, `${at}: POST without an error summary`);
                check((error.problems ?? []).length > 0, `${at}: API POST without problems`);
                break;
              case 'state':
                check(!page.body.includes('name="version"') && errorSummary(posted.body).length === 0, `${at}: a form for a step the state refuses`);
                check(error.code !== undefined && !ACCESS_CODES.has(error.code), `${at}: API POST code ${error.code ?? 'none'}`);
                break;
              case 'hidden':
              case 'no_access':
                // Nothing of the case: not its reference, not its complainant.
                for (const [what, body] of [['page GET', page.body], ['page POST', posted.body], ['API POST', reply.body]] as const) {
                  check(!body.includes(reference) && !body.includes(complainant), `${at}: ${what} shows the case`);
                }
                if (outcome === 'hidden') check(page.body.includes('Page not found') && posted.body.includes('Page not found'), `${at}: not "Page not found"`);
                break;
              case 'denied':
              case 'wrong_kind':
                for (const [what, body] of [['page GET', page.body], ['page POST', posted.body], ['API POST', reply.body]] as const) {
                  check(!body.includes(complainant), `${at}: ${what} shows the complainant`);
                }
                break;
            }
          }

          // GET …/stages: the case's later stages with exactly the steps the table allows now, or the same refusal as the steps.
          const stages = await api(person, 'GET', `/api/v1/representations/${reference}/stages`);
          if (sight === 'full') {
            check(stages.statusCode === 200, `${key}: API GET stages ${String(stages.statusCode)}`);
            const allowed = stages.statusCode === 200 ? stages.json<{ steps: { step: string; is_allowed: boolean }[] }>().steps.filter((s) => s.is_allowed).map((s) => s.step) : [];
            check(JSON.stringify(allowed.sort()) === JSON.stringify([...shownSteps].sort()), `${key}: API GET stages allows [${allowed.join(', ')}], expected [${shownSteps.join(', ')}]`);
          } else {
            check(stages.statusCode === (sight === 'no_access' ? 403 : 404), `${key}: API GET stages ${String(stages.statusCode)}`);
            check(errorOf(stages).code === (sight === 'no_access' ? 'forbidden' : 'case_not_found'), `${key}: API GET stages code ${errorOf(stages).code ?? 'none'}`);
            check(!stages.body.includes(reference) && !stages.body.includes(complainant), `${key}: API GET stages shows the case`);
          }

          // The case page links exactly the steps the table allows now.
          const casePage = await person.browser.get(`/cases/${reference}`);
          if (sight === 'full') {
            for (const step of LATER_STEPS) {
              const linked = casePage.body.includes(`href="/cases/${reference}/stages/${step}"`);
              check(linked === shownSteps.includes(step), `${key}: case page ${linked ? 'links' : 'does not link'} ${step}`);
            }
          }
        }),
      );

      // Not one refused or invalid post wrote anything (steps taken are audited as `representation_<step>`: none here).
      expect(await footprint(id)).toEqual(before);
      expect(problems).toEqual([]);
      expect(checks).toBeGreaterThan(MATRIX_ACTORS[kase].length * LATER_STEPS.length * 3);
    });
  }

  for (const kase of CASE_KEYS) {
    it(`shows the ${kase} case, its place in the queues, its API record and its files only to those who may see it, auditing each look`, { timeout: 120_000 }, async () => {
      const { reference, id, attachmentId } = cases[kase];
      const complainant = COMPLAINANTS[kase];
      /** A reference of the same shape that no case has. */
      const NO_SUCH_CASE = reference.replace(/-\d+$/, '-9999');
      const problems: string[] = [];
      const check = (ok: boolean, what: string): void => {
        if (!ok) problems.push(what);
      };
      for (const key of MATRIX_ACTORS[kase]) {
        const person = people[key];
        const { userId } = person.actor;
        const sight = sightOf(key, kase);
        const at = `${key} (${sight})`;

        // The case page: in full, figures only (no personal details), or "Page not found" — each look audited.
        const viewedBefore = await auditRows(id, userId, 'case_viewed');
        const refusedBefore = await auditRows(id, userId, 'case_view_refused');
        const page = await person.browser.get(`/cases/${reference}`);
        const expectedStatus = { full: 200, figures: 200, none: 404, no_access: 403 }[sight];
        check(page.statusCode === expectedStatus, `${at}: case page ${String(page.statusCode)}`);
        check(page.body.includes(complainant) === (sight === 'full'), `${at}: case page ${sight === 'full' ? 'without' : 'with'} the complainant`);
        if (sight === 'none' || sight === 'no_access') check(!page.body.includes(reference), `${at}: case page shows the reference`);
        if (sight === 'full' || sight === 'figures') check((await auditRows(id, userId, 'case_viewed')) === viewedBefore + 1, `${at}: case page view not audited`);
        if (sight === 'none') check((await auditRows(id, userId, 'case_view_refused')) === refusedBefore + 1, `${at}: refused case page not audited`);

        // The case in the API: the same rule, also audited.
        const read = await api(person, 'GET', `/api/v1/representations/${reference}`);
        check(read.statusCode === expectedStatus, `${at}: API GET ${String(read.statusCode)}`);
        check(read.body.includes(complainant) === (sight === 'full'), `${at}: API GET ${sight === 'full' ? 'without' : 'with'} the complainant`);
        if (sight === 'full' || sight === 'figures') check((await auditRows(id, userId, 'case_viewed')) === viewedBefore + 2, `${at}: API read not audited`);
        // Refused exactly as a reference that does not exist is (the message repeats the reference asked for, nothing more).
        if (sight === 'none') check(read.body.replaceAll(reference, 'REF') === (await api(person, 'GET', `/api/v1/representations/${NO_SUCH_CASE}`)).body.replaceAll(NO_SUCH_CASE, 'REF'), `${at}: API GET unlike a case that does not exist`);
        if (sight === 'no_access') check(!read.body.includes(reference), `${at}: API GET shows the reference`);

        // The work queue, on the page and in the API: listed for whoever may see the case at all.
        const isListed = sight === 'full' || sight === 'figures';
        const list = await person.browser.get('/cases?queue=all');
        check(list.statusCode === (sight === 'no_access' ? 403 : 200), `${at}: queue ${String(list.statusCode)}`);
        check(list.body.includes(reference) === isListed, `${at}: queue ${isListed ? 'misses' : 'lists'} the case`);
        const listed = await api(person, 'GET', '/api/v1/representations?queue=all');
        check(listed.body.includes(reference) === isListed, `${at}: API queue ${isListed ? 'misses' : 'lists'} the case`);

        // A file kept with the case: downloaded (and audited) by those who see the case in full, "Page not found" (audited) for the rest.
        const downloadsBefore = await auditRows(id, userId, 'attachment_downloaded');
        const refusalsBefore = await auditRows(id, userId, 'attachment_refused');
        const file = await person.browser.get(`/cases/${reference}/attachments/${String(attachmentId)}`);
        check(file.statusCode === (sight === 'figures' ? 404 : expectedStatus), `${at}: download ${String(file.statusCode)}`);
        if (sight === 'full') {
          check(file.rawPayload.equals(PDF), `${at}: download is not the file`);
          check((await auditRows(id, userId, 'attachment_downloaded')) === downloadsBefore + 1, `${at}: download not audited`);
        } else {
          check(!file.rawPayload.includes(PDF), `${at}: the file was sent`);
          if (sight !== 'no_access') check((await auditRows(id, userId, 'attachment_refused')) === refusalsBefore + 1, `${at}: refused download not audited`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  // ---- what the matrix found once, each in its own test ----

  // Withdrawing at Stage 3 ends every appointment, as the council's response does: the
  // complaint is closed, and its Stage 2 investigating officer and Independent Person no
  // longer see it.
  it('after a withdrawal at Stage 3 the Stage 2 investigator and Independent Person no longer see the case', async () => {
    const { reference } = cases.withdrawnStage3;
    for (const key of ['investigator', 'independentPerson'] as const) {
      const person = people[key];
      expect((await person.browser.get(`/cases/${reference}`)).statusCode, `${key}: case page`).toBe(404);
      expect((await person.browser.get(`/cases/${reference}/stages/record_costs`)).statusCode, `${key}: step page`).toBe(404);
      expect((await api(person, 'GET', `/api/v1/representations/${reference}/stages`)).statusCode, `${key}: API stages`).toBe(404);
      expect((await person.browser.get('/cases?queue=all')).body, `${key}: queue`).not.toContain(reference);
    }
  });

  // A responding manager who is also appointed investigating officer on another team's case
  // can open it (`caseVisibility` takes the widest role) and finds it in their queue too —
  // while Stage 2 is under way (the `other` case, adjudicated, is no longer theirs).
  it('a responding manager appointed as investigating officer finds the case in their queue', async () => {
    const person = people.respondingInvestigator;
    const reference = await answeredComplaint('other');
    await investigating(reference, 'respondingInvestigator', undefined);
    expect((await person.browser.get(`/cases/${reference}`)).statusCode).toBe(200);
    expect((await person.browser.get('/cases?queue=all')).body).toContain(reference);
    expect((await api(person, 'GET', '/api/v1/representations?queue=all')).body).toContain(reference);
    expect((await person.browser.get(`/cases/${cases.other.reference}`)).statusCode).toBe(404);
  });

  // Opening a step's form and reading `GET …/stages` (the statement's points, who is appointed)
  // are audited like the case page, and so is a refusal.
  it('a look at a step page or at the API’s later stages is audited with the viewer’s id, and so is a refusal', async () => {
    const person = people.investigator;
    const { reference, id } = cases.stage2;
    const before = (await kysely().selectFrom('audit_event').select('id').where('entity_id', '=', String(id)).where('user_id', '=', person.actor.userId).execute()).length;
    expect((await person.browser.get(`/cases/${reference}/stages/record_report`)).statusCode).toBe(200);
    expect((await api(person, 'GET', `/api/v1/representations/${reference}/stages`)).statusCode).toBe(200);
    const after = (await kysely().selectFrom('audit_event').select('id').where('entity_id', '=', String(id)).where('user_id', '=', person.actor.userId).execute()).length;
    expect(after).toBe(before + 2);
    // Someone appointed elsewhere is refused, and the refusal is recorded.
    const outsider = people.respondingInvestigator;
    const refusedBefore = await auditRows(id, outsider.actor.userId, 'case_view_refused');
    expect((await outsider.browser.get(`/cases/${reference}/stages/record_report`)).statusCode).toBe(404);
    expect((await api(outsider, 'GET', `/api/v1/representations/${reference}/stages`)).statusCode).toBe(404);
    expect(await auditRows(id, outsider.actor.userId, 'case_view_refused')).toBe(refusedBefore + 2);
  });

  // The adjudication is the end of Stage 2: the investigating officer and the Independent
  // Person no longer see the case. A request for a review panel brings the Independent Person
  // back (the council's response to the panel is made with them), not the investigator.
  it('the adjudication ends the investigator’s and Independent Person’s sight of the case; a review panel asked for brings the Independent Person back', async () => {
    const reference = await answeredComplaint('stage2');
    await investigating(reference, 'investigator', 'independentPerson');
    await reportReceived(reference);
    for (const key of ['investigator', 'independentPerson'] as const) expect((await people[key].browser.get(`/cases/${reference}`)).statusCode, key).toBe(200);
    await take(reference, 'adjudicate', { responded_on: '2026-04-01', finding_1: 'upheld', finding_2: 'not_upheld' }, 'senior');
    for (const key of ['investigator', 'independentPerson'] as const) {
      expect((await people[key].browser.get(`/cases/${reference}`)).statusCode, key).toBe(404);
      expect((await api(people[key], 'GET', `/api/v1/representations/${reference}/stages`)).statusCode, key).toBe(404);
      expect((await people[key].browser.get('/cases?queue=all')).body, key).not.toContain(reference);
    }
    const appointments = () =>
      kysely()
        .selectFrom('appointment as a')
        .innerJoin('representation as r', 'r.id', 'a.representation_id')
        .select(['a.stage', 'a.role', 'a.user_id', 'a.appointed_on', 'a.ended_on'])
        .where('r.reference', '=', reference)
        .orderBy('a.id')
        .execute();
    expect(await appointments()).toEqual([
      { stage: 2, role: 'investigator', user_id: people.investigator.actor.userId, appointed_on: '2026-03-10', ended_on: '2026-04-01' },
      { stage: 2, role: 'independent_person', user_id: people.independentPerson.actor.userId, appointed_on: '2026-03-10', ended_on: '2026-04-01' },
    ]);

    await take(reference, 'request_stage3', { requested_on: '2026-04-08' });
    expect((await people.independentPerson.browser.get(`/cases/${reference}`)).statusCode).toBe(200);
    expect((await api(people.independentPerson, 'GET', `/api/v1/representations/${reference}/stages`)).statusCode).toBe(200);
    expect((await people.investigator.browser.get(`/cases/${reference}`)).statusCode).toBe(404);
    expect((await appointments()).slice(2)).toEqual([{ stage: 3, role: 'independent_person', user_id: people.independentPerson.actor.userId, appointed_on: '2026-04-08', ended_on: null }]);
  });

  // `GET /api/v1/representations/{ref}/actions` follows the case page's rule, appointments
  // included: the investigating officer appointed to a case is not told it does not exist.
  it('the appointed investigator is not told their case does not exist by GET …/actions', async () => {
    const person = people.investigator;
    const { reference } = cases.stage2;
    expect((await api(person, 'GET', `/api/v1/representations/${reference}`)).statusCode).toBe(200);
    expect((await api(person, 'GET', `/api/v1/representations/${reference}/actions`)).statusCode).toBe(200);
  });
});
