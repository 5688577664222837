/**
 * Advocacy at Stage 1 (Children Act 1989 s.26A): a child or care leaver who
 * complains must be offered an advocate, and the complaint cannot pass Stage 1 until the
 * offer is recorded — the date, the answer and the provider.
 */
import type { IsoDate } from '../calendar/iso-date.ts';
import { isOneOf } from '../taxonomies/code-list.ts';
import type { ComplainantRole } from '../taxonomies/complainant-roles.ts';
import type { RepresentationKind } from '../taxonomies/representation-kinds.ts';

/**
 * The answer to the offer. `no_reply` is there so that a young person who never answers
 * does not hold the complaint at Stage 1 for ever: the offer was made, and that is what the
 * law asks for.
 */
export const ADVOCACY_OUTCOMES = ['accepted', 'declined', 'no_reply'] as const;

export type AdvocacyOutcome = (typeof ADVOCACY_OUTCOMES)[number];

export const ADVOCACY_OUTCOME_LABELS: Readonly<Record<AdvocacyOutcome, string>> = {
  accepted: 'Accepted',
  declined: 'Declined',
  no_reply: 'Offered, but no reply',
};

export function isAdvocacyOutcome(value: unknown): value is AdvocacyOutcome {
  return isOneOf(ADVOCACY_OUTCOMES, value);
}

export interface AdvocacyOffer {
  offeredOn: IsoDate;
  outcome: AdvocacyOutcome;
  /** The advocacy service offered, e.g. "The Children's Society". */
  provider: string;
}

/**
 * The complainants who must be offered an advocate. An `advocate` complainant is not: the
 * young person already has one, and it is their complaint the advocate brings.
 */
export const ROLES_OFFERED_ADVOCACY = ['child', 'care_leaver'] as const satisfies readonly ComplainantRole[];

/** The advocacy duty is part of the Children Act procedure (s.26A); other procedures have none. */
export const KINDS_WITH_ADVOCACY_DUTY = ['children_statutory'] as const satisfies readonly RepresentationKind[];

export interface AdvocacyFacts {
  kind: RepresentationKind;
  complainantRole?: ComplainantRole;
  advocacyOffer?: AdvocacyOffer;
}

/** Whether the case's complainant must be offered an advocate. */
export function needsAdvocacyOffer(facts: AdvocacyFacts): boolean {
  return isOneOf(KINDS_WITH_ADVOCACY_DUTY, facts.kind) && isOneOf(ROLES_OFFERED_ADVOCACY, facts.complainantRole);
}

/** Whether an advocate must be offered and the offer has not been recorded yet. */
export function isAdvocacyOfferMissing(facts: AdvocacyFacts): boolean {
  return needsAdvocacyOffer(facts) && facts.advocacyOffer === undefined;
}
