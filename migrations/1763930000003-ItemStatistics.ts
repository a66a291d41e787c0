import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Planner statistics, not an index: a campaign belongs to one county and a
 * township to one county, but the planner multiplies the selectivities of
 * `county_id = …` (every scoped query has it) and `campaign_id = …` as if
 * they were independent. At 100,000 items in a county it then expected 90
 * rows where there were 5,000, ANDed the 100,000-entry county index into
 * every bitmap scan, and sorted instead of walking an index in page order.
 * Functional-dependency statistics (ANALYZE fills them) correct the estimate.
 */
export class ItemStatistics1763930000003 implements MigrationInterface {
  name = 'ItemStatistics1763930000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE STATISTICS "st_problem_items_county_campaign" (dependencies) ON "county_id", "campaign_id", "township_id" FROM "problem_items"`,
    );
    await queryRunner.query(`ANALYZE "problem_items"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP STATISTICS "st_problem_items_county_campaign"`);
  }
}
