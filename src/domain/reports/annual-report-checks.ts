/**
 * The annual report's own consistency checks: sums that must agree when every
 * figure comes from one set of records. A check that fails means the records contradict each
 * other (a complaint both responded to and withdrawn, a response with no finding …); the
 * report lists every check, and the CLI exits 1 naming those that fail.
 */
import { total, type AnnualReportFigures } from './annual-report.ts';

export type CheckId =
  | 'stage1_outcomes_add_up'
  | 'findings_match_responses'
  | 'timescales_match_responses'
  | 'complainant_roles_add_up'
  | 'channels_add_up'
  | 'teams_add_up'
  | 'young_people_within_complaints'
  | 'via_complaints_team_within_complaints'
  | 'advocacy_accepted_within_offered'
  | 'extended_within_complaints'
  | 'ethnicity_within_young_people'
  | 'informal_teams_add_up'
  | 'compliment_teams_add_up'
  | 'compliment_sources_add_up'
  | 'adverse_contacts_add_up';

export interface ConsistencyCheck {
  readonly id: CheckId;
  /** What must hold, in words. */
  readonly rule: string;
  /** The figures either side, e.g. "111 = 103 + 5 + 3". */
  readonly detail: string;
  readonly holds: boolean;
  /** References of records that break the rule, where the report found them (a few at most). */
  readonly references?: readonly string[];
}

function equal(id: CheckId, rule: string, left: number, parts: readonly number[]): ConsistencyCheck {
  const right = parts.reduce((sum, n) => sum + n, 0);
  return { id, rule, detail: `${String(left)} = ${parts.map(String).join(' + ')}${parts.length > 1 ? ` (${String(right)})` : ''}`, holds: left === right };
}

function atMost(id: CheckId, rule: string, part: number, whole: number): ConsistencyCheck {
  return { id, rule, detail: `${String(part)} ≤ ${String(whole)}`, holds: part <= whole };
}

/** Every check, in the order the report lists them. */
export function consistencyChecks(f: AnnualReportFigures): ConsistencyCheck[] {
  const cs = f.children_statutory;
  const s1 = cs.stage1;
  return [
    equal('stage1_outcomes_add_up', 'Complaints received = responded to + withdrawn + escalated without a response + open', cs.received, [
      s1.responded,
      s1.withdrawn,
      s1.escalated_without_response,
      s1.open,
    ]),
    equal('findings_match_responses', 'Stage 1 findings = complaints responded to', total(s1.findings), [s1.responded]),
    equal('timescales_match_responses', 'Complaints in the timescale bands = complaints responded to', total(s1.timescales), [s1.responded]),
    equal('complainant_roles_add_up', 'Complaints by who complained = complaints received', total(cs.by_complainant_role), [cs.received]),
    equal('channels_add_up', 'Complaints by how received = complaints received', total(cs.by_channel), [cs.received]),
    equal('teams_add_up', 'Complaints by team = complaints received', total(cs.by_team), [cs.received]),
    atMost('young_people_within_complaints', 'Young people ≤ complaints received', cs.young_people, cs.received),
    atMost('via_complaints_team_within_complaints', 'Complaints made through the complaints team ≤ complaints received', cs.via_complaints_team, cs.received),
    atMost('advocacy_accepted_within_offered', 'Advocates accepted ≤ advocates offered', cs.advocacy.accepted, cs.advocacy.offered),
    atMost('extended_within_complaints', 'Complaints with an extension ≤ complaints received', s1.extended, cs.received),
    atMost('ethnicity_within_young_people', 'Young people with an ethnicity recorded ≤ young people', total(cs.by_ethnicity), cs.young_people),
    equal('informal_teams_add_up', 'Informal complaints by team = informal complaints received', total(f.informal.by_team), [f.informal.received]),
    equal('compliment_teams_add_up', 'Compliments by team = compliments received', total(f.compliments.by_team), [f.compliments.received]),
    equal('compliment_sources_add_up', 'Compliments by source = compliments received', total(f.compliments.by_source), [f.compliments.received]),
    equal('adverse_contacts_add_up', 'Adverse contacts = complaints + corporate complaints + informal complaints', f.adverse_contacts, [cs.received, f.corporate.received, f.informal.received]),
  ];
}
