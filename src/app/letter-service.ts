/**
 * Letters: the council's wording of each letter (edited by an administrator, with every
 * version kept and the shipped default always one click away), and letters produced for a
 * case, filled from what the case records, as HTML or DOCX.
 *
 * Who may produce a case's letters: only someone who may see the case in full
 * (`caseVisibility`): a letter carries the complainant's name and address. For anyone else
 * the case does not exist (undefined, which the web layer shows as 404). Producing a letter
 * writes an audit event and a line in the case's history ("Letter produced: Acknowledgement"),
 * neither of which holds personal details.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { CaseReadRepository } from '../db/case-read-repository.ts';
import { LaterStageRepository } from '../db/later-stage-repository.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { LetterTemplateRepository, type LetterTemplateRevision, type StoredLetterTemplate } from '../db/letter-template-repository.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { DomainError } from '../domain/errors.ts';
import type { ClockEvents } from '../domain/clocks/clock-engine.ts';
import { STAGE1_CLOCK_KEYS } from '../domain/cases/stage1-clock.ts';
import { isProcedureKind } from '../domain/procedures/procedure-definitions.ts';
import { defaultWording, isLetterKey, LETTER_DEFINITIONS, LETTERS, letterApplies, type LetterCaseState, type LetterDefinition, type LetterKey } from '../domain/letters/letter-definitions.ts';
import { letterAudienceFor, type LetterAudience } from '../domain/letters/letter-audience.ts';
import { LETTER_FIELD_INFO, type LetterField } from '../domain/letters/letter-fields.ts';
import { fillLetter, placeholderText, templateProblems, type FilledLetter, type LetterText } from '../domain/letters/letter-template.ts';
import { letterValues, type LaterLetterFacts, type LetterCaseFacts } from '../domain/letters/letter-values.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import { FINDING_LABELS, isFinding } from '../domain/taxonomies/findings.ts';
import { isRemedy, REMEDY_LABELS } from '../domain/taxonomies/remedies.ts';
import { letterDocx } from '../reports/letters/letter-docx-renderer.ts';
import { letterHtml } from '../reports/letters/letter-html-renderer.ts';
import { storedCaseVisibility } from './case-query-service.ts';
import { clockStatusOf, definitionOf } from './clock-service.ts';
import type { CalendarService } from './calendar-service.ts';
import type { Actor, Clock } from './clock.ts';
import type { StaffActor } from './registration-service.ts';
import { decidedRecommendations, recommendationLines } from '../domain/cases/recommendation-decisions.ts';

export const LETTER_TEMPLATE_SUBJECT = 'letter_template';

/** A letter in the administrator's list. */
export interface LetterTemplateSummary {
  readonly definition: LetterDefinition;
  /** Which version of the letter: the standard one, or the one for a child or young person. */
  readonly audience: LetterAudience;
  /** False while the shipped default wording is in use. */
  readonly isCustomised: boolean;
  /** 0 until first saved. */
  readonly version: number;
  readonly updatedBy: string | null;
  readonly updatedAt: string | null;
}

export interface PlaceholderInfo {
  readonly name: LetterField;
  /** As typed: `{{ name }}`. */
  readonly text: string;
  readonly label: string;
  readonly hint: string;
  readonly isRequired: boolean;
}

/** What the edit page shows. */
export interface LetterTemplateView extends LetterTemplateSummary {
  readonly subject: string;
  readonly body: string;
  readonly placeholders: readonly PlaceholderInfo[];
  readonly revisions: readonly LetterTemplateRevision[];
}

/** A letter on a case's list. */
export interface CaseLetterOption {
  readonly definition: LetterDefinition;
  readonly appliesNow: boolean;
}

export interface ProducedLetter {
  readonly reference: string;
  readonly definition: LetterDefinition;
  readonly letter: FilledLetter;
  /** What stops the letter being sent as it stands, e.g. a posted letter without an address. */
  readonly problems: readonly LetterProblem[];
}

