import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's last arm without an index (see ProvinceIndexes): the county
 * office's reviews, `review_level = 'county' AND state IN (…)`. Without it the
 * bitmap OR reads every item of the county in a reviewer state (30,000 of a
 * county's 100,000 at province scale) to find the few at county level.
 */
export class CountyReviewIndex1763930000001 implements MigrationInterface {
  name = 'CountyReviewIndex1763930000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_problem_items_review_state" ON "problem_items" ("review_level", "state")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_problem_items_review_state"`);
  }
}
