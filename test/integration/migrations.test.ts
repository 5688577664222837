import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { migrateToLatest, type Migration } from '../../src/db/migrator.ts';
import { migrations } from '../../src/db/migrations/index.ts';

describeEachEngine('migrations', (database) => {
  it('are recorded, and running them again is harmless', async () => {
    const { db } = database();
    const again = await migrateToLatest(db);
    expect(again.applied).toEqual([]);
    const rows = await db.kysely.selectFrom('schema_migration').select('name').orderBy('name').execute();
    expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
  });

  it('leave the database as it was when one fails', async () => {
    const { db } = database();
    const failing: Migration = {
      name: '9999-fails-halfway',
      async up(trx) {
        await trx.schema.createTable('half_written').addColumn('id', 'integer').execute();
        await sql`insert into half_written (id) values (1)`.execute(trx);
        await sql`select * from no_such_table`.execute(trx);
      },
    };
    await expect(migrateToLatest(db, [...migrations, failing])).rejects.toThrow();
    const recorded = await db.kysely.selectFrom('schema_migration').select('name').where('name', '=', failing.name).execute();
    expect(recorded).toEqual([]);
    await expect(sql`select count(*) from half_written`.execute(db.kysely)).rejects.toThrow();
  });

  it('keep foreign keys on', async () => {
    const { db } = database();
    await expect(
      db.kysely
        .insertInto('team')
        .values({ service_area_id: 987654, name: 'Orphan', kind: 'internal', public_alias: null, created_at: 'x', updated_at: 'x' })
        .execute(),
    ).rejects.toThrow();
  });
});
