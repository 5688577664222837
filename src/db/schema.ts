/**
 * Table types for Kysely. The same tables exist on SQLite and PostgreSQL, so columns use
 * the types both engines share: integers, text, ISO date/time strings (sortable as text),
 * booleans as 0/1 integers and JSON as text (see docs/adr/0003-one-schema-for-both-engines.md).
 */
import type { ReceiptRule } from '../domain/calendar/counting-rule.ts';
import type { TeamKind } from '../domain/organisation/team.ts';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** 0 or 1: SQLite has no boolean type, so both engines store flags as integers. */
export type Flag = 0 | 1;

export interface SchemaMigrationTable {
  name: string;
  applied_at: string;
}

export interface DirectorateTable {
  id: Generated<number>;
  name: string;
}

export interface ServiceAreaTable {
  id: Generated<number>;
  directorate_id: number;
  name: string;
}


export interface TeamTable {
  id: Generated<number>;
  service_area_id: number;
  name: string;
  kind: TeamKind;
  /** Stable public alias for residential homes ("Home 2"); never reused for another team. */
  public_alias: string | null;
  is_active: ColumnType<Flag, Flag | undefined, Flag>;
  /** Goes up by one with every change: a save based on an older version is refused. */
  version: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

export interface AppUserTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  team_id: number | null;
  is_active: ColumnType<Flag, Flag | undefined, Flag>;
  created_at: string;
  updated_at: string;
  /** The authenticator (TOTP) secret, encrypted (migration 0021); null until enrolled. */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enrolled_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The last TOTP step accepted: a code for it or an earlier step is a replay. */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1 when an administrator set the password: it must be changed at the next sign-in. */
  must_change_password: ColumnType<Flag, Flag | undefined, Flag>;
  password_changed_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface UserRoleTable {
  user_id: number;
  role: string;
}

export interface SessionTable {
  /** SHA-256 of the cookie's token: a stolen database does not yield live sessions. */
  id: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface SignInFailureTable {
  id: Generated<number>;
  /** SHA-256 of the lower-cased email tried, so failures for unknown addresses count too. */
  account_key: string;
  failed_at: string;
  /** SHA-256 of where the attempt came from (migration 0021); null for rows from before. */
  source_key: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A one-time recovery code for a lost authenticator, stored as its SHA-256 (migration 0021). */
export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** A sign-in past its password that still needs a code, an enrolment or a new password (migration 0021). */
export interface PendingSignInTable {
  /** SHA-256 of the token in the browser's cookie. */
  id: string;
  user_id: number;
  step: string;
  return_to: string;
  /** While enrolling: the new secret, encrypted, until a code from it is confirmed. */
  totp_candidate: string | null;
  created_at: string;
  expires_at: string;
}

export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: string;
  user_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  ip: string | null;
  request_id: string | null;
  /** JSON: what the entity was before and after, where it changed. */
  details: string | null;
  /** The hash chain (src/db/audit-chain.ts): the previous row's hash and this row's. Set by AuditRepository.record. */
  prev_hash: string | null;
  hash: string | null;
}

export interface CalendarChangeTable {
  id: Generated<number>;
  date: string;
  change: 'add' | 'remove';
  title: string;
  reason: string;
  source: 'admin' | 'import';
  user_id: number | null;
  created_at: string;
}

/** A statutory clock of one record (see src/domain/clocks): its events as JSON and its due date. */
export interface ClockTable {
  id: Generated<number>;
  subject_type: string;
  subject_id: number;
  procedure_kind: string;
  clock_key: string;
  started_on: string;
  /** JSON of the clock engine's ClockEvents. */
  events: string;
  due_on: string;
  is_open: ColumnType<Flag, Flag | undefined, Flag>;
  version: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

/** A record's history: who changed what, when, and what it was before and after. */
export interface HistoryEntryTable {
  id: Generated<number>;
  subject_type: string;
  subject_id: number;
  occurred_at: string;
  user_id: number | null;
  action: string;
  summary: string;
  before: string | null;
  after: string | null;
}

export interface ReferenceSequenceTable {
  prefix: string;
  year: number;
  last_number: number;
}

export interface YoungPersonTable {
  id: Generated<number>;
  /** Pseudonymous id from the council's social care system: never a name. */
  external_id: string;
  date_of_birth: string | null;
  ethnicity: string | null;
  created_at: string;
  updated_at: string;
}

export interface PersonTable {
  id: Generated<number>;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  preferred_contact: string | null;
  reasonable_adjustments: string | null;
  organisation: string | null;
  created_at: string;
  updated_at: string;
}

export interface ContactTable {
  id: Generated<number>;
  received_on: string;
  created_at: string;
}

export interface RepresentationTable {
  id: Generated<number>;
  reference: string;
  contact_id: number;
  kind: string;
  status: string;
  stage: ColumnType<number, number | undefined, number>;
  received_on: string;
  event_on: string | null;
  channel: string | null;
  is_via_complaints_team: Flag;
  team_id: number | null;
  summary: string;
  young_person_id: number | null;
  complainant_id: number | null;
  complainant_role: string | null;
  advocate_id: number | null;
  responder_user_id: number | null;
  acknowledged_on: string | null;
  responded_on: string | null;
  /** The receipt rule the representation was received under (its Stage 1 clock's). */
  receipt_rule: ColumnType<ReceiptRule, ReceiptRule | undefined, ReceiptRule>;
  finding: string | null;
  withdrawn_on: string | null;
  closed_on: string | null;
  /** Withdrawn or closed: the status it had before (what re-opening returns it to). */
  status_before_closure: string | null;
  agency: string | null;
  forwarded_on: string | null;
  compliment_source: string | null;
  worker_name: string | null;
  has_consent_to_quote: ColumnType<Flag, Flag | undefined, Flag>;
  /** Why an informal complaint is not (yet) taken through a procedure. */
  informal_reason: string | null;
  reply: string | null;
  /** Eligibility facts: 1 yes, 0 no, null not known yet. */
  has_parental_responsibility: Flag | null;
  is_made_for_child: Flag | null;
  has_proceedings: Flag | null;
  /** When its personal data was disposed of under the retention policy (migration 0024); null while kept. */
  disposed_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The Stage 1 clock's due date, `9999-12-31` without one: the queues' sort key, kept by triggers on `clock` (migration 0020). Read only. */
  queue_due_on: ColumnType<string, never, never>;
  version: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export type CodeList = 'issue' | 'remedy' | 'delay_reason';

export interface RepresentationCodeTable {
  representation_id: number;
  list: CodeList;
  code: string;
}

export interface EligibilityDecisionTable {
  id: Generated<number>;
  representation_id: number;
  kind: string;
  outcome: string;
  reason: string;
  decided_on: string;
  decided_by: number | null;
  child_views: string | null;
  notified_on: string | null;
  parts_declined: string | null;
  created_at: string;
}

export interface AdvocacyOfferTable {
  id: Generated<number>;
  representation_id: number;
  stage: number;
  offered_on: string;
  outcome: string;
  provider: string | null;
  recorded_by: number | null;
  created_at: string;
}

export interface CaseNoteTable {
  id: Generated<number>;
  representation_id: number;
  body: string;
  user_id: number | null;
  created_at: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  /** SHA-256 of the token: the token itself is shown once and never stored. */
  token_hash: string;
  /** Comma-separated scopes, e.g. `representations:read,representations:write`. */
  scopes: string;
  user_id: number;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** An email waiting to be sent, being sent, sent or given up on (src/notify/outbox.ts). */
export interface NotificationOutboxTable {
  id: Generated<number>;
  /** Unique: enqueuing the same message twice adds nothing. */
  idempotency_key: string;
  template_key: string;
  /** The email address: never logged. */
  recipient: string;
  /** JSON of the placeholders' values. */
  personalisation: string;
  subject_type: string | null;
  subject_id: number | null;
  status: ColumnType<NotificationStatus, NotificationStatus | undefined, NotificationStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string;
  locked_until: string | null;
  locked_by: string | null;
  /** Why the last attempt failed: codes only, no personal data. */
  last_error: string | null;
  provider_message_id: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
  /** When the message first failed in its current run of attempts; it is given up 48 hours later. */
  failing_since: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An administrator's subject and body in place of a shipped notification template. */
/** A copy of an email the `log` transport recorded instead of sending (development and demo only). */
export interface EmailCopyTable {
  id: Generated<number>;
  outbox_id: number | null;
  template_key: string;
  recipient: string;
  subject: string;
  body: string;
  recorded_at: string;
}

export interface NotificationTemplateTable {
  id: Generated<number>;
  template_key: string;
  subject: string;
  body: string;
  version: ColumnType<number, number | undefined, number>;
  updated_by: number | null;
  updated_at: string;
}

/** A council's wording for one letter (src/domain/letters holds the shipped default). */
export interface LetterTemplateTable {
  id: Generated<number>;
  letter_key: string;
  /** Null (with `body`): the shipped default wording is in use. */
  subject: string | null;
  body: string | null;
  /** Goes up by one with every save or restore: a save based on an older version is refused. */
  version: ColumnType<number, number | undefined, number>;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

/** Every version of a letter's wording ever saved, so an edit is never lost. */
export interface LetterTemplateRevisionTable {
  id: Generated<number>;
  letter_key: string;
  version: number;
  /** `edited` or `restored` (back to the shipped default: subject and body null). */
  change: string;
  subject: string | null;
  body: string | null;
  user_id: number | null;
  created_at: string;
}

/**
 * What someone typed on the public front door (src/domain/public), beside the representation
 * it made: the answers as JSON, and the journey's idempotency key (unique: a repeat submit
 * finds the first).
 */
export interface PublicSubmissionTable {
  id: Generated<number>;
  idempotency_key: string;
  /** Null only inside the submitting transaction, until the representation exists. */
  representation_id: number | null;
  audience: string;
  /** JSON: the answers, by field name. */
  answers: string;
  created_at: string;
}

/** A file kept for a record, stored on disk under `storage_key` (migration 0011). */
export interface AttachmentTable {
  id: Generated<number>;
  /** What it belongs to: 'representation', or 'public_submission' while staged. */
  subject_type: string;
  /** Null while staged. */
  subject_id: number | null;
  /** The public journey's idempotency key while staged; null once it belongs to its record. */
  staging_key: string | null;
  /** While staged: a hash of the sender's address, for the per-sender limit; null once sent. */
  staged_source: string | null;
  /** As given, cleaned for display. */
  file_name: string;
  /** Detected from the content. */
  media_type: string;
  size_bytes: number;
  sha256: string;
  /** Random: the file's name on disk. */
  storage_key: string;
  created_by: number | null;
  created_at: string;
}

/** An enquiry of the Local Government and Social Care Ombudsman about a complaint. */
export interface OmbudsmanEnquiryTable {
  id: Generated<number>;
  representation_id: number;
  lgsco_reference: string;
  received_on: string;
  decision: string | null;
  decided_on: string | null;
  is_fault: Flag | null;
  is_injustice: Flag | null;
  remedy_apology: ColumnType<Flag, Flag | undefined, Flag>;
  /** An amount the council is asked to pay, in pence. */
  remedy_amount_pence: number | null;
  remedy_service_improvements: string | null;
  compliance_due_on: string | null;
  compliance_done_on: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface OmbudsmanInformationRequestTable {
  id: Generated<number>;
  enquiry_id: number;
  requested_on: string;
  due_on: string;
  details: string;
  answered_on: string | null;
  created_at: string;
}

/** A lesson learnt from one or more complaints. */
export interface LessonTable {
  id: Generated<number>;
  title: string;
  description: string;
  identified_on: string;
  team_id: number | null;
  version: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** Which complaints raised a lesson (one row a pair). */
export interface LessonRepresentationTable {
  lesson_id: number;
  representation_id: number;
  created_at: string;
}

/** An action taken on a lesson: its owner, due date and status (see src/domain/learning/learning.ts). */
export interface LearningActionTable {
  id: Generated<number>;
  lesson_id: number;
  description: string;
  owner_user_id: number | null;
  /** The owner when they have no account. */
  owner_name: string | null;
  due_on: string;
  status: ColumnType<string, string | undefined, string>;
  done_on: string | null;
  cancelled_reason: string | null;
  source: ColumnType<string, string | undefined, string>;
  version: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** Stage 2 (investigation) or Stage 3 (review panel) of a representation: at most one each. */
interface LaterStageColumns {
  id: Generated<number>;
  representation_id: number;
  /** See src/domain/cases/later-stage-workflow.ts for the states. */
  state: string;
  requested_on: string;
  /** The last day of the request window (20 working days from the response it follows). */
  window_ends_on: string;
  is_late: ColumnType<Flag, Flag | undefined, Flag>;
  /** For a late request: the recorded decision (`accepted` or `refused`) and its reasons. */
  late_outcome: string | null;
  late_reason: string | null;
  late_decided_on: string | null;
  acknowledged_on: string | null;
  /** Stage 2: the adjudication's date; Stage 3: the council's response to the panel. */
  responded_on: string | null;
  withdrawn_on: string | null;
  /** Comma-separated delay reasons, for a response after its due date. */
  delay_reasons: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface Stage2Table extends LaterStageColumns {
  /**
   * A Stage 2 begun without a Stage 1 response (`no_response`: Stage 1 past its deadline;
   * `by_agreement`: agreed with the complainant, on `agreed_on`); null after a response.
   * Stage 1 then ended "escalated without a response".
   */
  route: string | null;
  agreed_on: string | null;
  /** The clock starts here (it defaults to the request date until recorded). */
  statement_agreed_on: string | null;
  report_received_on: string | null;
  adjudicated_by: number | null;
  /** The finding on the complaint as a whole, from the findings on its points. */
  finding: string | null;
  cost_investigator_pence: number | null;
  cost_independent_person_pence: number | null;
  cost_other_pence: number | null;
  /** The recommendations the adjudication accepted, one a line (each also an action in the learning log). */
  recommendations: string | null;
}

export interface Stage3Table extends LaterStageColumns {
  panel_met_on: string | null;
  attendees: string | null;
  recommendations_received_on: string | null;
  recommendations: string | null;
  /** The council's response is made with the Stage 2 Independent Person. */
  independent_person_consulted_on: string | null;
  /** Comma-separated delay reasons, for a panel that met after its due date (`delay_reasons` is the council response's). */
  panel_delay_reasons: string | null;
  /** JSON: the council's decision on each of `recommendations` (in order), with its reasons (see src/domain/cases/recommendation-decisions.ts). */
  council_decisions: string | null;
}

/** A numbered point of the Stage 2 statement of complaint, with the adjudication's finding on it. */
export interface ComplaintPointTable {
  id: Generated<number>;
  representation_id: number;
  number: number;
  text: string;
  finding: string | null;
  created_at: string;
}

/**
 * Someone appointed to a later stage: the investigating officer or Independent Person of
 * Stage 2, or a member of the Stage 3 panel. With a user account they may see the case while
 * appointed (until `ended_on`).
 */
export interface AppointmentTable {
  id: Generated<number>;
  representation_id: number;
  stage: number;
  /** `investigator`, `independent_person` or `panel_member`. */
  role: string;
  user_id: number | null;
  name: string;
  is_external: ColumnType<Flag, Flag | undefined, Flag>;
  is_chair: ColumnType<Flag, Flag | undefined, Flag>;
  /** Comma-separated independence declarations (src/domain/cases/later-stages.ts). */
  declarations: string | null;
  declared_on: string | null;
  appointed_on: string;
  ended_on: string | null;
  created_by: number | null;
  created_at: string;
}

/** A link sent to a complainant (src/app/secure-link-service.ts): only its token's SHA-256 is kept. */
export interface SecureLinkTable {
  id: Generated<number>;
  /** SHA-256 (hex) of the token: the token itself is sent once and never stored. */
  token_hash: string;
  /** What the link is for: `questionnaire`, `stage2_request`, `stage3_request`. */
  purpose: string;
  representation_id: number;
  expires_at: string;
  /** Set once, when the link has done its job: a used link does nothing more. */
  used_at: string | null;
  created_at: string;
}

/** The satisfaction questionnaire sent after a complaint is closed, and its answers (1–5 each). */
export interface QuestionnaireTable {
  id: Generated<number>;
  representation_id: number;
  link_id: number;
  reminder_link_id: number | null;
  /** Who it was sent to: `complainant`. */
  recipient_kind: string;
  sent_at: string;
  reminder_sent_at: string | null;
  answered_at: string | null;
  answer_ease: number | null;
  answer_kept_informed: number | null;
  answer_timeliness: number | null;
  answer_listened: number | null;
  answer_comments: string | null;
  created_at: string;
}

/**
 * Totals for one reporting year entered by hand (src/db/migrations/0014-history-totals.ts):
 * the counts the annual report's `history` takes for a year before Redress, and the context
 * figures (new referrals, cases worked) no record holds. Null: not entered.
 */
export interface CouncilSettingTable {
  key: string;
  /** The setting's value as JSON. */
  value: string;
  updated_by: number | null;
  updated_at: string;
}

export interface HistoryTotalTable {
  /** The year the reporting year starts: 2009 for 2009/10. */
  year: number;
  children_statutory: number | null;
  informal: number | null;
  corporate: number | null;
  compliments: number | null;
  new_referrals: number | null;
  cases_worked: number | null;
  version: ColumnType<number, number | undefined, number>;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

/** A fixed-window counter shared by every process (src/db/rate-limit-repository.ts). */
export interface RateLimitCounterTable {
  /** `<limit>|<key>|<window start>`; keys of people are hashed or addresses, never emails. */
  bucket: string;
  count: number;
  window_ends_at: string;
}

/** One scheduled job's run for one period, claimed by the first process to tick (src/jobs/job-claims.ts). */
export interface JobRunTable {
  job: string;
  period: string;
  claimed_by: string;
  claimed_at: string;
}

/** A legal hold keeps a case from disposal until it is removed (migration 0024); removed holds stay on record. */
export interface LegalHoldTable {
  id: Generated<number>;
  representation_id: number;
  reason: string;
  placed_by: number | null;
  placed_at: string;
  removed_reason: string | null;
  removed_by: number | null;
  removed_at: string | null;
}

/** One case's disposal: when, by whom, under which policy, and how many things of each kind were erased — never what they said. */
export interface DisposalLogTable {
  id: Generated<number>;
  representation_id: number;
  reference: string;
  disposed_at: string;
  disposed_by: number | null;
  /** The date the retention run counted as today. */
  as_at: string;
  /** The day the case became due for disposal. */
  due_on: string;
  /** JSON: the policy applied (years after the financial year's end, minimum age). */
  policy: string;
  /** JSON: how many rows (or files) of each kind were erased or blanked. */
  erased: string;
}

/** A restricted case's exclusion of one user or one team (migration 0029): exactly one of `user_id` and `team_id` is set. */
export interface CaseRestrictionTable {
  id: Generated<number>;
  representation_id: number;
  user_id: number | null;
  team_id: number | null;
  reason: string;
  added_by: number | null;
  added_at: string;
}

/** Which account at which OpenID Connect provider (issuer and `sub`) is which user (migration 0022). */
export interface UserIdentityTable {
  issuer: string;
  subject: string;
  user_id: number;
  created_at: string;
  last_signed_in_at: string;
}

/** A single sign-on begun and not yet finished: what its callback must check (migration 0022). */
export interface OidcSignInAttemptTable {
  /** SHA-256 of the random handle in the browser's cookie. */
  id: string;
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: string;
  expires_at: string;
}

export interface Database {
  schema_migration: SchemaMigrationTable;
  directorate: DirectorateTable;
  service_area: ServiceAreaTable;
  team: TeamTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  session: SessionTable;
  sign_in_failure: SignInFailureTable;
  audit_event: AuditEventTable;
  calendar_change: CalendarChangeTable;
  clock: ClockTable;
  history_entry: HistoryEntryTable;
  reference_sequence: ReferenceSequenceTable;
  young_person: YoungPersonTable;
  person: PersonTable;
  contact: ContactTable;
  representation: RepresentationTable;
  representation_code: RepresentationCodeTable;
  eligibility_decision: EligibilityDecisionTable;
  advocacy_offer: AdvocacyOfferTable;
  case_note: CaseNoteTable;
  api_token: ApiTokenTable;
  ombudsman_enquiry: OmbudsmanEnquiryTable;
  ombudsman_information_request: OmbudsmanInformationRequestTable;
  lesson: LessonTable;
  lesson_representation: LessonRepresentationTable;
  learning_action: LearningActionTable;
  letter_template: LetterTemplateTable;
  letter_template_revision: LetterTemplateRevisionTable;
  notification_outbox: NotificationOutboxTable;
  email_copy: EmailCopyTable;
  notification_template: NotificationTemplateTable;
  public_submission: PublicSubmissionTable;
  attachment: AttachmentTable;
  stage2: Stage2Table;
  stage3: Stage3Table;
  complaint_point: ComplaintPointTable;
  appointment: AppointmentTable;
  history_total: HistoryTotalTable;
  council_setting: CouncilSettingTable;
  secure_link: SecureLinkTable;
  questionnaire: QuestionnaireTable;
  rate_limit_counter: RateLimitCounterTable;
  job_run: JobRunTable;
  recovery_code: RecoveryCodeTable;
  pending_sign_in: PendingSignInTable;
  user_identity: UserIdentityTable;
  oidc_sign_in_attempt: OidcSignInAttemptTable;
  legal_hold: LegalHoldTable;
  disposal_log: DisposalLogTable;
  case_restriction: CaseRestrictionTable;
}

export type TeamRow = Selectable<TeamTable>;
export type NewTeam = Insertable<TeamTable>;
export type TeamUpdate = Updateable<TeamTable>;
export type AppUserRow = Selectable<AppUserTable>;
