import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildTallies } from '../src/reports/report-tally-rebuild';

/**
 * Report tallies (src/reports/report-tally.ts): the change of each day in a
 * group's figures, kept by the transitions, so the county's statistics,
 * series and ranking read a few thousand rows instead of replaying every
 * signature of the campaign; and each item's status as the replay folds it,
 * which the next transition folds from. The records already there are
 * replayed once into both.
 */
export class ReportTallies1763960000000 implements MigrationInterface {
  name = 'ReportTallies1763960000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "problem_items" ADD "report_status" jsonb`);
    await queryRunner.query(
      `CREATE TABLE "report_tallies" (
        "campaign_id" uuid NOT NULL,
        "group_id" uuid NOT NULL,
        "problem_type_code" character varying(32) NOT NULL,
        "day" date NOT NULL,
        "county_id" uuid NOT NULL,
        "found" integer NOT NULL DEFAULT 0,
        "confirmed" integer NOT NULL DEFAULT 0,
        "pending_review" integer NOT NULL DEFAULT 0,
        "rectifying" integer NOT NULL DEFAULT 0,
        "pending_acceptance" integer NOT NULL DEFAULT 0,
        "closed" integer NOT NULL DEFAULT 0,
        "dismissed" integer NOT NULL DEFAULT 0,
        "reopened" integer NOT NULL DEFAULT 0,
        "close_ms" bigint NOT NULL DEFAULT 0,
        "overdue" integer NOT NULL DEFAULT 0,
        CONSTRAINT "PK_report_tallies" PRIMARY KEY ("campaign_id", "group_id", "problem_type_code", "day")
      )`,
    );
    await queryRunner.query(`CREATE INDEX "ix_report_tallies_campaign_day" ON "report_tallies" ("campaign_id", "day")`);
    await rebuildTallies((sql, params) => queryRunner.query(sql, params) as Promise<unknown[]>);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "report_tallies"`);
    await queryRunner.query(`ALTER TABLE "problem_items" DROP COLUMN "report_status"`);
  }
}
