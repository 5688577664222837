import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { runCli } from '../support/cli.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'redress-cli-'));

describe('redress --help', () => {
  it('lists every command, each with its own help', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['serve', 'migrate', 'demo', 'user', 'team']) expect(top.stdout).toContain(command);
    const user = await runCli(['user', '--help']);
    for (const sub of ['add', 'list', 'disable', 'reset-password']) expect(user.stdout).toContain(sub);
    const add = await runCli(['user', 'add', '--help']);
    expect(add.stdout).toContain('--role <role...>');
    expect(add.stdout).toContain('complaints_officer');
    const serve = await runCli(['serve', '--help']);
    expect(serve.stdout).toContain('--demo');
    expect(serve.stdout).toContain('--processes <n>');
  });

  it('refuses a number of processes it cannot run, and several processes on a database in memory', async () => {
    for (const processes of ['0', 'two', '2.5', '65']) {
      const result = await runCli(['serve', '--processes', processes], { DATABASE_URL: `sqlite:${path.join(scratch, 'processes.db')}` });
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`redress: --processes must be a whole number from 1 to 64, or auto (one per processor core): "${processes}"`);
    }
    const inMemory = await runCli(['serve', '--processes', '2'], { DATABASE_URL: 'sqlite::memory:' });
    expect(inMemory.code).toBe(2);
    expect(inMemory.stderr.trim()).toBe('redress: several processes need a database they can share: a SQLite file or PostgreSQL, not :memory:');
  });

  it('stops with one clear line when DATABASE_URL is malformed', async () => {
    const result = await runCli(['migrate'], { DATABASE_URL: 'mysql://nope' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['redress: DATABASE_URL must start with "sqlite:" or "postgres://" (e.g. sqlite:./data/redress.db)']);
  });

  it('refuses to create demo users in production', async () => {
    const result = await runCli(['demo'], {
      NODE_ENV: 'production',
      SESSION_SECRET: 'p'.repeat(40),
      DATABASE_URL: `sqlite:${path.join(scratch, 'prod.db')}`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('demo data is never created in production');
  });

  it('says which command it does not know', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});

describeEachEngine('redress CLI', (database) => {
  const env = () => ({ DATABASE_URL: database().url });

  it('migrates, and migrating again is harmless', async () => {
    const result = await runCli(['migrate'], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The database is up to date.');
  });

  it('creates demo data once and prints how to sign in', async () => {
    const first = await runCli(['demo'], env());
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Demo data created.');
    expect(first.stdout).toContain('admin@redress.example');
    expect(first.stdout).toContain('password: redress-demo-password');
    const cases = await database().db.kysely.selectFrom('representation').select(['kind', 'received_on']).execute();
    expect(cases.length).toBeGreaterThanOrEqual(120);
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(['children_statutory', 'informal', 'compliment', 'corporate', 'comment']));
    const second = await runCli(['demo'], env());
    expect(second.stdout).toContain('Demo data already present.');
    expect((await database().db.kysely.selectFrom('representation').select('id').execute()).length).toBe(cases.length);
    const teams = await runCli(['team', 'list'], env());
    expect(teams.stdout).toContain('Residential Care\tBrook Lodge\tChildren\'s home\tHome 2\tactive');
    expect(teams.stdout.trim().split('\n')).toHaveLength(17);
  });

  it('adds, lists, disables and resets users', async () => {
    const added = await runCli(['user', 'add', 'Pat.Officer@Example.org', '--name', 'Pat Officer', '--role', 'complaints_officer', 'viewer', '--team', 'Adoption'], env());
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('Added pat.officer@example.org (complaints_officer, viewer)');
    expect(added.stdout).toMatch(/One-time password: \S{20}/);

    const duplicate = await runCli(['user', 'add', 'pat.officer@example.org', '--name', 'Pat', '--role', 'viewer'], env());
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('There is already a user with the email pat.officer@example.org');

    const badRole = await runCli(['user', 'add', 'sam@example.org', '--name', 'Sam', '--role', 'wizard'], env());
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('Unknown role: wizard');

    const disabled = await runCli(['user', 'disable', 'pat.officer@example.org'], env());
    expect(disabled.code).toBe(0);
    const list = await runCli(['user', 'list'], env());
    expect(list.stdout).toContain('pat.officer@example.org\tPat Officer\tcomplaints_officer,viewer\tAdoption\tdisabled');

    const reset = await runCli(['user', 'reset-password', 'pat.officer@example.org', '--password', 'a-new-long-password'], env());
    expect(reset.code).toBe(0);
    const short = await runCli(['user', 'reset-password', 'pat.officer@example.org', '--password', 'short'], env());
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 12 characters');
    const unknown = await runCli(['user', 'disable', 'nobody@example.org'], env());
    expect(unknown.code).toBe(2);
  });

  it('makes, lists and revokes API tokens, showing a token only once', async () => {
    await runCli(['user', 'add', 'api.robot@example.org', '--name', 'Social care system', '--role', 'complaints_officer'], env());
    const made = await runCli(['token', 'add', '--user', 'api.robot@example.org', '--name', 'social care system', '--scope', 'representations:write'], env());
    expect(made.code, made.stderr).toBe(0);
    const token = /^(rdr_\S{43})$/m.exec(made.stdout)?.[1];
    expect(token).toBeDefined();
    const list = await runCli(['token', 'list'], env());
    expect(list.stdout).toContain('social care system\tapi.robot@example.org\trepresentations:write\tlive\tnever used');
    expect(list.stdout).not.toContain(token ?? 'no token');
    const badScope = await runCli(['token', 'add', '--user', 'api.robot@example.org', '--name', 'x', '--scope', 'everything'], env());
    expect(badScope.code).toBe(2);
    const id = list.stdout.split('\t')[0] ?? '';
    expect((await runCli(['token', 'revoke', id], env())).code).toBe(0);
    expect((await runCli(['token', 'list'], env())).stdout).toMatch(/\trevoked /);
    expect((await runCli(['token', 'revoke', id], env())).code).toBe(2);
  });

  it('imports teams from CSV all or nothing, reporting problems by line and column', async () => {
    const bad = path.join(scratch, `bad-${database().engine}.csv`);
    writeFileSync(bad, 'name,service_area,kind,public_alias\nNew Team,New Area,internal,\nBroken,New Area,castle,\n');
    const refused = await runCli(['team', 'import', bad], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${bad}:3: column kind: Unknown kind "castle"`);
    expect(refused.stderr).toContain('nothing was imported');
    expect((await runCli(['team', 'list'], env())).stdout).not.toContain('New Team');

    const good = path.join(scratch, `good-${database().engine}.csv`);
    writeFileSync(good, '\uFEFFname,service_area,kind,public_alias\nNew Team,New Area,internal,\nNew Home,Residential Care,residential_home,Home 6\n');
    const dry = await runCli(['team', 'import', good, '--dry-run'], env());
    expect(dry.stdout).toContain('Would import: 2 new, 0 changed, 0 unchanged');
    const imported = await runCli(['team', 'import', good], env());
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('Imported: 2 new, 0 changed, 0 unchanged');
    const again = await runCli(['team', 'import', good], env());
    expect(again.stdout).toContain('Imported: 0 new, 0 changed, 2 unchanged');
  });
});
