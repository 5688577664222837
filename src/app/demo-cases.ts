/**
 * A year of made-up representations for the demo, so that a newcomer sees full queues,
 * clocks that are due, due soon and overdue, and long timelines. Each case is registered on
 * the day it was received and then taken as far through Stage 1 as its age allows — acknowledged,
 * allocated, decisions and offers recorded, extended or paused, answered (sometimes late, with
 * reasons), withdrawn or closed — through the same services the pages use, each step on its own
 * date; and a few taken on to Stage 2 and a review panel. Deterministic (a fixed seed), and every name, id and address is invented.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Team } from '../db/team-repository.ts';
import { CaseFactsRepository } from '../db/case-facts-repository.ts';
import { addDays } from '../domain/calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import type { RegistrationInput } from '../domain/cases/registration.ts';
import { ELIGIBILITY_RULES, fieldsToRecord, outstandingDecisions } from '../domain/cases/eligibility.ts';
import { DomainError } from '../domain/errors.ts';
import { isProcedureKind } from '../domain/procedures/procedure-definitions.ts';
import type { CaseActionService } from './case-action-service.ts';
import type { LaterStageService } from './later-stage-service.ts';
import type { RegistrationService, StaffActor } from './registration-service.ts';

/**
 * A one-page PDF saying it is a demo investigation report for `reference`: a real, minimal PDF
 * (catalogue, page, Helvetica, one line of text, a cross-reference table with true offsets).
 */

/** The case's version as it stands, as a page would have read it before a step (a note leaves it as it was). */
async function versionOf(db: Kysely<Database>, reference: string): Promise<number> {
  const { version } = await db.selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow();
  return version;
}

