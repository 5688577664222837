import type { Migration } from '../migrator.ts';

/**
 * What was decided about recommendations, kept with the stage so that letters and the case
 * page can say it: the recommendations a Stage 2 adjudication accepted (one a line), and the
 * council's decision on each of a review panel's recommendations (JSON: a decision and its
 * reasons for each line of `stage3.recommendations`, in order).
 */
export const recommendationDecisions: Migration = {
  name: '0027-recommendation-decisions',
  async up(trx) {
    await trx.schema.alterTable('stage2').addColumn('recommendations', 'text').execute();
    await trx.schema.alterTable('stage3').addColumn('council_decisions', 'text').execute();
  },
};
