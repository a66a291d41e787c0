import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Planner statistics, not an index: every org_unit_path starts with the
 * county's id and then the township's, so with the default statistics
 * target (100) PostgreSQL estimated a township's path prefix (`LIKE
 * '/<county>/<township>/%'`, 3,345 items at 1M) at one row, and ANDed the
 * county's 100,000-entry bitmap into every scoped list and inbox. A target
 * of 1000 keeps enough of the histogram to estimate a township (about
 * 3,900): the township leader's inbox then reads its township's index
 * entries only.
 */
export class ItemPathStatistics1763970000000 implements MigrationInterface {
  name = 'ItemPathStatistics1763970000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "problem_items" ALTER COLUMN "org_unit_path" SET STATISTICS 1000`);
    await queryRunner.query(`ANALYZE "problem_items"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "problem_items" ALTER COLUMN "org_unit_path" SET STATISTICS -1`);
  }
}