export function demoReportPdf(reference: string): Uint8Array {
  const text = `Demo investigation report for ${reference}`.replace(/[()\\]/g, '');
  const stream = `BT /F1 14 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${String(stream.length)} >>\nstream\n${stream}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(pdf.length);
    pdf += `${String(index + 1)} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${String(objects.length + 1)}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${String(objects.length + 1)} /Root 1 0 R >>\nstartxref\n${String(xref)}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

const SUMMARIES = [
  'Contact with my son was cancelled three times without notice.',
  'The social worker did not return my calls for over a month.',
  'I was not invited to my daughter’s review meeting.',
  'The decision to move my grandson’s placement was made without asking him.',
  'Staff spoke to me rudely at the last visit.',
  'The assessment has taken far longer than we were told.',
  'My savings were not paid into my account when I left care.',
  'We asked for help months ago and nothing has happened.',
];
const COMPLIMENTS = [
  'Thank you for the support and advice while we fostered for the first time.',
  'The worker made sure everything was covered at the review.',
  'The judge commended the team for concluding proceedings without delay.',
];
const NAMES = ['Alex Morgan', 'Sam Taylor', 'Jo Patel', 'Chris Evans', 'Pat Okafor', 'Robin Hughes', 'Kim Nowak', 'Lee Ahmed'];
const ROLES = ['parent', 'parent', 'parent', 'relative', 'child', 'advocate', 'iro', 'foster_carer'];
const CHANNELS = ['leaflet', 'leaflet', 'telephone', 'letter', 'email', 'online', 'in_person'];
const ISSUES = ['inadequate_service', 'staff_attitude', 'communication', 'delay', 'decision', 'contact_arrangements', 'placement', 'not_involved'];
const ETHNICITIES = ['WBRI', 'WBRI', 'WBRI', 'WBRI', 'MWBC', 'BCRB', 'AIND', 'WOTH', 'REFU', 'NOBT'];
const SOURCES = ['parent_or_carer', 'foster_carer', 'judge', 'guardian', 'adopter', 'child'];
const FINDINGS = ['not_upheld', 'not_upheld', 'not_upheld', 'partially_upheld', 'partially_upheld', 'upheld', 'service_provided', 'resolution_meeting_offered'];
const REMEDIES = ['explanation', 'explanation', 'apology', 'service_provided', 'service_reviewed', 'care_plan_revised', 'contact_revised', 'change_of_worker', 'staff_guidance'];
const DELAY_REASONS = ['complex_multi_team', 'insufficient_detail', 'further_complaints', 'consent_check'];
const NOTES = [
  'Spoke to the complainant on the telephone to agree what the complaint is about.',
  'Team manager asked for a copy of the case recording before responding.',
  'Complainant rang to ask how the complaint is going: told the response is being written.',
];

/** A small fixed-seed generator (mulberry32), so every demo looks the same. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What the demo uses: services whose clock it sets to each step's date, and the people who act. */
export interface DemoCasework {
  readonly db: Kysely<Database>;
  readonly calendar: WorkingDayCalendar;
  readonly registration: RegistrationService;
  readonly actions: CaseActionService;
  /** Moves the services' clock to a moment on `date` (steps on one date keep their order). */
  setDate(date: string): void;
  readonly officer: StaffActor;
  readonly responder: StaffActor | undefined;
  /** For Stages 2 and 3: the service (on the same clock) and the demo's appointed people. */
  readonly later?: {
    readonly service: LaterStageService;
    readonly senior: StaffActor;
    readonly investigator?: StaffActor | undefined;
    readonly independentPerson?: StaffActor | undefined;
    readonly panellist?: StaffActor | undefined;
  };
}

export async function addDemoCases(work: DemoCasework, teams: readonly Team[], today: string, count: number): Promise<number> {
  const next = random(2011);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const council = teams.filter((t) => t.kind !== 'commissioned');
  let made = 0;
  for (let i = 0; i < count; i += 1) {
    // Spread over the last year, most recent ones more often, so some clocks are still running.
    const daysAgo = Math.floor(next() ** 1.6 * 360) + 1;
    const receivedOn = addDays(today, -daysAgo);
    const roll = next();
    const kind = roll < 0.62 ? 'children_statutory' : roll < 0.77 ? 'informal' : roll < 0.9 ? 'compliment' : roll < 0.96 ? 'corporate' : 'comment';
    const teamIds = [pick(council).id];
    if (kind === 'children_statutory' && next() < 0.12) {
      const second = pick(council).id;
      if (second !== teamIds[0]) teamIds.push(second);
    }
    const role = kind === 'compliment' ? '' : pick(ROLES);
    const input: RegistrationInput = {
      fields: {
        kind,
        received_on: receivedOn,
        event_on: addDays(receivedOn, -Math.floor(next() * 60)),
        channel: pick(CHANNELS),
        via_complaints_team: next() < 0.83 ? 'yes' : 'no',
        summary: kind === 'compliment' ? pick(COMPLIMENTS) : pick(SUMMARIES),
        issues: kind === 'compliment' || kind === 'comment' ? [] : [pick(ISSUES), pick(ISSUES)],
        complainant_role: role,
        compliment_source: kind === 'compliment' ? pick(SOURCES) : '',
        consent_to_quote: kind === 'compliment' ? (next() < 0.7 ? 'yes' : 'no') : '',
        informal_reason: kind === 'informal' ? 'The matter is before the court.' : '',
        parental_responsibility: role === 'relative' && next() < 0.3 ? 'yes' : '',
      },
      teamIds,
      youngPerson: { externalId: `YP-${String(100_000 + Math.floor(next() * 900))}`, ethnicity: pick(ETHNICITIES) },
      complainant: { name: pick(NAMES), email: 'demo@redress.example', preferredContact: 'email' },
    };
    work.setDate(receivedOn);
    const registered = await work.registration.register(input, work.officer);
    for (const { reference } of registered) await workOn(work, reference, kind, role, receivedOn, today, next);
    made += registered.length;
  }
  if (work.later !== undefined) await addLaterStages(work, work.later, today);
  return made;
}

const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];

/**
 * Takes three complaints answered at Stage 1 some months ago further: one to a review panel,
 * one adjudicated at Stage 2, one still being investigated — each step on its own date, no
 * later than today.
 */
