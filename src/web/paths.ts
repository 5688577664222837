/**
 * Typed URL helpers. Routes register `pattern`; templates and controllers build URLs with
 * `url(params)`, never by hand, so a renamed route cannot leave a broken link behind.
 */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name extends `${infer Before}.${string}` ? Before : Name // `:key.docx`: the name stops at the dot
    : never;

export type RouteParams<P extends string> = { readonly [K in ParamNames<P>]: string | number };

export interface Route<P extends string> {
  readonly pattern: P;
  url(...args: ParamNames<P> extends never ? [query?: Record<string, string>] : [params: RouteParams<P>, query?: Record<string, string>]): string;
}

export function route<P extends string>(pattern: P): Route<P> {
  return {
    pattern,
    url(...args: unknown[]): string {
      const hasParams = pattern.includes(':');
      const params = (hasParams ? args[0] : undefined) as Record<string, string | number> | undefined;
      const query = (hasParams ? args[1] : args[0]) as Record<string, string> | undefined;
      const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
        const value = params?.[name];
        if (value === undefined) throw new Error(`Missing URL parameter ${name} for ${pattern}`);
        return encodeURIComponent(String(value));
      });
      const search = query ? new URLSearchParams(query).toString() : '';
      return search === '' ? path : `${path}?${search}`;
    },
  };
}

export const paths = {
  home: route('/'),
  signIn: route('/sign-in'),
  signOut: route('/sign-out'),
  // The steps of a local sign-in after the password, and the account's own security settings.
  signInCode: route('/sign-in/code'),
  signInAuthenticator: route('/sign-in/authenticator'),
  signInNewPassword: route('/sign-in/new-password'),
  account: route('/account'),
  accountPassword: route('/account/password'),
  accountRecoveryCodes: route('/account/recovery-codes'),
  signInOidc: route('/sign-in/oidc'),
  signInOidcCallback: route('/sign-in/oidc/callback'),
  userRoles: route('/admin/users/:userId/roles'),
  dashboard: route('/dashboard'),
  healthLive: route('/health/live'),
  healthReady: route('/health/ready'),
  metrics: route('/metrics'),
  adminIndex: route('/admin'),
  teams: route('/admin/teams'),
  newTeam: route('/admin/teams/new'),
  editTeam: route('/admin/teams/:teamId/edit'),
  newServiceArea: route('/admin/service-areas/new'),
  users: route('/admin/users'),
  newUser: route('/admin/users/new'),
  userStatus: route('/admin/users/:userId/status'),
  userMfaReset: route('/admin/users/:userId/authenticator-reset'),
  notificationTemplates: route('/admin/notifications'),
  emailCopies: route('/emails'),
  notificationTemplate: route('/admin/notifications/:templateKey'),
  retryFailedNotifications: route('/admin/notifications/retry-failed'),
  cases: route('/cases'),
  newCase: route('/cases/new'),
  caseRegistered: route('/cases/registered'),
  caseDetail: route('/cases/:reference'),
  caseAction: route('/cases/:reference/actions/:action'),
  caseStep: route('/cases/:reference/stages/:step'),
  caseLetters: route('/cases/:reference/letters'),
  caseLetter: route('/cases/:reference/letters/:key'),
  caseLetterDocx: route('/cases/:reference/letters/:key.docx'),
  caseAttachment: route('/cases/:reference/attachments/:attachmentId'),
  letterTemplates: route('/admin/letters'),
  letterTemplate: route('/admin/letters/:key'),
  restoreLetterTemplate: route('/admin/letters/:key/restore'),
  ombudsman: route('/ombudsman'),
  newOmbudsmanEnquiry: route('/ombudsman/new'),
  ombudsmanEnquiry: route('/ombudsman/:enquiryId'),
  ombudsmanStep: route('/ombudsman/:enquiryId/:step'),
  ombudsmanAnswer: route('/ombudsman/:enquiryId/requests/:requestId/answer'),
  learning: route('/learning'),
  newLesson: route('/learning/new'),
  overdueLearningActions: route('/learning/actions/overdue'),
  learningActions: route('/learning/actions'),
  learningActionStep: route('/learning/actions/:actionId/:step'),
  lesson: route('/learning/:lessonId'),
  editLesson: route('/learning/:lessonId/edit'),
  lessonComplaints: route('/learning/:lessonId/complaints'),
  unlinkLessonComplaint: route('/learning/:lessonId/complaints/:representationId/remove'),
  newLearningAction: route('/learning/:lessonId/actions/new'),
  calendar: route('/admin/calendar'),
  addHoliday: route('/admin/calendar/add'),
  removeHoliday: route('/admin/calendar/remove'),
  annualReport: route('/reports/annual'),
  annualReportJson: route('/reports/annual.json'),
  annualReportHtml: route('/reports/annual.html'),
  annualReportDocx: route('/reports/annual.docx'),
  annualReportXlsx: route('/reports/annual.xlsx'),
  monitoringReport: route('/reports/monitoring'),
  monitoringReportCsv: route('/reports/monitoring.csv'),
  accessibility: route('/accessibility'),
  contactUs: route('/contact-us'),
  contactUsSend: route('/contact-us/send'),
  contactUsSent: route('/contact-us/sent'),
  registerSubmission: route('/cases/:reference/register'),
  apiDocs: route('/api/docs'),
  apiDocsJson: route('/api/docs/json'),
  apiDocsYaml: route('/api/docs/yaml'),
  apiExplorer: route('/api/docs/explorer'),
  importFile: route('/admin/import'),
  exportFile: route('/reports/export'),
  historyTotals: route('/admin/history'),
  councilSettings: route('/admin/settings'),
  retention: route('/admin/retention'),
  caseLegalHold: route('/cases/:reference/legal-hold'),
  // Restricted cases: the staff and teams excluded from a case.
  caseRestrictions: route('/cases/:reference/restrictions'),
  caseRestrictionRemove: route('/cases/:reference/restrictions/:restrictionId/remove'),
  // Secure links (src/domain/links/secure-link.ts): /respond/<purpose's segment>/<token>.
  questionnaire: route('/respond/questionnaire/:token'),
  askForStage2: route('/respond/stage-2/:token'),
  askForStage3: route('/respond/stage-3/:token'),
  nextStageSent: route('/respond/next-stage/sent'),
  questionnaireSend: route('/respond/questionnaire/:token/send'),
  questionnaireThanks: route('/respond/questionnaire/thank-you'),
  questionnaireReport: route('/reports/questionnaires'),
  // Information governance: the audit trail and subject access requests.
  auditTrail: route('/audit'),
  auditTrailCsv: route('/audit.csv'),
  subjectAccess: route('/subject-access'),
  subjectAccessBundle: route('/subject-access/bundle.zip'),
} as const;

export type Paths = typeof paths;