/** Something missing that a letter needs before it is sent. */
export interface LetterProblem {
  readonly code: 'address_missing';
  readonly message: string;
}

/**
 * Whether the complainant's letters go by post: they asked for letters, or no preferred way
 * was recorded and there is no email address to send them to.
 */
export function isPosted(complainant: { readonly email?: string | null; readonly preferredContact?: string | null } | undefined): boolean {
  if (complainant === undefined) return false;
  const preferred = complainant.preferredContact ?? '';
  if (preferred === 'letter') return true;
  return preferred === '' && (complainant.email ?? '').trim() === '';
}

/** Where a letter's wording is stored: the standard version under the letter's key, the child version under `<key>.child`. */
export function templateStorageKey(key: LetterKey, audience: LetterAudience): string {
  return audience === 'child' ? `${key}.child` : key;
}

function staleTemplate(): DomainError {
  return new DomainError('stale_update', 'Someone else changed this letter after you opened it. Their version is saved below under “Earlier versions”. Check it, then save your wording again.');
}

export class LetterService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
    private readonly councilName: string,
  ) {}

  // ---- templates ----

  /** Each letter's standard version, then its version for a child or young person. */
  async templates(): Promise<LetterTemplateSummary[]> {
    const stored = new Map((await new LetterTemplateRepository(this.db).all()).map((t) => [t.key, t]));
    return LETTERS.flatMap((definition) =>
      (['standard', 'child'] as const).map((audience) => summaryOf(definition, stored.get(templateStorageKey(definition.key, audience)), audience)),
    );
  }

  /** The letter's current wording and what the edit page lists; undefined for an unknown key. */
  async template(key: string, audience: LetterAudience = 'standard'): Promise<LetterTemplateView | undefined> {
    if (!isLetterKey(key)) return undefined;
    const definition = LETTER_DEFINITIONS[key];
    const repository = new LetterTemplateRepository(this.db);
    const storageKey = templateStorageKey(key, audience);
    const [stored, revisions] = await Promise.all([repository.find(storageKey), repository.revisions(storageKey)]);
    return {
      ...summaryOf(definition, stored, audience),
      ...textOf(definition, stored, audience),
      placeholders: definition.fields.map((name) => ({ name, text: placeholderText(name), ...LETTER_FIELD_INFO[name], isRequired: definition.required.includes(name) })),
      revisions,
    };
  }

  /** Every problem with the wording (empty when it can be saved), for the form's error summary. */
  problems(key: LetterKey, text: LetterText): DomainError[] {
    return templateProblems(LETTER_DEFINITIONS[key], text);
  }

  /**
   * Saves the council's wording. Refuses (DomainError) wording with a problem, and a save
   * based on an older version than the latest (`stale_update`): nothing is then written.
   */
  async saveTemplate(key: LetterKey, text: LetterText, expectedVersion: number, actor: Actor, audience: LetterAudience = 'standard'): Promise<number> {
    const definition = LETTER_DEFINITIONS[key];
    const [problem] = templateProblems(definition, text);
    if (problem !== undefined) throw problem;
    const wording = { subject: text.subject.trim(), body: text.body.replaceAll('\r\n', '\n').trim() };
    return this.write(templateStorageKey(key, audience), wording, expectedVersion, 'edited', actor);
  }

  /** Goes back to the shipped default wording (the council's versions stay in the revisions). */
  async restoreDefault(key: LetterKey, expectedVersion: number, actor: Actor, audience: LetterAudience = 'standard'): Promise<number> {
    return this.write(templateStorageKey(key, audience), { subject: null, body: null }, expectedVersion, 'restored', actor);
  }

  /** `key`: the storage key (`templateStorageKey`). */
  private async write(key: string, wording: { subject: string | null; body: string | null }, expectedVersion: number, change: 'edited' | 'restored', actor: Actor): Promise<number> {
    const now = this.clock().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const repository = new LetterTemplateRepository(trx);
      const current = await repository.find(key);
      if ((current?.version ?? 0) !== expectedVersion) throw staleTemplate();
      const version = await repository.save(key, wording, expectedVersion, actor.userId, now);
      if (version === undefined) throw staleTemplate();
      await repository.addRevision(key, { version, change, ...wording, userId: actor.userId }, now);
      await new AuditRepository(trx).record(
        { ...actor, action: change === 'edited' ? 'letter_template_changed' : 'letter_template_restored', entityType: LETTER_TEMPLATE_SUBJECT, entityId: key, details: { version } },
        now,
      );
      return version;
    });
  }

  // ---- a case's letters ----

  /** The letters for the case, those that apply now first; undefined if the viewer may not see the case in full. */
  async forCase(reference: string, viewer: StaffActor): Promise<{ reference: string; audience: LetterAudience; letters: CaseLetterOption[] } | undefined> {
    const loaded = await this.loadCase(reference, viewer, undefined);
    if (loaded === undefined) return undefined;
    const letters = LETTERS.map((definition) => ({ definition, appliesNow: letterApplies(definition, loaded.state) }));
    return { reference: loaded.facts.reference, audience: loaded.audience, letters: [...letters.filter((l) => l.appliesNow), ...letters.filter((l) => !l.appliesNow)] };
  }

  /** The letter filled from the case, as HTML; the view is audited. */
  async produceHtml(reference: string, key: string, viewer: StaffActor): Promise<(ProducedLetter & { html: string }) | undefined> {
    const produced = await this.produce(reference, key, viewer, 'html');
    return produced === undefined ? undefined : { ...produced, html: letterHtml(produced.letter) };
  }

  /** The letter filled from the case, as a Word document to send: audited and noted in the case's history. */
  async produceDocx(reference: string, key: string, viewer: StaffActor): Promise<(ProducedLetter & { docx: Buffer; fileName: string }) | undefined> {
    const produced = await this.produce(reference, key, viewer, 'docx');
    if (produced === undefined) return undefined;
    const docx = await letterDocx(produced.letter, { reference: produced.reference, councilName: this.councilName });
    return { ...produced, docx, fileName: `${produced.reference}-${produced.definition.key.replaceAll('_', '-')}.docx` };
  }

  private async produce(reference: string, key: string, viewer: StaffActor, format: 'html' | 'docx'): Promise<ProducedLetter | undefined> {
    if (!isLetterKey(key)) return undefined;
    const definition = LETTER_DEFINITIONS[key];
    const loaded = await this.loadCase(reference, viewer, key);
    if (loaded === undefined) return undefined;
    const { audience } = loaded;
    const stored = await new LetterTemplateRepository(this.db).find(templateStorageKey(key, audience));
    const calendar = await this.calendars.calendar();
    const letter = fillLetter(definition, textOf(definition, stored, audience), letterValues(loaded.facts, calendar, audience), audience);
    const now = this.clock().toISOString();
    // Looking at a letter is a view of the case; downloading it to send is producing it, which the timeline shows.
    const isProduced = format === 'docx';
    await this.db.transaction().execute(async (trx) => {
      if (isProduced) {
        await new HistoryRepository(trx).add(
          { subjectType: REPRESENTATION_SUBJECT, subjectId: loaded.id, userId: viewer.userId, action: 'letter_produced', summary: `Letter produced: ${definition.title}`, after: { letter: key, format } },
          now,
        );
      }
      await new AuditRepository(trx).record(
        {
          ...viewer,
          action: isProduced ? 'letter_produced' : 'letter_viewed',
          entityType: REPRESENTATION_SUBJECT,
          entityId: String(loaded.id),
          details: { reference: loaded.facts.reference, letter: key, audience, format, templateVersion: stored?.version ?? 0 },
        },
        now,
      );
    });
    return { reference: loaded.facts.reference, definition, letter, problems: loaded.problems };
  }

  /** What Stages 2 and 3 give the letters, and which of their letters apply; undefined before Stage 2. */
  private async laterFacts(reference: string, calendar: WorkingDayCalendar): Promise<{ facts: LaterLetterFacts; state: Partial<LetterCaseState> } | undefined> {
    const found = await new LaterStageRepository(this.db).load(reference);
    if (found?.stage2 === undefined) return undefined;
    const { stage2, stage3, appointments, facts } = found;
    const today = this.today();
    const clockOf = (key: string) => {
      const clock = found.laterClocks.find((c) => c.clockKey === key);
      return clock === undefined ? undefined : { status: clockStatusOf(definitionOf(clock.procedureKind, clock.clockKey), calendar, clock.events, today), events: clock.events };
    };
    const response = clockOf('stage2_response');
    const current = (role: string) => appointments.filter((a) => a.role === role && a.ended_on === null);
    const lastOf = (role: string) => appointments.filter((a) => a.role === role).at(-1)?.name;
    const findingLabel = (code: string | null | undefined) => (isFinding(code) ? FINDING_LABELS[code] : undefined);
    const panel = current('panel_member');
    return {
      facts: {
        stage2RequestedOn: stage2.requested_on,
        statementAgreedOn: stage2.statement_agreed_on,
        ...(response === undefined
          ? {}
          : {
              stage2: {
                dueOn: response.status.dueDate,
                extraWorkingDays: response.status.totalWorkingDays - response.status.baseWorkingDays,
                extensionReason: response.events.extensions?.at(-1)?.reason,
              },
            }),
        investigatingOfficer: lastOf('investigator'),
        independentPerson: lastOf('independent_person'),
        adjudicatedOn: stage2.responded_on,
        stage2FindingLabel: findingLabel(stage2.finding),
        stage2FindingCode: stage2.finding,
        pointFindings: facts.points.map((p) => `${String(p.number)}. ${p.text}: ${findingLabel(p.finding) ?? 'no finding recorded'}`),
        stage2Recommendations: recommendationLines(stage2.recommendations),
        stage3RequestedOn: stage3?.requested_on,
        panelDueOn: clockOf('panel_meeting')?.status.dueDate,
        panelMembers: (panel.length > 0 ? panel : appointments.filter((a) => a.role === 'panel_member')).map((a) => `${a.name}${a.is_chair === 1 ? ' (chair)' : ''}`),
        panelMetOn: stage3?.panel_met_on,
        councilRespondedOn: stage3?.responded_on,
        ...(stage3?.responded_on === null || stage3 === undefined ? {} : { panelDecisions: decidedRecommendations(stage3.recommendations, stage3.council_decisions) }),
      },
      state: {
        isStage2Extended: (response?.events.extensions ?? []).length > 0,
        isStage2Adjudicated: stage2.state === 'adjudicated',
        isPanelAppointed: panel.length > 0,
        isStage3Responded: stage3?.state === 'responded',
      },
    };
  }

  private today(): string {
    return this.clock().toISOString().slice(0, 10);
  }

  /** The case's letter facts, if the viewer may see it in full (a refusal is audited). */
  private async loadCase(reference: string, viewer: StaffActor, key: LetterKey | undefined) {
    const repository = new CaseReadRepository(this.db);
    const row = await repository.findByReference(reference.trim().toUpperCase());
    if (row === undefined) return undefined;
    if ((await storedCaseVisibility(this.db, viewer, { ...row, appointedUserIds: [] })) !== 'full') {
      await new AuditRepository(this.db).record(
        { ...viewer, action: 'letter_refused', entityType: REPRESENTATION_SUBJECT, entityId: String(row.id), details: key === undefined ? {} : { letter: key } },
        this.clock().toISOString(),
      );
      return undefined;
    }
    const [codes, clocks, history] = await Promise.all([repository.codes(row.id), repository.clocks(row.id), repository.history(row.id)]);
    const stage1Key = isProcedureKind(row.kind) ? STAGE1_CLOCK_KEYS[row.kind] : undefined;
    const stage1 = clocks.find((c) => c.clockKey === stage1Key);
    const events = stage1 === undefined ? undefined : (JSON.parse(stage1.events) as ClockEvents);
    const calendar = await this.calendars.calendar();
    const status = stage1 === undefined || events === undefined ? undefined : clockStatusOf(definitionOf(stage1.procedureKind, stage1.clockKey), calendar, events, this.today());
    const extensions = events?.extensions ?? [];
    /** The latest history entry of the action (history comes newest first), its `after` fields. */
    const latest = (action: string): Record<string, unknown> => {
      const entry = history.find((h) => h.action === action && h.after !== null);
      return entry?.after == null ? {} : (JSON.parse(entry.after) as Record<string, unknown>);
    };
    const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
    const request = latest('request_information');
    const warning = latest('send_closure_warning');
    const later = await this.laterFacts(row.reference, calendar);
    const facts: LetterCaseFacts = {
      reference: row.reference,
      kind: row.kind,
      councilName: this.councilName,
      today: this.today(),
      complainantName: row.complainant?.name,
      complainantAddress: row.complainant?.address,
      complainantRole: row.complainantRole,
      advocateName: row.advocate?.name,
      youngPersonId: row.youngPerson?.externalId,
      teamName: row.teamName,
      receivedOn: row.receivedOn,
      acknowledgedOn: row.acknowledgedOn,
      respondedOn: row.respondedOn,
      withdrawnOn: row.withdrawnOn,
      stage1: status === undefined ? undefined : { dueOn: status.dueDate, extraWorkingDays: status.totalWorkingDays - status.baseWorkingDays, extensionReason: extensions.at(-1)?.reason },
      findingLabel: isFinding(row.finding) ? FINDING_LABELS[row.finding] : null,
      findingCode: row.finding,
      remedyLabels: codes.filter((c) => c.list === 'remedy').map((c) => (isRemedy(c.code) ? REMEDY_LABELS[c.code] : c.code)),
      responderName: row.responderName,
      informationRequestedOn: text(request.requested_on),
      informationRequested: text(request.details),
      closureWarningSentOn: text(warning.sent_on),
      ...(later === undefined ? {} : { later: later.facts }),
    };
    const problems: LetterProblem[] =
      isPosted(row.complainant) && (row.complainant?.address ?? '').trim() === ''
        ? [{ code: 'address_missing', message: 'The complainant’s address is not recorded, and their letters go by post. Record their address before you send this letter.' }]
        : [];
    return {
      id: row.id,
      facts,
      audience: letterAudienceFor(row.complainantRole),
      problems,
      state: {
        kind: row.kind,
        status: row.status,
        isExtended: extensions.length > 0,
        hasResponse: row.respondedOn !== null,
        hasInformationRequest: facts.informationRequested !== undefined || facts.informationRequestedOn !== undefined,
        ...later?.state,
      },
    };
  }
}

function summaryOf(definition: LetterDefinition, stored: StoredLetterTemplate | undefined, audience: LetterAudience): LetterTemplateSummary {
  return {
    definition,
    audience,
    isCustomised: stored?.body != null,
    version: stored?.version ?? 0,
    updatedBy: stored?.updatedBy ?? null,
    updatedAt: stored?.updatedAt ?? null,
  };
}

/** The wording in force for the audience: the council's, or the shipped default. */
function textOf(definition: LetterDefinition, stored: StoredLetterTemplate | undefined, audience: LetterAudience): LetterText {
  return stored?.body != null && stored.subject != null ? { subject: stored.subject, body: stored.body } : defaultWording(definition, audience);
}
