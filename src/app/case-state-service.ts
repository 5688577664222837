/**
 * Where a case stands, for a caller about to act on it or who just has: its status, its
 * version (to send back with the next change, so that a save over someone else's newer
 * change is refused) and its clocks with their due dates. No personal details, so nothing
 * here is audited as a view of the case; the case page's read (`CaseQueryService.load`) is.
 * A refusal is audited (`case_view_refused`).
 *
 * Who may know: the same rule as the case page and the Stage 1 actions (`caseVisibility`):
 * a case the actor may not see at all is `case_not_found`, exactly like one that does not exist.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { CaseFactsRepository } from '../db/case-facts-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { DomainError } from '../domain/errors.ts';
import type { IsoDate } from '../domain/calendar/iso-date.ts';
import { CASE_STATUS_LABELS, type CaseStatus } from '../domain/cases/case-status.ts';
import { describeDue } from '../domain/cases/stage1-clock.ts';
import type { RepresentationKind } from '../domain/taxonomies/representation-kinds.ts';
import { storedCaseVisibility, type ClockTag } from './case-query-service.ts';
import { clockStatusOf, definitionOf } from './clock-service.ts';
import type { CalendarService } from './calendar-service.ts';
import type { Clock } from './clock.ts';
import type { StaffActor } from './registration-service.ts';

export interface CaseClockState {
  readonly key: string;
  readonly label: string;
  readonly startedOn: IsoDate;
  readonly dueOn: IsoDate;
  readonly isOpen: boolean;
  /** Where it stands today, as the case page tags it. */
  readonly tag: ClockTag;
  /** "Due in 8 working days", "Paused with 3 working days left", "Responded in 4 working days". */
  readonly text: string;
}

export interface CaseState {
  readonly reference: string;
  readonly kind: RepresentationKind;
  readonly status: CaseStatus;
  readonly statusLabel: string;
  readonly version: number;
  readonly clocks: readonly CaseClockState[];
}

export class CaseStateService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
  ) {}

  /** The case's state now, or `case_not_found` when there is no such case or the actor may not know of it. */
  async state(reference: string, actor: StaffActor): Promise<CaseState> {
    const loaded = await new CaseFactsRepository(this.db).load(reference.trim().toUpperCase());
    const isVisible =
      loaded !== undefined && (await storedCaseVisibility(this.db, actor, { id: loaded.id, teamId: loaded.facts.teamId ?? null, responderUserId: loaded.facts.responderUserId ?? null })) !== 'none';
    if (loaded !== undefined && !isVisible) {
      // A refusal is audited, as the case page's is.
      await new AuditRepository(this.db).record({ ...actor, action: 'case_view_refused', entityType: REPRESENTATION_SUBJECT, entityId: String(loaded.id) }, this.clock().toISOString());
    }
    if (loaded === undefined || !isVisible) throw new DomainError('case_not_found', 'There is no case with that reference');
    const today = this.clock().toISOString().slice(0, 10);
    const calendar = await this.calendars.calendar();
    return {
      reference: loaded.reference,
      kind: loaded.facts.kind,
      status: loaded.facts.status,
      statusLabel: CASE_STATUS_LABELS[loaded.facts.status],
      version: loaded.version,
      clocks: loaded.clocks.map((clock): CaseClockState => {
        const definition = definitionOf(clock.procedureKind, clock.clockKey);
        const status = clockStatusOf(definition, calendar, clock.events, today);
        const base = { key: clock.clockKey, label: definition.label, startedOn: clock.events.startedOn, dueOn: clock.dueOn, isOpen: clock.isOpen };
        // A clock closed without a stop of its own (the case withdrawn or closed first) just stopped.
        if (!clock.isOpen && status.stoppedOn === undefined) return { ...base, tag: 'stopped', text: 'Stopped before it ran out' };
        const due = describeDue(status);
        return { ...base, tag: due.tag, text: due.text };
      }),
    };
  }
}
