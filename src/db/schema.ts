/**
 * Table types for Kysely. The same tables exist on SQLite and PostgreSQL, so columns use
 * the types both engines share: integers, text, ISO date/time strings (sortable as text),
 * booleans as 0/1 integers and JSON as text (see docs/adr/0003-one-schema-for-both-engines.md).
 */
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
  finding: string | null;
  withdrawn_on: string | null;
  closed_on: string | null;
  agency: string | null;
  forwarded_on: string | null;
  compliment_source: string | null;
  worker_name: string | null;
  has_consent_to_quote: ColumnType<Flag, Flag | undefined, Flag>;
  /** Why an informal complaint is not (yet) taken through a procedure (DOMAIN.md §2). */
  informal_reason: string | null;
  reply: string | null;
  /** Eligibility facts (DOMAIN.md §3): 1 yes, 0 no, null not known yet. */
  has_parental_responsibility: Flag | null;
  is_made_for_child: Flag | null;
  has_proceedings: Flag | null;
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
}

/** An administrator's subject and body in place of a shipped notification template. */
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
  letter_template: LetterTemplateTable;
  letter_template_revision: LetterTemplateRevisionTable;
  notification_outbox: NotificationOutboxTable;
  notification_template: NotificationTemplateTable;
  public_submission: PublicSubmissionTable;
}

export type TeamRow = Selectable<TeamTable>;
export type NewTeam = Insertable<TeamTable>;
export type TeamUpdate = Updateable<TeamTable>;
export type AppUserRow = Selectable<AppUserTable>;
