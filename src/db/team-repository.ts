import type { Kysely } from 'kysely';
import type { Database, Flag } from './schema.ts';
import type { TeamKind } from '../domain/organisation/team.ts';

export interface Team {
  readonly id: number;
  readonly name: string;
  readonly kind: TeamKind;
  readonly publicAlias: string | null;
  readonly isActive: boolean;
  readonly serviceAreaId: number;
  readonly serviceAreaName: string;
  readonly version: number;
}

export interface ServiceArea {
  readonly id: number;
  readonly name: string;
  readonly directorateId: number;
}

export interface TeamValues {
  readonly name: string;
  readonly serviceAreaId: number;
  readonly kind: TeamKind;
  readonly publicAlias: string | null;
  readonly isActive: boolean;
}

const flag = (value: boolean): Flag => (value ? 1 : 0);

/** The organisation: directorate → service areas → teams. */
export class TeamRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async directorateName(): Promise<string | undefined> {
    const row = await this.db.selectFrom('directorate').select('name').orderBy('id').executeTakeFirst();
    return row?.name;
  }

  /** The directorate's id, creating it with `name` when there is none yet. */
  async ensureDirectorate(name: string): Promise<number> {
    const existing = await this.db.selectFrom('directorate').select('id').orderBy('id').executeTakeFirst();
    if (existing) return existing.id;
    const { id } = await this.db.insertInto('directorate').values({ name }).returning('id').executeTakeFirstOrThrow();
    return id;
  }

  async renameDirectorate(name: string): Promise<void> {
    const id = await this.ensureDirectorate(name);
    await this.db.updateTable('directorate').set({ name }).where('id', '=', id).execute();
  }

  async serviceAreas(): Promise<ServiceArea[]> {
    const rows = await this.db.selectFrom('service_area').select(['id', 'name', 'directorate_id']).orderBy('name').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, directorateId: r.directorate_id }));
  }

  async findServiceAreaByName(name: string): Promise<ServiceArea | undefined> {
    const rows = await this.serviceAreas();
    return rows.find((a) => a.name.toLowerCase() === name.trim().toLowerCase());
  }

  async createServiceArea(name: string, directorateId: number): Promise<number> {
    const { id } = await this.db
      .insertInto('service_area')
      .values({ name: name.trim(), directorate_id: directorateId })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async list(): Promise<Team[]> {
    const rows = await this.baseQuery().orderBy('service_area.name').orderBy('team.name').execute();
    return rows.map(toTeam);
  }

  async findById(id: number): Promise<Team | undefined> {
    const row = await this.baseQuery().where('team.id', '=', id).executeTakeFirst();
    return row && toTeam(row);
  }

  async findByName(name: string): Promise<Team | undefined> {
    const all = await this.list();
    const key = name.trim().toLowerCase();
    return all.find((t) => t.name.toLowerCase() === key);
  }

  async findByAlias(alias: string): Promise<Team | undefined> {
    const row = await this.baseQuery().where('team.public_alias', '=', alias).executeTakeFirst();
    return row && toTeam(row);
  }

  async create(values: TeamValues, now: string): Promise<number> {
    const { id } = await this.db
      .insertInto('team')
      .values({
        name: values.name.trim(),
        service_area_id: values.serviceAreaId,
        kind: values.kind,
        public_alias: values.publicAlias,
        is_active: flag(values.isActive),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** Updates the team if it is still at `expectedVersion`; returns false (and writes nothing) if not. */
  async update(id: number, values: TeamValues, expectedVersion: number, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('team')
      .set({
        name: values.name.trim(),
        service_area_id: values.serviceAreaId,
        kind: values.kind,
        public_alias: values.publicAlias,
        is_active: flag(values.isActive),
        version: expectedVersion + 1,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  private baseQuery() {
    return this.db
      .selectFrom('team')
      .innerJoin('service_area', 'service_area.id', 'team.service_area_id')
      .select([
        'team.id',
        'team.name',
        'team.kind',
        'team.public_alias',
        'team.is_active',
        'team.version',
        'service_area.id as service_area_id',
        'service_area.name as service_area_name',
      ]);
  }
}

function toTeam(row: {
  id: number;
  name: string;
  kind: TeamKind;
  public_alias: string | null;
  is_active: number;
  version: number;
  service_area_id: number;
  service_area_name: string;
}): Team {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    publicAlias: row.public_alias,
    isActive: row.is_active === 1,
    serviceAreaId: row.service_area_id,
    serviceAreaName: row.service_area_name,
    version: row.version,
  };
}
