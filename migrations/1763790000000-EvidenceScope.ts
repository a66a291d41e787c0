import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence files inside scope: when an attachment was first cited (uploads
 * never cited are swept; the sweep and a signing transaction meet on this
 * row), a partial index for the sweep, and a GIN index to find the
 * signatures citing an attachment (who may download it). Attachments that
 * existing signatures cite count as cited when they were signed.
 */
export class EvidenceScope1763790000000 implements MigrationInterface {
  name = 'EvidenceScope1763790000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "attachments" ADD "cited_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "ix_signatures_evidence" ON "signatures" USING gin ("evidence" jsonb_path_ops)`);
    await queryRunner.query(`CREATE INDEX "ix_attachments_uncited" ON "attachments" ("created_at") WHERE "cited_at" IS NULL`);
    await queryRunner.query(
      `UPDATE "attachments" a SET "cited_at" = (SELECT min(s."signed_at") FROM "signatures" s WHERE s."evidence" @> jsonb_build_array(jsonb_build_object('id', a."id"::text)))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_attachments_uncited"`);
    await queryRunner.query(`DROP INDEX "public"."ix_signatures_evidence"`);
    await queryRunner.query(`ALTER TABLE "attachments" DROP COLUMN "cited_at"`);
  }
}
