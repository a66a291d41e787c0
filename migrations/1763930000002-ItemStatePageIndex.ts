import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A filtered page of GET /api/items (`state=rectifying&overdue=true`, newest
 * first) for the county office read every rectifying item of the campaign
 * through (campaign_id, state) and sorted them: about 10,000 rows for a
 * county of 100,000 items, to answer 50. With created_at and id after the
 * state, one state's items come in page order and the walk stops at the page.
 */
export class ItemStatePageIndex1763930000002 implements MigrationInterface {
  name = 'ItemStatePageIndex1763930000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_problem_items_campaign_state_created" ON "problem_items" ("campaign_id", "state", "created_at" DESC, "id" DESC)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_problem_items_campaign_state_created"`);
  }
}
