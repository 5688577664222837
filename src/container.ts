/** Wires the parts together: config → database → services. */
import type { Config } from './config.ts';
import { openDatabase, type Db } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { createLogger, type Logger } from './logger.ts';
import { systemClock, type Clock } from './app/clock.ts';
import { AuthService } from './app/auth-service.ts';
import { MfaService } from './app/mfa-service.ts';
import { OidcService } from './app/oidc-service.ts';
import { UserService } from './app/user-service.ts';
import { OrganisationService } from './app/organisation-service.ts';
import { DemoService } from './app/demo-service.ts';
import { CalendarService } from './app/calendar-service.ts';
import { RegistrationService } from './app/registration-service.ts';
import { ApiTokenService } from './app/api-token-service.ts';
import { CaseQueryService } from './app/case-query-service.ts';
import { OwnWorkService } from './app/own-work-service.ts';
import { CaseActionService } from './app/case-action-service.ts';
import { OmbudsmanService } from './app/ombudsman-service.ts';
import { LearningService } from './app/learning-service.ts';
import { LaterStageService } from './app/later-stage-service.ts';
import { NextStageService } from './app/next-stage-service.ts';
import { AnnualReportService } from './app/annual-report-service.ts';
import { MonitoringService } from './app/monitoring-service.ts';
import { Notifications } from './notify/notifications.ts';
import { LetterService } from './app/letter-service.ts';
import { CaseStateService } from './app/case-state-service.ts';
import { PublicSubmissionService } from './app/public-submission-service.ts';
import { InterchangeService } from './app/interchange-service.ts';
import { HistoryTotalService } from './app/history-total-service.ts';
import { SecureLinkService } from './app/secure-link-service.ts';
import { QuestionnaireService } from './app/questionnaire-service.ts';
import { AttachmentService } from './app/attachment-service.ts';
import { CouncilSettingsService, redateAfterCountingUpgrade } from './app/council-settings-service.ts';
import { councilSettingsAndReceiptRule } from './db/migrations/0017-council-settings-and-receipt-rule.ts';
import { analyzeDatabase } from './db/analyze.ts';
import { RetentionService } from './app/retention-service.ts';
import { CaseRestrictionService } from './app/case-restriction-service.ts';
import { AuditService } from './app/audit-service.ts';
import { SubjectAccessService } from './app/subject-access-service.ts';

export interface Container {
  readonly config: Config;
  readonly db: Db;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly auth: AuthService;
  /** The steps of a local sign-in after the password: authenticator codes, enrolment, recovery codes, password changes. */
  readonly mfa: MfaService;
  /** Single sign-on with the council's OpenID Connect provider; undefined when OIDC_* is not set. */
  readonly oidc: OidcService | undefined;
  readonly users: UserService;
  readonly organisation: OrganisationService;
  readonly demo: DemoService;
  readonly calendar: CalendarService;
  /** The council's settings: the receipt rule and the corporate procedure's pause policy. */
  readonly councilSettings: CouncilSettingsService;
  readonly registration: RegistrationService;
  readonly apiTokens: ApiTokenService;
  readonly cases: CaseQueryService;
  /** Each member of staff's own work, by role, for the dashboard. */
  readonly ownWork: OwnWorkService;
  readonly caseActions: CaseActionService;
  /** Stages 2 and 3: requests, appointments, investigation, adjudication, review panel. */
  readonly laterStages: LaterStageService;
  /** Asking for Stage 2 or 3 online, through the link sent with the response. */
  readonly nextStages: NextStageService;
  readonly ombudsman: OmbudsmanService;
  /** Learning from complaints: lessons, the complaints that raised them, and their actions. */
  readonly learning: LearningService;
  readonly annualReports: AnnualReportService;
  /** Quarterly monitoring by service area and the dashboard's figures. */
  readonly monitoring: MonitoringService;
  /** Email: templates, outbox, worker and reminder job (src/notify/, src/jobs/). */
  readonly notifications: Notifications;
  readonly letters: LetterService;
  readonly caseStates: CaseStateService;
  /** Complaints, compliments and comments sent from the public pages. */
  readonly publicSubmissions: PublicSubmissionService;
  /** Import and export of the interchange file. */
  readonly interchange: InterchangeService;
  /** Yearly totals entered by hand, for years before Redress. */
  readonly historyTotals: HistoryTotalService;
  /** Links with an unguessable, expiring, single-use token sent to complainants (questionnaires, Stage 2/3 requests). */
  readonly secureLinks: SecureLinkService;
  /** The satisfaction questionnaire sent after closure: answers, reminder, summary by year. */
  readonly questionnaires: QuestionnaireService;
  /** Files kept for records (stored under `config.attachmentsDir`). */
  readonly attachments: AttachmentService;
  /** The audit trail for information governance: the audit page and its CSV. */
  readonly auditTrail: AuditService;
  /** Subject access requests: every record about a young person or a complainant, as one bundle. */
  readonly subjectAccess: SubjectAccessService;
  /** Retention and disposal: the policy, legal holds, what is due, disposal runs and their log. */
  readonly retention: RetentionService;
  /** Restricted cases: the staff and teams excluded from a case. */
  readonly caseRestrictions: CaseRestrictionService;
  close(): Promise<void>;
}

