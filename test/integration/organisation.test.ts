import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testContainer } from '../support/builders.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import { codeOfAsync } from '../support/domain-errors.ts';

const header = 'name,service_area,kind,public_alias\n';

describeEachEngine('organisation', (database) => {
  let container: Container;

  beforeAll(async () => {
    container = await testContainer(database());
    await container.organisation.addServiceArea('Residential Care', CLI_ACTOR);
  });

  it('gives a children’s home a permanent public alias, and only homes have one', async () => {
    const { organisation } = container;
    const id = await organisation.createTeam({ name: 'Oak House', serviceAreaName: 'Residential Care', kind: 'residential_home', publicAlias: 'Home 7', isActive: true }, CLI_ACTOR);
    expect(await codeOfAsync(organisation.createTeam({ name: 'Pine House', serviceAreaName: 'Residential Care', kind: 'residential_home', publicAlias: null, isActive: true }, CLI_ACTOR))).toBe('home_alias_required');
    expect(await codeOfAsync(organisation.createTeam({ name: 'Pine House', serviceAreaName: 'Residential Care', kind: 'residential_home', publicAlias: 'Home 7', isActive: true }, CLI_ACTOR))).toBe('alias_taken');
    expect(await codeOfAsync(organisation.createTeam({ name: 'Field Team', serviceAreaName: 'Residential Care', kind: 'internal', publicAlias: 'Home 8', isActive: true }, CLI_ACTOR))).toBe('alias_only_for_homes');
    const team = await organisation.findTeam(id);
    expect(await codeOfAsync(organisation.updateTeam(id, { name: 'Oak House', serviceAreaName: 'Residential Care', kind: 'residential_home', publicAlias: 'Home 9', isActive: true }, team?.version ?? 0, CLI_ACTOR))).toBe('alias_is_permanent');
    await organisation.updateTeam(id, { name: 'Oak House Children’s Home', serviceAreaName: 'Residential Care', kind: 'residential_home', publicAlias: 'Home 7', isActive: true }, team?.version ?? 0, CLI_ACTOR);
    expect((await organisation.findTeam(id))?.publicAlias).toBe('Home 7');
  });

  it('refuses to save over someone else’s newer change', async () => {
    const { organisation } = container;
    const id = await organisation.createTeam({ name: 'Stale Team', serviceAreaName: 'Residential Care', kind: 'internal', publicAlias: null, isActive: true }, CLI_ACTOR);
    expect(await codeOfAsync(organisation.updateTeam(id, { name: 'Renamed', serviceAreaName: 'Residential Care', kind: 'internal', publicAlias: null, isActive: true }, 99, CLI_ACTOR))).toBe('stale_update');
    expect((await organisation.findTeam(id))?.name).toBe('Stale Team');
  });

  it('imports teams from CSV, creating service areas, and a second import changes nothing', async () => {
    const csv = `${header}Outreach North,Outreach,internal,\nOutreach South,Outreach,,\nHome From Home Ltd,Commissioned,commissioned,\n`;
    const first = await container.organisation.importTeams(csv, CLI_ACTOR);
    expect(first).toEqual({ created: 3, updated: 0, unchanged: 0, problems: [] });
    const second = await container.organisation.importTeams(csv, CLI_ACTOR);
    expect(second).toEqual({ created: 0, updated: 0, unchanged: 3, problems: [] });
    const names = (await container.organisation.listTeams()).map((t) => `${t.serviceAreaName}/${t.name}/${t.kind}`);
    expect(names).toEqual(expect.arrayContaining(['Outreach/Outreach North/internal', 'Outreach/Outreach South/internal', 'Commissioned/Home From Home Ltd/commissioned']));
  });

  it('reports every problem in a CSV by line and column, and writes nothing', async () => {
    const before = await container.organisation.listTeams();
    const csv = `${header}Good Team,Outreach,internal,\n,Outreach,internal,\nBad Kind,Outreach,hospital,\nSecret Home,Residential Care,residential_home,\nGood Team,Outreach,internal,\nAlias Thief,Residential Care,residential_home,Home 7\n`;
    const result = await container.organisation.importTeams(csv, CLI_ACTOR);
    expect(result.created).toBe(0);
    expect(result.problems.map((p) => `${p.line}:${p.column}`)).toEqual(['3:name', '4:kind', '5:public_alias', '6:name', '7:public_alias']);
    expect(result.problems[1]?.message).toContain('hospital');
    expect(await container.organisation.listTeams()).toEqual(before);
  });

  it('refuses an unknown column or a missing required one', async () => {
    const unknown = await container.organisation.importTeams('name,service_area,colour\nA,B,red\n', CLI_ACTOR);
    expect(unknown.problems).toEqual([{ line: 1, column: 'colour', message: expect.stringContaining('Unknown column') as string }]);
    const missing = await container.organisation.importTeams('name\nA\n', CLI_ACTOR);
    expect(missing.problems.map((p) => p.column)).toEqual(['service_area']);
  });
});

describeEachEngine('audit of organisation changes', (database) => {
  it('records who changed a team, when, and what it was before and after', async () => {
    const container = await testContainer(database());
    await container.organisation.addServiceArea('Audit Area', CLI_ACTOR);
    const actor = { userId: null, ip: '192.0.2.10', requestId: 'req-1' };
    const id = await container.organisation.createTeam({ name: 'Audited', serviceAreaName: 'Audit Area', kind: 'internal', publicAlias: null, isActive: true }, actor);
    const team = await container.organisation.findTeam(id);
    await container.organisation.updateTeam(id, { name: 'Audited Team', serviceAreaName: 'Audit Area', kind: 'internal', publicAlias: null, isActive: false }, team?.version ?? 0, actor);
    const { AuditRepository } = await import('../../src/db/audit-repository.ts');
    const events = await new AuditRepository(database().db.kysely).forEntity('team', String(id));
    expect(events.map((e) => e.action)).toEqual(['team_added', 'team_changed']);
    expect(events[1]).toMatchObject({ ip: '192.0.2.10', requestId: 'req-1', occurredAt: '2026-11-26T10:00:00.000Z' });
    expect(events[1]?.details).toMatchObject({ before: { name: 'Audited', isActive: true }, after: { name: 'Audited Team', isActive: false } });
  });
});
