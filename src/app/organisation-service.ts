import type { Kysely } from 'kysely';
import { parse } from 'csv-parse/sync';
import type { Database } from '../db/schema.ts';
import { TeamRepository, type ServiceArea, type Team } from '../db/team-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { DomainError } from '../domain/errors.ts';
import { checkAliasChange, checkTeam, isTeamKind, type TeamKind } from '../domain/organisation/team.ts';
import type { Actor, Clock } from './clock.ts';

export interface TeamInput {
  readonly name: string;
  readonly serviceAreaName: string;
  readonly kind: TeamKind;
  readonly publicAlias: string | null;
  readonly isActive: boolean;
}

export interface ImportProblem {
  readonly line: number;
  readonly column: string;
  readonly message: string;
}

export interface TeamImportResult {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly problems: readonly ImportProblem[];
}

export const TEAM_CSV_COLUMNS = ['name', 'service_area', 'kind', 'public_alias'] as const;

/** The directorate, its service areas and teams. */
export class OrganisationService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  listTeams(): Promise<Team[]> {
    return new TeamRepository(this.db).list();
  }

  serviceAreas(): Promise<ServiceArea[]> {
    return new TeamRepository(this.db).serviceAreas();
  }

  directorateName(): Promise<string | undefined> {
    return new TeamRepository(this.db).directorateName();
  }

  findTeam(id: number): Promise<Team | undefined> {
    return new TeamRepository(this.db).findById(id);
  }

  async addServiceArea(name: string, actor: Actor): Promise<number> {
    const trimmed = name.trim();
    if (trimmed === '') throw new DomainError('service_area_required', 'Enter the name of the service area', 'name');
    return this.db.transaction().execute(async (trx) => {
      const teams = new TeamRepository(trx);
      if (await teams.findServiceAreaByName(trimmed)) {
        throw new DomainError('service_area_exists', `There is already a service area called ${trimmed}`, 'name');
      }
      const directorateId = await teams.ensureDirectorate("Children's Services");
      const id = await teams.createServiceArea(trimmed, directorateId);
      await this.audit(trx, actor, 'service_area_added', 'service_area', id, { after: { name: trimmed } });
      return id;
    });
  }

  async createTeam(input: TeamInput, actor: Actor): Promise<number> {
    checkTeam(input);
    return this.db.transaction().execute(async (trx) => {
      const teams = new TeamRepository(trx);
      const values = await this.resolve(teams, input, undefined);
      const id = await teams.create(values, this.now());
      await this.audit(trx, actor, 'team_added', 'team', id, { after: input });
      return id;
    });
  }

  /**
   * Updates a team. `expectedVersion` is the version the user saw: saving over someone
   * else's newer change is refused and nothing is written.
   */
  async updateTeam(id: number, input: TeamInput, expectedVersion: number, actor: Actor): Promise<void> {
    checkTeam(input);
    await this.db.transaction().execute(async (trx) => {
      const teams = new TeamRepository(trx);
      const before = await teams.findById(id);
      if (!before) throw new DomainError('team_not_found', 'There is no such team');
      checkAliasChange(before.publicAlias, input.publicAlias);
      const values = await this.resolve(teams, input, id);
      if (before.version !== expectedVersion || !(await teams.update(id, values, expectedVersion, this.now()))) {
        throw new DomainError('stale_update', 'Someone else changed this team after you opened it. Check their change and try again.');
      }
      await this.audit(trx, actor, 'team_changed', 'team', id, { before, after: input });
    });
  }

  /**
   * Imports teams from CSV (columns name, service_area, kind, public_alias). Every row is
   * checked before anything is written; with any problem nothing is written. Existing
   * teams (matched by name) are updated; importing the same file twice changes nothing.
   */
  async importTeams(csv: string, actor: Actor, options: { dryRun?: boolean } = {}): Promise<TeamImportResult> {
    const { rows, problems, isReadable } = parseTeamCsv(csv);
    if (!isReadable) return { created: 0, updated: 0, unchanged: 0, problems };

    return this.db.transaction().execute(async (trx) => {
      const teams = new TeamRepository(trx);
      const existing = await teams.list();
      const byName = new Map(existing.map((t) => [t.name.toLowerCase(), t]));
      const aliasOwner = new Map(existing.filter((t) => t.publicAlias !== null).map((t) => [t.publicAlias?.toLowerCase(), t.name.toLowerCase()]));
      const seen = new Map<string, number>();
      const found: ImportProblem[] = [...problems];
      for (const { line, input } of rows) {
        const key = input.name.toLowerCase();
        const firstLine = seen.get(key);
        if (firstLine !== undefined) found.push({ line, column: 'name', message: `Team "${input.name}" is also on line ${firstLine}` });
        seen.set(key, line);
        const current = byName.get(key);
        try {
          checkTeam(input);
          if (current) checkAliasChange(current.publicAlias, input.publicAlias);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          found.push({ line, column: columnFor(error.field), message: error.message });
        }
        if (input.publicAlias !== null) {
          const owner = aliasOwner.get(input.publicAlias.toLowerCase());
          if (owner !== undefined && owner !== key) {
            found.push({ line, column: 'public_alias', message: `The alias ${input.publicAlias} already belongs to another team` });
          }
          aliasOwner.set(input.publicAlias.toLowerCase(), key);
        }
      }
      if (found.length > 0) return { created: 0, updated: 0, unchanged: 0, problems: found.sort((x, y) => x.line - y.line) };

      let created = 0;
      let updated = 0;
      let unchanged = 0;
      for (const { input } of rows) {
        const current = byName.get(input.name.toLowerCase());
        if (current && isSameTeam(current, input)) {
          unchanged += 1;
          continue;
        }
        if (options.dryRun === true) {
          if (current) updated += 1;
          else created += 1;
          continue;
        }
        const values = await this.resolve(teams, input, current?.id, true);
        if (current) {
          await teams.update(current.id, values, current.version, this.now());
          await this.audit(trx, actor, 'team_changed', 'team', current.id, { before: current, after: input, via: 'import' });
          updated += 1;
        } else {
          const id = await teams.create(values, this.now());
          await this.audit(trx, actor, 'team_added', 'team', id, { after: input, via: 'import' });
          created += 1;
        }
      }
      return { created, updated, unchanged, problems: [] };
    });
  }

  private async resolve(teams: TeamRepository, input: TeamInput, id: number | undefined, createArea = false) {
    const clash = await teams.findByName(input.name);
    if (clash && clash.id !== id) throw new DomainError('team_exists', `There is already a team called ${clash.name}`, 'name');
    if (input.publicAlias !== null) {
      const owner = await teams.findByAlias(input.publicAlias);
      if (owner && owner.id !== id) {
        throw new DomainError('alias_taken', `The alias ${input.publicAlias} already belongs to ${owner.name}`, 'publicAlias');
      }
    }
    let area = await teams.findServiceAreaByName(input.serviceAreaName);
    if (!area && createArea) {
      const directorateId = await teams.ensureDirectorate("Children's Services");
      area = { id: await teams.createServiceArea(input.serviceAreaName, directorateId), name: input.serviceAreaName, directorateId };
    }
    if (!area) throw new DomainError('service_area_unknown', `There is no service area called ${input.serviceAreaName}`, 'serviceArea');
    return {
      name: input.name,
      serviceAreaId: area.id,
      kind: input.kind,
      publicAlias: input.publicAlias,
      isActive: input.isActive,
    };
  }

  private now(): string {
    return this.clock().toISOString();
  }

  private async audit(
    trx: Kysely<Database>,
    actor: Actor,
    action: string,
    entityType: string,
    id: number,
    details: Record<string, unknown>,
  ): Promise<void> {
    await new AuditRepository(trx).record({ ...actor, action, entityType, entityId: String(id), details }, this.now());
  }
}