export interface ContainerOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** An already-open database (tests); otherwise one is opened from the config. */
  readonly db?: Db;
  /** Run migrations on start (default true). */
  readonly migrate?: boolean;
}

/**
 * Brings the schema up to date; after the upgrade that stopped holds moving the Children Act
 * deadlines, works out every open clock's due date again (see `redateAfterCountingUpgrade`).
 */
export async function migrateDatabase(db: Db, clock: Clock): Promise<{ applied: readonly string[]; redatedClocks: number }> {
  const { applied } = await migrateToLatest(db);
  const redatedClocks = applied.includes(councilSettingsAndReceiptRule.name) ? await redateAfterCountingUpgrade(db.kysely, new CalendarService(db.kysely, clock), clock) : 0;
  // New indexes and columns: refresh the planners' statistics so that they are used.
  if (applied.length > 0) await analyzeDatabase(db);
  return { applied, redatedClocks };
}

export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const db = options.db ?? openDatabase(config.database);
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  const kysely = db.kysely;
  const calendar = new CalendarService(kysely, clock);
  try {
    if (options.migrate !== false) {
      const { applied, redatedClocks } = await migrateDatabase(db, clock);
      if (applied.length > 0) logger.info({ applied, redatedClocks }, 'database migrated');
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const registration = new RegistrationService(kysely, clock, calendar);
  const learning = new LearningService(kysely, clock);
  const notifications = new Notifications(kysely, config, clock, calendar, logger);
  const attachments = new AttachmentService(kysely, clock, config.attachmentsDir, config.publicUploads);
  const mfa = new MfaService(kysely, clock, { mfaRequired: config.mfaRequired, secret: config.sessionSecret, issuer: 'Redress' });
  return {
    config,
    db,
    logger,
    clock,
    auth: new AuthService(kysely, clock, config.sessionIdleMinutes, mfa),
    mfa,
    oidc: config.oidc === undefined ? undefined : new OidcService(kysely, clock, config.oidc),
    users: new UserService(kysely, clock),
    organisation: new OrganisationService(kysely, clock),
    demo: new DemoService(kysely, clock, calendar, config.attachmentsDir, (at) => notifications.recordDueAsAt(at)),
    calendar,
    councilSettings: new CouncilSettingsService(kysely, clock),
    registration,
    apiTokens: new ApiTokenService(kysely, clock),
    cases: new CaseQueryService(kysely, clock, calendar),
    ownWork: new OwnWorkService(kysely, clock, calendar),
    caseActions: new CaseActionService(kysely, clock, calendar),
    laterStages: new LaterStageService(kysely, clock, calendar, (trx, request) => learning.recordRecommendations(trx, request).then(() => undefined), attachments),
    nextStages: new NextStageService(kysely, clock),
    ombudsman: new OmbudsmanService(kysely, clock),
    learning,
    annualReports: new AnnualReportService(kysely, clock, calendar),
    monitoring: new MonitoringService(kysely, clock, calendar),
    notifications,
    letters: new LetterService(kysely, clock, calendar, config.councilName),
    caseStates: new CaseStateService(kysely, clock, calendar),
    publicSubmissions: new PublicSubmissionService(kysely, clock, config.complaintsTeamEmail),
    interchange: new InterchangeService(kysely, clock, calendar),
    historyTotals: new HistoryTotalService(kysely, clock),
    secureLinks: new SecureLinkService(kysely, clock),
    questionnaires: new QuestionnaireService(kysely, clock),
    attachments,
    auditTrail: new AuditService(kysely, clock),
    subjectAccess: new SubjectAccessService(kysely, clock, (storageKey) => attachments.pathOf(storageKey)),
    retention: new RetentionService(kysely, clock, (storageKey) => attachments.pathOf(storageKey)),
    caseRestrictions: new CaseRestrictionService(kysely, clock),
    close: () => (options.db ? Promise.resolve() : db.close()),
  };
}
