import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 行业排查 and township campaigns: a campaign may belong to a township (run by
 * its township leader) and maps its problem types to the county departments
 * whose sector they are; an item records the department that found it.
 */
export class SectorsTownshipCampaigns1763920000000 implements MigrationInterface {
  name = 'SectorsTownshipCampaigns1763920000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "township_id" uuid`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "sectors" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "problem_items" ADD "sector_department_id" uuid`);
    await queryRunner.query(`CREATE INDEX "ix_campaigns_township" ON "campaigns"  ("township_id") `);
    await queryRunner.query(`CREATE INDEX "ix_problem_items_sector_department" ON "problem_items"  ("sector_department_id") `);
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "FK_4a47a4e288143294d346c6b40eb" FOREIGN KEY ("township_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "problem_items" ADD CONSTRAINT "FK_4ced9bb457d9778b54b84ab396c" FOREIGN KEY ("sector_department_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Items recorded at a department before now were that department's own findings (only its staff could record there).
    await queryRunner.query(
      `UPDATE "problem_items" i SET "sector_department_id" = i."org_unit_id" FROM "org_units" o WHERE o."id" = i."org_unit_id" AND o."kind" = 'department'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "problem_items" DROP CONSTRAINT "FK_4ced9bb457d9778b54b84ab396c"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "FK_4a47a4e288143294d346c6b40eb"`);
    await queryRunner.query(`DROP INDEX "public"."ix_problem_items_sector_department"`);
    await queryRunner.query(`DROP INDEX "public"."ix_campaigns_township"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP COLUMN "sector_department_id"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "sectors"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "township_id"`);
  }
}
