/**
 * Retention and disposal (docs/adr/0015-retention-and-disposal.md). The council's policy is two
 * council settings (years after the end of the financial year in which a case closed, and the
 * young person's age), never shorter than the law allows. A run disposes of each case that is
 * due and not on legal hold, each in its own transaction — erasing its personal data, writing
 * the disposal log, its history and the audit trail — and deletes its files after the commit,
 * so a failure leaves no half-disposed case. Running again changes nothing more.
 */
import { rm } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { CouncilSettingsRepository } from '../db/council-settings-repository.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { RetentionRepository, type DisposalLogRow, type EndedCaseRow, type LegalHoldRow } from '../db/retention-repository.ts';
import { DomainError } from '../domain/errors.ts';
import { isIsoDate, type IsoDate } from '../domain/calendar/iso-date.ts';
import { disposalDueOn, type RetentionBasis, type RetentionPolicy } from '../domain/retention/retention-policy.ts';
import type { Actor, Clock } from './clock.ts';

/** A closed case and when its personal data is due for disposal. */
export interface RetentionItem {
  readonly id: number;
  readonly reference: string;
  readonly kind: string;
  readonly endedOn: IsoDate;
  readonly dueOn: IsoDate;
  readonly basis: RetentionBasis;
  readonly isHeld: boolean;
}

export interface RetentionSchedule {
  readonly asAt: IsoDate;
  readonly policy: RetentionPolicy;
  /** Due on or before `asAt` and not held: what a run disposes of. */
  readonly due: readonly RetentionItem[];
  /** Due, but on legal hold: kept. */
  readonly held: readonly RetentionItem[];
  /** Not due yet (held or not), soonest first. */
  readonly later: readonly RetentionItem[];
}

export interface RetentionRunResult {
  readonly asAt: IsoDate;
  readonly isDryRun: boolean;
  readonly policy: RetentionPolicy;
  readonly due: readonly RetentionItem[];
  readonly disposed: readonly string[];
  readonly held: readonly RetentionItem[];
  /** Files that could not be deleted after their case's disposal (their rows are gone): storage keys only. */
  readonly filesLeft: readonly string[];
}

const MAX_REASON = 1000;

