/**
 * The audit trail is append-only in the database and hash-chained: an UPDATE or DELETE by SQL is
 * refused on both engines, appends from many connections at once keep one unbroken chain, and a
 * row changed behind the triggers' back is named by `redress audit verify`.
 */
import { sql, type Kysely } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { ENGINES, createTestDatabase, describeEachEngine } from '../../support/databases.ts';
import { runCli } from '../../support/cli.ts';
import { AuditRepository } from '../../../src/db/audit-repository.ts';
import { migrateToLatest } from '../../../src/db/migrator.ts';
import { migrations } from '../../../src/db/migrations/index.ts';
import { auditTrailChain } from '../../../src/db/migrations/0023-audit-trail-chain.ts';
import type { Database } from '../../../src/db/schema.ts';

const CLI_TIMEOUT = 180_000;
const AT = '2026-12-07T09:00:00.000Z';
const event = (n: number) => ({ userId: null, action: 'case_viewed', entityType: 'representation', entityId: String(n), ip: '192.0.2.1', requestId: `req-${String(n)}`, details: { n } });

describeEachEngine('audit trail', (database) => {
  const kysely = () => database().db.kysely;
  const audit = () => new AuditRepository(kysely());

  it('chains every entry, including many appended at once from several connections and inside transactions', async () => {
    for (let n = 1; n <= 5; n++) await audit().record(event(n), AT);
    await kysely().transaction().execute(async (trx) => {
      await new AuditRepository(trx).record(event(6), AT);
      await new AuditRepository(trx).record(event(7), AT);
    });
    await Promise.all(Array.from({ length: 30 }, (_, i) => audit().record(event(100 + i), AT)));
    // Text beyond ASCII hashes alike wherever the hash is made (on PostgreSQL, in the database).
    await audit().record({ ...event(8), details: { code: 'naïve—“ünïcode” ✓ 🌳' } }, AT);
    const rows = await kysely().selectFrom('audit_event').select(['id', 'prev_hash', 'hash']).orderBy('id').execute();
    expect(rows).toHaveLength(38);
    expect(rows.every((r) => r.hash?.length === 64)).toBe(true);
    expect(await audit().verify()).toEqual({ verified: true, entries: 38 });
  });

  it('refuses an UPDATE, a DELETE and (on PostgreSQL) a TRUNCATE by SQL', async () => {
    const first = await kysely().selectFrom('audit_event').select(['id', 'ip']).orderBy('id').executeTakeFirstOrThrow();
    await expect(sql`update audit_event set ip = '203.0.113.9' where id = ${first.id}`.execute(kysely())).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_event where id = ${first.id}`.execute(kysely())).rejects.toThrow(/append-only/);
    if (database().engine === 'postgres') await expect(sql`truncate audit_event`.execute(kysely())).rejects.toThrow(/append-only/);
    const after = await kysely().selectFrom('audit_event').select(['id', 'ip']).orderBy('id').executeTakeFirstOrThrow();
    expect(after).toEqual(first);
    expect((await audit().verify()).verified).toBe(true);
  });

  it(
    '`redress audit verify` reports the trail verified, then the first entry changed behind the triggers’ back',
    async () => {
      const env = { DATABASE_URL: database().url };
      const good = await runCli(['audit', 'verify'], env);
      expect(good.code, good.stderr).toBe(0);
      expect(good.stdout.trim()).toBe('Audit trail verified: 38 entries');

      const target = await kysely().selectFrom('audit_event').select('id').orderBy('id').offset(9).limit(1).executeTakeFirstOrThrow();
      await withoutTriggers(database().engine, kysely(), async () => {
        await sql`update audit_event set ip = '203.0.113.66' where id = ${target.id}`.execute(kysely());
      });
      // The triggers are back.
      await expect(sql`update audit_event set ip = null where id = ${target.id}`.execute(kysely())).rejects.toThrow(/append-only/);
      expect(await audit().verify()).toEqual({ verified: false, entries: 9, brokenId: target.id, reason: 'its contents do not match its hash: it was changed after it was written' });

      const bad = await runCli(['audit', 'verify'], env);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain(`Audit trail broken at entry ${String(target.id)}: its contents do not match its hash`);
      expect(bad.stderr).toContain(`broken at entry ${String(target.id)}`);
    },
    CLI_TIMEOUT,
  );

});

describeEachEngine('audit trail with an entry removed', (database) => {
  it('names the entry after one removed behind the triggers’ back', async () => {
    const audit = new AuditRepository(database().db.kysely);
    for (let n = 1; n <= 5; n++) await audit.record(event(n), AT);
    const ids = (await database().db.kysely.selectFrom('audit_event').select('id').orderBy('id').execute()).map((r) => r.id);
    await withoutTriggers(database().engine, database().db.kysely, async () => {
      await sql`delete from audit_event where id = ${ids[2]}`.execute(database().db.kysely);
    });
    expect(await audit.verify()).toEqual({ verified: false, entries: 2, brokenId: ids[3], reason: 'it does not follow the entry before it: an entry was removed, added or reordered' });
  });
});

// Several app processes share one PostgreSQL (docs/operations.md); SQLite is for one process.
describeEachEngine('audit trail appended from several processes', (database) => {
  it(
    'keeps one unbroken chain when two CLI processes and this one append at once',
    async (context) => {
      if (database().engine !== 'postgres') context.skip();
      const env = { DATABASE_URL: database().url };
      const audit = new AuditRepository(database().db.kysely);
      // This process appends all the while the two CLI processes run, so their appends fall between its own.
      const state = { isDone: false };
      let appended = 0;
      const here = (async () => {
        while (!state.isDone) {
          await audit.record(event(appended), AT);
          appended += 1;
          // Let the child processes' events in (SQLite answers synchronously) and leave them room to write.
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      const [one, two] = await Promise.all([
        runCli(['settings', 'set', 'corporate-max-paused-working-days', '30'], env),
        runCli(['settings', 'set', 'children-acknowledgement-days', '3'], env),
      ]);
      state.isDone = true;
      await here;
      expect(one.code, one.stderr).toBe(0);
      expect(two.code, two.stderr).toBe(0);
      const actions = await database().db.kysely.selectFrom('audit_event').select('action').where('action', '=', 'council_settings_changed').execute();
      expect(actions).toHaveLength(2);
      expect(appended).toBeGreaterThan(10);
      expect(await audit.verify()).toEqual({ verified: true, entries: appended + 2 });
    },
    CLI_TIMEOUT,
  );
});

describe('the migration chains the entries written before it', () => {
  for (const engine of ENGINES) {
    it.skipIf(engine === 'postgres' && inject('postgresUrl') === null)(`[${engine}]`, async () => {
      const database = await createTestDatabase(engine, { migrate: false });
      try {
        const before = migrations.slice(0, migrations.indexOf(auditTrailChain));
        await migrateToLatest(database.db, before);
        for (let n = 1; n <= 3; n++) {
          await database.db.kysely
            .insertInto('audit_event')
            .values({ occurred_at: AT, user_id: null, action: 'case_viewed', entity_type: 'representation', entity_id: String(n), ip: null, request_id: null, details: n === 2 ? '{"n":2}' : null })
            .execute();
        }
        await migrateToLatest(database.db);
        const audit = new AuditRepository(database.db.kysely);
        await audit.record(event(4), AT);
        expect(await audit.verify()).toEqual({ verified: true, entries: 4 });
      } finally {
        await database.close();
      }
    });
  }
});

async function withoutTriggers(engine: string, db: Kysely<Database>, work: () => Promise<void>): Promise<void> {
  if (engine === 'postgres') {
    await sql`alter table audit_event disable trigger user`.execute(db);
    try {
      await work();
    } finally {
      await sql`alter table audit_event enable trigger user`.execute(db);
    }
    return;
  }
  await sql`drop trigger audit_event_no_update`.execute(db);
  await sql`drop trigger audit_event_no_delete`.execute(db);
  try {
    await work();
  } finally {
    await sql`create trigger audit_event_no_update before update on audit_event begin select raise(abort, 'audit_event is append-only: UPDATE refused'); end`.execute(db);
    await sql`create trigger audit_event_no_delete before delete on audit_event begin select raise(abort, 'audit_event is append-only: DELETE refused'); end`.execute(db);
  }
}