function isSameTeam(team: Team, input: TeamInput): boolean {
  return (
    team.name === input.name &&
    team.serviceAreaName.toLowerCase() === input.serviceAreaName.toLowerCase() &&
    team.kind === input.kind &&
    team.publicAlias === input.publicAlias &&
    team.isActive === input.isActive
  );
}

function columnFor(field: string | undefined): string {
  switch (field) {
    case 'serviceArea':
      return 'service_area';
    case 'publicAlias':
      return 'public_alias';
    default:
      return field ?? 'name';
  }
}

/**
 * Parses the team CSV, reporting problems by line and column. `isReadable` is false when the
 * file as a whole cannot be read (not CSV, no header, wrong columns); otherwise the rows that
 * parsed are returned beside the problems of those that did not, so every problem is reported.
 */
export function parseTeamCsv(csv: string): { rows: { line: number; input: TeamInput }[]; problems: ImportProblem[]; isReadable: boolean } {
  const problems: ImportProblem[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { rows: [], problems: [{ line, column: '-', message: `The file is not valid CSV: ${(error as Error).message}` }], isReadable: false };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [{ line: 1, column: '-', message: 'The file is empty: it needs a header row' }], isReadable: false };
  const columns = header.record.map((c) => c.toLowerCase());
  for (const column of columns) {
    if (!(TEAM_CSV_COLUMNS as readonly string[]).includes(column)) {
      problems.push({ line: header.info.lines, column, message: `Unknown column "${column}": expected ${TEAM_CSV_COLUMNS.join(', ')}` });
    }
  }
  for (const required of ['name', 'service_area']) {
    if (!columns.includes(required)) problems.push({ line: header.info.lines, column: required, message: `The column "${required}" is missing` });
  }
  if (problems.length > 0) return { rows: [], problems, isReadable: false };

  const rows: { line: number; input: TeamInput }[] = [];
  for (const { record, info } of body) {
    const line = info.lines;
    if (record.length !== columns.length) {
      problems.push({ line, column: '-', message: `Expected ${columns.length} cells but found ${record.length}` });
      continue;
    }
    const cell = (name: string): string => record[columns.indexOf(name)] ?? '';
    const kind = cell('kind') === '' ? 'internal' : cell('kind');
    if (!isTeamKind(kind)) {
      problems.push({ line, column: 'kind', message: `Unknown kind "${kind}": use internal, residential_home or commissioned` });
      continue;
    }
    const alias = cell('public_alias');
    rows.push({
      line,
      input: { name: cell('name'), serviceAreaName: cell('service_area'), kind, publicAlias: alias === '' ? null : alias, isActive: true },
    });
  }
  return { rows, problems, isReadable: true };
}