export class RetentionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** Where attachment files are stored: each storage key a file name inside it. */
    private readonly pathOfFile: (storageKey: string) => string,
  ) {}

  today(): IsoDate {
    return this.clock().toISOString().slice(0, 10);
  }

  async policy(): Promise<RetentionPolicy> {
    const settings = await new CouncilSettingsRepository(this.db).load();
    return { yearsAfterClosure: settings.retentionYearsAfterClosure, minimumAge: settings.retentionMinimumAge };
  }

  /** Every closed case not yet disposed of, sorted into due, held and later, as at a date (today by default). */
  async schedule(asAt?: IsoDate): Promise<RetentionSchedule> {
    const date = checkedAsAt(asAt ?? this.today());
    const policy = await this.policy();
    const items = (await new RetentionRepository(this.db).endedCases()).map((row) => itemOf(row, policy));
    const byDue = (a: RetentionItem, b: RetentionItem) => (a.dueOn === b.dueOn ? a.reference.localeCompare(b.reference) : a.dueOn < b.dueOn ? -1 : 1);
    return {
      asAt: date,
      policy,
      due: items.filter((i) => i.dueOn <= date && !i.isHeld).sort(byDue),
      held: items.filter((i) => i.dueOn <= date && i.isHeld).sort(byDue),
      later: items.filter((i) => i.dueOn > date).sort(byDue),
    };
  }

  /**
   * Disposes of every case due as at `asAt` (today by default) and not on legal hold; a dry run
   * only says what would go. A later `asAt` shows (or, outside production, tests) what is coming:
   * the CLI refuses a real run after today in production.
   */
  async run(options: { asAt?: IsoDate | undefined; isDryRun?: boolean | undefined }, actor: Actor): Promise<RetentionRunResult> {
    const schedule = await this.schedule(options.asAt);
    const isDryRun = options.isDryRun === true;
    const disposed: string[] = [];
    const filesLeft: string[] = [];
    if (!isDryRun) {
      for (const item of schedule.due) {
        const files = await this.dispose(item, schedule, actor);
        if (files === undefined) continue;
        disposed.push(item.reference);
        for (const key of files) {
          try {
            await rm(this.pathOfFile(key), { force: true });
          } catch {
            filesLeft.push(key);
          }
        }
      }
    }
    return { asAt: schedule.asAt, isDryRun, policy: schedule.policy, due: schedule.due, disposed, held: schedule.held, filesLeft };
  }

  /** The disposal log, newest first. */
  log(): Promise<DisposalLogRow[]> {
    return new RetentionRepository(this.db).log();
  }

  /** Legal holds in force, newest first. */
  holds(): Promise<LegalHoldRow[]> {
    return new RetentionRepository(this.db).holds();
  }

  /** The hold in force on a case, if any. */
  async holdOn(representationId: number): Promise<LegalHoldRow | undefined> {
    return new RetentionRepository(this.db).activeHold(representationId);
  }

  /**
   * A case's retention state for its page and the legal hold form: when its personal data was
   * disposed of, and the hold in force. Undefined for an unknown reference.
   */
  async caseState(reference: string): Promise<{ id: number; reference: string; status: string; disposedAt: string | null; hold: LegalHoldRow | undefined } | undefined> {
    const repository = new RetentionRepository(this.db);
    const found = await repository.findCase(reference.trim().toUpperCase());
    if (found === undefined) return undefined;
    return { ...found, hold: await repository.activeHold(found.id) };
  }

  /** The legal hold in force on a case, if any (its page, which has read the case itself). */
  async activeHold(representationId: number): Promise<LegalHoldRow | undefined> {
    return new RetentionRepository(this.db).activeHold(representationId);
  }

  /** Records that someone looked at retention (the schedule, or a case's legal hold): references only, no personal data. */
  async recordView(actor: Actor, what: 'retention_schedule' | 'legal_hold', representationId?: number): Promise<void> {
    await new AuditRepository(this.db).record(
      { ...actor, action: `${what}_viewed`, entityType: representationId === undefined ? 'retention' : 'representation', entityId: representationId === undefined ? null : String(representationId) },
      this.clock().toISOString(),
    );
  }

  /** Places a legal hold on a case (refused: unknown or disposed case, no reason, already held). Audited and in the case's history. */
  async placeHold(reference: string, reason: string, actor: Actor): Promise<void> {
    const why = checkedReason(reason, 'Enter why the case must be kept');
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const repository = new RetentionRepository(trx);
      const found = await heldCase(repository, reference);
      if (await repository.activeHold(found.id)) throw new DomainError('already_on_legal_hold', 'This case is already on legal hold', 'reason');
      await repository.placeHold(found.id, why, actor.userId, now);
      await new HistoryRepository(trx).add({ subjectType: 'representation', subjectId: found.id, userId: actor.userId, action: 'legal_hold_placed', summary: 'Legal hold placed: the case will not be disposed of while it is on' }, now);
      await new AuditRepository(trx).record({ ...actor, action: 'legal_hold_placed', entityType: 'representation', entityId: String(found.id), details: { reference: found.reference } }, now);
    });
  }

  /** Removes the legal hold on a case (refused: not on hold, no reason). Audited and in the case's history. */
  async removeHold(reference: string, reason: string, actor: Actor): Promise<void> {
    const why = checkedReason(reason, 'Enter why the legal hold can be removed');
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const repository = new RetentionRepository(trx);
      const found = await heldCase(repository, reference);
      if ((await repository.removeHolds(found.id, why, actor.userId, now)) === 0) throw new DomainError('not_on_legal_hold', 'This case is not on legal hold', 'reason');
      await new HistoryRepository(trx).add({ subjectType: 'representation', subjectId: found.id, userId: actor.userId, action: 'legal_hold_removed', summary: 'Legal hold removed' }, now);
      await new AuditRepository(trx).record({ ...actor, action: 'legal_hold_removed', entityType: 'representation', entityId: String(found.id), details: { reference: found.reference } }, now);
    });
  }

  /**
   * One case's disposal, in its own transaction: checked again inside it (still ended, not
   * disposed of, not held, still due), so a case re-opened or held since the schedule was
   * drawn up is left alone (undefined). Returns the files to delete after the commit.
   */
  private async dispose(item: RetentionItem, schedule: RetentionSchedule, actor: Actor): Promise<readonly string[] | undefined> {
    const now = this.clock().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const repository = new RetentionRepository(trx);
      const current = await repository.endedCase(item.id);
      if (current === undefined || current.isHeld) return undefined;
      const fresh = itemOf(current, schedule.policy);
      if (fresh.dueOn > schedule.asAt) return undefined;
      const { erased, storageKeys } = await repository.erase(item.id, now);
      const policy = { years_after_closure: schedule.policy.yearsAfterClosure, minimum_age: schedule.policy.minimumAge, basis: fresh.basis };
      await repository.addLog({ representationId: item.id, reference: item.reference, disposedAt: now, disposedBy: actor.userId, asAt: schedule.asAt, dueOn: fresh.dueOn, policy, erased });
      await new HistoryRepository(trx).add({ subjectType: 'representation', subjectId: item.id, userId: actor.userId, action: 'personal_data_disposed', summary: 'Personal data disposed of under the retention policy' }, now);
      await new AuditRepository(trx).record(
        { ...actor, action: 'case_disposed', entityType: 'representation', entityId: String(item.id), details: { reference: item.reference, as_at: schedule.asAt, due_on: fresh.dueOn, policy, erased } },
        now,
      );
      return storageKeys;
    });
  }
}

function itemOf(row: EndedCaseRow, policy: RetentionPolicy): RetentionItem {
  const { dueOn, basis } = disposalDueOn(row.endedOn, row.dateOfBirth, policy);
  return { id: row.id, reference: row.reference, kind: row.kind, endedOn: row.endedOn, dueOn, basis, isHeld: row.isHeld };
}

function checkedAsAt(asAt: string): IsoDate {
  if (!isIsoDate(asAt)) throw new DomainError('invalid_as_at', `the date to run as at must be a real date written YYYY-MM-DD (got "${asAt}")`, 'as_at');
  return asAt;
}

function checkedReason(reason: string, missing: string): string {
  const text = reason.trim();
  if (text === '') throw new DomainError('reason_required', missing, 'reason');
  if (text.length > MAX_REASON) throw new DomainError('reason_too_long', `The reason must be ${String(MAX_REASON)} characters or fewer`, 'reason');
  return text;
}

async function heldCase(repository: RetentionRepository, reference: string): Promise<{ id: number; reference: string }> {
  const found = await repository.findCase(reference.trim().toUpperCase());
  if (found === undefined) throw new DomainError('case_not_found', 'There is no case with that reference');
  if (found.disposedAt !== null) throw new DomainError('case_disposed', 'This case’s personal data has been disposed of: there is nothing left to hold', 'reason');
  return found;
}
