import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, teamIdsByName, testClock, testContainer } from '../support/builders.ts';
import { signedInAs, type Browser } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';

// Thursday 26 November 2026, 10am.
const NOW = '2026-11-26T10:00:00.000Z';

/**
 * The case page reads each part of the case once (its row, clocks, decisions, offers, history
 * and restrictions), whoever else on the page needs them — its actions, its later stages —
 * and writes one audit event. Every statement is counted through a plugin on the database.
 */
describeEachEngine('the case page reads each thing once', (database) => {
  const statements: string[] = [];
  let container: Container;
  let app: FastifyInstance;
  let officer: Browser;
  let reference: string;

  beforeAll(async () => {
    const base = database().db.kysely;
    const counting: KyselyPlugin = {
      transformQuery: ({ node, queryId }) => {
        statements.push(base.getExecutor().compileQuery(node, queryId).sql);
        return node;
      },
      transformResult: ({ result }) => Promise.resolve(result),
    };
    container = await testContainer({ ...database(), db: { ...database().db, kysely: base.withPlugin(counting) } }, testClock(NOW));
    await container.demo.ensure();
    const teamId = await teamIdsByName(container);
    const registrar = await aStaffMember(container, ['complaints_officer']);
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-20', channel: 'leaflet', via_complaints_team: 'yes', summary: 'Contact was cancelled.', issues: ['communication'], complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        youngPerson: { externalId: 'YP-100234', dateOfBirth: '2012-03-04', ethnicity: 'WBRI' },
        complainant: { name: 'Sam Parent', email: 'sam@example.org', preferredContact: 'email' },
      },
      registrar,
    );
    reference = made?.reference ?? '';
    app = await createApp(container);
    officer = await signedInAs(app, container, 'complaints_officer');
  });

  afterAll(async () => {
    await app.close();
  });

  it('reads the case, its clocks, decisions, offers, history and restrictions once, and audits the view once', async () => {
    expect((await officer.get(`/cases/${reference}`)).statusCode).toBe(200);
    statements.length = 0;
    const page = await officer.get(`/cases/${reference}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(reference);

    const reads = (pattern: RegExp): number => statements.filter((s) => /^select/i.test(s) && pattern.test(s)).length;
    // The session, its user and their roles: one read.
    expect(reads(/from "session"|from "app_user"/)).toBe(1);
    expect(reads(/from "app_user" .*inner join "session"/)).toBe(1);
    expect(reads(/"reference" = /)).toBe(1);
    expect(reads(/from "clock"/)).toBe(1);
    expect(reads(/from "eligibility_decision"/)).toBe(1);
    expect(reads(/from "advocacy_offer"/)).toBe(1);
    expect(reads(/from "history_entry"/)).toBe(1);
    expect(reads(/from "case_restriction"/)).toBe(1);
    expect(reads(/from "calendar_change"/)).toBeLessThanOrEqual(1);
    // The audit event: one insert (SQLite, under its write lock), or on PostgreSQL one call that takes the chain's lock, reads its head and inserts.
    expect(statements.filter((s) => /^(insert into "audit_event"|select audit_append\()/i.test(s))).toHaveLength(1);
    expect(statements.filter((s) => s.includes('pg_advisory_xact_lock'))).toEqual([]);
    // Signing the request in, the case and its parts, the sections around it, the audit event.
    expect(statements.length).toBeLessThanOrEqual(32);
  });
});
