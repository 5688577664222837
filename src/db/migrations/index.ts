import type { Migration } from '../migrator.ts';
import { foundation } from './0001-foundation.ts';
import { calendarAndClocks } from './0002-calendar-and-clocks.ts';
import { representations } from './0003-representations.ts';
import { apiTokens } from './0004-api-tokens.ts';
import { letterTemplates } from './0005-letter-templates.ts';
import { caseSearch } from './0006-case-search.ts';
import { eligibilityDetails } from './0007-eligibility-details.ts';
import { notificationOutbox } from './0008-notification-outbox.ts';
import { publicSubmissions } from './0009-public-submissions.ts';
import { ombudsman } from './0010-ombudsman.ts';
import { submissionAttachments } from './0011-submission-attachments.ts';
import { learning } from './0012-learning.ts';
import { secureLinksAndQuestionnaires } from './0013-secure-links-and-questionnaires.ts';
import { historyTotals } from './0014-history-totals.ts';
import { laterStages } from './0015-later-stages.ts';
import { statusBeforeClosure } from './0016-status-before-closure.ts';
import { councilSettingsAndReceiptRule } from './0017-council-settings-and-receipt-rule.ts';
import { panelDelayReasons } from './0018-panel-delay-reasons.ts';
import { sharedLimitsAndJobRuns } from './0019-shared-limits-and-job-runs.ts';
import { queueOrderAndSearchIndexes } from './0020-queue-order-and-search-indexes.ts';
import { multiFactorAndPasswords } from './0021-multi-factor-and-passwords.ts';
import { singleSignOn } from './0022-single-sign-on.ts';
import { auditTrailChain } from './0023-audit-trail-chain.ts';
import { retentionAndDisposal } from './0024-retention-and-disposal.ts';
import { outboxRetryWindow } from './0025-outbox-retry-window.ts';
import { emailCopies } from './0026-email-copies.ts';
import { recommendationDecisions } from './0027-recommendation-decisions.ts';
import { advocateAtRegistration } from './0028-advocate-at-registration.ts';
import { caseRestrictions } from './0029-case-restrictions.ts';
import { registerLogAndMonitoringIndexes } from './0030-register-log-and-monitoring-indexes.ts';
import { stagedUploadSource } from './0031-staged-upload-source.ts';
import { annualReportIndexes } from './0032-annual-report-indexes.ts';
import { coveringMonitoringIndexes } from './0033-covering-monitoring-indexes.ts';
import { questionnaireReminderIndex } from './0034-questionnaire-reminder-index.ts';
import { recentlyFinishedIndex } from './0035-recently-finished-index.ts';
import { complainantSearchIndex } from './0036-complainant-search-index.ts';
import { orderedSearchTerms } from './0037-ordered-search-terms.ts';
import { auditAppendFunction } from './0038-audit-append-function.ts';
import { coveringFinishedIndex } from './0039-covering-finished-index.ts';

/** Every migration, oldest first. Never edit one that has shipped: add a new one. */
export const migrations: readonly Migration[] = [
  foundation,
  calendarAndClocks,
  representations,
  apiTokens,
  letterTemplates,
  caseSearch,
  eligibilityDetails,
  notificationOutbox,
  publicSubmissions,
  ombudsman,
  submissionAttachments,
  learning,
  secureLinksAndQuestionnaires,
  historyTotals,
  laterStages,
  statusBeforeClosure,
  councilSettingsAndReceiptRule,
  panelDelayReasons,
  sharedLimitsAndJobRuns,
  queueOrderAndSearchIndexes,
  multiFactorAndPasswords,
  singleSignOn,
  auditTrailChain,
  retentionAndDisposal,
  outboxRetryWindow,
  emailCopies,
  recommendationDecisions,
  advocateAtRegistration,
  caseRestrictions,
  registerLogAndMonitoringIndexes,
  stagedUploadSource,
  annualReportIndexes,
  coveringMonitoringIndexes,
  questionnaireReminderIndex,
  recentlyFinishedIndex,
  complainantSearchIndex,
  orderedSearchTerms,
  auditAppendFunction,
  coveringFinishedIndex,
];
