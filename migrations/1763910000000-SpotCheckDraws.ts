import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 抽查复核 draws (spot_check_draws) and the items each selected
 * (spot_check_draw_items). Both are written once, with the draw's signature,
 * and the database refuses UPDATE, DELETE and TRUNCATE on them like on the
 * signatures: a draw cannot be quietly redrawn or its sample edited.
 */
export class SpotCheckDraws1763910000000 implements MigrationInterface {
  name = 'SpotCheckDraws1763910000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "spot_check_draws" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "round" integer NOT NULL, "mode" character varying(8) NOT NULL, "value" integer NOT NULL, "township_ids" uuid array NOT NULL, "seed" character(64) NOT NULL, "population" jsonb NOT NULL, "drawn_by_org_unit_id" uuid NOT NULL, "drawn_by_id" uuid NOT NULL, "drawn_by_name" character varying(64) NOT NULL, "drawn_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1bcace7ff6d29a9e87fc487db5a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_spot_check_draws_round" ON "spot_check_draws"  ("campaign_id", "drawn_by_org_unit_id", "round") `);
    await queryRunner.query(
      `CREATE TABLE "spot_check_draw_items" ("draw_id" uuid NOT NULL, "item_id" uuid NOT NULL, "county_id" uuid NOT NULL, CONSTRAINT "PK_465f26d97eca392c14e814625a1" PRIMARY KEY ("draw_id", "item_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_spot_check_draw_items_item" ON "spot_check_draw_items"  ("item_id") `);
    await queryRunner.query(
      `ALTER TABLE "spot_check_draws" ADD CONSTRAINT "FK_363deaf863b3324df5ba923360c" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "spot_check_draws" ADD CONSTRAINT "FK_13daa540d165f66c865b004f1b8" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "spot_check_draws" ADD CONSTRAINT "FK_901092851fbc94121e3d897f51a" FOREIGN KEY ("drawn_by_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "spot_check_draw_items" ADD CONSTRAINT "FK_193b2bfc9891931f5c6ae18443b" FOREIGN KEY ("draw_id") REFERENCES "spot_check_draws"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "spot_check_draw_items" ADD CONSTRAINT "FK_9832ce1866021c033dea2ab3bf9" FOREIGN KEY ("item_id") REFERENCES "problem_items"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "spot_check_draw_items" ADD CONSTRAINT "FK_e07e87c34514db3bbc82999a02f" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    for (const table of ['spot_check_draws', 'spot_check_draw_items']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_immutable BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION qingling_refuse_signature_change()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION qingling_refuse_signature_change()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['spot_check_draw_items', 'spot_check_draws']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER ${table}_immutable ON "${table}"`);
    }
    await queryRunner.query(`ALTER TABLE "spot_check_draw_items" DROP CONSTRAINT "FK_e07e87c34514db3bbc82999a02f"`);
    await queryRunner.query(`ALTER TABLE "spot_check_draw_items" DROP CONSTRAINT "FK_9832ce1866021c033dea2ab3bf9"`);
    await queryRunner.query(`ALTER TABLE "spot_check_draw_items" DROP CONSTRAINT "FK_193b2bfc9891931f5c6ae18443b"`);
    await queryRunner.query(`ALTER TABLE "spot_check_draws" DROP CONSTRAINT "FK_901092851fbc94121e3d897f51a"`);
    await queryRunner.query(`ALTER TABLE "spot_check_draws" DROP CONSTRAINT "FK_13daa540d165f66c865b004f1b8"`);
    await queryRunner.query(`ALTER TABLE "spot_check_draws" DROP CONSTRAINT "FK_363deaf863b3324df5ba923360c"`);
    await queryRunner.query(`DROP INDEX "public"."ix_spot_check_draw_items_item"`);
    await queryRunner.query(`DROP TABLE "spot_check_draw_items"`);
    await queryRunner.query(`DROP INDEX "public"."uq_spot_check_draws_round"`);
    await queryRunner.query(`DROP TABLE "spot_check_draws"`);
  }
}
