import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the province benchmark (bench/province.bench.ts, 1,000,000 items)
 * showed missing; each names the query it serves:
 *
 * - GET /api/items pages newest first by (created_at, id) within a campaign:
 *   without this the whole campaign (100,000 items of a county) is sorted
 *   for every page of 50.
 * - Visibility is `org_unit_path LIKE '<unit path>%'`; the plain btree on the
 *   column cannot serve LIKE under a non-C collation (C.UTF-8 included, on
 *   PostgreSQL 15), text_pattern_ops can, so a village or township scope reads
 *   its own subtree instead of the county's items.
 * - The inbox ORs "my items as investigator", "my items as rectifier" and "my
 *   township's reviews": a bitmap OR needs an index for every arm; rectifier_id
 *   had one, investigator_id and township_id had none, so the whole county was
 *   read and filtered.
 *
 * Plain CREATE INDEX (migrations run in a transaction): it blocks writes to
 * problem_items while it builds, a few seconds per index at a million rows.
 */
export class ProvinceIndexes1763930000000 implements MigrationInterface {
  name = 'ProvinceIndexes1763930000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_problem_items_campaign_created" ON "problem_items" ("campaign_id", "created_at" DESC, "id" DESC)`);
    await queryRunner.query(`CREATE INDEX "ix_problem_items_org_path_prefix" ON "problem_items" ("org_unit_path" text_pattern_ops)`);
    await queryRunner.query(`CREATE INDEX "ix_problem_items_investigator_state" ON "problem_items" ("investigator_id", "state")`);
    await queryRunner.query(`CREATE INDEX "ix_problem_items_township_state" ON "problem_items" ("township_id", "state")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_problem_items_township_state"`);
    await queryRunner.query(`DROP INDEX "ix_problem_items_investigator_state"`);
    await queryRunner.query(`DROP INDEX "ix_problem_items_org_path_prefix"`);
    await queryRunner.query(`DROP INDEX "ix_problem_items_campaign_created"`);
  }
}