async function addLaterStages(work: DemoCasework, later: NonNullable<DemoCasework['later']>, today: string): Promise<void> {
  const candidates = await work.db
    .selectFrom('representation')
    .select(['reference', 'responded_on'])
    .where('kind', '=', 'children_statutory')
    .where('status', 'in', ['responded', 'closed'])
    .where('withdrawn_on', 'is', null)
    .where('responded_on', '>=', addDays(today, -300))
    .where('responded_on', '<=', addDays(today, -150))
    .orderBy('responded_on')
    .limit(3)
    .execute();
  const { calendar } = work;
  for (const [index, candidate] of candidates.entries()) {
    if (candidate.responded_on === null) continue;
    const reference = candidate.reference;
    const step = async (on: string, name: string, input: Record<string, unknown>, actor: StaffActor = work.officer): Promise<boolean> => {
      if (on > today) return false;
      work.setDate(on);
      await later.service.apply(reference, name, input, actor, await versionOf(work.db, reference));
      return true;
    };
    const day = (from: string, n: number): string => calendar.addWorkingDays(calendar.workingDayOnOrAfter(from), n);
    const requested = day(candidate.responded_on, 8);
    const agreed = day(requested, 4);
    await step(requested, 'request_stage2', { requested_on: requested });
    await step(agreed, 'agree_statement', { statement_agreed_on: agreed, points: 'Contact was cancelled without notice.\nCalls were not returned.\nThe young person’s views were not sought.' });
    await step(agreed, 'appoint_investigator', { name: 'Demo Investigator', user_id: later.investigator?.userId ?? '', is_external: 'yes', appointed_on: agreed });
    await step(agreed, 'appoint_independent_person', { name: 'Demo Independent Person', user_id: later.independentPerson?.userId ?? '', is_external: 'yes', appointed_on: agreed, declarations: DECLARED, declared_on: agreed });
    if (index === 2) continue; // still being investigated
    const reported = day(agreed, 20);
    await step(reported, 'record_report', { report_received_on: reported, report: { fileName: 'investigation-report.pdf', bytes: demoReportPdf(reference) } });
    const adjudicated = day(reported, 3);
    const findings = { finding_1: 'upheld', finding_2: 'partially_upheld', finding_3: 'not_upheld' };
    if (!(await step(adjudicated, 'adjudicate', { responded_on: adjudicated, ...findings, recommendations: 'Tell families in writing when contact is cancelled.', actions_due_on: addDays(adjudicated, 60) }, later.senior))) continue;
    await step(adjudicated, 'record_costs', { cost_investigator: '2,400', cost_independent_person: '1,100' });
    if (index === 1) continue; // adjudicated, no review panel
    const panelAsked = day(adjudicated, 10);
    await step(panelAsked, 'request_stage3', { requested_on: panelAsked });
    const member = (n: number, name: string, userId?: number) => ({
      [`member_${String(n)}_name`]: name,
      [`member_${String(n)}_user_id`]: userId ?? '',
      [`member_${String(n)}_declarations`]: DECLARED,
      [`member_${String(n)}_declared_on`]: panelAsked,
    });
    await step(panelAsked, 'appoint_panel', { ...member(1, 'Demo Panel Chair', later.panellist?.userId), ...member(2, 'Demo Panel Member'), ...member(3, 'Demo Third Member'), chair: '1', appointed_on: panelAsked });
    const met = day(panelAsked, 25);
    await step(met, 'record_panel_meeting', { panel_met_on: met, attendees: 'The complainant and their advocate, the investigating officer and the Independent Person.' });
  }
}

