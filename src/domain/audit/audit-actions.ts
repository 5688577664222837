/** The audit trail's action codes in words, for the information governance audit page and its CSV. */
const ACTION_TEXT: Readonly<Record<string, string>> = {
  case_viewed: 'Looked at the case',
  case_view_refused: 'Was refused the case',
  submission_viewed: 'Looked at a public submission to register it',
  public_submission_received: 'Sent the council a representation on the public pages',
  representation_registered: 'Registered the representation',
  attachment_downloaded: 'Downloaded a file',
  attachment_refused: 'Was refused a file',
  letter_produced: 'Produced a letter',
  letter_viewed: 'Looked at a letter',
  letter_refused: 'Was refused a letter',
  next_stage_link_sent: 'Was sent a link to ask for the next stage',
  stage2_requested_online: 'Asked for Stage 2 online',
  stage3_requested_online: 'Asked for Stage 3 online',
  questionnaire_sent: 'Was sent the satisfaction questionnaire',
  questionnaire_reminded: 'Was reminded of the satisfaction questionnaire',
  questionnaire_answered: 'Answered the satisfaction questionnaire',
  questionnaire_summary_viewed: 'Looked at the questionnaire results',
  ombudsman_enquiry_viewed: 'Looked at an Ombudsman enquiry',
  lesson_viewed: 'Looked at a lesson',
  annual_report_viewed: 'Looked at the annual report',
  representations_imported: 'Imported representations',
  representations_exported: 'Exported representations',
  legal_hold_placed: 'Placed a legal hold',
  legal_hold_removed: 'Removed a legal hold',
  case_restrictions_viewed: 'Looked at who is excluded from the case',
  case_restricted: 'Excluded staff or teams from the case',
  case_restriction_removed: 'Removed an exclusion from the case',
  case_disposed: 'Disposed of the case’s personal data',
  signed_in: 'Signed in',
  signed_out: 'Signed out',
  sign_in_failed: 'Failed to sign in',
  user_added: 'Added a user',
  password_reset: 'Reset a password',
  api_token_created: 'Made an API token',
  api_token_revoked: 'Revoked an API token',
  council_settings_changed: 'Changed the council’s settings',
  audit_trail_viewed: 'Looked at the audit trail',
  audit_trail_exported: 'Downloaded the audit trail as CSV',
  subject_access_previewed: 'Looked at a person’s records for a subject access request',
  subject_access_exported: 'Exported a subject access bundle',
};

/** An action code in words: the known ones as written above, a case action as "Case action: …", others from their code. */
export function auditActionText(action: string): string {
  const known = ACTION_TEXT[action];
  if (known !== undefined) return known;
  const words = (text: string): string => text.replaceAll('_', ' ');
  if (action.startsWith('representation_')) return `Case action: ${words(action.slice('representation_'.length))}`;
  const text = words(action);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
