import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * An advocate recorded at registration counts as the offer of an advocate, made and accepted
 * on the day the complaint was registered (registration now records that offer itself). This
 * adds the offer for the Children Act complaints registered earlier with an advocate, so that
 * the Stage 1 check, the case page and the annual report see them the same way. A complaint
 * that already has a Stage 1 offer recorded is left alone: nothing is counted twice. The
 * provider is the advocate's organisation, or their name when none was recorded.
 */
export const advocateAtRegistration: Migration = {
  name: '0028-advocate-at-registration',
  async up(trx) {
    await trx
      .insertInto('advocacy_offer')
      .columns(['representation_id', 'stage', 'offered_on', 'outcome', 'provider', 'recorded_by', 'created_at'])
      .expression(
        trx
          .selectFrom('representation as r')
          .innerJoin('person as a', 'a.id', 'r.advocate_id')
          .where('r.kind', '=', 'children_statutory')
          .where((eb) => eb.not(eb.exists(eb.selectFrom('advocacy_offer as ao').select('ao.id').whereRef('ao.representation_id', '=', 'r.id').where('ao.stage', '=', 1))))
          .select([
            'r.id',
            sql<number>`1`.as('stage'),
            sql<string>`substr(r.created_at, 1, 10)`.as('offered_on'),
            sql<string>`'accepted'`.as('outcome'),
            sql<string>`coalesce(nullif(trim(a.organisation), ''), a.name)`.as('provider'),
            'r.created_by',
            'r.created_at',
          ]),
      )
      .execute();
  },
};
