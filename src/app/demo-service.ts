/**
 * Demo data for a newcomer's first look: an organisation shaped like the seed council's, one
 * user per role and a year of made-up cases. Only ever run on request (`redress demo`, `redress serve --demo`), and
 * refused in production.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { TeamRepository } from '../db/team-repository.ts';
import { UserRepository } from '../db/user-repository.ts';
import { ROLES, ROLE_LABELS, type Role } from '../domain/users/roles.ts';
import type { TeamKind } from '../domain/organisation/team.ts';
import { hashPassword } from './passwords.ts';
import type { Clock } from './clock.ts';
import { RegistrationService, type StaffActor } from './registration-service.ts';
import { CaseActionService } from './case-action-service.ts';
import { LaterStageService } from './later-stage-service.ts';
import { LearningService } from './learning-service.ts';
import type { CalendarService } from './calendar-service.ts';
import { addDemoCases } from './demo-cases.ts';
import { AttachmentService } from './attachment-service.ts';

export const DEMO_PASSWORD = 'redress-demo-password';
/** How many contacts the demo registers over the last year. */
export const DEMO_CASES = 120;
export const DEMO_DIRECTORATE = "Directorate of Children's Services";

interface DemoTeam {
  readonly name: string;
  readonly kind?: TeamKind;
  readonly alias?: string;
}

export const DEMO_ORGANISATION: readonly { readonly area: string; readonly teams: readonly DemoTeam[] }[] = [
  { area: 'Care Management', teams: [{ name: 'Care Management North' }, { name: 'Care Management South' }, { name: 'Team 4' }] },
  { area: 'Assessment', teams: [{ name: 'Assessment North' }, { name: 'Assessment South' }] },
  { area: 'Family Support and Contact', teams: [{ name: 'Family Support' }, { name: 'Contact Team' }] },
  { area: 'Permanence', teams: [{ name: 'Adoption' }, { name: 'Fostering' }] },
  { area: 'Specialist Services', teams: [{ name: 'Disability Team' }, { name: 'Leaving Care' }] },
  {
    area: 'Residential Care',
    teams: [
      { name: 'Ashfield House', kind: 'residential_home', alias: 'Home 1' },
      { name: 'Brook Lodge', kind: 'residential_home', alias: 'Home 2' },
      { name: 'Cedar View', kind: 'residential_home', alias: 'Home 3' },
      { name: 'Dale Cottage', kind: 'residential_home', alias: 'Home 4' },
      { name: 'Elm Court', kind: 'residential_home', alias: 'Home 5' },
    ],
  },
  { area: 'Commissioned Services', teams: [{ name: 'Horizon Care Partnership', kind: 'commissioned' }] },
];

/** Demo users live at this domain, which can never deliver mail (RFC 2606). */
export const demoEmail = (role: Role): string => `${role.replaceAll('_', '.')}@redress.example`;

const DEMO_TEAM_FOR_ROLE: Partial<Record<Role, string>> = { responding_manager: 'Care Management North' };

export interface DemoCredentials {
  readonly role: Role;
  readonly label: string;
  readonly email: string;
}

