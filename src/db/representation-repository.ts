import type { ReceiptRule } from '../domain/calendar/counting-rule.ts';
import type { Kysely } from 'kysely';
import type { CodeList, Database } from './schema.ts';

export interface PersonValues {
  readonly name: string;
  readonly email?: string | null | undefined;
  readonly phone?: string | null | undefined;
  readonly address?: string | null | undefined;
  readonly preferredContact?: string | null | undefined;
  readonly reasonableAdjustments?: string | null | undefined;
  readonly organisation?: string | null | undefined;
}

const asFlag = (value: boolean | undefined): 0 | 1 | null => (value === undefined ? null : value ? 1 : 0);

export interface NewRepresentation {
  readonly reference: string;
  readonly contactId: number;
  readonly kind: string;
  readonly status: string;
  readonly receivedOn: string;
  readonly eventOn: string | null;
  readonly channel: string | null;
  readonly isViaComplaintsTeam: boolean;
  readonly teamId: number | null;
  readonly summary: string;
  readonly youngPersonId: number | null;
  readonly complainantId: number | null;
  readonly complainantRole: string | null;
  readonly advocateId: number | null;
  readonly agency: string | null;
  readonly forwardedOn: string | null;
  readonly complimentSource: string | null;
  readonly workerName: string | null;
  readonly hasConsentToQuote: boolean;
  readonly informalReason: string | null;
  /** Eligibility facts: undefined when not known yet. */
  readonly hasParentalResponsibility?: boolean | undefined;
  readonly isMadeForChild?: boolean | undefined;
  readonly hasProceedings?: boolean | undefined;
  readonly createdBy: number | null;
}

export interface RepresentationSummary {
  readonly id: number;
  readonly reference: string;
  readonly contactId: number;
  readonly kind: string;
  readonly status: string;
  readonly stage: number;
  readonly receivedOn: string;
  readonly teamId: number | null;
  readonly teamName: string | null;
  readonly summary: string;
  readonly version: number;
}

/** The subject type of a representation's clocks, history and audit entries. */
export const REPRESENTATION_SUBJECT = 'representation';

