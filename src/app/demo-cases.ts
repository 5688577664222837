/**
 * A year of made-up representations for the demo, so that a newcomer sees full queues and
 * clocks that are due, due soon and overdue. Deterministic (a fixed seed), and every name,
 * id and address is invented.
 */
import { addDays } from '../domain/calendar/iso-date.ts';
import type { RegistrationInput } from '../domain/cases/registration.ts';
import type { Team } from '../db/team-repository.ts';
import type { RegistrationService, StaffActor } from './registration-service.ts';

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

export async function addDemoCases(registration: RegistrationService, officer: StaffActor, teams: readonly Team[], today: string, count: number): Promise<number> {
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
    const input: RegistrationInput = {
      fields: {
        kind,
        received_on: receivedOn,
        event_on: addDays(receivedOn, -Math.floor(next() * 60)),
        channel: pick(CHANNELS),
        via_complaints_team: next() < 0.83 ? 'yes' : 'no',
        summary: kind === 'compliment' ? pick(COMPLIMENTS) : pick(SUMMARIES),
        issues: kind === 'compliment' || kind === 'comment' ? [] : [pick(ISSUES), pick(ISSUES)],
        complainant_role: kind === 'compliment' ? '' : pick(ROLES),
        compliment_source: kind === 'compliment' ? pick(SOURCES) : '',
        consent_to_quote: kind === 'compliment' ? (next() < 0.7 ? 'yes' : 'no') : '',
        informal_reason: kind === 'informal' ? 'The matter is before the court.' : '',
      },
      teamIds,
      youngPerson: { externalId: `YP-${String(100_000 + Math.floor(next() * 900))}`, ethnicity: pick(ETHNICITIES) },
      complainant: { name: pick(NAMES), email: 'demo@redress.example', preferredContact: 'email' },
    };
    made += (await registration.register(input, officer)).length;
  }
  return made;
}
