import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ledger and reports: 督办通知书 and 总结报告 tables; on problem items the
 * ledger's planned 整改责任人/整改时限 and the fingerprint that keeps a
 * re-imported ledger row from creating a duplicate.
 */
export class LedgerReports1763760000000 implements MigrationInterface {
  name = 'LedgerReports1763760000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "summary_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "township_id" uuid NOT NULL, "text" text NOT NULL, "figures" jsonb NOT NULL, "filed_by_id" uuid NOT NULL, "filed_by_name" character varying(64) NOT NULL, "filed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d2339904bf998a159198f4f8689" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_summary_reports_township" ON "summary_reports"  ("campaign_id", "township_id") `);
    await queryRunner.query(
      `CREATE TABLE "supervision_notices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "number" integer NOT NULL, "recipient_org_unit_id" uuid NOT NULL, "issued_by_id" uuid NOT NULL, "issued_by_name" character varying(64) NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deadline" date NOT NULL, "note" text, "items" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9b4420fd0c2f761f599285c6ee8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_supervision_notices_recipient" ON "supervision_notices"  ("recipient_org_unit_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_supervision_notices_number" ON "supervision_notices"  ("campaign_id", "number") `);
    await queryRunner.query(`ALTER TABLE "problem_items" ADD "planned_rectifier_name" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "problem_items" ADD "planned_deadline" date`);
    await queryRunner.query(`ALTER TABLE "problem_items" ADD "import_key" character(64)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_problem_items_import_key" ON "problem_items"  ("campaign_id", "import_key") WHERE import_key IS NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "summary_reports" ADD CONSTRAINT "FK_9b6287d65aa26e8a31afe3bcc6c" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "summary_reports" ADD CONSTRAINT "FK_5b6a64ff8105314b840254344d0" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "summary_reports" ADD CONSTRAINT "FK_562d56ec03c7f546f4068229a72" FOREIGN KEY ("township_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervision_notices" ADD CONSTRAINT "FK_6739ee8a3b7d4b6ef6f1a524254" FOREIGN KEY ("county_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervision_notices" ADD CONSTRAINT "FK_5129d3b76ea21ede94ecc419388" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervision_notices" ADD CONSTRAINT "FK_909aabd2a8762e10344e0dde025" FOREIGN KEY ("recipient_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "supervision_notices" DROP CONSTRAINT "FK_909aabd2a8762e10344e0dde025"`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" DROP CONSTRAINT "FK_5129d3b76ea21ede94ecc419388"`);
    await queryRunner.query(`ALTER TABLE "supervision_notices" DROP CONSTRAINT "FK_6739ee8a3b7d4b6ef6f1a524254"`);
    await queryRunner.query(`ALTER TABLE "summary_reports" DROP CONSTRAINT "FK_562d56ec03c7f546f4068229a72"`);
    await queryRunner.query(`ALTER TABLE "summary_reports" DROP CONSTRAINT "FK_5b6a64ff8105314b840254344d0"`);
    await queryRunner.query(`ALTER TABLE "summary_reports" DROP CONSTRAINT "FK_9b6287d65aa26e8a31afe3bcc6c"`);
    await queryRunner.query(`DROP INDEX "public"."uq_problem_items_import_key"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP COLUMN "import_key"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP COLUMN "planned_deadline"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP COLUMN "planned_rectifier_name"`);
    await queryRunner.query(`DROP INDEX "public"."uq_supervision_notices_number"`);
    await queryRunner.query(`DROP INDEX "public"."ix_supervision_notices_recipient"`);
    await queryRunner.query(`DROP TABLE "supervision_notices"`);
    await queryRunner.query(`DROP INDEX "public"."uq_summary_reports_township"`);
    await queryRunner.query(`DROP TABLE "summary_reports"`);
  }
}
