import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aUser, testClock, testContainer } from '../support/builders.ts';
import { codeOfAsync } from '../support/domain-errors.ts';
import { HistoryRepository } from '../../src/db/history-repository.ts';
import { RepresentationRepository } from '../../src/db/representation-repository.ts';
import type { Container } from '../../src/container.ts';
import type { RegistrationInput } from '../../src/domain/cases/registration.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { Role } from '../../src/domain/users/roles.ts';

describeEachEngine('registering representations', (database) => {
  let container: Container;
  let officer: StaffActor;
  let teamId: (name: string) => number;

  const staff = async (...roles: Role[]): Promise<StaffActor> => ({ userId: (await aUser(container, ...roles)).id, roles, teamId: null, ip: '192.0.2.7', requestId: 'r-reg' });

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2026-11-26T10:00:00.000Z'));
    await container.demo.ensure();
    officer = await staff('complaints_officer');
    const teams = await container.organisation.listTeams();
    teamId = (name) => {
      const team = teams.find((t) => t.name === name);
      if (!team) throw new Error(`no team ${name}`);
      return team.id;
    };
  });

  const complaint = (fields: Record<string, unknown> = {}, rest: Partial<RegistrationInput> = {}): RegistrationInput => ({
    fields: {
      kind: 'children_statutory',
      received_on: '2026-11-20',
      event_on: '2026-11-01',
      channel: 'leaflet',
      via_complaints_team: 'yes',
      summary: 'Contact with my son was cancelled three times without notice.',
      issues: ['contact_arrangements', 'communication'],
      complainant_role: 'parent',
      ...fields,
    },
    teamIds: [teamId('Care Management North')],
    youngPerson: { externalId: 'YP-100234', dateOfBirth: '2012-03-04', ethnicity: 'WBRI' },
    complainant: { name: 'Sam Parent', email: 'sam@example.org', preferredContact: 'email' },
    ...rest,
  });

  const count = async () => (await database().db.kysely.selectFrom('representation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  it('makes one complaint per team from one contact, linked, each with its reference, clocks and history', async () => {
    const created = await container.registration.register(complaint({}, { teamIds: [teamId('Care Management North'), teamId('Contact Team')] }), officer);
    expect(created.map((r) => [r.reference, r.teamName, r.status])).toEqual([
      ['CSC-2026-0001', 'Care Management North', 'registered'],
      ['CSC-2026-0002', 'Contact Team', 'registered'],
    ]);
    expect(created[0]?.contactId).toBe(created[1]?.contactId);

    const kysely = database().db.kysely;
    const clocks = await kysely.selectFrom('clock').select(['clock_key', 'due_on']).where('subject_id', '=', created[0]?.id ?? 0).orderBy('clock_key').execute();
    // Received Friday 20 November 2026: acknowledgement in 2 working days (Tuesday 24th), Stage 1 response in 10 (Friday 4 December).
    expect(clocks).toEqual([
      { clock_key: 'acknowledgement', due_on: '2026-11-24' },
      { clock_key: 'stage1_response', due_on: '2026-12-04' },
    ]);
    const history = await new HistoryRepository(kysely).forSubject('representation', created[1]?.id ?? 0);
    expect(history.map((h) => [h.summary, h.userId])).toEqual([
      ['Registered: Complaint (Children Act 1989 procedure), about Contact Team', officer.userId],
      ['One of 2 from the same contact, one per team: CSC-2026-0001, CSC-2026-0002', officer.userId],
    ]);
    expect(await new RepresentationRepository(kysely).codes(created[0]?.id ?? 0, 'issue')).toEqual(['communication', 'contact_arrangements']);
    expect(await kysely.selectFrom('young_person').selectAll().execute()).toHaveLength(1);
    const audit = await kysely.selectFrom('audit_event').select(['action', 'ip']).where('entity_type', '=', 'representation').execute();
    expect(audit).toEqual([
      { action: 'representation_registered', ip: '192.0.2.7' },
      { action: 'representation_registered', ip: '192.0.2.7' },
    ]);
  });

  it('numbers references by kind and year, never twice, even when registrations arrive together', async () => {
    const compliment = await container.registration.register(
      { fields: { kind: 'compliment', received_on: '2026-11-25', channel: 'email', summary: 'Thank you for your support.', compliment_source: 'adopter', consent_to_quote: 'yes' }, teamIds: [teamId('Adoption')], workerName: 'Dana Worker' },
      officer,
    );
    expect(compliment[0]?.reference).toBe('CPL-2026-0001');
    const stored = await database().db.kysely.selectFrom('representation').select(['compliment_source', 'has_consent_to_quote', 'worker_name']).where('reference', '=', 'CPL-2026-0001').executeTakeFirst();
    expect(stored).toEqual({ compliment_source: 'adopter', has_consent_to_quote: 1, worker_name: 'Dana Worker' });
    const many = await Promise.all(Array.from({ length: 8 }, () => container.registration.register(complaint(), officer)));
    const references = many.flat().map((r) => r.reference);
    expect(new Set(references).size).toBe(8);
    expect(references.every((r) => /^CSC-2026-00(0[3-9]|10)$/.test(r))).toBe(true);
  });

  it('registers a complaint about another agency with no clock', async () => {
    const [other] = await container.registration.register(
      { fields: { kind: 'other_agency', received_on: '2026-11-24', channel: 'telephone', summary: 'About the school nurse.', agency: 'Health visiting service', forwarded_on: '2026-11-25' }, teamIds: [teamId('Assessment North')] },
      officer,
    );
    expect(other).toMatchObject({ reference: 'OAG-2026-0001', status: 'registered' });
    expect(await database().db.kysely.selectFrom('clock').select('id').where('subject_id', '=', other?.id ?? 0).execute()).toEqual([]);
  });

  it('refuses what the rules do not allow, naming the field, and writes nothing', async () => {
    const before = await count();
    const { registration } = container;
    const refused = (input: RegistrationInput, actor = officer) => codeOfAsync(registration.register(input, actor));
    expect(await refused(complaint({ kind: 'grumble' }))).toBe('invalid_kind');
    expect(await refused(complaint({ received_on: '2026-02-30' }))).toBe('invalid_received_on');
    expect(await refused(complaint({ received_on: '2026-11-27' }))).toBe('date_in_future');
    expect(await refused(complaint({ event_on: '2026-11-21' }))).toBe('event_after_receipt');
    expect(await refused(complaint({ issues: ['bad_weather'] }))).toBe('invalid_issues');
    expect(await refused(complaint({ complainant_role: '' }))).toBe('missing_complainant_role');
    expect(await refused(complaint({ kind: 'compliment' }))).toBe('missing_compliment_source');
    expect(await refused(complaint({ kind: 'other_agency' }))).toBe('missing_agency');
    expect(await refused(complaint({}, { teamIds: [] }))).toBe('missing_team_id');
    expect(await refused(complaint({}, { teamIds: [999_999] }))).toBe('team_unknown');
    expect(await refused(complaint({}, { youngPerson: { externalId: 'YP-1', ethnicity: 'XXXX' } }))).toBe('invalid_ethnicity');
    expect(await refused(complaint({}, { complainant: undefined }))).toBe('missing_complainant_name');
    expect(await refused(complaint({}, { complainant: { name: 'A', email: 'not-an-email' } }))).toBe('email_invalid');
    expect(await refused(complaint(), await staff('responding_manager'))).toBe('role_may_not');
    expect(await refused(complaint(), await staff('viewer'))).toBe('role_may_not');
    expect(await count()).toBe(before);
  });
});
