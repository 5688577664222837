/**
 * The council's decision on each of a review panel's recommendations (Stage 3), which its
 * response must state: accepted, accepted in part, or not accepted, with the reasons. Kept as
 * JSON beside the panel's recommendations (one a line), in the same order; the response letter
 * and the case page read them together with `decidedRecommendations`.
 */
import { isOneOf } from '../taxonomies/code-list.ts';

export const RECOMMENDATION_DECISIONS = ['accepted', 'accepted_in_part', 'not_accepted'] as const;

export type RecommendationDecision = (typeof RECOMMENDATION_DECISIONS)[number];

export const RECOMMENDATION_DECISION_LABELS: Readonly<Record<RecommendationDecision, string>> = {
  accepted: 'Accepted',
  accepted_in_part: 'Accepted in part',
  not_accepted: 'Not accepted',
};

export function isRecommendationDecision(value: unknown): value is RecommendationDecision {
  return isOneOf(RECOMMENDATION_DECISIONS, value);
}

export interface CouncilDecision {
  readonly decision: RecommendationDecision;
  /** Why, in the council's words; absent when none was given. */
  readonly reasons?: string;
}

/** A recommendation with the council's decision on it, when one has been recorded. */
export interface DecidedRecommendation {
  readonly number: number;
  readonly text: string;
  readonly decision?: CouncilDecision;
}

/** The recommendations as stored: one a line, blank lines dropped. */
export function recommendationLines(text: string | null | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The stored decisions; anything unreadable counts as not recorded. */
export function parseCouncilDecisions(json: string | null | undefined): (CouncilDecision | undefined)[] {
  if (json === null || json === undefined || json === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.map((item: unknown) => {
    if (typeof item !== 'object' || item === null) return undefined;
    const { decision, reasons } = item as { decision?: unknown; reasons?: unknown };
    if (!isRecommendationDecision(decision)) return undefined;
    return typeof reasons === 'string' && reasons.trim() !== '' ? { decision, reasons: reasons.trim() } : { decision };
  });
}

/** The panel's recommendations, numbered, each with the council's decision where recorded. */
export function decidedRecommendations(recommendations: string | null | undefined, decisions: string | null | undefined): DecidedRecommendation[] {
  const parsed = parseCouncilDecisions(decisions);
  return recommendationLines(recommendations).map((text, index) => {
    const decision = parsed[index];
    return decision === undefined ? { number: index + 1, text } : { number: index + 1, text, decision };
  });
}

/** "Accepted", "Not accepted: we already do this" — a decision in words. */
export function decisionText(decision: CouncilDecision): string {
  const label = RECOMMENDATION_DECISION_LABELS[decision.decision];
  return decision.reasons === undefined ? label : `${label}: ${decision.reasons}`;
}

/** The texts of the recommendations the council took on, wholly or in part (each becomes a learning action). */
export function acceptedTexts(decided: readonly DecidedRecommendation[]): string[] {
  return decided.filter((r) => r.decision !== undefined && r.decision.decision !== 'not_accepted').map((r) => r.text);
}