export class DemoService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
    /** Where the demo cases' documents (the investigation reports) are kept: the configured attachments directory. */
    private readonly attachmentsDir: string,
    /** Records (never sends) the emails due by a clock's time; the demo's emails go through it day by day. */
    private readonly recordEmailsAsAt?: (clock: Clock) => Promise<number>,
  ) {}

  /**
   * Adds the demo organisation and users where they are missing, and with `withCases` a year
   * of cases when there are none. Returns the demo accounts (all with DEMO_PASSWORD) and
   * whether anything was created.
   */
  async ensure(options: { withCases?: boolean } = {}): Promise<{ created: boolean; accounts: DemoCredentials[] }> {
    const now = this.clock().toISOString();
    const hash = await hashPassword(DEMO_PASSWORD);
    const created = await this.db.transaction().execute(async (trx) => {
      const teams = new TeamRepository(trx);
      const users = new UserRepository(trx);
      let didCreate = false;
      const directorateId = await teams.ensureDirectorate(DEMO_DIRECTORATE);
      for (const { area, teams: members } of DEMO_ORGANISATION) {
        const areaId = (await teams.findServiceAreaByName(area))?.id ?? (await teams.createServiceArea(area, directorateId));
        for (const team of members) {
          if (await teams.findByName(team.name)) continue;
          const kind = team.kind ?? 'internal';
          await teams.create({ name: team.name, serviceAreaId: areaId, kind, publicAlias: team.alias ?? null, isActive: true }, now);
          didCreate = true;
        }
      }
      for (const role of ROLES) {
        if (await users.findByEmail(demoEmail(role))) continue;
        const teamName = DEMO_TEAM_FOR_ROLE[role];
        const teamId = teamName === undefined ? null : ((await teams.findByName(teamName))?.id ?? null);
        await users.create({ email: demoEmail(role), name: `Demo ${ROLE_LABELS[role].toLowerCase()}`, passwordHash: hash, teamId, roles: [role] }, now);
        didCreate = true;
      }
      return didCreate;
    });
    const casesMade = options.withCases === true ? await this.ensureCases() : 0;
    return { created: created || casesMade > 0, accounts: ROLES.map((role) => ({ role, label: ROLE_LABELS[role], email: demoEmail(role) })) };
  }

  /** A year of demo cases, worked by the demo complaints officer and responding manager, when there are none yet. */
  private async ensureCases(): Promise<number> {
    const existing = await this.db.selectFrom('representation').select('id').limit(1).executeTakeFirst();
    const users = new UserRepository(this.db);
    const officer = await users.findByEmail(demoEmail('complaints_officer'));
    const responder = await users.findByEmail(demoEmail('responding_manager'));
    if (existing || !officer) return 0;
    const teams = await new TeamRepository(this.db).list();
    const actorFor = async (role: Role): Promise<StaffActor | undefined> => {
      const user = await users.findByEmail(demoEmail(role));
      return user === undefined ? undefined : actorOf(user);
    };
    const senior = await users.findByEmail(demoEmail('senior_manager'));
    const actorOf = (user: { id: number; roles: readonly Role[]; teamId: number | null }): StaffActor => ({ userId: user.id, roles: user.roles, teamId: user.teamId, ip: null, requestId: null });
    // Each step happens on its own date from 9am, a minute after the one before on the same date, so timelines read in order.
    let moment = new Date(0);
    const clock: Clock = () => moment;
    const setDate = (date: string): void => {
      moment = moment.toISOString().startsWith(date) ? new Date(moment.getTime() + 60_000) : new Date(`${date}T09:00:00.000Z`);
    };
    const work = {
      db: this.db,
      calendar: await this.calendars.calendar(),
      registration: new RegistrationService(this.db, clock, this.calendars),
      actions: new CaseActionService(this.db, clock, this.calendars),
      setDate,
      officer: actorOf(officer),
      responder: responder === undefined ? undefined : actorOf(responder),
      ...(senior === undefined
        ? {}
        : {
            later: {
              service: new LaterStageService(
                this.db,
                clock,
                this.calendars,
                (trx, request) => new LearningService(this.db, clock).recordRecommendations(trx, request).then(() => undefined),
                new AttachmentService(this.db, clock, this.attachmentsDir),
              ),
              senior: actorOf(senior),
              investigator: await actorFor('investigator'),
              independentPerson: await actorFor('independent_person'),
              panellist: await actorFor('panel_member'),
            },
          }),
    };
    const today = this.clock().toISOString().slice(0, 10);
    const made = await addDemoCases(work, teams, today, DEMO_CASES);
    await this.recordPastEmails(today);
    return made;
  }

  /**
   * The made-up year's emails, recorded day by day as they would have gone at the time (their
   * secure links live then), so that a fresh demo has no backlog and no failed emails and its
   * Emails page reads like a year's post. Today's wait for the running server.
   */
  private async recordPastEmails(today: string): Promise<void> {
    if (this.recordEmailsAsAt === undefined) return;
    const days = await this.db
      .selectFrom('notification_outbox')
      .select(sql<string>`substr(next_attempt_at, 1, 10)`.as('day'))
      .where('status', '=', 'pending')
      .distinct()
      .orderBy('day')
      .execute();
    for (const { day } of days) if (day < today) await this.recordEmailsAsAt(() => new Date(`${day}T23:59:59.000Z`));
  }
}