/** Takes one case as far through Stage 1 as its age (in working days) and a roll of the dice allow. */
async function workOn(work: DemoCasework, reference: string, kind: string, role: string, receivedOn: string, today: string, next: () => number): Promise<void> {
  const { calendar, officer } = work;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const dayZero = calendar.workingDayOnOrAfter(receivedOn);
  const age = calendar.workingDaysBetween(dayZero, today);
  /** Working day `n` after receipt, if it has come. */
  const day = (n: number): string | undefined => {
    const date = calendar.addWorkingDays(dayZero, n);
    return date <= today ? date : undefined;
  };
  const act = async (on: string, action: string, input: Record<string, unknown>, actor: StaffActor = officer): Promise<void> => {
    work.setDate(on);
    await work.actions.apply(reference, action, input, actor, await versionOf(work.db, reference));
  };

  if (kind === 'compliment') {
    const closeOn = day(2);
    if (closeOn !== undefined && next() < 0.8) await act(closeOn, 'close', { closed_on: closeOn });
    return;
  }
  const acknowledgedOn = day(next() < 0.8 ? 1 : 2);
  if (acknowledgedOn === undefined) return; // arrived today: waiting for allocation and acknowledgement
  if (next() < 0.12) await act(acknowledgedOn, 'add_note', { note: pick(NOTES) });
  await act(acknowledgedOn, 'acknowledge', { acknowledged_on: acknowledgedOn });
  if (kind === 'comment') {
    const repliedOn = day(4);
    if (repliedOn === undefined) return;
    await act(repliedOn, 'record_response', { responded_on: repliedOn, reply: 'Thank you for taking the time to tell us: we have shared your comment with the team.' });
    const closeOn = day(5);
    if (closeOn !== undefined) await act(closeOn, 'close', { closed_on: closeOn });
    return;
  }
  const isAllocated = next() < 0.9 || age > 5;
  if (isAllocated && work.responder !== undefined) await act(acknowledgedOn, 'allocate', { responder_user_id: work.responder.userId });
  await recordWhatStage1Needs(work, reference, kind, role, acknowledgedOn, act);

  const scenario = next();
  if (scenario < 0.06 && kind !== 'informal') {
    // Details missing: more information asked for, a closure letter, then closed as withdrawn.
    const askedOn = day(3);
    if (askedOn === undefined) return;
    await act(askedOn, 'request_information', { requested_on: askedOn, details: 'Which visits were cancelled, and when' });
    const warnedOn = day(10);
    if (warnedOn === undefined) return;
    await act(warnedOn, 'send_closure_warning', { sent_on: warnedOn });
    const withdrawnOn = day(20);
    if (withdrawnOn === undefined) return;
    await act(withdrawnOn, 'withdraw_no_response', { withdrawn_on: withdrawnOn });
    if (next() < 0.5) await act(withdrawnOn, 'close', { closed_on: withdrawnOn });
    return;
  }
  if (scenario < 0.11) {
    const withdrawnOn = day(4);
    if (withdrawnOn === undefined) return;
    await act(withdrawnOn, 'withdraw_by_complainant', { withdrawn_on: withdrawnOn, reason: 'The matter was sorted out with the social worker' });
    if (next() < 0.5) await act(withdrawnOn, 'close', { closed_on: withdrawnOn });
    return;
  }

  const hasProcedure = isProcedureKind(kind);
  // The first working day the response may be dated: after any pause or extension.
  let earliest = 4;
  if (hasProcedure && kind !== 'corporate' && scenario < 0.17) {
    earliest = 7;
    const pausedOn = day(3);
    const resumedOn = day(6);
    if (pausedOn !== undefined) await act(pausedOn, 'pause', { paused_on: pausedOn, reason: 'Waiting for the complainant to agree the complaint' });
    if (resumedOn !== undefined) await act(resumedOn, 'resume', { resumed_on: resumedOn, reason: 'The complainant agreed the complaint' });
    if (resumedOn === undefined) return;
  } else if (hasProcedure && scenario < 0.27) {
    const extendedOn = day(5);
    earliest = 6;
    if (extendedOn !== undefined) await act(extendedOn, 'extend', { extra_working_days: 10, extension_reason: 'complexity', complainant_told_on: extendedOn });
  }
  // One in ten older complaints is still waiting for its response: the overdue queue has work in it.
  if (next() < 0.1) return;
  const respondedOn = day(earliest + Math.floor(next() * 16));
  if (respondedOn === undefined) return;
  const response: Record<string, unknown> = { responded_on: respondedOn };
  if (hasProcedure) Object.assign(response, { finding: pick(FINDINGS), remedies: [...new Set([pick(REMEDIES), pick(REMEDIES)])] });
  const responder = isAllocated && work.responder !== undefined ? work.responder : officer;
  try {
    await act(respondedOn, 'record_response', response, responder);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'delay_reasons_required') throw error;
    await act(respondedOn, 'record_response', { ...response, delay_reasons: [pick(DELAY_REASONS)] }, responder);
  }
  const closeOn = day(calendar.workingDaysBetween(dayZero, respondedOn) + 3);
  if (closeOn !== undefined && next() < 0.85) await act(closeOn, 'close', { closed_on: closeOn });
}

/** Records the offer of an advocate and the eligibility decisions the case needs before it can be answered. */
async function recordWhatStage1Needs(
  work: DemoCasework,
  reference: string,
  kind: string,
  role: string,
  on: string,
  act: (on: string, action: string, input: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  if (kind === 'children_statutory' && (role === 'child' || role === 'care_leaver')) {
    await act(on, 'record_advocacy_offer', { offered_on: on, advocacy_outcome: role === 'child' ? 'accepted' : 'declined', provider: 'Children’s advocacy service' });
  }
  const loaded = await new CaseFactsRepository(work.db).load(reference);
  if (loaded === undefined) return;
  for (const decision of outstandingDecisions(loaded.facts)) {
    const outcome = ELIGIBILITY_RULES[decision].outcomes.find((o) => o.declines === 'nothing')?.code;
    if (outcome === undefined) continue;
    const input: Record<string, unknown> = { decision, outcome, decided_on: on };
    for (const field of fieldsToRecord(decision, outcome)) {
      if (field === 'reason') input.reason = 'Considered with the team manager: the complaint can go ahead.';
      if (field === 'child_views') input.child_views = 'The young person was asked and is happy for the complaint to be made.';
      if (field === 'notified_on') input.notified_on = on;
    }
    await act(on, 'record_eligibility_decision', input);
  }
}