/** Representations and the people and codes recorded with them. */
export class RepresentationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The next number for references with `prefix` in `year`. The upsert takes the row's write
   * lock, so two registrations at once never get the same number.
   */
  async nextReferenceNumber(prefix: string, year: number): Promise<number> {
    const row = await this.db
      .insertInto('reference_sequence')
      .values({ prefix, year, last_number: 1 })
      .onConflict((oc) => oc.columns(['prefix', 'year']).doUpdateSet((eb) => ({ last_number: eb('reference_sequence.last_number', '+', 1) })))
      .returning('last_number')
      .executeTakeFirstOrThrow();
    return row.last_number;
  }

  async createContact(receivedOn: string, now: string): Promise<number> {
    const { id } = await this.db.insertInto('contact').values({ received_on: receivedOn, created_at: now }).returning('id').executeTakeFirstOrThrow();
    return id;
  }

  /** The young person with this pseudonymous id, created or brought up to date. */
  async upsertYoungPerson(externalId: string, dateOfBirth: string | null, ethnicity: string | null, now: string): Promise<number> {
    const existing = await this.db.selectFrom('young_person').select('id').where('external_id', '=', externalId).executeTakeFirst();
    if (existing) {
      await this.db
        .updateTable('young_person')
        .set((eb) => ({
          date_of_birth: dateOfBirth ?? eb.ref('date_of_birth'),
          ethnicity: ethnicity ?? eb.ref('ethnicity'),
          updated_at: now,
        }))
        .where('id', '=', existing.id)
        .execute();
      return existing.id;
    }
    const { id } = await this.db
      .insertInto('young_person')
      .values({ external_id: externalId, date_of_birth: dateOfBirth, ethnicity, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async createPerson(person: PersonValues, now: string): Promise<number> {
    const { id } = await this.db
      .insertInto('person')
      .values({
        name: person.name,
        email: person.email ?? null,
        phone: person.phone ?? null,
        address: person.address ?? null,
        preferred_contact: person.preferredContact ?? null,
        reasonable_adjustments: person.reasonableAdjustments ?? null,
        organisation: person.organisation ?? null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** The receipt rule the representation's receipt clocks started under. */
  async setReceiptRule(id: number, rule: ReceiptRule): Promise<void> {
    await this.db.updateTable('representation').set({ receipt_rule: rule }).where('id', '=', id).execute();
  }

  async create(values: NewRepresentation, now: string): Promise<number> {
    const { id } = await this.db
      .insertInto('representation')
      .values({
        reference: values.reference,
        contact_id: values.contactId,
        kind: values.kind,
        status: values.status,
        received_on: values.receivedOn,
        event_on: values.eventOn,
        channel: values.channel,
        is_via_complaints_team: values.isViaComplaintsTeam ? 1 : 0,
        team_id: values.teamId,
        summary: values.summary,
        young_person_id: values.youngPersonId,
        complainant_id: values.complainantId,
        complainant_role: values.complainantRole,
        advocate_id: values.advocateId,
        agency: values.agency,
        forwarded_on: values.forwardedOn,
        compliment_source: values.complimentSource,
        worker_name: values.workerName,
        has_consent_to_quote: values.hasConsentToQuote ? 1 : 0,
        informal_reason: values.informalReason,
        has_parental_responsibility: asFlag(values.hasParentalResponsibility),
        is_made_for_child: asFlag(values.isMadeForChild),
        has_proceedings: asFlag(values.hasProceedings),
        created_by: values.createdBy,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async setCodes(representationId: number, list: CodeList, codes: readonly string[]): Promise<void> {
    await this.db.deleteFrom('representation_code').where('representation_id', '=', representationId).where('list', '=', list).execute();
    if (codes.length === 0) return;
    await this.db
      .insertInto('representation_code')
      .values([...new Set(codes)].map((code) => ({ representation_id: representationId, list, code })))
      .execute();
  }

  async codes(representationId: number, list: CodeList): Promise<string[]> {
    const rows = await this.db
      .selectFrom('representation_code')
      .select('code')
      .where('representation_id', '=', representationId)
      .where('list', '=', list)
      .orderBy('code')
      .execute();
    return rows.map((r) => r.code);
  }

  async findByReference(reference: string): Promise<RepresentationSummary | undefined> {
    const row = await this.summaryQuery().where('representation.reference', '=', reference).executeTakeFirst();
    return row && toSummary(row);
  }

  /** The representations registered from one contact (one per team), in reference order. */
  async forContact(contactId: number): Promise<RepresentationSummary[]> {
    const rows = await this.summaryQuery().where('representation.contact_id', '=', contactId).orderBy('representation.id').execute();
    return rows.map(toSummary);
  }

  private summaryQuery() {
    return this.db
      .selectFrom('representation')
      .leftJoin('team', 'team.id', 'representation.team_id')
      .select([
        'representation.id',
        'representation.reference',
        'representation.contact_id',
        'representation.kind',
        'representation.status',
        'representation.stage',
        'representation.received_on',
        'representation.team_id',
        'team.name as team_name',
        'representation.summary',
        'representation.version',
      ]);
  }
}

function toSummary(row: {
  id: number;
  reference: string;
  contact_id: number;
  kind: string;
  status: string;
  stage: number;
  received_on: string;
  team_id: number | null;
  team_name: string | null;
  summary: string;
  version: number;
}): RepresentationSummary {
  return {
    id: row.id,
    reference: row.reference,
    contactId: row.contact_id,
    kind: row.kind,
    status: row.status,
    stage: row.stage,
    receivedOn: row.received_on,
    teamId: row.team_id,
    teamName: row.team_name,
    summary: row.summary,
    version: row.version,
  };
}
